// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * lpt-convert page decode|encode: read and write LPT page images (either revision), for
 * people holding a guest memory dump or preparing a test page.
 */
#define _POSIX_C_SOURCE 200809L
#include "page-cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <lpt/lpt.h>

#include "parse.h"

union page_image {
	struct lpt_page_rev1 rev1;
	unsigned char bytes[LPT_PAGE_MAX_SIZE];
} __attribute__((aligned(LPT_PAGE_ALIGN)));

static void print_u64(const char *name, uint64_t v)
{
	printf("%s=%llu\n", name, (unsigned long long)v);
}

static void print_hex(const char *name, uint64_t v)
{
	printf("%s=0x%016llx\n", name, (unsigned long long)v);
}

static int page_decode(const char *path)
{
	union page_image img;
	struct lpt_page_fields f;
	size_t len;
	FILE *in = fopen(path, "rb");
	int err;

	if (!in) {
		fprintf(stderr, "lpt-convert: %s: %s\n", path, strerror(errno));
		return 2;
	}
	memset(&img, 0, sizeof(img));
	len = fread(img.bytes, 1, sizeof(img.bytes), in);
	if (ferror(in)) {
		fprintf(stderr, "lpt-convert: %s: %s\n", path, strerror(errno));
		fclose(in);
		return 2;
	}
	fclose(in);
	err = lpt_page_decode(&img, len, &f);
	if (err) {
		printf("bytes=%zu\nvalid=no\nerror=%s\n", len, lpt_error_name(err));
		return 1;
	}
	print_u64("revision", f.revision);
	print_u64(f.revision == LPT_PAGE_REV0 ? "attributes" : "flags", f.flags);
	print_u64("sequence", f.sequence);
	if (f.revision == LPT_PAGE_REV0) {
		print_u64("native_freq", f.native_hz);
		print_u64("pv_freq", f.pv_hz);
		print_hex("scale_mult", f.rfc_to_pv.mult);
		print_hex("rscale_mult", f.rfc_to_native.mult);
		print_u64("fracbits", f.rfc_to_pv.fracbits);
		print_u64("rfracbits", f.rfc_to_native.fracbits);
	} else {
		print_u64("generation", f.generation);
		print_u64("native_hz", f.native_hz);
		print_u64("pv_hz", f.pv_hz);
		print_u64("width", f.width);
		print_hex("virt_native_base", f.virt.native_base);
		print_hex("virt_pv_base", f.virt.pv_base);
		print_hex("phys_native_base", f.phys.native_base);
		print_hex("phys_pv_base", f.phys.pv_base);
		print_u64("to_pv_whole", f.to_pv.whole);
		printf("to_pv_frac=0x%016llx%016llx\n", (unsigned long long)f.to_pv.frac_hi,
		       (unsigned long long)f.to_pv.frac_lo);
		print_u64("to_native_whole", f.to_native.whole);
		printf("to_native_frac=0x%016llx%016llx\n", (unsigned long long)f.to_native.frac_hi,
		       (unsigned long long)f.to_native.frac_lo);
		print_hex("reserved", f.reserved);
	}
	err = lpt_page_validate(&f);
	printf("valid=%s\n", err ? "no" : "yes");
	if (err)
		printf("error=%s\n", lpt_error_name(err));
	return err ? 1 : 0;
}

static void encode_usage(FILE *f)
{
	fprintf(f,
		"usage: lpt-convert page encode --revision 0|1 --native-hz HZ --pv-hz HZ -o FILE\n"
		"         [--sequence N] [--generation N] [--width BITS]\n"
		"         [--virt-native-base N] [--virt-pv-base N]\n"
		"         [--phys-native-base N] [--phys-pv-base N]\n"
		"Writes a valid page image (sequence 2 unless given: even, from 2; revision 1:\n"
		"width 64, generation 1 and bases 0 unless given). Numbers: decimal, or 0x and\n"
		"hexadecimal.\n");
}

