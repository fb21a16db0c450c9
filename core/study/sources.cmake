target_sources(t2i_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/studyresult.cpp
    ${CMAKE_CURRENT_LIST_DIR}/studytypes.cpp
    ${CMAKE_CURRENT_LIST_DIR}/studyrunner.cpp
    ${CMAKE_CURRENT_LIST_DIR}/studytext.cpp
    ${CMAKE_CURRENT_LIST_DIR}/studysummary.cpp
    ${CMAKE_CURRENT_LIST_DIR}/coldstartstudy.cpp
    ${CMAKE_CURRENT_LIST_DIR}/idletimeoutstudy.cpp
    ${CMAKE_CURRENT_LIST_DIR}/prewarmstudy.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scalingstudy.cpp
    ${CMAKE_CURRENT_LIST_DIR}/capacitystudy.cpp
    ${CMAKE_CURRENT_LIST_DIR}/saturationstudy.cpp
    ${CMAKE_CURRENT_LIST_DIR}/deploycommand.cpp
    ${CMAKE_CURRENT_LIST_DIR}/deploystudy.cpp
    ${CMAKE_CURRENT_LIST_DIR}/localstartstudy.cpp)
