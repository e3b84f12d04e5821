// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Instantiates every public static inline function of the core so that the
 * freestanding check (freestanding.sh) sees their code too, not only the lib/ files.
 * Add a wrapper here for each new public inline.
 */
#include <lpt/lpt.h>
#include <lpt/internal/math128.h>

uint64_t fs_scale_floor(const struct lpt_scale *s, uint64_t x);
uint64_t fs_scale_ceil(const struct lpt_scale *s, uint64_t x);
uint64_t fs_native_to_pv(const struct lpt_map *m, uint64_t n);
uint64_t fs_pv_to_native(const struct lpt_map *m, uint64_t pv);
uint64_t fs_div(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *rem);
uint64_t fs_div_portable(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *rem);
uint64_t fs_mul_hi(uint64_t a, uint64_t b);
uint64_t fs_mul_portable_hi(uint64_t a, uint64_t b);
uint64_t fs_mask(unsigned int w);
uint64_t fs_mul128_hi(uint64_t x, uint64_t h, uint64_t l);
bool fs_freq_valid(uint64_t hz);
uint64_t fs_timer_native_cval(const struct lpt_map *m, uint64_t cval);
uint64_t fs_timer_read_cval(const struct lpt_timer *t);
void fs_map_copy(struct lpt_map *d, const struct lpt_map *s);
uint32_t fs_evtstrm_bit(uint32_t cntkctl);
uint32_t fs_evtstrm_set_bit(uint32_t cntkctl, uint32_t bit);

uint64_t fs_scale_floor(const struct lpt_scale *s, uint64_t x) { return lpt_scale_floor(s, x); }
uint64_t fs_scale_ceil(const struct lpt_scale *s, uint64_t x) { return lpt_scale_ceil(s, x); }
uint64_t fs_native_to_pv(const struct lpt_map *m, uint64_t n) { return lpt_map_native_to_pv(m, n); }
uint64_t fs_pv_to_native(const struct lpt_map *m, uint64_t pv) { return lpt_map_pv_to_native(m, pv); }
uint64_t fs_div(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *rem)
{
	return lpt_div_u128_u64(hi, lo, d, rem);
}
uint64_t fs_div_portable(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *rem)
{
	return lpt_div_u128_u64_portable(hi, lo, d, rem);
}
uint64_t fs_mul_hi(uint64_t a, uint64_t b) { return lpt_mul_u64_u64(a, b).hi; }
uint64_t fs_mul_portable_hi(uint64_t a, uint64_t b) { return lpt_mul_u64_u64_portable(a, b).hi; }
uint64_t fs_mask(unsigned int w) { return lpt_counter_mask(w); }
uint64_t fs_mul128_hi(uint64_t x, uint64_t h, uint64_t l) { return lpt_mul_u64_u128(x, h, l).hi; }
bool fs_freq_valid(uint64_t hz) { return lpt_freq_valid(hz); }
uint64_t fs_timer_native_cval(const struct lpt_map *m, uint64_t cval)
{
	return lpt_timer_native_cval(m, cval);
}
uint64_t fs_timer_read_cval(const struct lpt_timer *t) { return lpt_timer_read_cval(t); }
void fs_map_copy(struct lpt_map *d, const struct lpt_map *s) { lpt_map_copy(d, s); }
uint32_t fs_evtstrm_bit(uint32_t cntkctl) { return lpt_evtstrm_bit(cntkctl); }
uint32_t fs_evtstrm_set_bit(uint32_t cntkctl, uint32_t bit) { return lpt_evtstrm_set_bit(cntkctl, bit); }
