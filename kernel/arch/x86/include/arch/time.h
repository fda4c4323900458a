/* SPDX-License-Identifier: GPL-2.0-only */
/* TSC time and the local APIC one-shot timer, calibrated with the PIT. */
#ifndef ARCH_TIME_H
#define ARCH_TIME_H

#include <atoll/types.h>
#include <atoll/compiler.h>

#define PIT_HZ		       1193182
#define PIT_CMD_CH2_MODE0_LOHI 0xb0
#define KBD_CTRL_PIT_GATE      0x01
#define KBD_CTRL_SPEAKER       0x02
#define KBD_CTRL_PIT_OUT2      0x20

/* Marks time zero: called first thing at boot. */
void time_early_init(void);
/* Measures the TSC and APIC timer rates against the PIT. */
bool time_init(void) __must_check;
uint64_t time_apic_timer_hz(void);

#endif
