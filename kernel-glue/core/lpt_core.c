// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * liblpt's core as a kernel module, to prove that lib/ and include/lpt/ build in a
 * kernel tree as they are (kernel-glue/build.sh copies them beside this file). The glue
 * that uses the core is built into the kernel with it, so nothing is exported here.
 */
#include <linux/module.h>

#include <lpt/lpt.h>

MODULE_DESCRIPTION("liblpt: exact paravirtualized counter scaling (Live Physical Time)");
MODULE_LICENSE("Dual BSD/GPL");
