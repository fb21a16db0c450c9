target_sources(t2i_providers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/httpdescriptor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/httpconfigrules.cpp
    ${CMAKE_CURRENT_LIST_DIR}/httptemplate.cpp
    ${CMAKE_CURRENT_LIST_DIR}/httpadapter.cpp)
