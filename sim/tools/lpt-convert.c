// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * lpt-convert: the scale between a native counter frequency and a PV frequency, and
 * counter values converted both ways, exactly.
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <lpt/lpt.h>

#include "page-cmd.h"
#include "parse.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lpt-convert NATIVE_HZ PV_HZ [VALUE...]\n"
		"       lpt-convert evtstrm PV_HZ [NATIVE_HZ...]\n"
		"       lpt-convert page decode FILE\n"
		"       lpt-convert page encode --revision R --native-hz N --pv-hz P ... -o FILE\n"
		"\n"
		"Prints the exact scales between a native counter of NATIVE_HZ and a PV counter of\n"
		"PV_HZ, then for each VALUE the PV count of that many native ticks (rounded down)\n"
		"and the native count needed to reach that many PV ticks (rounded up: the first\n"
		"native tick at which a PV compare value is met); a result beyond 2^64 - 1 is said\n"
		"not to fit (exit status 1).\n"
		"\n"
		"Frequencies: Hz, or with k, M, G (and optionally Hz): 19.2M, 62.5MHz, 1G.\n"
		"Values: decimal, or hexadecimal with 0x. Frequencies range from 1 Hz to 2^40 Hz.\n"
		"\n"
		"evtstrm: the event stream a Linux guest on a PV_HZ counter programs at boot (10 kHz\n"
		"target), and on each host (default: the real counter rates) the period without\n"
		"translation and with liblpt's, without and with FEAT_ECV, as a markdown table.\n"
		"\n"
		"page decode: every field of an LPT page image (either revision), one name=value a\n"
		"line, then valid=yes, or valid=no and the error's name. page encode --help for\n"
		"writing one.\n");
}

static void print_scale(const char *name, const struct lpt_scale *s)
{
	printf("%s.whole=%llu\n", name, (unsigned long long)s->whole);
	printf("%s.frac=0x%016llx%016llx\n", name, (unsigned long long)s->frac_hi,
	       (unsigned long long)s->frac_lo);
}

static const uint64_t real_hz[] = {
	19200000, 24000000, 25000000, 50000000, 62500000, 100000000, 200000000, 1000000000,
};

static void print_us(uint64_t ps)
{
	printf(" %llu.%03llu |", (unsigned long long)(ps / 1000000),
	       (unsigned long long)(ps / 1000 % 1000));
}

#define EVTSTRM_HZ	10000	/* the stream Linux asks for */

/* A frequency for the evtstrm table: in range, and at least the stream's. */
static int evtstrm_hz(const char *what, const char *arg, uint64_t *hz)
{
	if (lpt_parse_hz(arg, hz) || !lpt_freq_valid(*hz)) {
		fprintf(stderr, "lpt-convert: evtstrm: %s '%s' is not a frequency from 1 Hz to "
			"2^40 Hz\n", what, arg);
		return -1;
	}
	if (*hz < EVTSTRM_HZ) {
		fprintf(stderr, "lpt-convert: evtstrm: %s %llu Hz is below the 10 kHz event "
			"stream Linux asks for\n", what, (unsigned long long)*hz);
		return -1;
	}
	return 0;
}

static int evtstrm_table(int argc, char **argv)
{
	uint64_t pv_hz, hosts[64];
	int nhosts = 0;

	if (argc < 1) {
		usage(stderr);
		return 2;
	}
	if (argc > 1 + 64) {
		fprintf(stderr, "lpt-convert: evtstrm: at most 64 hosts\n");
		return 2;
	}
	if (evtstrm_hz("PV_HZ", argv[0], &pv_hz))
		return 2;
	for (int i = 1; i < argc; i++)
		if (evtstrm_hz("native", argv[i], &hosts[nhosts++]))
			return 2;
	if (!nhosts)
		for (unsigned int i = 0; i < sizeof(real_hz) / sizeof(real_hz[0]); i++)
			hosts[nhosts++] = real_hz[i];

	printf("| host | ECV | guest bit | untranslated period (us) | native bit | period (us) | ratio |\n");
	printf("|---|---|---|---|---|---|---|\n");
	for (int h = 0; h < nhosts; h++)
		for (int ecv = 0; ecv < 2; ecv++) {
			struct lpt_evtstrm e, raw;
			uint32_t guest;

			/* The guest's boot-time choice, made on the PV counter it sees. */
			int err = lpt_evtstrm_linux_cntkctl(pv_hz, EVTSTRM_HZ, ecv, &guest);

			if (!err)
				err = lpt_evtstrm_translate(&e, guest, pv_hz, hosts[h], ecv);
			if (!err)
				err = lpt_evtstrm_translate(&raw, guest, hosts[h], hosts[h], ecv);
			if (err) {
				fprintf(stderr, "lpt-convert: evtstrm: PV %llu Hz on %llu Hz: %s\n",
					(unsigned long long)pv_hz, (unsigned long long)hosts[h],
					lpt_error_name(err));
				return 1;
			}
			printf("| %llu Hz | %s | %u |", (unsigned long long)hosts[h], ecv ? "yes" : "no",
			       e.pv_bit);
			/* Untranslated: the guest's bit on the native counter, where the host allows. */
			print_us(raw.native_period_ps);
			printf(" %u |", e.native_bit);
			print_us(e.native_period_ps);
			printf(" %llu.%03llu |\n", (unsigned long long)(e.ratio_q32 >> 32),
			       (unsigned long long)(((e.ratio_q32 & 0xffffffffULL) * 1000 + (1ULL << 31)) >> 32));
		}
	return 0;
}

