target_sources(t2i_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/configfile.h
    ${CMAKE_CURRENT_LIST_DIR}/configfile.cpp
    ${CMAKE_CURRENT_LIST_DIR}/documentspecs.h
    ${CMAKE_CURRENT_LIST_DIR}/documentspecs.cpp
    ${CMAKE_CURRENT_LIST_DIR}/keyringwriter.h
    ${CMAKE_CURRENT_LIST_DIR}/settingfield.h
    ${CMAKE_CURRENT_LIST_DIR}/settingfield.cpp
    ${CMAKE_CURRENT_LIST_DIR}/settingsform.h
    ${CMAKE_CURRENT_LIST_DIR}/settingsform.cpp
    ${CMAKE_CURRENT_LIST_DIR}/providerform.h
    ${CMAKE_CURRENT_LIST_DIR}/providerform.cpp
    ${CMAKE_CURRENT_LIST_DIR}/setuppage.h
    ${CMAKE_CURRENT_LIST_DIR}/setuppage.cpp
    ${CMAKE_CURRENT_LIST_DIR}/launchestimator.h
    ${CMAKE_CURRENT_LIST_DIR}/launchestimator.cpp
    ${CMAKE_CURRENT_LIST_DIR}/launchpage.h
    ${CMAKE_CURRENT_LIST_DIR}/launchpage.cpp)
