// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * lpt-sim: VMs migrating between hosts of differing counter frequencies, under each way
 * of keeping their time, side by side (docs/simulator.md).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
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
		"25 MHz, 1 GHz, 19.2 MHz and 100 MHz hosts) under the strategies none, offset,\n"
		"rfc, lpt, trap, vmclock and ideal, and prints a table of each one's effect on\n"
		"the guest's time.\n"
		"\n"
		"  --seed N         override the scenario's seed (decimal, or 0x hexadecimal)\n"
		"  --csv FILE       write the time series (guest clock error at each sample)\n"
		"  --plot FILE.png  draw it with gnuplot\n"
		"  --threads[=N]    also run the VMM writer and 2 vCPU readers as threads on a\n"
		"                   live page for N reads (default 10^8); report retries, torn\n"
		"  --counter-outside  with --threads, a control: the readers take the counter\n"
		"                   before the page's read window (torn reads expected)\n"
		"  --jobs N         threads sharing the VMs (default: the CPUs online); the\n"
		"                   results do not depend on it\n"
		"  --bench          report run time, guest counter reads per CPU second, peak\n"
		"                   memory\n"
		"  --per-tick       take every timer interrupt one by one, reading the counters\n"
		"                   at each (slower; the results are the same)\n"
		"  --quiet          no progress on the terminal\n"
		"  --print-default  print the built-in scenario and exit\n"
		"\n"
		"Options take their value as --seed 5 or --seed=5; -- ends the options.\n");
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

/* The options, parsed by getopt_long(): 0 to run, 1 to exit 0 (help), -1 to exit 2. */
struct options {
	const char *path, *csv, *png;
	bool bench, quiet, seed_set, counter_outside, per_tick;
	uint64_t seed, threads, jobs;
};

static int parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_SEED = 256, OPT_JOBS, OPT_CSV, OPT_PLOT, OPT_THREADS, OPT_OUTSIDE, OPT_BENCH,
	       OPT_QUIET, OPT_DEFAULT, OPT_PER_TICK };
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "jobs", required_argument, NULL, OPT_JOBS },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "threads", optional_argument, NULL, OPT_THREADS },
		{ "counter-outside", no_argument, NULL, OPT_OUTSIDE },
		{ "bench", no_argument, NULL, OPT_BENCH },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "per-tick", no_argument, NULL, OPT_PER_TICK },
		{ "print-default", no_argument, NULL, OPT_DEFAULT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 1;
		case OPT_DEFAULT:
			fputs(lpt_sim_default_scenario, stdout);
			return 1;
		case OPT_SEED:
			if (lpt_parse_u64(optarg, &o->seed)) {
				fprintf(stderr, "lpt-sim: --seed: '%s' is not a number (decimal, "
					"or 0x and hexadecimal)\n", optarg);
				return -1;
			}
			o->seed_set = true;
			break;
		case OPT_JOBS:
			if (lpt_parse_u64(optarg, &o->jobs) || !o->jobs || o->jobs > 256) {
				fprintf(stderr, "lpt-sim: --jobs: 1 to 256\n");
				return -1;
			}
			break;
		case OPT_CSV:
			o->csv = optarg;
			break;
		case OPT_PLOT:
			o->png = optarg;
			break;
		case OPT_THREADS:
			o->threads = 100000000;
			if (optarg && (lpt_parse_u64(optarg, &o->threads) || !o->threads)) {
				fprintf(stderr, "lpt-sim: --threads=N: N reads, at least 1\n");
				return -1;
			}
			break;
		case OPT_OUTSIDE:
			o->counter_outside = true;
			break;
		case OPT_BENCH:
			o->bench = true;
			break;
		case OPT_QUIET:
			o->quiet = true;
			break;
		case OPT_PER_TICK:
			o->per_tick = true;
			break;
		default:	/* getopt_long() said what */
			fprintf(stderr, "Try 'lpt-sim --help'.\n");
			return -1;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "lpt-sim: one scenario file at most ('%s', '%s', ...)\n",
			argv[optind], argv[optind + 1]);
		return -1;
	}
	o->path = optind < argc ? argv[optind] : NULL;
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { .jobs = (uint64_t)sysconf(_SC_NPROCESSORS_ONLN) };
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
	ret = parse_options(argc, argv, &o);
	if (ret) {
		ret = ret > 0 ? 0 : 2;
		goto out;
	}
	ret = 1;
	if (o.path ? lpt_sim_scenario_load(sc, o.path, err, sizeof(err)) :
		   lpt_sim_scenario_parse(sc, "<built-in default>", lpt_sim_default_scenario, err,
					  sizeof(err))) {
		fprintf(stderr, "lpt-sim: %s\n", err);
		ret = 2;
		goto out;	/* a scenario that fails to load holds nothing */
	}
	if (o.seed_set)
		sc->seed = o.seed;
	sc->per_tick = o.per_tick;
	prog.on = !o.quiet && isatty(STDERR_FILENO);
	prog.last_pct = UINT64_MAX;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (o.jobs < 1 || o.jobs > 256)
		o.jobs = 1;
	if (lpt_sim_run(sc, rep, (unsigned int)o.jobs, show_progress, &prog, err, sizeof(err))) {
		fprintf(stderr, "lpt-sim: %s\n", err);
		goto out_report;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	lpt_sim_print_tables(stdout, sc, rep);
	if (o.csv && lpt_sim_write_csv(o.csv, sc, rep)) {
		fprintf(stderr, "lpt-sim: cannot write %s: %s\n", o.csv, strerror(errno));
		goto out_report;
	}
	if (o.png && lpt_sim_plot(o.png, sc, rep, err, sizeof(err))) {
		fprintf(stderr, "lpt-sim: %s\n", err);
		goto out_report;
	}
	if (o.bench) {
		uint64_t reads = 0, vms = 0, closed = 0;
		struct rusage ru;
		double s = seconds(&t0, &t1), cpu;

		for (uint32_t v = 0; v < sc->nvms; v++) {
			for (int k = 0; k < LPT_SIM_STRATEGIES; k++) {
				reads += rep->stats[v][k].reads;
				vms += rep->stats[v][k].vms;
				closed += rep->stats[v][k].closed_fires;
			}
		}
		getrusage(RUSAGE_SELF, &ru);
		cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		      (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
		printf("\nbench: %" PRIu64 " VM runs, %" PRIu64 " guest counter reads in %.2f s "
		       "(%" PRIu64 " job%s, %.2f CPU s): %.1f M reads per CPU second; peak memory "
		       "%ld MiB; %" PRIu64 " of the reads timer interrupts taken in closed form\n",
		       vms, reads, s, o.jobs, o.jobs == 1 ? "" : "s", cpu,
		       (double)reads / cpu / 1e6, ru.ru_maxrss / 1024, closed);
	}
	if (o.threads) {
		struct lpt_sim_threads_result tr;

		if (lpt_sim_threads(sc, o.threads, 2, o.counter_outside, &tr, err, sizeof(err))) {
			fprintf(stderr, "lpt-sim: --threads: %s\n", err);
			goto out_report;
		}
		printf("\nthreads: 1 writer, 2 readers (counter read %s the window), %"
		       PRIu64 " read attempts in %.2f s: %" PRIu64 " reads, %" PRIu64
		       " retries, %" PRIu64 " not ready, %" PRIu64 " busy, %" PRIu64
		       " torn; %" PRIu64 " migrations\n", o.counter_outside ? "before" : "inside",
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