/* Whether floor(@v * @num / @den) fits 64 bits: v * num < den * 2^64. */
static bool floor_fits(uint64_t v, uint64_t num, uint64_t den)
{
	return lpt_mul_u64_u64(v, num).hi < den;
}

/* Whether ceil(@v * @num / @den) fits 64 bits: v * num <= (2^64 - 1) * den. */
static bool ceil_fits(uint64_t v, uint64_t num, uint64_t den)
{
	struct lpt_u128 a = lpt_mul_u64_u64(v, num), b = lpt_mul_u64_u64(UINT64_MAX, den);

	return a.hi < b.hi || (a.hi == b.hi && a.lo <= b.lo);
}

static int convert(int argc, char **argv)
{
	struct lpt_scale to_pv, to_native;
	uint64_t native_hz, pv_hz;
	int err, ret = 0;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	for (int i = 0; i < 2; i++) {
		if (lpt_parse_hz(argv[i], i == 0 ? &native_hz : &pv_hz)) {
			fprintf(stderr, "lpt-convert: not a frequency in whole Hz: '%s'\n", argv[i]);
			return 2;
		}
	}
	for (int i = 2; i < argc; i++) {	/* every value checked before any output */
		uint64_t v;

		if (lpt_parse_u64(argv[i], &v)) {
			fprintf(stderr, "lpt-convert: not a 64-bit value: '%s' (decimal, or 0x and "
				"hexadecimal)\n", argv[i]);
			return 2;
		}
	}
	err = lpt_scale_init(&to_pv, native_hz, pv_hz);
	if (!err)
		err = lpt_scale_init(&to_native, pv_hz, native_hz);
	if (err) {
		fprintf(stderr, "lpt-convert: %s: frequencies must be 1 Hz to 2^40 Hz (%llu, %llu)\n",
			lpt_error_name(err), (unsigned long long)native_hz,
			(unsigned long long)pv_hz);
		return 1;
	}

	printf("native_hz=%llu\npv_hz=%llu\n", (unsigned long long)native_hz,
	       (unsigned long long)pv_hz);
	print_scale("to_pv", &to_pv);
	print_scale("to_native", &to_native);
	for (int i = 2; i < argc; i++) {
		uint64_t v;

		lpt_parse_u64(argv[i], &v);
		/* The core's floor is modulo 2^64, its ceil saturates: say when not exact. */
		if (floor_fits(v, pv_hz, native_hz)) {
			printf("native %llu -> pv %llu (floor)\n", (unsigned long long)v,
			       (unsigned long long)lpt_scale_floor(&to_pv, v));
		} else {
			printf("native %llu -> pv: does not fit in 64 bits (floor)\n",
			       (unsigned long long)v);
			ret = 1;
		}
		if (ceil_fits(v, native_hz, pv_hz)) {
			printf("pv %llu -> native %llu (ceil)\n", (unsigned long long)v,
			       (unsigned long long)lpt_scale_ceil(&to_native, v));
		} else {
			printf("pv %llu -> native: does not fit in 64 bits (ceil)\n",
			       (unsigned long long)v);
			ret = 1;
		}
	}
	if (ret)
		fprintf(stderr, "lpt-convert: a result does not fit in 64 bits\n");
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* "+": options end at the first operand (a subcommand's own follow it). */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		fprintf(stderr, "Try 'lpt-convert --help'.\n");
		return 2;
	}
	argc -= optind;
	argv += optind;
	if (argc >= 1 && !strcmp(argv[0], "evtstrm"))
		return evtstrm_table(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "page"))
		return lpt_page_cmd(argc, argv);
	return convert(argc, argv);
}
