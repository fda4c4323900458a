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
atoll_fuzz_target(fuzz_elf tests/fuzz/fuzz_elf.c lib/elf/elf.c)
