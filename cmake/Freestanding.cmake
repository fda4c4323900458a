# SPDX-License-Identifier: GPL-2.0-only
#
# Compiler flags for code that runs on Atoll rather than on the host.
# Stated once here, with the reason for each.

execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=include
                OUTPUT_VARIABLE ATOLL_GCC_INCLUDE OUTPUT_STRIP_TRAILING_WHITESPACE)

set(ATOLL_FREESTANDING_FLAGS
    -std=gnu11
    -ffreestanding          # no hosted libc assumptions
    -nostdinc               # only our headers and the compiler's own
    -isystem ${ATOLL_GCC_INCLUDE}
    -D_LIBC_LIMITS_H_       # stop gcc's limits.h from include_next-ing a libc
    -fno-stack-protector    # no canary: nothing sets up %fs for it
    -fno-pie -fno-pic       # linked at fixed addresses
    -fno-omit-frame-pointer # frame-pointer backtraces in crash dumps
    -fno-builtin-printf
    -O2 -g
    -Wall -Wextra -Werror
    -Wno-unused-parameter)

# The core: interrupts arrive on the current stack (no red zone), no FPU/SSE
# state is saved on entry (general registers only), linked in the top 2 GiB.
set(ATOLL_CORE_FLAGS
    ${ATOLL_FREESTANDING_FLAGS}
    -mno-red-zone
    -mgeneral-regs-only
    -mcmodel=kernel)

set(ATOLL_CORE_LINK_FLAGS
    -nostdlib -static -no-pie
    -Wl,-z,max-page-size=0x1000
    -Wl,-z,noexecstack
    -Wl,--build-id=none)
