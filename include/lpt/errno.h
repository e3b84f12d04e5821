/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Error codes of liblpt. Fallible functions return 0 or a negated code; the values are
 * stable ABI (they appear in logs and tools) and map one-to-one onto errno values in
 * kernel glue. New codes are only ever appended.
 */
#ifndef LPT_ERRNO_H
#define LPT_ERRNO_H

#include <lpt/port.h>

#ifdef __cplusplus
extern "C" {
#endif

enum lpt_error {
	LPT_OK = 0,
	/* A NULL pointer, a zero or out-of-range frequency or an out-of-range width. */
	LPT_EINVAL = 1,
	/* A page buffer not aligned to LPT_PAGE_ALIGN bytes. */
	LPT_EALIGN = 2,
	/* A page buffer shorter than its revision's size. */
	LPT_ESHORT = 3,
	/* A page revision this version does not know. */
	LPT_EREVISION = 4,
	/* Non-zero reserved bits, attributes, flags or reserved fields in a page. */
	LPT_ERESERVED = 5,
	/* A zero or out-of-range frequency in a page. */
	LPT_EFREQ = 6,
	/* A counter width out of range in a page. */
	LPT_EWIDTH = 7,
	/* Multipliers in a page that do not match its frequencies. */
	LPT_EMULT = 8,
	/* Sequence 0: the page was never published; the feature must read as unsupported. */
	LPT_ENOTREADY = 9,
	/* The page kept changing: no consistent snapshot within the allowed retries. */
	LPT_EBUSY = 10,
};

/**
 * lpt_error_name() - The symbolic name of an error code.
 * @err: 0, or an error code, negated or not.
 *
 * Return: a static string such as "LPT_EINVAL"; "LPT_OK" for 0 and "LPT_E?" for a code
 * this version does not know. Never NULL.
 */
const char *lpt_error_name(int err);

#ifdef __cplusplus
}
#endif

#endif /* LPT_ERRNO_H */
