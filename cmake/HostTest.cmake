# SPDX-License-Identifier: GPL-2.0-only
#
# Host unit tests: generic core and service logic compiled for the host with
# the fake arch, ASan and UBSan, and cmocka. One add_test per binary.

find_path(CMOCKA_INCLUDE_DIR cmocka.h REQUIRED)
find_library(CMOCKA_LIBRARY cmocka REQUIRED)

set(ATOLL_HOST_SANITIZE -fsanitize=address,undefined -fno-sanitize-recover=all)

# atoll_unit_test(NAME SOURCES file... [INCLUDES dir...])
function(atoll_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;INCLUDES" ${ARGN})
  add_executable(${name} ${T_SOURCES} ${ATOLL_ROOT}/tests/unit/fake_core.c)
  target_include_directories(${name} PRIVATE
    ${ATOLL_ROOT}/kernel/include
    ${ATOLL_ROOT}/kernel/arch/fake/include
    ${ATOLL_ROOT}/include
    ${CMOCKA_INCLUDE_DIR}
    ${T_INCLUDES})
  target_compile_options(${name} PRIVATE -std=gnu11 -O1 -g -Wall -Wextra
    -Wno-unused-parameter -DATOLL_HOST_TEST ${ATOLL_HOST_SANITIZE})
  target_link_options(${name} PRIVATE ${ATOLL_HOST_SANITIZE})
  target_link_libraries(${name} PRIVATE ${CMOCKA_LIBRARY})
  add_test(NAME unit.${name} COMMAND ${name})
  set_tests_properties(unit.${name} PROPERTIES LABELS unit TIMEOUT 120)
endfunction()
