/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Architectural constants of x86_64, each named once, and the small inline
 * instructions the arch code uses. The #defines are safe for assembly.
 */
#ifndef ARCH_X86_H
#define ARCH_X86_H

/* Control registers. */
#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_TS (1 << 3)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)

#define CR4_PSE	       (1 << 4)
#define CR4_PAE	       (1 << 5)
#define CR4_PGE	       (1 << 7)
#define CR4_OSFXSR     (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)

/* Model-specific registers. */
#define MSR_APIC_BASE	   0x1b
#define MSR_EFER	   0xc0000080
#define MSR_STAR	   0xc0000081
#define MSR_LSTAR	   0xc0000082
#define MSR_FMASK	   0xc0000084
#define MSR_FS_BASE	   0xc0000100
#define MSR_GS_BASE	   0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

#define EFER_SCE (1 << 0)
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)

#define APIC_BASE_ENABLE    (1 << 11)
#define APIC_BASE_ADDR_MASK 0xfffff000

/* RFLAGS. */
#define RFLAGS_IF (1 << 9)

/* CPUID leaves and bits. */
#define CPUID_EXT_MAX		 0x80000000
#define CPUID_EXT_FEATURES	 0x80000001
#define CPUID_EXT_LM		 (1 << 29) /* edx: long mode */
#define CPUID_EXT_NX		 (1 << 20) /* edx: no-execute */
#define CPUID_EXT_1GB		 (1 << 26) /* edx: 1 GiB pages */
#define CPUID_1_ECX_X2APIC	 (1 << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1 << 24)
#define CPUID_1_EDX_APIC	 (1 << 9)

/* Segment selectors, in the order SYSCALL/SYSRET require. */
#define GDT_KERNEL_CS 0x08
#define GDT_KERNEL_DS 0x10
#define GDT_USER_DS   0x18
#define GDT_USER_CS   0x20
#define GDT_TSS	      0x28
#define GDT_ENTRIES   7 /* null, kcode, kdata, udata, ucode, tss (2 slots) */
#define SEL_RPL3      3

/* Exception vectors. */
#define X86_EXC_DE    0
#define X86_EXC_DB    1
#define X86_EXC_NMI   2
#define X86_EXC_BP    3
#define X86_EXC_OF    4
#define X86_EXC_BR    5
#define X86_EXC_UD    6
#define X86_EXC_NM    7
#define X86_EXC_DF    8
#define X86_EXC_TS    10
#define X86_EXC_NP    11
#define X86_EXC_SS    12
#define X86_EXC_GP    13
#define X86_EXC_PF    14
#define X86_EXC_MF    16
#define X86_EXC_AC    17
#define X86_EXC_MC    18
#define X86_EXC_XM    19
#define X86_EXC_VE    20
#define X86_EXC_CP    21
#define X86_EXC_COUNT 32

/* Interrupt stack table slots (1-based, as in the TSS). */
#define IST_DOUBLE_FAULT  1
#define IST_NMI		  2
#define IST_MACHINE_CHECK 3
#define IST_COUNT	  3
#define IST_STACK_SIZE	  0x2000

/* Page-fault error code bits. */
#define PF_PRESENT (1 << 0)
#define PF_WRITE   (1 << 1)
#define PF_USER	   (1 << 2)
#define PF_RSVD	   (1 << 3)
#define PF_INSN	   (1 << 4)

/* Page-table entry bits. */
#define PTE_P	      (1ULL << 0)
#define PTE_W	      (1ULL << 1)
#define PTE_U	      (1ULL << 2)
#define PTE_PWT	      (1ULL << 3)
#define PTE_PCD	      (1ULL << 4)
#define PTE_A	      (1ULL << 5)
#define PTE_D	      (1ULL << 6)
#define PTE_PS	      (1ULL << 7)
#define PTE_G	      (1ULL << 8)
#define PTE_NX	      (1ULL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

#define PT_ENTRIES   512
#define PAGE_SIZE_2M 0x200000ULL
#define PAGE_SIZE_1G 0x40000000ULL

/* Legacy I/O ports the core uses. */
#define PORT_PIC1_CMD	     0x20
#define PORT_PIC1_DATA	     0x21
#define PORT_PIC2_CMD	     0xa0
#define PORT_PIC2_DATA	     0xa1
#define PORT_PIT_CH0	     0x40 /* PIT: channels 0-2 and the command port */
#define PORT_PIT_COUNT	     4
#define PORT_PIT_CH2	     0x42
#define PORT_PIT_CMD	     0x43
#define PORT_KBD_CTRL	     0x61 /* system control port B: PIT gate, speaker */
#define PORT_KBD_STATUS	     0x64
#define PORT_RESET_CTRL	     0xcf9
#define PORT_DEBUG_EXIT	     0xf4 /* QEMU isa-debug-exit */
#define PORT_DEBUG_EXIT_SIZE 4
#define ISA_IRQ_PIT	     0

#ifndef __ASSEMBLER__
#include <atoll/types.h>

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v),
			   "d"((uint32_t)(v >> 32)));
}

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#define DEFINE_READ_CR(n)                                                      \
	static inline uint64_t read_cr##n(void)                                \
	{                                                                      \
		uint64_t v;                                                    \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));              \
		return v;                                                      \
	}
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t read_rflags(void)
{
	uint64_t f;

	__asm__ volatile("pushfq; popq %0" : "=r"(f));
	return f;
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

#endif /* __ASSEMBLER__ */
#endif
