target_sources(t2i_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/liveevents.h
    ${CMAKE_CURRENT_LIST_DIR}/runprocess.h
    ${CMAKE_CURRENT_LIST_DIR}/runprocess.cpp
    ${CMAKE_CURRENT_LIST_DIR}/liverunmodel.h
    ${CMAKE_CURRENT_LIST_DIR}/liverunmodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/livepage.h
    ${CMAKE_CURRENT_LIST_DIR}/livepage.cpp)
