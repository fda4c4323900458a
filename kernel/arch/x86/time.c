// SPDX-License-Identifier: GPL-2.0-only
/*
 * Time. The TSC gives monotonic time, the local APIC timer one-shot
 * deadlines. Both rates are measured once at boot against PIT channel 2,
 * whose 1.193182 MHz input is the one clock a PC's rate is known for.
 */
#include <arch/apic.h>
#include <arch/time.h>
#include <arch/x86.h>
#include <atoll/arch.h>
#include <atoll/printk.h>
#include <xen/xen.h>

#define CALIBRATE_MS 10
#define NS_PER_SEC   1000000000ULL

static uint64_t tsc_hz, apic_hz;
static uint64_t tsc_at_boot;
/* ns = (ticks * ns_mult) >> 32, and APIC counts = (ns * apic_mult) >> 32 */
static uint64_t ns_mult, apic_mult;

static uint64_t scale(uint64_t value, uint64_t mult)
{
	return (uint64_t)(((unsigned __int128)value * mult) >> 32);
}

/* Runs PIT channel 2 for CALIBRATE_MS and returns the TSC ticks elapsed;
 * the APIC timer, started at the same moment, tells its own rate. */
static uint64_t measure(uint32_t *apic_counts)
{
	uint16_t pit_ticks = PIT_HZ * CALIBRATE_MS / 1000;
	uint8_t ctrl = inb(PORT_KBD_CTRL);
	uint64_t t0, t1;

	outb(PORT_KBD_CTRL, (ctrl & ~KBD_CTRL_SPEAKER) & ~KBD_CTRL_PIT_GATE);
	outb(PORT_PIT_CMD, PIT_CMD_CH2_MODE0_LOHI);
	outb(PORT_PIT_CH2, pit_ticks & 0xff);
	outb(PORT_PIT_CH2, pit_ticks >> 8);
	apic_timer_start(UINT32_MAX);
	t0 = rdtsc();
	outb(PORT_KBD_CTRL, (ctrl & ~KBD_CTRL_SPEAKER) | KBD_CTRL_PIT_GATE);
	while (!(inb(PORT_KBD_CTRL) & KBD_CTRL_PIT_OUT2))
		cpu_relax();
	t1 = rdtsc();
	*apic_counts = UINT32_MAX - apic_timer_remaining();
	apic_timer_stop();
	outb(PORT_KBD_CTRL, ctrl);
	return t1 - t0;
}

void time_early_init(void)
{
	tsc_at_boot = rdtsc();
}

bool time_init(void)
{
	uint32_t apic_counts;
	uint64_t tsc_ticks = measure(&apic_counts);

	tsc_hz = tsc_ticks * 1000 / CALIBRATE_MS;
	apic_hz = (uint64_t)apic_counts * 1000 / CALIBRATE_MS;
	if (tsc_hz < 1000000 || apic_hz < 1000) {
		pr_err("time: calibration failed (TSC %llu Hz, APIC %llu Hz)\n",
		       (unsigned long long)tsc_hz, (unsigned long long)apic_hz);
		return false;
	}
	ns_mult = (NS_PER_SEC << 32) / tsc_hz;
	apic_mult = (apic_hz << 32) / NS_PER_SEC;
	pr_info("time: TSC %llu.%03llu MHz, APIC timer %llu.%03llu MHz "
		"(against PIT)\n",
		(unsigned long long)(tsc_hz / 1000000),
		(unsigned long long)(tsc_hz / 1000 % 1000),
		(unsigned long long)(apic_hz / 1000000),
		(unsigned long long)(apic_hz / 1000 % 1000));
	return true;
}

uint64_t arch_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t time_apic_timer_hz(void)
{
	return apic_hz;
}

uint64_t arch_now_ns(void)
{
	return ns_mult ? scale(rdtsc() - tsc_at_boot, ns_mult) : 0;
}

void arch_timer_program(uint64_t deadline_ns)
{
	uint64_t now = arch_now_ns(), counts;

	if (!deadline_ns) {
		apic_timer_stop();
		return;
	}
	counts = deadline_ns > now ? scale(deadline_ns - now, apic_mult) : 1;
	/* Far deadlines fire early at the longest count; the timer code
	 * re-arms for what is left. */
	apic_timer_start(counts > UINT32_MAX ? UINT32_MAX : (uint32_t)counts);
}

/* Publishes the TSC-to-ns conversion in a vCPU's vcpu_time_info. */
void arch_time_fill(struct vcpu_time_info *t)
{
	uint64_t mul = ns_mult;
	int8_t shift = 0;

	/* mul must fit 32 bits: a TSC at or below 1 GHz needs a shift. */
	while (mul >= (1ULL << 32)) {
		mul >>= 1;
		shift++;
	}
	__atomic_store_n(&t->version, t->version + 1, __ATOMIC_RELEASE);
	t->tsc_timestamp = rdtsc();
	t->system_time = arch_now_ns();
	t->tsc_to_system_mul = (uint32_t)mul;
	t->tsc_shift = shift;
	t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
	__atomic_store_n(&t->version, t->version + 1, __ATOMIC_RELEASE);
}
