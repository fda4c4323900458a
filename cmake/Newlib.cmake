# SPDX-License-Identifier: GPL-2.0-only
#
# newlib, the domains' C library, built from Debian's newlib-source with the
# host gcc, once per build tree, into ${CMAKE_BINARY_DIR}/newlib. Nothing of
# it is committed.
#
# This file has two roles. Included from the top-level CMakeLists.txt it
# defines the `newlib` target and the domain flags. Run as a script
# (`cmake -P Newlib.cmake`, by that target) it does the unpack, configure,
# build and install, logging each step to newlib/log/<step>.log.
#
# Exports:
#   newlib                    target; every domain target depends on it
#   ATOLL_NEWLIB_INCLUDE      newlib's installed headers
#   ATOLL_NEWLIB_LIBDIR       where libc.a and libm.a are installed
#   ATOLL_NEWLIB_LIBS         libc.a, libm.a and libgcc.a, as one link group
#   ATOLL_DOMAIN_FLAGS        compile flags for domain code (includes newlib)
#   ATOLL_DOMAIN_LINK_FLAGS   link flags for a domain executable

if(CMAKE_SCRIPT_MODE_FILE)
  # Script role. NEWLIB_PARAMS names the file the configure step wrote; it
  # sets NEWLIB_* below and is the build's only trigger besides the tarball.
  include(${NEWLIB_PARAMS})
  cmake_host_system_information(RESULT jobs QUERY NUMBER_OF_LOGICAL_CORES)

  # Runs one step quietly; on failure prints the end of its log and stops.
  function(newlib_step name)
    set(log ${NEWLIB_DIR}/log/${name}.log)
    string(TIMESTAMP now "%H:%M:%S")
    file(APPEND ${NEWLIB_DIR}/log/steps.log "${now} ${name}\n")
    execute_process(COMMAND ${ARGN}
                    WORKING_DIRECTORY ${NEWLIB_DIR}/build
                    OUTPUT_FILE ${log} ERROR_FILE ${log}
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      file(STRINGS ${log} lines)
      list(LENGTH lines count)
      math(EXPR first "${count} - 40")
      if(first LESS 0)
        set(first 0)
      endif()
      list(SUBLIST lines ${first} -1 tail)
      list(JOIN tail "\n" tail)
      # NOTICE prints verbatim; FATAL_ERROR would re-wrap the log lines.
      message(NOTICE "---- end of ${log}\n${tail}\n----")
      message(FATAL_ERROR "newlib ${name} step failed (${rc}), log above")
    endif()
  endfunction()

  # Start clean: this only runs when params.cmake or the tarball changed,
  # and a half-built tree from an earlier failure must not leak in.
  file(REMOVE_RECURSE ${NEWLIB_DIR}/src ${NEWLIB_DIR}/build
       ${NEWLIB_DIR}/install ${NEWLIB_DIR}/log)
  file(MAKE_DIRECTORY ${NEWLIB_DIR}/src ${NEWLIB_DIR}/build
       ${NEWLIB_DIR}/log)

  # The outer make's jobserver is not passed to a custom command; without
  # this the inner make warns and falls back to -j1.
  unset(ENV{MAKEFLAGS})
  unset(ENV{MFLAGS})
  unset(ENV{MAKELEVEL})
  set(ENV{CC_FOR_TARGET} ${NEWLIB_CC})
  set(ENV{AR_FOR_TARGET} ${NEWLIB_AR})
  set(ENV{RANLIB_FOR_TARGET} ${NEWLIB_RANLIB})
  set(ENV{AS_FOR_TARGET} as)
  set(ENV{LD_FOR_TARGET} ld)
  set(ENV{NM_FOR_TARGET} nm)
  set(ENV{OBJDUMP_FOR_TARGET} objdump)
  set(ENV{OBJCOPY_FOR_TARGET} objcopy)
  set(ENV{STRIP_FOR_TARGET} strip)
  # Without readelf, configure decides there is no .init_array support and
  # leaves __libc_init_array out of libc.a.
  set(ENV{READELF_FOR_TARGET} readelf)
  set(ENV{CFLAGS_FOR_TARGET} "${NEWLIB_CFLAGS}")

  # The tarball's top directory is newlib-salsa/; strip it whatever it is.
  newlib_step(unpack tar -xJf ${NEWLIB_TARBALL} -C ${NEWLIB_DIR}/src
              --strip-components=1)
  newlib_step(configure ${NEWLIB_DIR}/src/configure
              --target=x86_64-elf --prefix=${NEWLIB_DIR}/install
              ${NEWLIB_CONFIGURE_OPTIONS})
  newlib_step(build make -j${jobs} all-target-newlib)
  newlib_step(install make install-target-newlib)
  # The sources and objects are only needed to build; keep ~11 MB, not 100.
  file(REMOVE_RECURSE ${NEWLIB_DIR}/src ${NEWLIB_DIR}/build)
  string(TIMESTAMP now "%H:%M:%S")
  file(APPEND ${NEWLIB_DIR}/log/steps.log "${now} done\n")
  file(TOUCH ${NEWLIB_STAMP})
  return()
endif()

set(ATOLL_NEWLIB_TARBALL /usr/src/newlib/newlib-3.3.0.tar.xz)
if(NOT EXISTS ${ATOLL_NEWLIB_TARBALL})
  message(FATAL_ERROR "${ATOLL_NEWLIB_TARBALL} missing: install newlib-source")
endif()

set(ATOLL_NEWLIB_DIR ${CMAKE_BINARY_DIR}/newlib)
set(ATOLL_NEWLIB_INCLUDE ${ATOLL_NEWLIB_DIR}/install/x86_64-elf/include)
set(ATOLL_NEWLIB_LIBDIR ${ATOLL_NEWLIB_DIR}/install/x86_64-elf/lib)
set(ATOLL_NEWLIB_STAMP ${ATOLL_NEWLIB_DIR}/newlib.stamp)

execute_process(COMMAND ${CMAKE_C_COMPILER} -print-libgcc-file-name
                OUTPUT_VARIABLE ATOLL_LIBGCC OUTPUT_STRIP_TRAILING_WHITESPACE)

# Code generation shared by newlib and the domains, so both agree on the ABI.
# Domains run in ring 3 in the lower half (small code model). They have no
# red zone to protect, but upcalls may one day be delivered on the current
# stack, so keep it off. SSE stays on: newlib's printf of floats needs it
# (so the core must switch a domain's FPU/SSE state). No canary (nothing
# sets up %fs for it) and fixed link addresses.
set(ATOLL_DOMAIN_CODEGEN_FLAGS
    -ffreestanding
    -mcmodel=small
    -mno-red-zone
    -fno-stack-protector
    -fno-pie -fno-pic)

# Domain code: newlib's headers first, then the compiler's own (newlib's
# limits.h include_next-s gcc's). -isystem is glued to its path because
# CMake de-duplicates a target's options. Warnings are errors, as in the core.
set(ATOLL_DOMAIN_FLAGS
    -std=gnu11
    ${ATOLL_DOMAIN_CODEGEN_FLAGS}
    -nostdinc
    -isystem${ATOLL_NEWLIB_INCLUDE}
    -isystem${ATOLL_GCC_INCLUDE}
    -fno-omit-frame-pointer
    -O2 -g
    # The runtime provides clock_gettime() with CLOCK_MONOTONIC; newlib's
    # headers declare them only for platforms that say so.
    -D_POSIX_TIMERS=1
    -D_POSIX_MONOTONIC_CLOCK=200112L
    -Wall -Wextra -Werror
    -Wno-unused-parameter)

set(ATOLL_DOMAIN_LINK_FLAGS
    -nostdlib -static -no-pie
    -Wl,-z,max-page-size=0x1000
    -Wl,-z,noexecstack
    -Wl,--build-id=none)

# libm calls into libc (errno) and libc into libgcc: link them as a group.
set(ATOLL_NEWLIB_LIBS
    -Wl,--start-group
    ${ATOLL_NEWLIB_LIBDIR}/libc.a
    ${ATOLL_NEWLIB_LIBDIR}/libm.a
    ${ATOLL_LIBGCC}
    -Wl,--end-group)

string(JOIN " " _newlib_cflags -O2 -g ${ATOLL_DOMAIN_CODEGEN_FLAGS}
       -ffunction-sections -fdata-sections
       -nostdinc -isystem ${ATOLL_GCC_INCLUDE})
# The system calls come from the domain runtime (newlib has none for
# x86_64-elf anyway); long long and C99 formats for printf.
set(_newlib_options
    --disable-multilib --disable-newlib-supplied-syscalls
    --enable-newlib-io-long-long --enable-newlib-io-c99-formats
    --disable-nls)

# Everything the build depends on, written only when it changes: editing a
# comment or the domain flags here leaves newlib alone. Bump RECIPE when
# the script part above changes in a way that needs a rebuild.
file(CONFIGURE OUTPUT ${ATOLL_NEWLIB_DIR}/params.cmake CONTENT "\
set(NEWLIB_RECIPE 1)
set(NEWLIB_DIR [[${ATOLL_NEWLIB_DIR}]])
set(NEWLIB_STAMP [[${ATOLL_NEWLIB_STAMP}]])
set(NEWLIB_TARBALL [[${ATOLL_NEWLIB_TARBALL}]])
set(NEWLIB_CC [[${CMAKE_C_COMPILER}]])
set(NEWLIB_AR [[${CMAKE_AR}]])
set(NEWLIB_RANLIB [[${CMAKE_RANLIB}]])
set(NEWLIB_CFLAGS [[${_newlib_cflags}]])
set(NEWLIB_CONFIGURE_OPTIONS [[${_newlib_options}]])
")

add_custom_command(
  OUTPUT ${ATOLL_NEWLIB_STAMP}
  BYPRODUCTS ${ATOLL_NEWLIB_LIBDIR}/libc.a ${ATOLL_NEWLIB_LIBDIR}/libm.a
  COMMAND ${CMAKE_COMMAND} -DNEWLIB_PARAMS=${ATOLL_NEWLIB_DIR}/params.cmake
          -P ${CMAKE_CURRENT_LIST_FILE}
  DEPENDS ${ATOLL_NEWLIB_TARBALL} ${ATOLL_NEWLIB_DIR}/params.cmake
  COMMENT "Building newlib once per build tree (1-5 min), log in ${ATOLL_NEWLIB_DIR}/log"
  VERBATIM)
add_custom_target(newlib ALL DEPENDS ${ATOLL_NEWLIB_STAMP})
