# SPDX-License-Identifier: GPL-2.0-only
#
# libfdt (DTC 1.6.1), compiled from source with each user's own flags.
#
# Debian's libfdt.a is hardened and PIC (stack canaries read through %fs),
# so it cannot go into the core. Its sources ship in linux-source-6.1; the
# build extracts scripts/dtc/libfdt/*.[ch] once per build tree into
# ${CMAKE_BINARY_DIR}/libfdt/src. Extracting at build time, not configure
# time, keeps every (re)configure fast and overlaps with the newlib build.
#
# Exports:
#   atoll_add_libfdt(<target> FLAGS <flags...> [INCLUDES <dirs...>]
#                    [DEPENDS <targets...>])
#       a static library of libfdt built with FLAGS; INCLUDES are the libc
#       headers libfdt_env.h needs (stdint, stddef, stdlib, string, limits)
#       and are passed on, with libfdt's own directory, to whoever links it.
#       DEPENDS names targets that must be built first (e.g. newlib).
#   fdt_core                  libfdt for the core (ATOLL_CORE_FLAGS)
#   ATOLL_CORE_LIBC_INCLUDE   the core's stand-in libc headers, plus
#                             kernel/include that they forward to
#   ATOLL_LIBFDT_INCLUDE      where libfdt.h, fdt.h, libfdt_env.h end up
#   libfdt_sources            target that extracts the sources

set(ATOLL_LINUX_TARBALL /usr/src/linux-source-6.1.tar.xz)
if(NOT EXISTS ${ATOLL_LINUX_TARBALL})
  message(FATAL_ERROR "${ATOLL_LINUX_TARBALL} missing: install linux-source-6.1")
endif()

set(ATOLL_LIBFDT_INCLUDE ${CMAKE_BINARY_DIR}/libfdt/src)
set(ATOLL_CORE_LIBC_INCLUDE
    ${ATOLL_ROOT}/lib/freestanding/include
    ${ATOLL_ROOT}/kernel/include)

set(_libfdt_names
    fdt.c fdt_addresses.c fdt_empty_tree.c fdt_overlay.c fdt_ro.c fdt_rw.c
    fdt_strerror.c fdt_sw.c fdt_wip.c
    fdt.h libfdt.h libfdt_env.h libfdt_internal.h)
list(TRANSFORM _libfdt_names PREPEND linux-source-6.1/scripts/dtc/libfdt/
     OUTPUT_VARIABLE _libfdt_members)
list(TRANSFORM _libfdt_names PREPEND ${ATOLL_LIBFDT_INCLUDE}/
     OUTPUT_VARIABLE _libfdt_files)
set(ATOLL_LIBFDT_SOURCES ${_libfdt_files})
list(FILTER ATOLL_LIBFDT_SOURCES INCLUDE REGEX "\\.c$")

# Naming the members lets --occurrence stop reading the 138 MB tarball once
# all are found; --touch dates them now so make sees them as fresh. The
# stamp comes last, so an interrupted extraction is redone.
add_custom_command(
  OUTPUT ${_libfdt_files} ${ATOLL_LIBFDT_INCLUDE}/extracted.stamp
  COMMAND ${CMAKE_COMMAND} -E make_directory ${ATOLL_LIBFDT_INCLUDE}
  COMMAND tar -xJf ${ATOLL_LINUX_TARBALL} -C ${ATOLL_LIBFDT_INCLUDE}
          --strip-components=4 --touch --occurrence ${_libfdt_members}
  COMMAND ${CMAKE_COMMAND} -E touch ${ATOLL_LIBFDT_INCLUDE}/extracted.stamp
  DEPENDS ${ATOLL_LINUX_TARBALL}
  COMMENT "Extracting libfdt from linux-source-6.1 (once per build tree)"
  VERBATIM)
add_custom_target(libfdt_sources
  DEPENDS ${_libfdt_files} ${ATOLL_LIBFDT_INCLUDE}/extracted.stamp)

function(atoll_add_libfdt name)
  cmake_parse_arguments(F "" "" "FLAGS;INCLUDES;DEPENDS" ${ARGN})
  if(NOT F_FLAGS)
    message(FATAL_ERROR "atoll_add_libfdt(${name}): FLAGS required")
  endif()
  # The extraction rule lives in the top directory; callers elsewhere only
  # need to know that the files will exist once libfdt_sources has run.
  set_source_files_properties(${ATOLL_LIBFDT_SOURCES} PROPERTIES GENERATED TRUE)
  add_library(${name} STATIC ${ATOLL_LIBFDT_SOURCES})
  add_dependencies(${name} libfdt_sources ${F_DEPENDS})
  target_compile_options(${name} PRIVATE ${F_FLAGS})
  target_include_directories(${name} PUBLIC ${ATOLL_LIBFDT_INCLUDE}
                             ${F_INCLUDES})
endfunction()

atoll_add_libfdt(fdt_core FLAGS ${ATOLL_CORE_FLAGS}
                 INCLUDES ${ATOLL_CORE_LIBC_INCLUDE})
