target_sources(t2i_providers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/openaidescriptor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/openaiadapter.cpp)
