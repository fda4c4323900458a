// SPDX-License-Identifier: GPL-2.0-only
/*
 * From boot.S to the generic core: read what the loader handed over, bring
 * up the console, descriptor tables, memory, interrupt controllers and time,
 * in that order, then call core_main().
 */
#include <arch/acpi.h>
#include <arch/apic.h>
#include <arch/desc.h>
#include <arch/iommu.h>
#include <arch/percpu.h>
#include <arch/irq.h>
#include <arch/mm.h>
#include <arch/multiboot.h>
#include <arch/time.h>
#include <arch/uart.h>
#include <arch/x86.h>
#include <atoll/arch.h>
#include <atoll/core.h>
#include <atoll/frame.h>
#include <atoll/log.h>
#include <atoll/memmap.h>
#include <atoll/panic.h>
#include <atoll/printk.h>
#include <atoll/resource.h>
#include <atoll/string.h>
#include <atoll/timer.h>
#include <atoll/bootmod.h>

#define LOW_MEMORY_END	0x100000 /* real-mode area, BIOS data, ROMs */
#define BIOS_ROM_START	0xe0000
#define BIOS_ROM_SIZE	0x20000
#define CONSOLE_POLL_NS (20 * NS_PER_MS)

extern char _kernel_phys_start[], _kernel_phys_end[];

static struct boot_info boot_info;
static struct acpi_info acpi_info;
static struct memmap free_memory, ram;
static struct percpu bsp_percpu;
static struct boot_module_desc boot_modules[BOOT_MAX_MODULES];
static struct timer console_poll_timer;

/* Before paging_init() only the first 4 GiB are mapped. */
static const void *boot_map(uint64_t paddr, uint64_t len, void *ctx)
{
	if (paddr >= BOOT_MAPPED_LIMIT || len > BOOT_MAPPED_LIMIT - paddr)
		return NULL;
	return arch_phys_to_virt(pa_init(paddr));
}

static void console_setup(void)
{
	const struct com_config *c = &core_opts.com1;
	struct uart_line line = {
	    .io_base = c->io_base,
	    .baud = c->baud,
	    .data_bits = c->data_bits,
	    .parity = c->parity,
	    .stop_bits = c->stop_bits,
	};

	if (!uart_init(&line))
		pr_warn("console: no UART at %x\n", line.io_base);
	log_set_console_level(core_opts.loglvl);
}

static void read_boot_info(uint32_t magic, uint32_t info_paddr)
{
	enum boot_info_error err =
	    boot_info_parse(magic, info_paddr, boot_map, NULL, &boot_info);

	if (err != BOOT_INFO_OK) {
		core_print_banner("unknown loader", 0);
		panic(
		    "cannot read the boot loader's information (magic %x): %s",
		    magic, boot_info_strerror(err));
	}
}

/* multiboot1 loaders put the kernel's own path first; multiboot2 don't. */
static const char *core_arguments(void)
{
	const char *args = boot_info.cmdline;

	if (boot_info.mb_version != 1)
		return args;
	while (*args && *args != ' ')
		args++;
	return args;
}

static void find_acpi(void)
{
	const uint8_t *rom = boot_map(BIOS_ROM_START, BIOS_ROM_SIZE, NULL);
	const void *rsdp = boot_info.rsdp;
	size_t len = boot_info.rsdp_len, offset;
	enum acpi_error err;

	/* multiboot1 gives no RSDP: look where BIOSes put it. */
	if (!len && boot_find_rsdp_in(rom, BIOS_ROM_SIZE, &offset)) {
		rsdp = rom + offset;
		len = ACPI_RSDP_V2_LEN;
	}
	if (!len) {
		pr_warn("acpi: no RSDP found\n");
		return;
	}
	err = acpi_parse(rsdp, len, boot_map, NULL, &acpi_info);
	if (err != ACPI_OK)
		pr_warn("acpi: %s\n", acpi_strerror(err));
	acpi_log(&acpi_info);
}

static const char *mem_type_name(uint32_t type)
{
	static const char *const names[] = {
	    [BOOT_MEM_AVAILABLE] = "usable",
	    [BOOT_MEM_RESERVED] = "reserved",
	    [BOOT_MEM_ACPI_RECLAIMABLE] = "ACPI data",
	    [BOOT_MEM_NVS] = "ACPI NVS",
	    [BOOT_MEM_BAD] = "bad",
	};

	return type < ARRAY_SIZE(names) && names[type] ? names[type] : "?";
}

