# The hardening Debian builds its packages with (dpkg-buildflags with
# hardening=+all; lintian's binaries/hardening checks): stack protector,
# full RELRO with immediate binding, and _FORTIFY_SOURCE where the compiler
# optimises (glibc warns about it at -O0, which -Werror would make fatal).
# Position-independent executables are Debian gcc's default already.
set(tnc_fortify $<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:-D_FORTIFY_SOURCE=2>)
add_compile_options(-fstack-protector-strong ${tnc_fortify})
add_link_options(-Wl,-z,relro -Wl,-z,now)

# For the folders added after it (tests, fuzz harnesses): their own sources
# are never shipped and call setuid(), chroot() and the like on purpose
# without looking at the result (the sandbox must kill them), which
# fortify's warn_unused_result and -Werror refuse.
macro(tnc_fortify_off)
  get_directory_property(tnc_options COMPILE_OPTIONS)
  list(REMOVE_ITEM tnc_options ${tnc_fortify})
  set_directory_properties(PROPERTIES COMPILE_OPTIONS "${tnc_options}")
endmacro()
