target_sources(t2i_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/chartdata.cpp
    ${CMAKE_CURRENT_LIST_DIR}/rundigest.cpp
    ${CMAKE_CURRENT_LIST_DIR}/distributions.cpp
    ${CMAKE_CURRENT_LIST_DIR}/runcharts.cpp
    ${CMAKE_CURRENT_LIST_DIR}/timecharts.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gpucharts.cpp
    ${CMAKE_CURRENT_LIST_DIR}/significance.cpp
    ${CMAKE_CURRENT_LIST_DIR}/comparison.cpp
    ${CMAKE_CURRENT_LIST_DIR}/comparisonload.cpp
    ${CMAKE_CURRENT_LIST_DIR}/chartcsv.cpp)