/* Usable RAM minus everything already in use. */
static void build_memory_maps(void)
{
	memmap_init(&free_memory);
	memmap_init(&ram);
	for (unsigned i = 0; i < boot_info.mem_count; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		pr_info(" %016llx - %016llx (%s)\n",
			(unsigned long long)r->base,
			(unsigned long long)(r->base + r->length),
			mem_type_name(r->type));
		if (r->type == BOOT_MEM_AVAILABLE) {
			memmap_add(&free_memory, r->base, r->base + r->length);
			memmap_add(&ram, r->base, r->base + r->length);
		}
	}
	memmap_remove(&free_memory, 0, LOW_MEMORY_END);
	memmap_remove(&free_memory, (uint64_t)_kernel_phys_start,
		      (uint64_t)_kernel_phys_end);
	memmap_remove(&free_memory, boot_info.info_start, boot_info.info_end);
	for (unsigned i = 0; i < boot_info.module_count; i++)
		memmap_remove(&free_memory, boot_info.modules[i].start,
			      boot_info.modules[i].end);
}

static void memory_init(void)
{
	uint64_t usable;

	pr_info("memory map from %s:\n", boot_info.loader_name);
	build_memory_maps();
	if (!frame_init(&free_memory, BOOT_MAPPED_LIMIT))
		panic("not enough memory to start (%llu KiB usable)",
		      (unsigned long long)(memmap_total(&ram) >> 10));
	usable = memmap_total(&ram);
	pr_info("memory: %llu MiB usable RAM in %u ranges, %llu frames free "
		"(%llu MiB) after the core and modules\n",
		(unsigned long long)(usable >> 20), ram.count,
		(unsigned long long)frame_free_count(),
		(unsigned long long)(frame_free_count() >> (20 - PAGE_SHIFT)));
	paging_init(&ram);
	if (!(rdmsr(MSR_EFER) & EFER_NXE))
		pr_warn("paging: this CPU has no NX bit; W^X not enforced\n");
	else if (paging_count_wx())
		panic("%llu core pages are both writable and executable",
		      (unsigned long long)paging_count_wx());
}

static void log_modules(void)
{
	pr_info("modules: %u\n", boot_info.module_count);
	for (unsigned i = 0; i < boot_info.module_count; i++) {
		const struct boot_module *m = &boot_info.modules[i];

		pr_info(" module %u: %llx-%llx (%llu bytes) '%s'\n", i,
			(unsigned long long)m->start,
			(unsigned long long)m->end,
			(unsigned long long)(m->end - m->start), m->cmdline);
	}
	if (boot_info.modules_dropped)
		pr_warn("modules: %u more ignored (malformed or too many)\n",
			boot_info.modules_dropped);
}

static void timer_irq(struct cpu_regs *regs)
{
	timer_interrupt();
}

static void com1_irq(struct cpu_regs *regs)
{
	char c;

	while (uart_getc(&c))
		console_input(c);
}

static void console_poll(struct timer *t)
{
	com1_irq(NULL);
	timer_set(t, arch_now_ns() + CONSOLE_POLL_NS);
}

/* Console input by interrupt if the IO APIC can route COM1, else polled. */
static void console_input_init(void)
{
	irq_register(VECTOR_COM1, com1_irq);
	if (core_opts.com1.irq &&
	    ioapic_route_isa_irq(&acpi_info, core_opts.com1.irq, VECTOR_COM1)) {
		uart_enable_rx_irq();
		return;
	}
	pr_info("console: input polled every %llu ms\n",
		(unsigned long long)(CONSOLE_POLL_NS / NS_PER_MS));
	timer_init(&console_poll_timer, console_poll, NULL);
	timer_set(&console_poll_timer, arch_now_ns() + CONSOLE_POLL_NS);
}

/* Keeps isa_irq's GSI for the core, if ACPI can say which it is. */
static void keep_isa_irq(unsigned isa_irq, const char *name)
{
	uint32_t gsi;
	uint16_t flags;

	if (acpi_irq_to_gsi(&acpi_info, isa_irq, &gsi, &flags) == ACPI_OK)
		resource_core_keep(RESOURCE_IRQ, gsi, 1, name);
}

