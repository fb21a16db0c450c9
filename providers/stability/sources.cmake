target_sources(t2i_providers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/stabilitydescriptor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/multipart.cpp
    ${CMAKE_CURRENT_LIST_DIR}/stabilityadapter.cpp)
