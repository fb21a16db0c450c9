target_sources(t2i_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/adapter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/answerreader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/benchmarkrunner.cpp
    ${CMAKE_CURRENT_LIST_DIR}/coldtracker.cpp
    ${CMAKE_CURRENT_LIST_DIR}/enginejobs.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gpusampler.cpp
    ${CMAKE_CURRENT_LIST_DIR}/imagechecker.cpp
    ${CMAKE_CURRENT_LIST_DIR}/localserver.cpp
    ${CMAKE_CURRENT_LIST_DIR}/phaseplan.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pollscheduler.cpp
    ${CMAKE_CURRENT_LIST_DIR}/remoteaddresses.cpp
    ${CMAKE_CURRENT_LIST_DIR}/requestbudget.cpp
    ${CMAKE_CURRENT_LIST_DIR}/runengine.cpp
    ${CMAKE_CURRENT_LIST_DIR}/runlimits.cpp
    ${CMAKE_CURRENT_LIST_DIR}/spendcap.cpp
    ${CMAKE_CURRENT_LIST_DIR}/spillfile.cpp)
