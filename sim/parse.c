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
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	r = strtoull(s, &end, 0);
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

int lpt_parse_hz(const char *s, uint64_t *hz)
{
	uint64_t mant = 0, scale = 1;
	unsigned int exp10 = 0, frac_digits = 0;
	const char *p = s;

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
	switch (*p) {
	case 'k': case 'K': exp10 = 3; p++; break;
	case 'M': exp10 = 6; p++; break;
	case 'G': exp10 = 9; p++; break;
	default: break;
	}
	if (*p && strcasecmp(p, "Hz"))
		return -1;
	/* mant * 10^exp10 / 10^frac_digits must be a whole number. */
	while (frac_digits && exp10) {
		frac_digits--;
		exp10--;
	}
	while (frac_digits--) {
		if (mant % 10)
			return -1;
		mant /= 10;
	}
	while (exp10--)
		scale *= 10;
	if (mant > UINT64_MAX / scale)
		return -1;
	*hz = mant * scale;
	return 0;
}
