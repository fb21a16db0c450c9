target_sources(t2i_providers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/a1111descriptor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/a1111adapter.cpp)
