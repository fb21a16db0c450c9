target_sources(t2i_providers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/emulateddescriptor.cpp)
