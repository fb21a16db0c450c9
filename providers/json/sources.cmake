target_sources(t2i_providers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/answertext.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jsondoc.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jsonwriter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/validationerrors.cpp)
