target_sources(t2i_providers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/basetendescriptor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/basetenadapter.cpp)
