target_sources(t2i_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/studyresult.cpp
    ${CMAKE_CURRENT_LIST_DIR}/studytypes.cpp
    ${CMAKE_CURRENT_LIST_DIR}/studyrunner.cpp
    ${CMAKE_CURRENT_LIST_DIR}/studytext.cpp
    ${CMAKE_CURRENT_LIST_DIR}/coldstartstudy.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scalingstudy.cpp
    ${CMAKE_CURRENT_LIST_DIR}/capacitystudy.cpp)
