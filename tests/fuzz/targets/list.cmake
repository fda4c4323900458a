# SPDX-License-Identifier: GPL-2.0-only
#
# The fuzz targets, one line each: the target's name, then its sources
# relative to the repository root (tests/unit/fake_core.c is added to all).
# A target is skipped until all its sources exist. Read both by
# tests/fuzz/CMakeLists.txt (ctest entries) and by targets/CMakeLists.txt
# (the clang build), which define atoll_fuzz_target() to suit themselves.
# A seed corpus goes in tests/fuzz/corpus/<name>/, an optional libFuzzer
# dictionary in tests/fuzz/corpus/<name>.dict.

atoll_fuzz_target(fuzz_cmdline tests/fuzz/fuzz_cmdline.c kernel/common/cmdline.c)
atoll_fuzz_target(fuzz_multiboot tests/fuzz/fuzz_multiboot.c kernel/arch/x86/multiboot.c)
atoll_fuzz_target(fuzz_acpi tests/fuzz/fuzz_acpi.c kernel/arch/x86/acpi.c)
atoll_fuzz_target(fuzz_dmar tests/fuzz/fuzz_dmar.c kernel/arch/x86/acpi.c)
atoll_fuzz_target(fuzz_elf tests/fuzz/fuzz_elf.c lib/elf/elf.c)
atoll_fuzz_target(fuzz_manifest tests/fuzz/fuzz_manifest.c
  lib/manifest/manifest_parse.c lib/manifest/manifest_props.c
  lib/manifest/manifest_check.c)
# fuzz_manifest also needs libfdt, whose sources live in a build tree, not
# the repository: the clang project extracts its own copy through
# cmake/Libfdt.cmake and builds it instrumented. (Its fdt_core, with a
# placeholder for the core's flags, is never built here.)
if(PROJECT_NAME STREQUAL "atoll_fuzz" AND TARGET fuzz_manifest)
  set(ATOLL_CORE_FLAGS -O1)
  include(${ATOLL_ROOT}/cmake/Libfdt.cmake)
  set_target_properties(fdt_core PROPERTIES EXCLUDE_FROM_ALL ON)
  atoll_add_libfdt(fdt_fuzz FLAGS -O1 -g
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all)
  target_link_libraries(fuzz_manifest PRIVATE fdt_fuzz)
  target_include_directories(fuzz_manifest PRIVATE
    ${ATOLL_ROOT}/lib/manifest ${ATOLL_ROOT}/include/public)
endif()
atoll_fuzz_target(fuzz_xenstore tests/fuzz/fuzz_xenstore.c
  xenstore-stubdom/core/xs_conn.c xenstore-stubdom/core/xs_domain.c
  xenstore-stubdom/core/xs_ops.c xenstore-stubdom/core/xs_ops_conn.c
  xenstore-stubdom/core/xs_proto.c xenstore-stubdom/core/xs_quota.c
  xenstore-stubdom/core/xs_store.c xenstore-stubdom/core/xs_tree.c
  xenstore-stubdom/core/xs_txn.c xenstore-stubdom/core/xs_util.c
  xenstore-stubdom/core/xs_watch.c)
# The XenStore core includes xs_store.h and <xen/io/xs_wire.h>.
if(PROJECT_NAME STREQUAL "atoll_fuzz" AND TARGET fuzz_xenstore)
  target_include_directories(fuzz_xenstore PRIVATE
    ${ATOLL_ROOT}/xenstore-stubdom/core ${ATOLL_ROOT}/include/public)
endif()
atoll_fuzz_target(fuzz_xlcfg tests/fuzz/fuzz_xlcfg.c lib/xlcfg/xlcfg.c)
if(PROJECT_NAME STREQUAL "atoll_fuzz" AND TARGET fuzz_xlcfg)
  target_include_directories(fuzz_xlcfg PRIVATE ${ATOLL_ROOT}/lib/xlcfg)
endif()
# vmctl's readers of ctld's replies (and its frame reader with resync).
atoll_fuzz_target(fuzz_mgmt_reply tests/fuzz/fuzz_mgmt_reply.c
  toolstack/vmctl/mgmt_reply.c toolstack/vmctl/mgmt.c
  toolstack/vmctl/util.c lib/wire/wire.c)
if(PROJECT_NAME STREQUAL "atoll_fuzz" AND TARGET fuzz_mgmt_reply)
  target_include_directories(fuzz_mgmt_reply PRIVATE
    ${ATOLL_ROOT}/toolstack/vmctl ${ATOLL_ROOT}/lib/wire
    ${ATOLL_ROOT}/include/public)
endif()
# pciback: dev-N strings and configuration requests from other domains.
atoll_fuzz_target(fuzz_pci tests/fuzz/fuzz_pci.c pciback-dom/pci_logic.c)
if(PROJECT_NAME STREQUAL "atoll_fuzz" AND TARGET fuzz_pci)
  target_include_directories(fuzz_pci PRIVATE ${ATOLL_ROOT}/pciback-dom
    ${ATOLL_ROOT}/stubdoms/runtime/include)
endif()
