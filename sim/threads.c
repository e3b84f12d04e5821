// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#define _POSIX_C_SOURCE 200809L
#include "threads.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lpt/lpt.h>

#include "rng.h"
#include "strategy.h"
#include "strategy_lpt.h"
#include "timeline.h"

#define CONTENTS_MAX	8
#define READERS_MAX	16
/* Stop-flag polls between two migrations: the page stays valid most of the time. */
#define WRITER_DWELL	4096

struct shared {
	alignas(LPT_PAGE_ALIGN) unsigned char page[LPT_PAGE_REV1_SIZE];
	struct lpt_page_fields contents[CONTENTS_MAX];
	struct lpt_map maps[CONTENTS_MAX];
	unsigned int ncontents;
	atomic_uint host;	/* the host the vCPUs run on: the content it publishes */
	bool counter_outside;	/* the control: counter read before the window */
	atomic_bool stop;
	atomic_uint_fast64_t updates;
};

struct reader {
	pthread_t thread;
	struct shared *sh;
	uint64_t reads;
	uint64_t seed;
	struct lpt_sim_threads_result res;
};

/*
 * The VMM: a migration over and over. The restore on the next host invalidates the
 * page, the vCPUs then run on that host (its counter), and the first run publishes the
 * host's content.
 */
static void *writer_main(void *arg)
{
	struct shared *sh = arg;
	struct lpt_updater up;
	uint64_t i = 0;

	while (!atomic_load_explicit(&sh->stop, memory_order_relaxed)) {
		unsigned int h = (unsigned int)(++i % sh->ncontents);
		int err = lpt_updater_init(&up, sh->page, sizeof(sh->page));

		/* Everything the restore wrote is seen by a vCPU on the new host. */
		atomic_store_explicit(&sh->host, h, memory_order_release);
		if (err || lpt_updater_stage(&up, &sh->contents[h]) ||
		    lpt_updater_vcpu_run(&up) != 1) {
			atomic_store(&sh->stop, true);	/* releases readers waiting for it */
			break;
		}
		atomic_fetch_add_explicit(&sh->updates, 1, memory_order_relaxed);
		/* The vCPUs run a while on this host (a few microseconds) before the next. */
		for (unsigned int k = 0; k < WRITER_DWELL; k++)
			if (atomic_load_explicit(&sh->stop, memory_order_relaxed))
				break;
	}
	return NULL;
}

/*
 * The counter a vCPU reads: that of the host it runs on, at or after the native value
 * where that host's map begins.
 */
static uint64_t counter_read(struct shared *sh, struct lpt_sim_rng *rng, unsigned int *host)
{
	unsigned int h = atomic_load_explicit(&sh->host, memory_order_acquire);
	const struct lpt_map *m = &sh->maps[h];

	*host = h;
	return (m->native_base + (lpt_sim_rng_next(rng) >> 24)) & m->native_mask;
}

/*
 * A vCPU: reads of its PV counter, the counter read inside the page's window (or,
 * as a control, before it), each checked against the content of the host whose
 * counter it read.
 */
static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	struct shared *sh = rd->sh;
	struct lpt_sim_rng rng = { rd->seed };
	struct lpt_reader r;

	if (lpt_reader_init(&r, sh->page, sizeof(sh->page)))
		return NULL;
	/* Start once the writer runs, so that every read races with it. */
	while (!atomic_load_explicit(&sh->updates, memory_order_relaxed) &&
	       !atomic_load_explicit(&sh->stop, memory_order_relaxed))
		sched_yield();
	while (rd->res.reads < rd->reads) {
		uint64_t seq, native = 0, pv = 0;
		unsigned int h = 0;
		int e;

		if (sh->counter_outside)
			native = counter_read(sh, &rng, &h);
		do {
			e = lpt_reader_begin(&r, &seq);
			if (e)
				break;
			if (!sh->counter_outside)
				native = counter_read(sh, &rng, &h);
			pv = lpt_reader_pv(&r, native, false);
		} while (lpt_reader_retry(&r, seq));
		if (e == -LPT_ENOTREADY) {
			rd->res.not_ready++;
			/* A writer that failed leaves the page invalid: stop with it. */
			if (atomic_load_explicit(&sh->stop, memory_order_relaxed))
				break;
			continue;
		}
		if (e == -LPT_EBUSY) {
			rd->res.busy++;
			continue;
		}
		if (e || pv != lpt_map_native_to_pv(&sh->maps[h], native))
			rd->res.torn++;
		rd->res.reads++;
	}
	rd->res.retries = r.retries;
	return NULL;
}

