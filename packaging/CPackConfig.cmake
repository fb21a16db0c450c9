# `cpack -G DEB` (or TGZ) in the build folder packages the CLI, the emulator and resources/.
# Debian's dpkg-shlibdeps computes the package's dependencies from the binaries themselves.
set(CPACK_PACKAGE_NAME "t2ibench")
set(CPACK_PACKAGE_VENDOR "t2ibench developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "t2ibench developers <dev@t2ibench.local>")
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
