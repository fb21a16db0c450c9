target_sources(t2i_providers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/faldescriptor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/faladapter.cpp)
