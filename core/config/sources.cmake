target_sources(t2i_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/config.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configcheck.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configvalidator.cpp
    ${CMAKE_CURRENT_LIST_DIR}/providervalidator.cpp
    ${CMAKE_CURRENT_LIST_DIR}/providerrules.cpp
    ${CMAKE_CURRENT_LIST_DIR}/workloadvalidator.cpp
    ${CMAKE_CURRENT_LIST_DIR}/prompts.cpp
    ${CMAKE_CURRENT_LIST_DIR}/providerdescriptor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configdocument.cpp)
