# Read by cpack before it builds a package (CPACK_PROJECT_CONFIG_FILE).
# The unit names /usr/sbin/tncd and tncd looks for its children in the
# libexec directory compiled in at configure time, so a package from a tree
# with another prefix would install programs that cannot find each other.
if(CPACK_GENERATOR STREQUAL "DEB" AND NOT CPACK_PACKAGING_INSTALL_PREFIX STREQUAL "/usr")
  message(FATAL_ERROR "the Debian package needs a build tree configured with "
    "-DCMAKE_INSTALL_PREFIX=/usr (this one has ${CPACK_PACKAGING_INSTALL_PREFIX})")
endif()
