// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Names of liblpt's error codes, for logs and tools.
 */
#include <lpt/errno.h>

const char *lpt_error_name(int err)
{
	static const char *const names[] = {
		[LPT_OK] = "LPT_OK",
		[LPT_EINVAL] = "LPT_EINVAL",
		[LPT_EALIGN] = "LPT_EALIGN",
		[LPT_ESHORT] = "LPT_ESHORT",
		[LPT_EREVISION] = "LPT_EREVISION",
		[LPT_ERESERVED] = "LPT_ERESERVED",
		[LPT_EFREQ] = "LPT_EFREQ",
		[LPT_EWIDTH] = "LPT_EWIDTH",
		[LPT_EMULT] = "LPT_EMULT",
		[LPT_ENOTREADY] = "LPT_ENOTREADY",
		[LPT_EBUSY] = "LPT_EBUSY",
	};
	unsigned int code = err < 0 ? -(unsigned int)err : (unsigned int)err;

	if (code >= sizeof(names) / sizeof(names[0]) || !names[code])
		return "LPT_E?";
	return names[code];
}
