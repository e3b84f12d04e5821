// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * stress_page: one writer publishes revision 1 content on a live page continuously;
 * reader threads convert through the reader's window, copying the reader's content
 * inside it, and check each result. Every field the writer publishes is derived from
 * its generation g (a test-only invariant), so content mixing two updates shows; the
 * generation must be current during the read and the value exactly its map's. Prints
 * reads, retries, publishes and torn reads; fails on any torn read.
 *
 * usage: stress_page [READS [READERS [WRITER_PERIOD_US]]]
 *	READS: successful reads in all (default: LPT_STRESS_READS, else 10^8); READERS:
 *	reader threads (2); WRITER_PERIOD_US: pause between publishes (0: continuous).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lpt/errno.h>
#include <lpt/page_reader.h>
#include <lpt/page_writer.h>

#define KINDS 8

static const uint64_t native_hz[KINDS] = {
	19200000, 24000000, 25000000, 50000000, 62500000, 100000000, 200000000, 1000000000,
};
static struct lpt_scale to_pv[KINDS], to_native[KINDS];
static union {
	struct lpt_page_rev1 rev1;
	unsigned char bytes[LPT_PAGE_REV1_SIZE];
} page __attribute__((aligned(LPT_PAGE_ALIGN)));
static volatile int stop;
static uint64_t publishes;
static unsigned long writer_period_us;

#define PV_HZ 1000000000ULL

static unsigned int width_of(uint64_t g) { return 56 + (unsigned int)(g % 9); }
static uint64_t vnb_of(uint64_t g) { return (g * 1000003ULL) & lpt_counter_mask(width_of(g)); }
static uint64_t vpb_of(uint64_t g) { return g * 7777ULL; }
static uint64_t pnb_of(uint64_t g) { return (g * 999983ULL) & lpt_counter_mask(width_of(g)); }
static uint64_t ppb_of(uint64_t g) { return g * 31ULL + (1ULL << 50); }

static void *writer(void *arg)
{
	uint64_t g;

	(void)arg;
	for (g = 1; !__atomic_load_n(&stop, __ATOMIC_RELAXED); g++) {
		struct lpt_page_fields f;
		struct lpt_map virt, phys;
		unsigned int kind = g % KINDS;

		if (lpt_map_init(&virt, native_hz[kind], PV_HZ, width_of(g), vnb_of(g), vpb_of(g)) ||
		    lpt_map_init(&phys, native_hz[kind], PV_HZ, width_of(g), pnb_of(g), ppb_of(g)) ||
		    lpt_page_fields_rev1(&f, &virt, &phys, g) ||
		    lpt_page_publish(&page, sizeof(page), &f)) {
			fprintf(stderr, "stress: writer failed at generation %llu\n", (unsigned long long)g);
			abort();
		}
		if (writer_period_us) {
			struct timespec ts = { 0, (long)writer_period_us * 1000 };

			nanosleep(&ts, NULL);
		}
	}
	publishes = g - 1;
	return NULL;
}

struct reader_stats {
	uint64_t reads, retries, torn, busy, seed, quota;
};

static bool same_scale(const struct lpt_scale *a, const struct lpt_scale *b)
{
	return a->whole == b->whole && a->frac_hi == b->frac_hi && a->frac_lo == b->frac_lo;
}

static bool snapshot_consistent(const struct lpt_snapshot *s)
{
	uint64_t g = s->generation;
	unsigned int kind = g % KINDS;

	return s->revision == 1 && s->virt.width == width_of(g) && s->phys.width == width_of(g) &&
	       s->virt.native_base == vnb_of(g) && s->virt.pv_base == vpb_of(g) &&
	       s->phys.native_base == pnb_of(g) && s->phys.pv_base == ppb_of(g) &&
	       s->virt.to_pv.from_hz == native_hz[kind] && same_scale(&s->virt.to_pv, &to_pv[kind]) &&
	       same_scale(&s->virt.to_native, &to_native[kind]) &&
	       same_scale(&s->phys.to_pv, &to_pv[kind]);
}

