target_sources(t2i_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/palette.cpp
    ${CMAKE_CURRENT_LIST_DIR}/chartstyle.cpp
    ${CMAKE_CURRENT_LIST_DIR}/chartbuilders.cpp
    ${CMAKE_CURRENT_LIST_DIR}/latencycharts.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scalingcostcharts.cpp
    ${CMAKE_CURRENT_LIST_DIR}/timecharts.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gpucharts.cpp
    ${CMAKE_CURRENT_LIST_DIR}/segmentsitem.cpp
    ${CMAKE_CURRENT_LIST_DIR}/chartexporter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/chartview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/studycharts.h
    ${CMAKE_CURRENT_LIST_DIR}/studycharts.cpp
    ${CMAKE_CURRENT_LIST_DIR}/livechart.h
    ${CMAKE_CURRENT_LIST_DIR}/livechart.cpp)
