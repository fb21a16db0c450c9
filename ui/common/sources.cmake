target_sources(t2i_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/text.h
    ${CMAKE_CURRENT_LIST_DIR}/icons.h
    ${CMAKE_CURRENT_LIST_DIR}/icons.cpp)
