# Warnings are errors everywhere; the code base is small enough to stay clean.
add_compile_options(-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
  -Wmissing-prototypes -Wformat=2 -Wvla -Wno-unused-parameter)
