target_sources(t2i_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/base64.cpp
    ${CMAKE_CURRENT_LIST_DIR}/childprocess.cpp
    ${CMAKE_CURRENT_LIST_DIR}/image.cpp
    ${CMAKE_CURRENT_LIST_DIR}/openfiles.cpp
    ${CMAKE_CURRENT_LIST_DIR}/resources.cpp
    ${CMAKE_CURRENT_LIST_DIR}/runids.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sigv4.cpp
    ${CMAKE_CURRENT_LIST_DIR}/urlencode.cpp)
