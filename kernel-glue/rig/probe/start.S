/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The probe's entry at EL1, MMU off: stack, .bss cleared, an identity map (1 GiB
 * blocks: the first GiB device memory, the second, holding RAM and the LPT page, normal
 * write-back cacheable memory), MMU and caches on, then probe_main(). Modelled on
 * kvm-unit-tests' arm/cstart64.S, reduced to what the probe needs.
 */
	.section .text.start, "ax"
	.global _start
_start:
	ldr	x0, =stack_top
	mov	sp, x0
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:
	/* Level 1 table, 4 KiB granule, 39-bit VA: entry n maps [n GiB, n+1 GiB). */
	ldr	x0, =pgtable
	mov	x1, #0x401		/* block, AF, AttrIndx 0 (device nGnRnE) */
	str	x1, [x0]
	mov	x1, #0x40000000
	mov	x2, #0x705		/* block, AF, inner shareable, AttrIndx 1 (normal WB) */
	orr	x1, x1, x2
	str	x1, [x0, #8]
	dsb	sy
	msr	ttbr0_el1, x0
	ldr	x1, =0xff00		/* attr0 device nGnRnE, attr1 normal WB RW-allocate */
	msr	mair_el1, x1
	/* T0SZ 25, IRGN0/ORGN0 WB, SH0 inner, TG0 4K, EPD1, IPS 32 bits */
	ldr	x1, =(25 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23))
	msr	tcr_el1, x1
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mrs	x1, sctlr_el1
	orr	x1, x1, #(1 << 0)	/* M */
	orr	x1, x1, #(1 << 2)	/* C */
	orr	x1, x1, #(1 << 12)	/* I */
	msr	sctlr_el1, x1
	isb
	bl	probe_main
3:	wfi
	b	3b

	.section .bss
	.balign	4096
pgtable:
	.space	4096
	.space	16384
stack_top:
