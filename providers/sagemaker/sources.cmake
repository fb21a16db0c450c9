target_sources(t2i_providers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/sagemakerdescriptor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/awserror.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sagemakeradapter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sagemakerpayload.cpp)
