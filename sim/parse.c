// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#define _POSIX_C_SOURCE 200809L
#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int lpt_parse_u64(const char *s, uint64_t *v)
{
	unsigned long long r;
	int base = 10;
	char *end;

	/* Decimal (leading zeros are decimal too, not octal) or 0x hexadecimal. */
	if (s && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!isxdigit((unsigned char)s[0]))
			return -1;
	} else if (!s || !isdigit((unsigned char)s[0])) {
		return -1;
	}
	errno = 0;
	r = strtoull(s, &end, base);
	if (errno || *end)
		return -1;
	*v = r;
	return 0;
}

/* a * 10 + d, or -1 on overflow. */
static int push_digit(uint64_t *a, unsigned int d)
{
	if (*a > (UINT64_MAX - d) / 10)
		return -1;
	*a = *a * 10 + d;
	return 0;
}

/* A unit suffix and how many base units it stands for. */
struct unit {
	const char *name;
	uint64_t mult;
};

/*
 * "<digits>[.<digits>][ ]<unit>", exactly: the value times the unit's multiplier must be
 * a whole number of base units below 2^64. The empty suffix is accepted only if the
 * table has an entry "" for it.
 */
static int parse_scaled(const char *s, const struct unit *units, uint64_t *out)
{
	uint64_t mant = 0, mult = 0;
	unsigned int frac_digits = 0;
	const char *p = s;
	bool found = false;

	if (!s || !isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++)
		if (push_digit(&mant, (unsigned int)(*p - '0')))
			return -1;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		for (; isdigit((unsigned char)*p); p++, frac_digits++)
			if (push_digit(&mant, (unsigned int)(*p - '0')))
				return -1;
	}
	while (*p == ' ')
		p++;
	for (; units->name; units++) {
		if (!strcmp(p, units->name)) {
			mult = units->mult;
			found = true;
			break;
		}
	}
	if (!found)
		return -1;
	/* mant * mult / 10^frac_digits must be a whole number. */
	while (frac_digits && mult % 10 == 0) {
		frac_digits--;
		mult /= 10;
	}
	while (frac_digits--) {
		if (mant % 10)
			return -1;
		mant /= 10;
	}
	if (mult && mant > UINT64_MAX / mult)
		return -1;
	*out = mant * mult;
	return 0;
}

int lpt_parse_hz(const char *s, uint64_t *hz)
{
	static const struct unit units[] = {
		{ "", 1 }, { "Hz", 1 }, { "hz", 1 }, { "HZ", 1 },
		{ "k", 1000 }, { "K", 1000 }, { "kHz", 1000 }, { "KHz", 1000 }, { "khz", 1000 },
		{ "M", 1000000 }, { "MHz", 1000000 }, { "Mhz", 1000000 },
		{ "G", 1000000000 }, { "GHz", 1000000000 }, { "Ghz", 1000000000 },
		{ NULL, 0 },
	};

	return parse_scaled(s, units, hz);
}

int lpt_parse_ns(const char *s, uint64_t *ns)
{
	static const struct unit units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
		{ "min", 60000000000ULL }, { "h", 3600000000000ULL }, { "d", 86400000000000ULL },
		{ NULL, 0 },
	};

	if (s && !strcmp(s, "0")) {
		*ns = 0;
		return 0;
	}
	return parse_scaled(s, units, ns);
}

int lpt_parse_ppb(const char *s, int64_t *ppb)
{
	static const struct unit units[] = {
		{ "", 1000 }, { "ppm", 1000 }, { "ppb", 1 }, { NULL, 0 },
	};
	bool neg = false;
	uint64_t v;

	if (s && (*s == '-' || *s == '+')) {
		neg = *s == '-';
		s++;
	}
	if (parse_scaled(s, units, &v) || v > (uint64_t)INT64_MAX)
		return -1;
	*ppb = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}
