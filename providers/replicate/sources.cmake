target_sources(t2i_providers PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/replicatedescriptor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/isotime.cpp
    ${CMAKE_CURRENT_LIST_DIR}/replicateadapter.cpp)
