// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "oracle.h"

#include <stdio.h>
#include <stdlib.h>

#define DIGITS 10 /* 160 bits of 16-bit digits, little-endian */

static void to_digits(uint64_t v, uint64_t d[DIGITS])
{
	for (int i = 0; i < DIGITS; i++) {
		d[i] = i < 4 ? (v >> (16 * i)) & 0xffff : 0;
	}
}

/* r = a * b where a and b have their nonzero digits in the first 4; schoolbook. */
static void mul_digits(const uint64_t a[DIGITS], const uint64_t b[DIGITS], uint64_t r[DIGITS])
{
	uint64_t carry = 0;

	for (int i = 0; i < DIGITS; i++)
		r[i] = 0;
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			r[i + j] += a[i] * b[j]; /* at most 4 terms of < 2^32 each */
	for (int i = 0; i < DIGITS; i++) {
		uint64_t v = r[i] + carry;

		r[i] = v & 0xffff;
		carry = v >> 16;
	}
}

static void add_small(uint64_t r[DIGITS], uint64_t v)
{
	for (int i = 0; i < DIGITS && v; i++) {
		v += r[i];
		r[i] = v & 0xffff;
		v >>= 16;
	}
}

static bool equal(const uint64_t a[DIGITS], const uint64_t b[DIGITS])
{
	for (int i = 0; i < DIGITS; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static uint64_t digits_word(const uint64_t d[DIGITS], int word)
{
	uint64_t v = 0;

	for (int i = 3; i >= 0; i--)
		v = (v << 16) | d[4 * word + i];
	return v;
}

struct oracle_u128 oracle_mul(uint64_t a, uint64_t b)
{
	uint64_t da[DIGITS], db[DIGITS], p[DIGITS];
	struct oracle_u128 r;

	to_digits(a, da);
	to_digits(b, db);
	mul_digits(da, db, p);
	r.lo = digits_word(p, 0);
	r.hi = digits_word(p, 1);
	return r;
}

struct oracle_quot oracle_muldiv(uint64_t x, uint64_t mul, uint64_t div)
{
	uint64_t dx[DIGITS], dm[DIGITS], p[DIGITS], q[DIGITS], check[DIGITS], dq[DIGITS];
	struct oracle_quot r;
	uint64_t rem = 0;

	if (div == 0 || div >> 48 || mul >> 48) {
		fprintf(stderr, "oracle: operand out of range\n");
		abort();
	}
	to_digits(x, dx);
	to_digits(mul, dm);
	mul_digits(dx, dm, p);
	/* Long division, most significant digit first: rem < div < 2^48 keeps cur < 2^64. */
	for (int i = DIGITS - 1; i >= 0; i--) {
		uint64_t cur = (rem << 16) | p[i];

		q[i] = cur / div;
		rem = cur % div;
	}
	if (q[8] || q[9]) {
		fprintf(stderr, "oracle: quotient beyond 128 bits\n");
		abort();
	}
	/* Multiply back: q * div + rem must give the product. */
	r.lo = digits_word(q, 0);
	r.hi = digits_word(q, 1);
	to_digits(div, dm);
	to_digits(r.lo, dx);
	mul_digits(dx, dm, check);
	to_digits(r.hi, dq);
	{
		uint64_t hi_part[DIGITS];

		mul_digits(dq, dm, hi_part);
		uint64_t c = 0;

		/* check += hi_part * 2^64; what would fall off the top must be zero. */
		for (int i = DIGITS - 4; i < DIGITS; i++)
			if (hi_part[i])
				goto fail;
		for (int i = 0; i + 4 < DIGITS; i++)
			check[i + 4] += hi_part[i];
		for (int i = 0; i < DIGITS; i++) {
			uint64_t v = check[i] + c;

			check[i] = v & 0xffff;
			c = v >> 16;
		}
	}
	add_small(check, rem);
	if (!equal(check, p) || rem >= div)
		goto fail;
	r.rem = rem;
	r.inexact = rem != 0;
	return r;
fail:
	fprintf(stderr, "oracle: self-check failed\n");
	abort();
}

uint64_t oracle_floor(uint64_t x, uint64_t mul, uint64_t div)
{
	return oracle_muldiv(x, mul, div).lo;
}

uint64_t oracle_ceil_sat(uint64_t x, uint64_t mul, uint64_t div)
{
	struct oracle_quot q = oracle_muldiv(x, mul, div);

	if (q.hi)
		return UINT64_MAX;
	if (q.inexact)
		return q.lo == UINT64_MAX ? UINT64_MAX : q.lo + 1;
	return q.lo;
}

bool oracle_divides(uint64_t hi, uint64_t lo, uint64_t d, uint64_t q, uint64_t r)
{
	struct oracle_u128 p = oracle_mul(q, d);
	uint64_t sum_lo = p.lo + r;
	uint64_t sum_hi = p.hi + (sum_lo < r);

	/* p.hi < 2^64 - 1 whenever q * d < 2^128 - 2^64, so the carry cannot wrap here. */
	if (p.hi == UINT64_MAX && sum_lo < r)
		return false;
	return r < d && sum_hi == hi && sum_lo == lo;
}

#define WIDE 20 /* 320 bits */

/* r = a * b * 2^e as WIDE 16-bit digits. */
static void prod_pow2(uint64_t a, uint64_t b, unsigned int e, uint64_t r[WIDE])
{
	uint64_t da[DIGITS], db[DIGITS], p[DIGITS];
	unsigned int dshift = e / 16, bshift = e % 16;
	uint64_t carry = 0;

	to_digits(a, da);
	to_digits(b, db);
	mul_digits(da, db, p);
	for (int i = 0; i < WIDE; i++)
		r[i] = 0;
	for (int i = 0; i < DIGITS; i++) {
		uint64_t v = (p[i] << bshift) | carry;

		r[i + dshift] = v & 0xffff;
		carry = v >> 16;
	}
	r[DIGITS + dshift] = carry;
}

int oracle_cmp_prod_pow2(uint64_t a, uint64_t b, unsigned int ea, uint64_t c, uint64_t d,
			 unsigned int ec)
{
	uint64_t x[WIDE], y[WIDE];

	if (ea > 64 || ec > 64) {
		fprintf(stderr, "oracle: exponent out of range\n");
		abort();
	}
	prod_pow2(a, b, ea, x);
	prod_pow2(c, d, ec, y);
	for (int i = WIDE - 1; i >= 0; i--)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}
