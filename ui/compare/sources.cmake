target_sources(t2i_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/summarytables.cpp
    ${CMAKE_CURRENT_LIST_DIR}/comparisonview.cpp)
