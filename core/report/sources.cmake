target_sources(t2i_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/costreport.cpp
    ${CMAKE_CURRENT_LIST_DIR}/exporter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/measurementnotes.cpp
    ${CMAKE_CURRENT_LIST_DIR}/summaryjson.cpp
    ${CMAKE_CURRENT_LIST_DIR}/textreport.cpp
    ${CMAKE_CURRENT_LIST_DIR}/thresholds.cpp)
