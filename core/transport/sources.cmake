target_sources(t2i_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/callnetwork.cpp
    ${CMAKE_CURRENT_LIST_DIR}/httptransport.cpp)