static uint64_t generation_now(void)
{
	return lpt_le64_to_cpu(__atomic_load_n(&page.rev1.generation, __ATOMIC_ACQUIRE));
}

static void *reader(void *arg)
{
	struct reader_stats *st = arg;
	struct lpt_reader r;
	uint64_t x = st->seed;

	if (lpt_reader_init(&r, &page, sizeof(page)))
		abort();
	while (st->reads < st->quota) {
		struct lpt_snapshot s;
		uint64_t g0 = generation_now(), g1, seq, pv = 0, n, d;
		int err;

		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		n = x >> 8;
		do {
			err = lpt_reader_begin(&r, &seq);
			if (err)
				break;
			memcpy(&s, lpt_reader_snapshot(&r), sizeof(s));
			pv = lpt_reader_pv(&r, n, false);
		} while (lpt_reader_retry(&r, seq));
		g1 = generation_now();
		if (err == -LPT_EBUSY) {
			st->busy++;
			continue;
		}
		/*
		 * The content is one generation's, current during the read, and the value is
		 * what that generation's map gives.
		 */
		d = (n - vnb_of(s.generation)) & lpt_counter_mask(width_of(s.generation));
		if (err || !snapshot_consistent(&s) || s.generation < g0 || s.generation > g1 ||
		    pv != vpb_of(s.generation) + lpt_scale_floor(&to_pv[s.generation % KINDS], d))
			st->torn++;
		st->reads++;
	}
	st->retries = r.retries;
	return NULL;
}

int main(int argc, char **argv)
{
	const char *env = getenv("LPT_STRESS_READS");
	uint64_t reads = argc > 1 ? strtoull(argv[1], NULL, 0) : env ? strtoull(env, NULL, 0) : 100000000ULL;
	unsigned int nreaders = argc > 2 ? (unsigned int)atoi(argv[2]) : 2;

	writer_period_us = argc > 3 ? strtoul(argv[3], NULL, 0) : 0;
	struct reader_stats st[16];
	pthread_t w, rd[16];
	uint64_t total = 0, retries = 0, torn = 0, busy = 0;

	if (nreaders < 1 || nreaders > 16)
		return 2;
	for (unsigned int k = 0; k < KINDS; k++)
		if (lpt_scale_init(&to_pv[k], native_hz[k], PV_HZ) ||
		    lpt_scale_init(&to_native[k], PV_HZ, native_hz[k]))
			return 1;
	/* Generation 1 published before the readers start. */
	{
		struct lpt_page_fields f;
		struct lpt_map v, p;

		if (lpt_map_init(&v, native_hz[0], PV_HZ, width_of(0), vnb_of(0), vpb_of(0)) ||
		    lpt_map_init(&p, native_hz[0], PV_HZ, width_of(0), pnb_of(0), ppb_of(0)) ||
		    lpt_page_fields_rev1(&f, &v, &p, 0) || lpt_page_publish(&page, sizeof(page), &f))
			return 1;
	}
	pthread_create(&w, NULL, writer, NULL);
	for (unsigned int i = 0; i < nreaders; i++) {
		memset(&st[i], 0, sizeof(st[i]));
		st[i].seed = 0x4c5054 + i;
		st[i].quota = reads / nreaders;
		pthread_create(&rd[i], NULL, reader, &st[i]);
	}
	for (unsigned int i = 0; i < nreaders; i++) {
		pthread_join(rd[i], NULL);
		total += st[i].reads;
		retries += st[i].retries;
		torn += st[i].torn;
		busy += st[i].busy;
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	pthread_join(w, NULL);
	printf("stress: %u readers, 1 writer (%s): reads=%llu retries=%llu (%.1f per million) "
	       "busy=%llu publishes=%llu torn=%llu\n", nreaders,
	       writer_period_us ? "periodic" : "continuous", (unsigned long long)total,
	       (unsigned long long)retries, total ? 1e6 * retries / total : 0.0,
	       (unsigned long long)busy, (unsigned long long)publishes, (unsigned long long)torn);
	return torn ? 1 : 0;
}
