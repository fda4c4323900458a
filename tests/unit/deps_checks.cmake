# SPDX-License-Identifier: GPL-2.0-only
#
# Build-time checks of the third-party libraries (cmake/Newlib.cmake,
# Libfdt.cmake, Xxhash.cmake). Both targets are in ALL and are never run:
# building them is the check.

# newlib_link_check: a domain-style program links against newlib with only
# the system calls listed in newlib_link_check.c.
add_executable(newlib_link_check ${CMAKE_CURRENT_LIST_DIR}/newlib_link_check.c)
add_dependencies(newlib_link_check newlib)
target_compile_options(newlib_link_check PRIVATE ${ATOLL_DOMAIN_FLAGS})
target_link_options(newlib_link_check PRIVATE ${ATOLL_DOMAIN_LINK_FLAGS})
target_link_libraries(newlib_link_check PRIVATE ${ATOLL_NEWLIB_LIBS})

# deps_core_check: xxHash and libfdt compiled with exactly the core's flags,
# partially linked with all of fdt_core and the core's string library; any
# symbol still undefined is something the core would have to provide.
add_library(deps_core_objs OBJECT
  ${CMAKE_CURRENT_LIST_DIR}/deps_core_check.c
  ${ATOLL_ROOT}/kernel/lib/string.c
  ${ATOLL_ROOT}/kernel/arch/x86/mem.c
  ${ATOLL_ROOT}/kernel/lib/vsnprintf.c)
target_compile_options(deps_core_objs PRIVATE ${ATOLL_CORE_FLAGS})
target_include_directories(deps_core_objs PRIVATE ${ATOLL_XXHASH_INCLUDE})
target_link_libraries(deps_core_objs PRIVATE fdt_core)

set(_deps_core_out ${CMAKE_CURRENT_BINARY_DIR}/deps_core_check.o)
add_custom_command(
  OUTPUT ${_deps_core_out}
  COMMAND ${CMAKE_LINKER} -r -o ${_deps_core_out}
          $<TARGET_OBJECTS:deps_core_objs>
          --whole-archive $<TARGET_FILE:fdt_core> --no-whole-archive
  COMMAND ${CMAKE_COMMAND} -E env NM=${CMAKE_NM}
          sh ${CMAKE_CURRENT_LIST_DIR}/check_freestanding.sh
          no-undefined ${_deps_core_out}
  DEPENDS deps_core_objs fdt_core $<TARGET_OBJECTS:deps_core_objs>
          $<TARGET_FILE:fdt_core> ${CMAKE_CURRENT_LIST_DIR}/check_freestanding.sh
  COMMENT "Checking that libfdt and xxHash need nothing else from the core"
  COMMAND_EXPAND_LISTS
  VERBATIM)
add_custom_target(deps_core_check ALL DEPENDS ${_deps_core_out})
