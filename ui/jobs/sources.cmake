target_sources(t2i_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/backgroundjob.h
    ${CMAKE_CURRENT_LIST_DIR}/backgroundjob.cpp)
