// SPDX-License-Identifier: GPL-2.0-only
/*
 * The debug console's single-key commands. One table; each part of the core
 * that has state worth dumping adds its row here.
 */
#include <arch/iommu.h>
#include <atoll/core.h>
#include <atoll/frame.h>
#include <atoll/log.h>
#include <atoll/printk.h>
#include <atoll/compiler.h>
#include <atoll/domain_build.h>
#include <atoll/evtchn.h>
#include <atoll/gnttab.h>
#include <atoll/sched.h>

#define CTRL_A 0x01

struct debug_key {
	char key;
	void (*fn)(char key);
	const char *desc;
};

static void key_help(char key);

static void key_memory(char key)
{
	frame_dump();
}

static void key_reboot(char key)
{
	pr_info("'R' pressed: rebooting\n");
	core_stop(CORE_STOP_REBOOT);
}

/* A real fault, not a call to panic(): it tests the exception path too. */
static void key_crash(char key)
{
	volatile uint64_t *unmapped = (volatile uint64_t *)8;

	pr_info("'C' pressed: crashing the hypervisor on purpose\n");
	/* Hide the constant address so the compiler doesn't reject it. */
	__asm__ volatile("" : "+r"(unmapped));
	*unmapped = 0xdead;
}

static const char *const state_names[] = {
    [DOMAIN_RUNNING] = "running",
    [DOMAIN_SHUTDOWN] = "shutdown",
    [DOMAIN_DYING] = "dying",
};

static void dump_domain(struct domain *d, void *ctx)
{
	uint64_t cpu_ns = 0;

	for (unsigned i = 0; i < d->vcpu_count; i++)
		cpu_ns += d->vcpus[i]->runtime_ns;
	pr_info("  d%-3u %-20s %-8s%s %6llu KiB (max %llu) %u vCPU %5llu ms "
		"caps %x\n",
		d->id, d->name, state_names[d->state],
		d->pause_count ? " paused" : "",
		(unsigned long long)(d->tot_pages * 4),
		(unsigned long long)(d->max_pages * 4), d->vcpu_count,
		(unsigned long long)(cpu_ns / 1000000), d->caps);
}

static void key_domains(char key)
{
	pr_info("domains:\n");
	domain_for_each(dump_domain, NULL);
}

static void key_runqueues(char key)
{
	sched_debug_dump();
}

static void key_evtchn(char key)
{
	evtchn_dump();
}

static void key_grants(char key)
{
	gnttab_dump();
}

static void key_iommu(char key)
{
	arch_iommu_dump();
}

static void dump_vcpus(struct domain *d, void *ctx)
{
	for (unsigned i = 0; i < d->vcpu_count; i++) {
		struct vcpu *v = d->vcpus[i];

		pr_info("d%u v%u '%s' %s:\n", d->id, v->id, d->name,
			v == current_vcpu() ? "(running: saved at last entry)"
					    : "");
		arch_dump_guest_regs(d->id, &v->regs);
	}
}

static void key_vcpu_regs(char key)
{
	domain_for_each(dump_vcpus, NULL);
}

static const struct debug_key debug_keys[] = {
    {.key = 'h', .fn = key_help, .desc = "print this help"},
    {.key = 'm',
     .fn = key_memory,
     .desc = "dump memory: free/used frames, allocator state"},
    {.key = 'q', .fn = key_domains, .desc = "dump domains"},
    {.key = 'r', .fn = key_runqueues, .desc = "dump run queues"},
    {.key = 'e', .fn = key_evtchn, .desc = "dump event channels"},
    {.key = 'g', .fn = key_grants, .desc = "dump grant tables"},
    {.key = 'i',
     .fn = key_iommu,
     .desc = "dump the IOMMU: units, assigned devices, DMA faults"},
    {.key = '0', .fn = key_vcpu_regs, .desc = "dump vCPU registers"},
    {.key = 'R', .fn = key_reboot, .desc = "reboot the machine"},
    {.key = 'C',
     .fn = key_crash,
     .desc = "crash the hypervisor (tests crash handling)"},
};

static void key_help(char key)
{
	pr_info("debug console keys (CTRL-A x3 leaves):\n");
	for (size_t i = 0; i < ARRAY_SIZE(debug_keys); i++)
		pr_info("  '%c' %s\n", debug_keys[i].key, debug_keys[i].desc);
}

void debugkey_handle(char key)
{
	if (key == CTRL_A || key == '\r' || key == '\n')
		return;
	for (size_t i = 0; i < ARRAY_SIZE(debug_keys); i++) {
		if (debug_keys[i].key == key) {
			debug_keys[i].fn(key);
			return;
		}
	}
	if (key >= 0x20 && key < 0x7f)
		pr_info("unknown debug key '%c' (h for help)\n", key);
	else
		pr_info("unknown debug key 0x%02x (h for help)\n",
			(unsigned char)key);
}
