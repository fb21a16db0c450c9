target_sources(t2i_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/billing.cpp
    ${CMAKE_CURRENT_LIST_DIR}/budgetpricing.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pricingcatalog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/projection.cpp
    ${CMAKE_CURRENT_LIST_DIR}/runcost.cpp
    ${CMAKE_CURRENT_LIST_DIR}/runcostfor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/workerlifetimes.cpp
    ${CMAKE_CURRENT_LIST_DIR}/launchestimate.cpp)
