/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * First instructions of the core. Both loaders enter here in 32-bit protected
 * mode with paging off: GRUB through the multiboot2 header (EAX = 0x36d76289)
 * and QEMU's -kernel through the multiboot1 header (EAX = 0x2badb002), with
 * EBX pointing at the loader's information structure.
 *
 * We build boot page tables that identity-map and direct-map the first
 * 4 GiB and map the core at KERNEL_VBASE, enter long mode, jump to the higher
 * half and call arch_boot_main(magic, info_paddr).
 */
#include <arch/layout.h>
#include <arch/x86.h>
#include <arch/multiboot.h>

#define PHYS(x) ((x) - KERNEL_VBASE)
#define PT_FLAGS (PTE_P | PTE_W)
#define BOOT_PD_COUNT 4 /* 4 page directories x 1 GiB */
#define BOOT_PAGE_TABLE_PAGES (3 + BOOT_PD_COUNT)

	.section .multiboot, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_HEADER_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_HEADER_ARCH_I386 + (mb2_header_end - mb2_header))
	.balign 8
	.short MB2_HEADER_TAG_END, 0
	.long 8
mb2_header_end:

	.balign 4
mb1_header:
	.long MB1_HEADER_MAGIC
	.long MB1_HEADER_FLAGS
	.long -(MB1_HEADER_MAGIC + MB1_HEADER_FLAGS)

	.section .boot.text, "ax"
	.code32
	.globl _start32
_start32:
	cli
	cld
	movl %eax, PHYS(boot_magic)
	movl %ebx, PHYS(boot_info_paddr)
	movl $PHYS(boot_stack_top), %esp

	call check_long_mode
	call build_boot_page_tables

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3

	/* Long mode, and no-execute if the CPU has it (boot_efer_extra). */
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	orl boot_efer_extra, %eax
	wrmsr

	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP | CR0_PE), %eax
	movl %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $GDT_KERNEL_CS, $start64_low

/* Stops with a message on COM1 if the CPU cannot run 64-bit code. */
check_long_mode:
	movl $CPUID_EXT_MAX, %eax
	cpuid
	cmpl $CPUID_EXT_FEATURES, %eax
	jb no_long_mode
	movl $CPUID_EXT_FEATURES, %eax
	cpuid
	testl $CPUID_EXT_LM, %edx
	jz no_long_mode
	testl $CPUID_EXT_NX, %edx
	jz 1f
	movl $EFER_NXE, boot_efer_extra
1:	ret

no_long_mode:
	movl $no_long_mode_msg, %esi
	movw $0x3f8, %dx
2:	lodsb
	testb %al, %al
	jz 3f
	outb %al, %dx
	jmp 2b
3:	hlt
	jmp 3b

/*
 * pml4[0] and pml4[256] -> pdpt_low: identity map and direct map of 4 GiB;
 * pml4[511] -> pdpt_high: KERNEL_VBASE maps the first 2 GiB.
 * The tables live in .bss; the loader zeroes it, but we don't rely on that.
 */
build_boot_page_tables:
	movl $PHYS(boot_page_tables), %edi
	movl $(BOOT_PAGE_TABLE_PAGES * 1024), %ecx
	xorl %eax, %eax
	rep stosl

	movl $(PHYS(boot_pdpt_low) + PT_FLAGS), %eax
	movl %eax, PHYS(boot_pml4)
	movl %eax, PHYS(boot_pml4) + 256 * 8
	movl $(PHYS(boot_pdpt_high) + PT_FLAGS), %eax
	movl %eax, PHYS(boot_pml4) + 511 * 8

	/* pdpt_low[i] = pd[i]; pdpt_high[510 + i] = pd[i] for i < 2 */
	movl $(PHYS(boot_pd) + PT_FLAGS), %eax
	xorl %ecx, %ecx
4:	movl %eax, PHYS(boot_pdpt_low)(, %ecx, 8)
	addl $4096, %eax
	incl %ecx
	cmpl $BOOT_PD_COUNT, %ecx
	jb 4b
	movl $(PHYS(boot_pd) + PT_FLAGS), %eax
	movl %eax, PHYS(boot_pdpt_high) + 510 * 8
	addl $4096, %eax
	movl %eax, PHYS(boot_pdpt_high) + 511 * 8

	/* pd entries: 2048 x 2 MiB pages covering 0..4 GiB */
	movl $(PTE_P | PTE_W | PTE_PS), %eax
	xorl %ecx, %ecx
5:	movl %eax, PHYS(boot_pd)(, %ecx, 8)
	addl $PAGE_SIZE_2M, %eax
	incl %ecx
	cmpl $(BOOT_PD_COUNT * PT_ENTRIES), %ecx
	jb 5b
	ret

	.code64
start64_low:
	movabsq $start64, %rax
	jmp *%rax

	.section .boot.data, "aw"
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 64-bit kernel code */
	.quad 0x00cf92000000ffff /* kernel data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt
no_long_mode_msg:
	.asciz "Atoll: this CPU has no 64-bit long mode; cannot boot.\r\n"
boot_efer_extra:
	.long 0

	.text
	.code64
start64:
	movw $GDT_KERNEL_DS, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorl %eax, %eax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl boot_magic(%rip), %edi
	movl boot_info_paddr(%rip), %esi
	call arch_boot_main
1:	cli
	hlt
	jmp 1b

	.bss
	.balign 4096
	.globl boot_pml4
boot_page_tables:
boot_pml4:
	.skip 4096
boot_pdpt_low:
	.skip 4096
boot_pdpt_high:
	.skip 4096
boot_pd:
	.skip 4096 * BOOT_PD_COUNT

	.balign 16
	.globl boot_stack_top
boot_stack:
	.skip BOOT_STACK_SIZE
boot_stack_top:

	.balign 4
boot_magic:
	.long 0
boot_info_paddr:
	.long 0

	.section .note.GNU-stack, "", @progbits