static int page_encode(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "revision", required_argument, NULL, 'r' },
		{ "native-hz", required_argument, NULL, 'n' },
		{ "pv-hz", required_argument, NULL, 'p' },
		{ "sequence", required_argument, NULL, 's' },
		{ "generation", required_argument, NULL, 'g' },
		{ "width", required_argument, NULL, 'w' },
		{ "virt-native-base", required_argument, NULL, 'A' },
		{ "virt-pv-base", required_argument, NULL, 'B' },
		{ "phys-native-base", required_argument, NULL, 'C' },
		{ "phys-pv-base", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t rev = 1, native = 0, pv = 0, seq = 2, gen = 1, width = 64;
	uint64_t vnb = 0, vpb = 0, pnb = 0, ppb = 0;
	const char *out = NULL;
	struct lpt_page_fields f;
	union page_image img;
	FILE *o;
	int c, err;

	optind = 0;	/* glibc: start afresh (lpt-convert's own options were parsed) */
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		int bad = 0;

		switch (c) {
		case 'r': bad = lpt_parse_u64(optarg, &rev); break;
		case 'n': bad = lpt_parse_hz(optarg, &native); break;
		case 'p': bad = lpt_parse_hz(optarg, &pv); break;
		case 's': bad = lpt_parse_u64(optarg, &seq); break;
		case 'g': bad = lpt_parse_u64(optarg, &gen); break;
		case 'w': bad = lpt_parse_u64(optarg, &width); break;
		case 'A': bad = lpt_parse_u64(optarg, &vnb); break;
		case 'B': bad = lpt_parse_u64(optarg, &vpb); break;
		case 'C': bad = lpt_parse_u64(optarg, &pnb); break;
		case 'D': bad = lpt_parse_u64(optarg, &ppb); break;
		case 'o': out = optarg; break;
		case 'h': encode_usage(stdout); return 0;
		default: encode_usage(stderr); return 2;
		}
		if (bad) {
			fprintf(stderr, "lpt-convert: bad value '%s'\n", optarg);
			return 2;
		}
	}
	if (!out || optind != argc || (rev != 0 && rev != 1)) {
		encode_usage(stderr);
		return 2;
	}
	if (!seq || seq & 1) {
		fprintf(stderr, "lpt-convert: --sequence: %llu is %s; a valid page has an even "
			"sequence from 2\n", (unsigned long long)seq,
			seq ? "odd (an update in progress)" : "0 (not ready)");
		return 2;
	}
	if (rev == 0) {
		err = lpt_page_fields_rev0(&f, native, pv);
	} else {
		struct lpt_map virt, phys;

		err = lpt_map_init(&virt, native, pv, (unsigned int)(width > 64 ? 0 : width), vnb, vpb);
		if (!err)
			err = lpt_map_init(&phys, native, pv, (unsigned int)width, pnb, ppb);
		if (!err)
			err = lpt_page_fields_rev1(&f, &virt, &phys, gen);
	}
	if (err) {
		fprintf(stderr, "lpt-convert: %s: frequencies (rev 0: up to 2^32 - 1 Hz, rev 1: up to "
			"2^40 Hz), width (56..64) or a base wider than the counter\n", lpt_error_name(err));
		return 1;
	}
	f.sequence = seq;
	memset(&img, 0, sizeof(img));
	if (lpt_page_encode(&img, sizeof(img), &f))
		return 1;
	o = fopen(out, "wb");
	if (o) {
		bool short_write = fwrite(img.bytes, 1, lpt_page_size(f.revision), o) !=
				   lpt_page_size(f.revision);

		if (fclose(o) || short_write)
			o = NULL;
	}
	if (!o) {
		fprintf(stderr, "lpt-convert: cannot write %s: %s\n", out, strerror(errno));
		return 1;
	}
	return 0;
}

int lpt_page_cmd(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "decode"))
		return page_decode(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "encode"))
		return page_encode(argc - 1, argv + 1);
	fprintf(stderr, "usage: lpt-convert page decode FILE\n");
	encode_usage(stderr);
	return 2;
}
