/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The PV value of a map at a native value, computed by the oracle from the map's
 * frequencies and bases only (none of its multipliers).
 */
#ifndef LPT_TEST_MAP_ORACLE_H
#define LPT_TEST_MAP_ORACLE_H

#include <lpt/map.h>

#include "oracle.h"

/* pv(n) exactly, without wrapping past 2^64: .hi holds what is above. */
struct oracle_quot oracle_map_pv(const struct lpt_map *m, uint64_t n);

/* Whether pv(n) >= p, exactly (no 2^64 wrap). */
bool oracle_map_reached(const struct lpt_map *m, uint64_t n, uint64_t p);

#endif /* LPT_TEST_MAP_ORACLE_H */
