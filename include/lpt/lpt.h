/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * liblpt: Live Physical Time, a paravirtualized counter of stable frequency for arm64
 * guests. This header includes every public header.
 */
#ifndef LPT_LPT_H
#define LPT_LPT_H

#include <lpt/port.h>
#include <lpt/errno.h>
#include <lpt/math128.h>
#include <lpt/scale.h>
#include <lpt/map.h>
#include <lpt/timer.h>
#include <lpt/evtstrm.h>
#include <lpt/rfc.h>
#include <lpt/page.h>
#include <lpt/page_writer.h>
#include <lpt/page_reader.h>
#include <lpt/restore.h>

#endif /* LPT_LPT_H */