static void keep_mmio(paddr_t pa, uint64_t size, const char *name)
{
	uint64_t first = pa_addr(pa) >> PAGE_SHIFT;
	uint64_t last = (pa_addr(pa) + size - 1) >> PAGE_SHIFT;

	if (first < RESOURCE_MMIO_LIMIT)
		resource_core_keep(
		    RESOURCE_MMIO, (uint32_t)first,
		    (uint32_t)(MIN(last + 1, RESOURCE_MMIO_LIMIT) - first),
		    name);
}

/* MMIO no domain may map: RAM (the core's and every domain's memory), the
 * local APIC and the IO APICs. The IOMMU keeps its register pages itself
 * (iommu.c). Logs where PCI configuration space is (ECAM, for pciback). */
static void keep_core_mmio(void)
{
	const struct acpi_mcfg_info *mc = &acpi_info.mcfg;

	for (unsigned i = 0; i < ram.count; i++)
		keep_mmio(pa_init(ram.ranges[i].start),
			  ram.ranges[i].end - ram.ranges[i].start, "RAM");
	keep_mmio(acpi_info.madt.lapic_addr, PAGE_SIZE, "the local APIC");
	for (unsigned i = 0; i < acpi_info.madt.ioapic_count; i++)
		keep_mmio(acpi_info.madt.ioapics[i].addr, PAGE_SIZE,
			  "an IO APIC");
	for (unsigned i = 0; mc->status == ACPI_OK && i < mc->segment_count;
	     i++)
		pr_info("PCI: segment %u buses %02x-%02x: ECAM at 0x%llx\n",
			mc->segments[i].segment, mc->segments[i].start_bus,
			mc->segments[i].end_bus,
			(unsigned long long)pa_addr(mc->segments[i].base));
}

/* The devices the core drives itself: never delegated (docs/devices.md).
 * The PCI configuration ports, reset included, are left for pciback. */
static void keep_core_devices(void)
{
	resource_core_keep(RESOURCE_IOPORT, core_opts.com1.io_base,
			   COM_PORT_COUNT, "COM1 (the console)");
	resource_core_keep(RESOURCE_IOPORT, PORT_PIT_CH0, PORT_PIT_COUNT,
			   "the PIT");
	resource_core_keep(RESOURCE_IOPORT, PORT_PIC1_CMD, 2, "the PICs");
	resource_core_keep(RESOURCE_IOPORT, PORT_PIC2_CMD, 2, "the PICs");
	resource_core_keep(RESOURCE_IOPORT, PORT_KBD_CTRL, 1,
			   "port 0x61 (PIT gate)");
	resource_core_keep(RESOURCE_IOPORT, PORT_DEBUG_EXIT,
			   PORT_DEBUG_EXIT_SIZE, "isa-debug-exit");
	if (core_opts.com1.irq != COM_IRQ_POLL)
		keep_isa_irq(core_opts.com1.irq, "COM1 (the console)");
	keep_isa_irq(ISA_IRQ_PIT, "the PIT");
	keep_core_mmio();
}

void arch_boot_main(uint32_t magic, uint32_t info_paddr)
{
	time_early_init();
	boot_options_defaults(&core_opts);
	console_setup();
	read_boot_info(magic, info_paddr);
	core_print_banner(boot_info.loader_name, boot_info.mb_version);
	pr_info("command line: %s\n", boot_info.cmdline);
	cmdline_parse(core_arguments(), &core_opts);
	console_setup();
	desc_init_idt();
	percpu_init(&bsp_percpu, 0);
	arch_fpu_init_template();
	find_acpi();
	log_modules();
	memory_init();
	if (!apic_init(&acpi_info))
		panic("no usable local APIC");
	irq_register(VECTOR_APIC_TIMER, timer_irq);
	if (!time_init())
		panic("cannot measure time");
	console_input_init();
	keep_core_devices();
	iommu_init(&acpi_info.dmar);
	for (unsigned i = 0; i < boot_info.module_count; i++)
		boot_modules[i] = (struct boot_module_desc){
		    pa_init(boot_info.modules[i].start),
		    boot_info.modules[i].end - boot_info.modules[i].start,
		    boot_info.modules[i].cmdline,
		};
	arch_irq_enable();
	core_main(boot_modules, boot_info.module_count);
}
