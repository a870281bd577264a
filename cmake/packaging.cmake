# What `cmake --install` lays out besides the programs, and the Debian
# package `cpack -G DEB` makes of it.
#
# The programs' install() lines sit in their folders: tncd and tncctl in
# sbin, tncclient and tncdump in bin, the children in libexec/tnc (the
# directory tncd is compiled to look in, TNC_LIBEXECDIR).  Here: the
# configuration, the systemd unit, the sysusers.d file, the man pages and the
# package's copyright file.  A package needs a tree configured with
# -DCMAKE_INSTALL_PREFIX=/usr, since the unit names /usr/sbin/tncd and the
# children's directory is compiled in; cpack refuses any other prefix
# (cmake/deb/cpack_checks.cmake).

# tncd reads /etc/tnc/tncd.conf and the unit's ConfigurationDirectory is
# /etc/tnc whatever the prefix, so the file goes there and nowhere else.
set(TNC_CONFIG_DIR /etc/tnc)
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  pkg_get_variable(TNC_DISTRO_UNIT_DIR systemd systemdsystemunitdir)
endif()
if(TNC_DISTRO_UNIT_DIR)
  set(TNC_UNIT_DIR ${TNC_DISTRO_UNIT_DIR})   # /lib/systemd/system on Debian 12
else()
  set(TNC_UNIT_DIR ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
endif()
set(TNC_SYSUSERS_DIR ${CMAKE_INSTALL_PREFIX}/lib/sysusers.d)

# An existing tncd.conf is the administrator's: `cmake --install` leaves it
# alone (the package has dpkg's conffile handling instead).
install(CODE "
  if(EXISTS \"\$ENV{DESTDIR}${TNC_CONFIG_DIR}/tncd.conf\")
    message(STATUS \"Kept: \$ENV{DESTDIR}${TNC_CONFIG_DIR}/tncd.conf\")
  else()
    file(INSTALL DESTINATION \"${TNC_CONFIG_DIR}\" TYPE FILE
      FILES \"${CMAKE_SOURCE_DIR}/etc/tncd.conf\")
  endif()")

# The unit with the sbin directory of this prefix in its command lines.
file(READ ${CMAKE_SOURCE_DIR}/etc/systemd/tncd.service tnc_unit_text)
string(REPLACE "/usr/sbin/tncd" "${CMAKE_INSTALL_FULL_SBINDIR}/tncd" tnc_unit_text
  "${tnc_unit_text}")
file(WRITE ${CMAKE_BINARY_DIR}/etc/tncd.service "${tnc_unit_text}")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/etc/systemd/tncd.service)
install(FILES ${CMAKE_BINARY_DIR}/etc/tncd.service DESTINATION ${TNC_UNIT_DIR})
install(FILES ${CMAKE_SOURCE_DIR}/etc/sysusers.d/tnc.conf DESTINATION ${TNC_SYSUSERS_DIR})
# Examples, not enabled: `tncctl metrics` for node_exporter's textfile collector.
install(FILES ${CMAKE_SOURCE_DIR}/etc/systemd/tnc-metrics.service
  ${CMAKE_SOURCE_DIR}/etc/systemd/tnc-metrics.timer
  DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/tnc/examples)

# Man pages and the changelog go compressed, as Debian wants them.
function(tnc_gzip src dst)
  get_filename_component(dir ${dst} DIRECTORY)
  # -n: no name or time stamp in the header, so the package is reproducible.
  add_custom_command(OUTPUT ${dst}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND gzip -9nc ${src} > ${dst}
    DEPENDS ${src} VERBATIM)
  set(tnc_gz_files ${tnc_gz_files} ${dst} PARENT_SCOPE)
endfunction()

file(GLOB tnc_man_pages CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/man/*.[1-8])
foreach(page ${tnc_man_pages})
  get_filename_component(name ${page} NAME)
  string(REGEX MATCH "[1-8]$" section ${name})
  tnc_gzip(${page} ${CMAKE_BINARY_DIR}/man/${name}.gz)
  install(FILES ${CMAKE_BINARY_DIR}/man/${name}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()

# The changelog's newest entry must be this version.
file(STRINGS ${CMAKE_SOURCE_DIR}/cmake/deb/changelog tnc_changelog_top LIMIT_COUNT 1)
if(NOT tnc_changelog_top MATCHES "^tnc \\(${PROJECT_VERSION}\\) ")
  message(FATAL_ERROR "cmake/deb/changelog starts with '${tnc_changelog_top}': "
    "add an entry for version ${PROJECT_VERSION}")
endif()
tnc_gzip(${CMAKE_SOURCE_DIR}/cmake/deb/changelog ${CMAKE_BINARY_DIR}/deb/changelog.gz)
add_custom_target(compressed_docs ALL DEPENDS ${tnc_gz_files})
install(FILES ${CMAKE_SOURCE_DIR}/cmake/deb/copyright ${CMAKE_BINARY_DIR}/deb/changelog.gz
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CMAKE_SOURCE_DIR}/cmake/deb/lintian-overrides
  DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME tnc)

# The Debian package.  Dependencies: the shared libraries' packages
# (dpkg-shlibdeps) and systemd-sysusers for the users (postinst);
# deb-systemd-helper, which enables the unit, is in an essential package.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tnc)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "privilege-separated TNC server (PB-TNC over PT-TLS)")
set(CPACK_PACKAGE_DESCRIPTION "\
tncd admits an endpoint only after checking its health and integrity
(Trusted Network Connect).  The endpoint reports over PB-TNC (RFC 5793)
inside PT-TLS (RFC 6876); sandboxed validators judge the evidence (operating
system, software inventory, TPM attestation) and a policy turns their
verdicts into allow, isolate or no access.
.
Each stage runs as its own process with its own user, chroot and seccomp
allowlist: tnc-ike (TLS and PT-TLS), tnc-tnccs (the PB-TNC state machine)
and one process per validator, supervised by tncd.  The package also has
the control tool tncctl, the endpoint tncclient and the decoder tncdump.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER
  "tnc maintainers <maintainers@users.noreply.r-seed-f8fb1169.example>")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd-sysusers")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_SOURCE_DIR}/cmake/deb/conffiles
  ${CMAKE_SOURCE_DIR}/cmake/deb/postinst ${CMAKE_SOURCE_DIR}/cmake/deb/prerm
  ${CMAKE_SOURCE_DIR}/cmake/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_SOURCE_DIR}/cmake/deb/cpack_checks.cmake)
include(CPack)
