target_sources(t2i_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/reportcontent.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reportpdf.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reporthtml.cpp)
