// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "map_oracle.h"

struct oracle_quot oracle_map_pv(const struct lpt_map *m, uint64_t n)
{
	uint64_t delta = (n - m->native_base) & m->native_mask;
	struct oracle_quot q = oracle_muldiv(delta, m->to_pv.to_hz, m->to_pv.from_hz);
	uint64_t lo = q.lo + m->pv_base;

	q.hi += lo < q.lo;
	q.lo = lo;
	return q;
}

bool oracle_map_reached(const struct lpt_map *m, uint64_t n, uint64_t p)
{
	struct oracle_quot q = oracle_map_pv(m, n);

	return q.hi || q.lo >= p;
}
