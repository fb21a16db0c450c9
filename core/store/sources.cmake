target_sources(t2i_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/sqlitehandle.cpp
    ${CMAKE_CURRENT_LIST_DIR}/schema.cpp
    ${CMAKE_CURRENT_LIST_DIR}/store.cpp
    ${CMAKE_CURRENT_LIST_DIR}/liveness.cpp
    ${CMAKE_CURRENT_LIST_DIR}/storerecords.cpp
    ${CMAKE_CURRENT_LIST_DIR}/storegpu.cpp
    ${CMAKE_CURRENT_LIST_DIR}/storestudies.cpp
    ${CMAKE_CURRENT_LIST_DIR}/storecolumns.cpp
    ${CMAKE_CURRENT_LIST_DIR}/recordwriter.cpp)
