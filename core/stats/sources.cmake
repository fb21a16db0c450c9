target_sources(t2i_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/incompletebeta.cpp
    ${CMAKE_CURRENT_LIST_DIR}/quantile.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sortdoubles.cpp
    ${CMAKE_CURRENT_LIST_DIR}/summary.cpp)
