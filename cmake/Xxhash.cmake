# SPDX-License-Identifier: GPL-2.0-only
#
# xxHash (Debian's libxxhash-dev), header-only: lib/xxhash/atoll_xxhash.h
# turns on XXH_INLINE_ALL and includes a build-tree copy of xxhash.h. The
# copy exists because freestanding code is built with -nostdinc and must
# not see the rest of /usr/include.
#
# Exports:
#   ATOLL_XXHASH_INCLUDE   include directories for <atoll_xxhash.h>. The
#                          core adds ATOLL_CORE_LIBC_INCLUDE (string.h,
#                          stdlib.h, assert.h stand-ins) as well; host code
#                          and domains use their own libc.
#   ATOLL_XXHASH_VERSION   e.g. 0.8.1

set(_xxhash_header /usr/include/xxhash.h)
if(NOT EXISTS ${_xxhash_header})
  message(FATAL_ERROR "${_xxhash_header} missing: install libxxhash-dev")
endif()

configure_file(${_xxhash_header} ${CMAKE_BINARY_DIR}/xxhash/include/xxhash.h
               COPYONLY)
set(ATOLL_XXHASH_INCLUDE
    ${ATOLL_ROOT}/lib/xxhash
    ${CMAKE_BINARY_DIR}/xxhash/include)

# The stand-in headers are written for 0.8.x (no XXH_NO_STDLIB yet, static
# assertions through <assert.h>); another version deserves a look first.
file(STRINGS ${_xxhash_header} _xxh_version
     REGEX "^#define XXH_VERSION_(MAJOR|MINOR|RELEASE) ")
string(REGEX REPLACE "[^;]* ([0-9]+)[^;]*" "\\1" _xxh_version "${_xxh_version}")
string(JOIN "." ATOLL_XXHASH_VERSION ${_xxh_version})
if(NOT ATOLL_XXHASH_VERSION MATCHES "^0\\.8\\.")
  message(WARNING "xxHash ${ATOLL_XXHASH_VERSION}: atoll_xxhash.h and the "
                  "stand-in headers were checked against 0.8.1 only")
endif()
