/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Error codes of liblpt. Fallible functions return 0 or a negated code; the values are
 * stable ABI (they appear in logs and tools) and map one-to-one onto errno values in
 * kernel glue. New codes are only ever appended.
 */
#ifndef LPT_ERRNO_H
#define LPT_ERRNO_H

#include <lpt/port.h>

enum lpt_error {
	LPT_OK = 0,
	/* A NULL pointer, a zero or out-of-range frequency or an out-of-range width. */
	LPT_EINVAL = 1,
};

/**
 * lpt_error_name() - The symbolic name of an error code.
 * @err: 0, or an error code, negated or not.
 *
 * Return: a static string such as "LPT_EINVAL"; "LPT_OK" for 0 and "LPT_E?" for a code
 * this version does not know. Never NULL.
 */
const char *lpt_error_name(int err);

#endif /* LPT_ERRNO_H */
