target_sources(t2i_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/ratelimit.cpp
    ${CMAKE_CURRENT_LIST_DIR}/requestrecord.cpp
    ${CMAKE_CURRENT_LIST_DIR}/run.cpp)
