target_sources(t2i_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/reportcontent.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reportpdf.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reporthtml.cpp
    ${CMAKE_CURRENT_LIST_DIR}/studyreport.h
    ${CMAKE_CURRENT_LIST_DIR}/studyreport.cpp)
