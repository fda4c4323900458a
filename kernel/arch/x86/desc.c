// SPDX-License-Identifier: GPL-2.0-only
/*
 * GDT, TSS and IDT. The IDT is shared by all CPUs; each CPU has its own GDT
 * (because the TSS descriptor's busy bit is per CPU) and TSS, with separate
 * interrupt stacks for double fault, NMI and machine check so that those
 * still work on a broken stack.
 */
#include <arch/desc.h>
#include <atoll/string.h>

extern char isr_stubs[];
#define ISR_STUB_SIZE 16

static struct idt_entry idt[IDT_VECTORS] __aligned(16);

struct table_pointer {
	uint16_t limit;
	uint64_t base;
} __packed;

/* Code/data descriptors in long mode only need type, DPL and L bits. */
#define DESC_KERNEL_CODE 0x00af9a000000ffffULL
#define DESC_KERNEL_DATA 0x00cf92000000ffffULL
#define DESC_USER_DATA	 0x00cff2000000ffffULL
#define DESC_USER_CODE	 0x00affa000000ffffULL
#define DESC_TSS_TYPE	 0x89ULL /* present, 64-bit available TSS */

static uint8_t ist_for_vector(unsigned vector)
{
	switch (vector) {
	case X86_EXC_DF:
		return IST_DOUBLE_FAULT;
	case X86_EXC_NMI:
		return IST_NMI;
	case X86_EXC_MC:
		return IST_MACHINE_CHECK;
	default:
		return 0;
	}
}

void desc_init_idt(void)
{
	for (unsigned v = 0; v < IDT_VECTORS; v++) {
		uint64_t addr = (uint64_t)isr_stubs + v * ISR_STUB_SIZE;

		idt[v] = (struct idt_entry){
		    .offset_low = addr & 0xffff,
		    .selector = GDT_KERNEL_CS,
		    .ist = ist_for_vector(v),
		    .type_attr = IDT_TYPE_INTERRUPT_GATE,
		    .offset_mid = (addr >> 16) & 0xffff,
		    .offset_high = addr >> 32,
		};
	}
}

_Static_assert(__builtin_offsetof(struct cpu_desc, io_bitmap) ==
		   __builtin_offsetof(struct cpu_desc, tss) +
		       sizeof(struct tss),
	       "the I/O bitmap follows the TSS");

/* The limit covers the TSS, the I/O bitmap and its closing byte of ones. */
static void set_tss_descriptor(uint64_t *gdt, const struct tss *tss)
{
	uint64_t base = (uint64_t)tss;
	uint64_t limit = sizeof(*tss) + IO_BITMAP_BYTES;

	gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			   (DESC_TSS_TYPE << 40) |
			   (((limit >> 16) & 0xf) << 48) |
			   (((base >> 24) & 0xff) << 56);
	gdt[GDT_TSS / 8 + 1] = base >> 32;
}

static void load_tables(struct cpu_desc *cpu)
{
	struct table_pointer gdtr = {sizeof(cpu->gdt) - 1, (uint64_t)cpu->gdt};
	struct table_pointer idtr = {sizeof(idt) - 1, (uint64_t)idt};

	__asm__ volatile("lgdt %0" : : "m"(gdtr));
	__asm__ volatile("lidt %0" : : "m"(idtr));
	/* Reload CS through a far return, then the data segments and TR. */
	__asm__ volatile("pushq %0\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w1, %%ds\n\t"
			 "movw %w1, %%es\n\t"
			 "movw %w1, %%ss\n\t"
			 "ltr %w2"
			 :
			 : "i"(GDT_KERNEL_CS), "r"(GDT_KERNEL_DS), "r"(GDT_TSS)
			 : "rax", "memory");
}

void desc_load_cpu(struct cpu_desc *cpu)
{
	memset(&cpu->tss, 0, sizeof(cpu->tss));
	cpu->gdt[0] = 0;
	cpu->gdt[GDT_KERNEL_CS / 8] = DESC_KERNEL_CODE;
	cpu->gdt[GDT_KERNEL_DS / 8] = DESC_KERNEL_DATA;
	cpu->gdt[GDT_USER_DS / 8] = DESC_USER_DATA;
	cpu->gdt[GDT_USER_CS / 8] = DESC_USER_CODE;
	set_tss_descriptor(cpu->gdt, &cpu->tss);
	for (unsigned i = 0; i < IST_COUNT; i++)
		cpu->tss.ist[i] = (uint64_t)cpu->ist_stacks[i] + IST_STACK_SIZE;
	/* Every port denied to ring 3 (IOPL stays 0) until a domain that
	 * holds some runs here (ioport.c). */
	memset(cpu->io_bitmap, 0xff, sizeof(cpu->io_bitmap));
	cpu->io_domain = NULL;
	cpu->io_open_count = 0;
	cpu->tss.iomap_base = sizeof(cpu->tss);
	load_tables(cpu);
}

void desc_set_kernel_stack(struct cpu_desc *cpu, uint64_t rsp0)
{
	cpu->tss.rsp[0] = rsp0;
}
