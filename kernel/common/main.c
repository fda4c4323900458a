// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic core's start: the banner, and once the arch code has set up
 * the hardware, the boot self-tests (with `testexit`) and the idle loop.
 */
#include <atoll/arch.h>
#include <atoll/bootmodules.h>
#include <atoll/core.h>
#include <atoll/frame.h>
#include <atoll/printk.h>
#include <atoll/timer.h>
#include <atoll/bootmod.h>
#include <atoll/bootmanifest.h>
#include <atoll/domain_build.h>
#include <atoll/sched.h>

#define SELF_TEST_TIMER_NS (10 * NS_PER_MS)

struct boot_options core_opts;

void core_print_banner(const char *loader, unsigned mb_version)
{
	pr_info("Atoll hypervisor %s (x86_64), a disaggregated microkernel\n",
		ATOLL_VERSION);
	if (mb_version)
		pr_info("loaded by %s via multiboot%u\n",
			loader[0] ? loader : "an unnamed loader", mb_version);
}

static void timer_fired(struct timer *t)
{
	*(uint64_t *)t->data = arch_now_ns();
}

/* A one-shot timer must fire, and not before its deadline. */
static bool timer_self_test(void)
{
	volatile uint64_t fired_at = 0;
	struct timer t = {0};
	uint64_t start = arch_now_ns(), deadline = start + SELF_TEST_TIMER_NS;

	timer_init(&t, timer_fired, (void *)&fired_at);
	timer_set(&t, deadline);
	while (!fired_at && arch_now_ns() < deadline + 100 * SELF_TEST_TIMER_NS)
		arch_wait_for_interrupt();
	timer_cancel(&t);
	pr_info("selftest: %llu ms one-shot timer fired after %llu us\n",
		(unsigned long long)(SELF_TEST_TIMER_NS / NS_PER_MS),
		(unsigned long long)((fired_at - start) / NS_PER_US));
	return fired_at >= deadline;
}

static uint64_t frames_free_at_start;

static void run_self_tests(void)
{
	bool frames_ok = frame_self_test();
	bool timer_ok = timer_self_test();

	pr_info("selftest: frame allocator %s (%llu frames free)\n",
		frames_ok ? "ok" : "FAILED",
		(unsigned long long)frame_free_count());
	pr_info("selftest: timer %s\n", timer_ok ? "ok" : "FAILED");
	if (frames_ok && timer_ok) {
		pr_info("testexit: boot self-tests passed\n");
		return;
	}
	pr_err("testexit: boot self-tests FAILED\n");
	arch_test_exit(CORE_EXIT_FAIL);
}

static void count_any(struct domain *d, void *ctx)
{
	++*(unsigned *)ctx;
}

static void count_live(struct domain *d, void *ctx)
{
	if (d->state == DOMAIN_RUNNING)
		++*(unsigned *)ctx;
}

/*
 * With testexit, the run ends when no domain is left running. If every
 * domain was also destroyed, every frame they took must be back.
 */
void core_check_all_done(void)
{
	unsigned live = 0, any = 0;
	uint64_t free_now = frame_free_count();

	if (!core_opts.testexit)
		return;
	domain_for_each(count_live, &live);
	if (live)
		return;
	domain_for_each(count_any, &any);
	pr_info("testexit: no domain left running; %llu frames free, %llu at "
		"start\n",
		(unsigned long long)free_now,
		(unsigned long long)frames_free_at_start);
	if (!any && free_now != frames_free_at_start) {
		pr_err("testexit: %lld frames leaked\n",
		       (long long)(frames_free_at_start - free_now));
		arch_test_exit(CORE_EXIT_FAIL);
	}
	arch_test_exit(CORE_EXIT_PASS);
}

/*
 * A bad manifest or module: nothing was started. Rebooting would only loop,
 * so the core stays up (the debug console works) until someone fixes it.
 */
static void core_bad_boot(void)
{
	pr_err("boot stopped: the manifest or a module is bad; no domain "
	       "started\n");
	if (core_opts.testexit)
		arch_test_exit(CORE_EXIT_BAD_BOOT);
}

void core_main(const struct boot_module_desc *mods, unsigned mod_count)
{
	pr_info("boot complete in %llu ms\n",
		(unsigned long long)(arch_now_ns() / NS_PER_MS));
	if (core_opts.testexit)
		run_self_tests();
	frames_free_at_start = frame_free_count();
	boot_modules_publish(mods, mod_count);
	if (!bootmanifest_present(mods, mod_count))
		pr_info("no boot manifest (module 0 is not a device tree): no "
			"domain to start\n");
	else if (!bootmanifest_start(mods, mod_count))
		core_bad_boot();
	pr_info("debug console: press CTRL-A three times, then h for help\n");
	core_check_all_done();
	sched_start();
}
