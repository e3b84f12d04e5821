// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * lpt-convert: the scale between a native counter frequency and a PV frequency, and
 * counter values converted both ways, exactly.
 */
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
		"native tick at which a PV compare value is met).\n"
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

static int evtstrm_table(int argc, char **argv)
{
	uint64_t pv_hz, hosts[64];
	int nhosts = 0;

	if (argc < 3 || lpt_parse_hz(argv[2], &pv_hz) || !lpt_freq_valid(pv_hz)) {
		usage(stderr);
		return 2;
	}
	for (int i = 3; i < argc && nhosts < 64; i++)
		if (lpt_parse_hz(argv[i], &hosts[nhosts++]) || !lpt_freq_valid(hosts[nhosts - 1])) {
			fprintf(stderr, "lpt-convert: not a frequency in range: '%s'\n", argv[i]);
			return 2;
		}
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
			if (lpt_evtstrm_linux_cntkctl(pv_hz, 10000, ecv, &guest) ||
			    lpt_evtstrm_translate(&e, guest, pv_hz, hosts[h], ecv) ||
			    lpt_evtstrm_translate(&raw, guest, hosts[h], hosts[h], ecv))
				return 1;
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

int main(int argc, char **argv)
{
	struct lpt_scale to_pv, to_native;
	uint64_t native_hz, pv_hz;
	int err;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "evtstrm"))
		return evtstrm_table(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "page"))
		return lpt_page_cmd(argc, argv);
	if (argc < 3) {
		usage(stderr);
		return 2;
	}
	for (int i = 1; i <= 2; i++) {
		if (lpt_parse_hz(argv[i], i == 1 ? &native_hz : &pv_hz)) {
			fprintf(stderr, "lpt-convert: not a frequency in whole Hz: '%s'\n", argv[i]);
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
	for (int i = 3; i < argc; i++) {
		uint64_t v;

		if (lpt_parse_u64(argv[i], &v)) {
			fprintf(stderr, "lpt-convert: not a 64-bit value: '%s'\n", argv[i]);
			return 2;
		}
		printf("native %llu -> pv %llu (floor)\n", (unsigned long long)v,
		       (unsigned long long)lpt_scale_floor(&to_pv, v));
		printf("pv %llu -> native %llu (ceil)\n", (unsigned long long)v,
		       (unsigned long long)lpt_scale_ceil(&to_native, v));
	}
	return 0;
}
