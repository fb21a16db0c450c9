target_sources(t2i_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/studyrow.h
    ${CMAKE_CURRENT_LIST_DIR}/studyloader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/studiestablemodel.h
    ${CMAKE_CURRENT_LIST_DIR}/studiestablemodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/studyview.h
    ${CMAKE_CURRENT_LIST_DIR}/studyview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/studiespage.h
    ${CMAKE_CURRENT_LIST_DIR}/studiespage.cpp
    ${CMAKE_CURRENT_LIST_DIR}/studylauncher.h
    ${CMAKE_CURRENT_LIST_DIR}/studylauncher.cpp
    ${CMAKE_CURRENT_LIST_DIR}/runstudydialog.h
    ${CMAKE_CURRENT_LIST_DIR}/runstudydialog.cpp)
