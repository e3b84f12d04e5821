/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * An exact arithmetic oracle for tests, independent of the code under test: numbers are
 * arrays of 16-bit digits, multiplied by schoolbook and divided by textbook long
 * division with 64-bit hardware (or libgcc) division per digit. Every quotient is
 * verified by multiplying back. It uses nothing from liblpt.
 */
#ifndef LPT_TEST_ORACLE_H
#define LPT_TEST_ORACLE_H

#include <stdbool.h>
#include <stdint.h>

/* A 128-bit value; only the oracle writes it. */
struct oracle_u128 {
	uint64_t hi;
	uint64_t lo;
};

/* The exact quotient of a division: up to 128 bits, and whether a remainder was left. */
struct oracle_quot {
	uint64_t hi;
	uint64_t lo;
	uint64_t rem;
	bool inexact;
};

/* a * b, exact. */
struct oracle_u128 oracle_mul(uint64_t a, uint64_t b);

/*
 * x * mul / div, exact, for any 64-bit x and 1 <= mul, div < 2^48. Aborts the test
 * program if the quotient does not multiply back to the product (it never should).
 */
struct oracle_quot oracle_muldiv(uint64_t x, uint64_t mul, uint64_t div);

/* floor(x * mul / div) mod 2^64. */
uint64_t oracle_floor(uint64_t x, uint64_t mul, uint64_t div);

/* ceil(x * mul / div), or UINT64_MAX when that exceeds UINT64_MAX. */
uint64_t oracle_ceil_sat(uint64_t x, uint64_t mul, uint64_t div);

/* Compares a * b * 2^ea with c * d * 2^ec (ea, ec <= 64): -1, 0 or 1. */
int oracle_cmp_prod_pow2(uint64_t a, uint64_t b, unsigned int ea, uint64_t c, uint64_t d,
			 unsigned int ec);

/* Whether q * d + r == hi * 2^64 + lo and r < d. */
bool oracle_divides(uint64_t hi, uint64_t lo, uint64_t d, uint64_t q, uint64_t r);

#endif /* LPT_TEST_ORACLE_H */
