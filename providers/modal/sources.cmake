target_sources(t2i_providers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/modaldescriptor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/modaladapter.cpp)
