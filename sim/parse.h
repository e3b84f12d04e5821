/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Parsing of numbers people type: frequencies with SI suffixes and counter values.
 * Shared by the command-line tools and the simulator's scenario files.
 */
#ifndef LPT_SIM_PARSE_H
#define LPT_SIM_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/**
 * lpt_parse_hz() - Parse a frequency, exactly.
 * @s: "25000000", "25M", "25MHz", "19.2M", "62.5 MHz", "1G", "1.5k", "100Hz", ...
 * @hz: where the frequency in Hz is stored.
 *
 * Decimals are taken exactly (no floating point); a value that is not a whole number of
 * Hz, has trailing garbage, or exceeds 2^64 - 1 is rejected. The range check against
 * what liblpt accepts is left to the caller (lpt_freq_valid()).
 *
 * Return: 0, or -1 with *@hz unchanged.
 */
int lpt_parse_hz(const char *s, uint64_t *hz);

/**
 * lpt_parse_u64() - Parse a counter value: decimal, or hexadecimal with 0x.
 * @s: the text: digits (leading zeros are decimal: "010" is ten, never octal), or "0x"
 *	and hexadecimal digits.
 * @v: where the value is stored.
 *
 * Return: 0, or -1 (empty, negative, trailing garbage, beyond 2^64 - 1) with *@v
 * unchanged.
 */
int lpt_parse_u64(const char *s, uint64_t *v);

/**
 * lpt_parse_ns() - Parse a duration, exactly.
 * @s: a decimal number and a unit: ns, us, ms, s, min, h, d ("300ms", "1.5h", "2 s");
 *	or "0".
 * @ns: where the duration in nanoseconds is stored.
 *
 * Return: 0, or -1 (no unit, not a whole number of ns, beyond 2^64 - 1) with *@ns
 * unchanged.
 */
int lpt_parse_ns(const char *s, uint64_t *ns);

/**
 * lpt_parse_ppb() - Parse a frequency error in parts per million, exactly.
 * @s: an optionally signed decimal with an optional unit: "20", "-12.5ppm", "+3ppb"
 *	(ppm when no unit is given).
 * @ppb: where the error in parts per billion is stored.
 *
 * Return: 0, or -1 (finer than 1 ppb, trailing garbage, out of range) with *@ppb
 * unchanged.
 */
int lpt_parse_ppb(const char *s, int64_t *ppb);

#endif /* LPT_SIM_PARSE_H */
