/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The core's image: the multiboot headers and the 32-bit entry at their
 * physical address (1 MiB), everything else linked in the higher half at
 * KERNEL_VBASE + physical. Sections are page-aligned so that text, read-only
 * data and writable data get different page permissions (W^X).
 */
#include <arch/layout.h>

OUTPUT_FORMAT(elf64-x86-64)
OUTPUT_ARCH(i386:x86-64)
ENTRY(_start32)

/* One segment per permission set, so the loaders see no RWX segment. */
PHDRS
{
	boot PT_LOAD FLAGS(5);   /* headers and 32-bit entry code: R X */
	bootdata PT_LOAD FLAGS(6); /* the entry code's data: R W */
	text PT_LOAD FLAGS(5);   /* R X */
	rodata PT_LOAD FLAGS(4); /* R */
	data PT_LOAD FLAGS(6);   /* R W */
}

SECTIONS
{
	. = KERNEL_PHYS_BASE;
	_kernel_phys_start = .;
	.boot : {
		KEEP(*(.multiboot))
		*(.boot.text)
	} :boot
	. = ALIGN(4096);
	.bootdata : {
		*(.boot.data)
	} :bootdata
	. = ALIGN(4096);
	. += KERNEL_VBASE;

	_text = .;
	.text : AT(ADDR(.text) - KERNEL_VBASE) {
		*(.text .text.*)
	} :text
	. = ALIGN(4096);
	_etext = .;

	.rodata : AT(ADDR(.rodata) - KERNEL_VBASE) {
		*(.rodata .rodata.*)
	} :rodata
	. = ALIGN(4096);
	_erodata = .;

	.data : AT(ADDR(.data) - KERNEL_VBASE) {
		*(.data .data.*)
	} :data
	/* The packed-modules descriptor (arch/packed.h): its own section so
	 * that vmctl image pack finds it by name in the ELF file. */
	.atoll_packed : AT(ADDR(.atoll_packed) - KERNEL_VBASE) {
		KEEP(*(.atoll_packed))
	} :data
	.bss : AT(ADDR(.bss) - KERNEL_VBASE) {
		_bss = .;
		*(.bss .bss.*)
		*(COMMON)
	}
	. = ALIGN(4096);
	_kernel_end = .;
	_kernel_phys_end = . - KERNEL_VBASE;

	/DISCARD/ : {
		*(.note .note.*)
		*(.comment)
		*(.eh_frame)
	}
}
