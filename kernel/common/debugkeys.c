// SPDX-License-Identifier: GPL-2.0-only
/*
 * The debug console's single-key commands. One table; each part of the core
 * that has state worth dumping adds its row here.
 */
#include <atoll/core.h>
#include <atoll/frame.h>
#include <atoll/log.h>
#include <atoll/printk.h>
#include <atoll/compiler.h>

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

static const struct debug_key debug_keys[] = {
	{ .key = 'h', .fn = key_help, .desc = "print this help" },
	{ .key = 'm', .fn = key_memory,
	  .desc = "dump memory: free/used frames, allocator state" },
	{ .key = 'R', .fn = key_reboot, .desc = "reboot the machine" },
	{ .key = 'C', .fn = key_crash,
	  .desc = "crash the hypervisor (tests crash handling)" },
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
