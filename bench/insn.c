// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * insn: one out-of-line function per conversion, for counting instructions: under
 * valgrind --tool=callgrind (dynamic, per call) and by disassembly (static, per
 * architecture). bench/run.sh drives both.
 *
 * usage: insn SCHEME CALLS    (SCHEME: an index into the list printed by "insn list")
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lpt/page_reader.h>
#include <lpt/page_writer.h>

#include "peers.h"

#define NOINLINE __attribute__((noinline))

NOINLINE uint64_t insn_clocksource(const struct bench_peer *p, uint64_t x);
NOINLINE uint64_t insn_kvmclock(const struct bench_peer *p, uint64_t x);
NOINLINE uint64_t insn_hyperv(const struct bench_peer *p, uint64_t x);
NOINLINE uint64_t insn_tsc_ratio(const struct bench_peer *p, uint64_t x);
NOINLINE uint64_t insn_rfc(const struct bench_peer *p, uint64_t x);
NOINLINE uint64_t insn_double(const struct bench_peer *p, uint64_t x);
NOINLINE uint64_t insn_exact(const struct bench_peer *p, uint64_t x);
NOINLINE uint64_t insn_exact_ceil(const struct bench_peer *p, uint64_t x);
NOINLINE uint64_t insn_page_read(struct lpt_reader *r, uint64_t x);
NOINLINE uint64_t insn_kvmclock_read(const struct bench_pvclock *src, uint64_t x);

uint64_t insn_clocksource(const struct bench_peer *p, uint64_t x) { return bench_conv_clocksource(p, x); }
uint64_t insn_kvmclock(const struct bench_peer *p, uint64_t x) { return bench_conv_kvmclock(p, x); }
uint64_t insn_hyperv(const struct bench_peer *p, uint64_t x) { return bench_conv_hyperv(p, x); }
uint64_t insn_tsc_ratio(const struct bench_peer *p, uint64_t x) { return bench_conv_tsc_ratio(p, x); }
uint64_t insn_rfc(const struct bench_peer *p, uint64_t x) { return bench_conv_rfc(p, x); }
uint64_t insn_double(const struct bench_peer *p, uint64_t x) { return bench_conv_double(p, x); }
uint64_t insn_exact(const struct bench_peer *p, uint64_t x) { return bench_conv_exact(p, x); }
uint64_t insn_exact_ceil(const struct bench_peer *p, uint64_t x) { return lpt_scale_ceil(&p->exact, x); }
/*
 * The counter read, excluded from the count: the value travels in the argument
 * register (64-bit targets), as an MRS would leave it in a register.
 */
static inline uint64_t insn_counter_read(const void *ctx)
{
	return (uint64_t)(uintptr_t)ctx;
}

/* The whole page read, the counter read aside; @x is the counter's value. */
uint64_t insn_page_read(struct lpt_reader *r, uint64_t x)
{
	uint64_t pv;

	return lpt_reader_read(r, insn_counter_read, (const void *)(uintptr_t)x, false, &pv) ?
	       0 : pv;
}

uint64_t insn_kvmclock_read(const struct bench_pvclock *src, uint64_t x)
{
	return bench_read_kvmclock(src, x);
}

static union {
	struct lpt_page_rev1 rev1;
	unsigned char b[LPT_PAGE_REV1_SIZE];
} page __attribute__((aligned(LPT_PAGE_ALIGN)));

int main(int argc, char **argv)
{
	static const struct {
		const char *fn, *label;
		enum bench_peer_id id;
		uint64_t from, to;
	} s[] = {
		{ "insn_clocksource", "Linux mult/shift, one multiply", PEER_CLOCKSOURCE, 19200000, 1000000000 },
		{ "insn_kvmclock", "kvmclock", PEER_KVMCLOCK, 19200000, 1000000000 },
		{ "insn_hyperv", "Hyper-V page (KVM's alike)", PEER_HYPERV, 1000000000, 19200000 },
		{ "insn_tsc_ratio", "TSC ratio (VMX; SVM alike)", PEER_VMX, 19200000, 1000000000 },
		{ "insn_rfc", "LPT RFC (rev 0)", PEER_RFC, 19200000, 1000000000 },
		{ "insn_double", "double", PEER_DOUBLE, 19200000, 1000000000 },
		{ "insn_exact", "liblpt lpt_scale_floor", PEER_EXACT, 19200000, 1000000000 },
		{ "insn_exact_ceil", "liblpt lpt_scale_ceil", PEER_EXACT, 19200000, 1000000000 },
		{ "insn_page_read", "liblpt page read (lpt_reader_read)", PEER_EXACT,
		  19200000, 1000000000 },
		{ "insn_kvmclock_read", "kvmclock page read (pvclock_clocksource_read)", PEER_KVMCLOCK,
		  19200000, 1000000000 },
	};
	unsigned int n = sizeof(s) / sizeof(s[0]), k;
	uint64_t calls, acc = 0, x = 0x4c5054;
	struct bench_peer p;
	struct lpt_reader r;
	struct bench_pvclock pvti = { 0 };

	if (argc == 2 && !strcmp(argv[1], "list")) {
		for (k = 0; k < n; k++)
			printf("%u %s %s\n", k, s[k].fn, s[k].label);
		return 0;
	}
	if (argc != 3 || (k = (unsigned int)atoi(argv[1])) >= n)
		return 2;
	calls = strtoull(argv[2], NULL, 0);
	bench_peer_init(&p, s[k].id, s[k].from, s[k].to);
	pvti.version = 2;
	pvti.tsc_to_system_mul = (uint32_t)p.mult;
	pvti.tsc_shift = (int8_t)p.shift;
	pvti.flags = BENCH_PVCLOCK_TSC_STABLE_BIT;
	{
		struct lpt_map m;
		struct lpt_page_fields f;

		if (lpt_map_init(&m, 19200000, 1000000000, 64, 0, 0) ||
		    lpt_page_fields_rev1(&f, &m, &m, 1) || lpt_page_publish(&page, sizeof(page), &f) ||
		    lpt_reader_init(&r, &page, sizeof(page)))
			return 1;
		insn_page_read(&r, 1); /* the first read validates the page */
	}
	for (uint64_t i = 0; i < calls; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		switch (k) {
		case 0: acc += insn_clocksource(&p, x >> 8); break;
		case 1: acc += insn_kvmclock(&p, x >> 8); break;
		case 2: acc += insn_hyperv(&p, x >> 8); break;
		case 3: acc += insn_tsc_ratio(&p, x >> 8); break;
		case 4: acc += insn_rfc(&p, x >> 8); break;
		case 5: acc += insn_double(&p, x >> 8); break;
		case 6: acc += insn_exact(&p, x >> 8); break;
		case 7: acc += insn_exact_ceil(&p, x >> 8); break;
		case 8: acc += insn_page_read(&r, x >> 8); break;
		default: acc += insn_kvmclock_read(&pvti, x >> 8); break;
		}
	}
	printf("%s %llu\n", s[k].fn, (unsigned long long)(acc & 1));
	return 0;
}