/* The first VM's page contents, one per stay, as the lpt strategy publishes them. */
static int collect(struct shared *sh, const struct lpt_sim_scenario *sc, char *err, size_t errlen)
{
	struct lpt_sim_timeline tl;
	struct lpt_sim_vcpu *v = aligned_alloc(LPT_PAGE_ALIGN,
		(sizeof(*v) + LPT_PAGE_ALIGN - 1) / LPT_PAGE_ALIGN * LPT_PAGE_ALIGN);
	int r = -1;

	if (!v) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (lpt_sim_timeline_build(&tl, sc, 0, 0, err, errlen))
		goto out;
	if (lpt_sim_vcpu_boot(v, LPT_SIM_LPT, &tl, &sc->vms[0]))
		goto bug;
	for (uint32_t i = 0; i < tl.nstays && i < CONTENTS_MAX; i++) {
		if (i && lpt_sim_migrate(v))
			goto bug;
		lpt_sim_lpt_content(v, &sh->contents[i], &sh->maps[i]);
		sh->ncontents = i + 1;
	}
	r = 0;
	goto free_tl;
bug:
	snprintf(err, errlen, "the library refused a step (a bug in the simulator)");
free_tl:
	lpt_sim_timeline_free(&tl);
out:
	free(v);
	return r;
}

int lpt_sim_threads(const struct lpt_sim_scenario *sc, uint64_t reads, unsigned int readers,
		    bool counter_outside, struct lpt_sim_threads_result *res, char *err,
		    size_t errlen)
{
	struct shared *sh = aligned_alloc(LPT_PAGE_ALIGN,
		(sizeof(*sh) + LPT_PAGE_ALIGN - 1) / LPT_PAGE_ALIGN * LPT_PAGE_ALIGN);
	struct reader rd[READERS_MAX];
	struct timespec t0, t1;
	pthread_t writer;
	int r = -1;

	memset(res, 0, sizeof(*res));
	if (!sh) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(sh, 0, sizeof(*sh));
	if (readers < 1 || readers > READERS_MAX) {
		snprintf(err, errlen, "1 to %d readers", READERS_MAX);
		goto out;
	}
	if (collect(sh, sc, err, errlen))
		goto out;
	if (sh->ncontents < 2) {
		snprintf(err, errlen, "the first VM needs a migration between two hosts");
		goto out;
	}
	sh->counter_outside = counter_outside;
	/* Published once before the readers start, as at a VM's first run. */
	if (lpt_page_publish(sh->page, sizeof(sh->page), &sh->contents[0])) {
		snprintf(err, errlen, "the first content does not publish");
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (pthread_create(&writer, NULL, writer_main, sh)) {
		snprintf(err, errlen, "cannot start the writer");
		goto out;
	}
	for (unsigned int i = 0; i < readers; i++) {
		memset(&rd[i], 0, sizeof(rd[i]));
		rd[i].sh = sh;
		rd[i].reads = reads / readers + (i < reads % readers);
		rd[i].seed = sc->seed + i;
		pthread_create(&rd[i].thread, NULL, reader_main, &rd[i]);
	}
	for (unsigned int i = 0; i < readers; i++) {
		pthread_join(rd[i].thread, NULL);
		res->reads += rd[i].res.reads;
		res->retries += rd[i].res.retries;
		res->not_ready += rd[i].res.not_ready;
		res->busy += rd[i].res.busy;
		res->torn += rd[i].res.torn;
	}
	atomic_store(&sh->stop, true);
	pthread_join(writer, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->updates = atomic_load(&sh->updates);
	res->ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ULL +
		  (uint64_t)t1.tv_nsec - (uint64_t)t0.tv_nsec;
	r = 0;
out:
	free(sh);
	return r;
}
