target_sources(t2i_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/sidebar.h
    ${CMAKE_CURRENT_LIST_DIR}/sidebar.cpp
    ${CMAKE_CURRENT_LIST_DIR}/comparepage.h
    ${CMAKE_CURRENT_LIST_DIR}/comparepage.cpp
    ${CMAKE_CURRENT_LIST_DIR}/mainwindow.h
    ${CMAKE_CURRENT_LIST_DIR}/mainwindow.cpp
    ${CMAKE_CURRENT_LIST_DIR}/screenshot.h
    ${CMAKE_CURRENT_LIST_DIR}/screenshot.cpp)
