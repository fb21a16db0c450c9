target_sources(t2i_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/runsummarypanel.h
    ${CMAKE_CURRENT_LIST_DIR}/runsummarypanel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/rundetailpage.h
    ${CMAKE_CURRENT_LIST_DIR}/rundetailpage.cpp)
