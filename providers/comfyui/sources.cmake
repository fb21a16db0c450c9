target_sources(t2i_providers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/comfyuidescriptor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/comfyworkflow.cpp
    ${CMAKE_CURRENT_LIST_DIR}/comfyuiadapter.cpp)
