target_sources(t2i_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/runrow.h
    ${CMAKE_CURRENT_LIST_DIR}/runloader.h
    ${CMAKE_CURRENT_LIST_DIR}/runloader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/runstablemodel.h
    ${CMAKE_CURRENT_LIST_DIR}/runstablemodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/runsfilterproxy.h
    ${CMAKE_CURRENT_LIST_DIR}/runsfilterproxy.cpp
    ${CMAKE_CURRENT_LIST_DIR}/runlibrary.h
    ${CMAKE_CURRENT_LIST_DIR}/runlibrary.cpp
    ${CMAKE_CURRENT_LIST_DIR}/runnotesdialog.h
    ${CMAKE_CURRENT_LIST_DIR}/runnotesdialog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/librarypage.h
    ${CMAKE_CURRENT_LIST_DIR}/librarypage.cpp)
