// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * lpt-sim: VMs migrating between hosts of differing counter frequencies, under each way
 * of keeping their time, side by side (docs/simulator.md).
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "parse.h"
#include "report.h"
#include "scenario.h"
#include "threads.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lpt-sim [options] [SCENARIO.ini]\n"
		"\n"
		"Runs the scenario (without one, the built-in default: a VM migrating across\n"
		"25 MHz, 1 GHz, 19.2 MHz and 100 MHz hosts) under the strategies none, rfc, lpt,\n"
		"trap and ideal, and prints a table of each one's effect on the guest's time.\n"
		"\n"
		"  --seed N         override the scenario's seed\n"
		"  --csv FILE       write the time series (guest clock error at each sample)\n"
		"  --plot FILE.png  draw it with gnuplot (needs --csv)\n"
		"  --threads[=N]    also run the VMM writer and 2 vCPU readers as threads on a\n"
		"                   live page for N reads (default 10^8); report retries, torn\n"
		"  --counter-outside  with --threads, a control: the readers take the counter\n"
		"                   before the page's read window (torn reads expected)\n"
		"  --jobs N         threads sharing the VMs (default: the CPUs online); the\n"
		"                   results do not depend on it\n"
		"  --bench          report run time, guest counter reads per CPU second, peak\n"
		"                   memory\n"
		"  --quiet          no progress on the terminal\n"
		"  --print-default  print the built-in scenario and exit\n");
}

struct progress {
	bool on;
	bool ended;
	uint64_t last_pct;
};

static void show_progress(uint64_t done, uint64_t total, void *arg)
{
	struct progress *p = arg;
	uint64_t pct = done * 100 / total;

	if (!p->on || p->ended || (pct == p->last_pct && done != total))
		return;
	p->last_pct = pct;
	p->ended = done == total;
	fprintf(stderr, "\r  %" PRIu64 "/%" PRIu64 " VMs (%" PRIu64 "%%)%s", done, total, pct,
		done == total ? "\n" : "");
}

static double seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

