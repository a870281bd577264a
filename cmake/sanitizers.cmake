# ASan+UBSan build: -DTNC_SANITIZE=ON. Sandboxed children know about it
# (TNC_SANITIZED) because ASan needs a larger address space and a few more
# syscalls than the production seccomp allowlists grant.
if(TNC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
  add_compile_definitions(TNC_SANITIZED=1)
endif()

# libFuzzer build: everything carries coverage instrumentation and ASan/UBSan;
# only the harnesses link libFuzzer's main (fuzz/CMakeLists.txt).
if(TNC_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
  add_compile_definitions(TNC_SANITIZED=1)
endif()
