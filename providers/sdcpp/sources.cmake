target_sources(t2i_providers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/sdcppdescriptor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sdcppadapter.cpp)