int main(int argc, char **argv)
{
	const char *path = NULL, *csv = NULL, *png = NULL;
	bool bench = false, quiet = false, seed_set = false, counter_outside = false;
	uint64_t seed = 0, threads = 0, jobs = (uint64_t)sysconf(_SC_NPROCESSORS_ONLN);
	struct lpt_sim_scenario *sc = malloc(sizeof(*sc));
	struct lpt_sim_report *rep = malloc(sizeof(*rep));
	struct progress prog = { 0 };
	struct timespec t0, t1;
	char err[512];
	int ret = 1;

	if (!sc || !rep) {
		fprintf(stderr, "lpt-sim: out of memory\n");
		goto out;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			ret = 0;
			goto out;
		} else if (!strcmp(a, "--print-default")) {
			fputs(lpt_sim_default_scenario, stdout);
			ret = 0;
			goto out;
		} else if (!strcmp(a, "--seed") && i + 1 < argc) {
			if (lpt_parse_u64(argv[++i], &seed)) {
				fprintf(stderr, "lpt-sim: --seed: '%s' is not a number\n", argv[i]);
				ret = 2;
				goto out;
			}
			seed_set = true;
		} else if (!strcmp(a, "--jobs") && i + 1 < argc) {
			if (lpt_parse_u64(argv[++i], &jobs) || !jobs || jobs > 256) {
				fprintf(stderr, "lpt-sim: --jobs: 1 to 256\n");
				ret = 2;
				goto out;
			}
		} else if (!strcmp(a, "--csv") && i + 1 < argc) {
			csv = argv[++i];
		} else if (!strcmp(a, "--plot") && i + 1 < argc) {
			png = argv[++i];
		} else if (!strcmp(a, "--threads")) {
			threads = 100000000;
		} else if (!strncmp(a, "--threads=", 10)) {
			if (lpt_parse_u64(a + 10, &threads) || !threads) {
				fprintf(stderr, "lpt-sim: --threads=N: N reads, at least 1\n");
				ret = 2;
				goto out;
			}
		} else if (!strcmp(a, "--counter-outside")) {
			counter_outside = true;
		} else if (!strcmp(a, "--bench")) {
			bench = true;
		} else if (!strcmp(a, "--quiet")) {
			quiet = true;
		} else if (a[0] == '-' || path) {
			usage(stderr);
			ret = 2;
			goto out;
		} else {
			path = a;
		}
	}
	if (png && !csv) {
		fprintf(stderr, "lpt-sim: --plot draws from the CSV: give --csv FILE too\n");
		ret = 2;
		goto out;
	}
	if (path ? lpt_sim_scenario_load(sc, path, err, sizeof(err)) :
		   lpt_sim_scenario_parse(sc, "<built-in default>", lpt_sim_default_scenario, err,
					  sizeof(err))) {
		fprintf(stderr, "lpt-sim: %s\n", err);
		ret = 2;
		goto out;	/* a scenario that fails to load holds nothing */
	}
	if (seed_set)
		sc->seed = seed;
	prog.on = !quiet && isatty(STDERR_FILENO);
	prog.last_pct = UINT64_MAX;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (jobs < 1 || jobs > 256)
		jobs = 1;
	if (lpt_sim_run(sc, rep, (unsigned int)jobs, show_progress, &prog, err, sizeof(err))) {
		fprintf(stderr, "lpt-sim: %s\n", err);
		goto out_report;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	lpt_sim_print_tables(stdout, sc, rep);
	if (csv && lpt_sim_write_csv(csv, sc, rep)) {
		fprintf(stderr, "lpt-sim: cannot write %s\n", csv);
		goto out_report;
	}
	if (png && lpt_sim_plot(png, csv, sc, rep, err, sizeof(err))) {
		fprintf(stderr, "lpt-sim: %s\n", err);
		goto out_report;
	}
	if (bench) {
		uint64_t reads = 0, vms = 0;
		struct rusage ru;
		double s = seconds(&t0, &t1), cpu;

		for (uint32_t v = 0; v < sc->nvms; v++) {
			for (int k = 0; k < LPT_SIM_STRATEGIES; k++) {
				reads += rep->stats[v][k].reads;
				vms += rep->stats[v][k].vms;
			}
		}
		getrusage(RUSAGE_SELF, &ru);
		cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		      (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
		printf("\nbench: %" PRIu64 " VM runs, %" PRIu64 " guest counter reads in %.2f s "
		       "(%" PRIu64 " job%s, %.2f CPU s): %.1f M reads per CPU second; peak memory "
		       "%ld MiB\n", vms, reads, s, jobs, jobs == 1 ? "" : "s", cpu,
		       (double)reads / cpu / 1e6, ru.ru_maxrss / 1024);
	}
	if (threads) {
		struct lpt_sim_threads_result tr;

		if (lpt_sim_threads(sc, threads, 2, counter_outside, &tr, err, sizeof(err))) {
			fprintf(stderr, "lpt-sim: --threads: %s\n", err);
			goto out_report;
		}
		printf("\nthreads: 1 writer, 2 readers (counter read %s the window), %"
		       PRIu64 " read attempts in %.2f s: %" PRIu64 " reads, %" PRIu64
		       " retries, %" PRIu64 " not ready, %" PRIu64 " busy, %" PRIu64
		       " torn; %" PRIu64 " migrations\n", counter_outside ? "before" : "inside",
		       tr.reads + tr.not_ready + tr.busy,
		       (double)tr.ns / 1e9, tr.reads, tr.retries, tr.not_ready, tr.busy, tr.torn,
		       tr.updates);
		if (tr.torn)
			goto out_report;
	}
	ret = 0;
out_report:
	lpt_sim_report_free(rep, sc);
	lpt_sim_scenario_free(sc);
out:
	free(rep);
	free(sc);
	return ret;
}
