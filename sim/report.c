// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define NSEC_PER_SEC	UINT64_C(1000000000)

const char *lpt_sim_fmt_ns(char *buf, size_t len, int64_t ns)
{
	uint64_t a = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;
	const char *sign = ns < 0 ? "-" : "";

	if (a < 1000)
		snprintf(buf, len, "%s%" PRIu64 " ns", sign, a);
	else if (a < 1000000)
		snprintf(buf, len, "%s%" PRIu64 ".%03" PRIu64 " us", sign, a / 1000, a % 1000);
	else if (a < NSEC_PER_SEC)
		snprintf(buf, len, "%s%" PRIu64 ".%03" PRIu64 " ms", sign, a / 1000000,
			 a / 1000 % 1000);
	else if (a < 600 * NSEC_PER_SEC)
		snprintf(buf, len, "%s%" PRIu64 ".%03" PRIu64 " s", sign, a / NSEC_PER_SEC,
			 a / 1000000 % 1000);
	else	/* hours, to the second */
		snprintf(buf, len, "%s%" PRIu64 "h%02" PRIu64 "m%02" PRIu64 "s", sign,
			 a / (3600 * NSEC_PER_SEC), a / (60 * NSEC_PER_SEC) % 60,
			 a / NSEC_PER_SEC % 60);
	return buf;
}

/* A firmware's error: "never" when its wait did not end during the stay, "-" without
 * a migration. */
static const char *fmt_fw(char *buf, size_t len, const struct lpt_sim_stats *x, int64_t ns)
{
	if (!x->migrations)
		return "-";
	return ns == INT64_MAX ? "never" : lpt_sim_fmt_ns(buf, len, ns);
}

static const char *fmt_hz(char *buf, size_t len, uint64_t hz)
{
	if (hz % 1000000000 == 0)
		snprintf(buf, len, "%" PRIu64 " GHz", hz / 1000000000);
	else if (hz % 1000000 == 0)
		snprintf(buf, len, "%" PRIu64 " MHz", hz / 1000000);
	else if (hz % 100000 == 0)
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 " MHz", hz / 1000000, hz / 100000 % 10);
	else
		snprintf(buf, len, "%" PRIu64 " Hz", hz);
	return buf;
}

static void print_header(FILE *f, const struct lpt_sim_scenario *sc, const struct lpt_sim_vm *vm,
			 const struct lpt_sim_report *rep, uint32_t vmi)
{
	char a[32], b[32], c[32];
	const struct lpt_sim_series *se = &rep->series[vmi];

	fprintf(f, "\n== vm %s: %u VM%s, PV counter %s, booted on %s (%s), run %s, downtime %s\n",
		vm->name, vm->count, vm->count == 1 ? "" : "s", fmt_hz(a, sizeof(a), vm->pv_hz),
		sc->hosts[vm->boot_host].name, fmt_hz(b, sizeof(b), sc->hosts[vm->boot_host].hz),
		lpt_sim_fmt_ns(c, sizeof(c), (int64_t)sc->duration_ns),
		vm->downtime ? "counted" : "hidden");
	if (se->nmigrations && se->nmigrations <= 8) {
		fprintf(f, "   migrations:");
		for (uint32_t m = 0; m < se->nmigrations; m++)
			fprintf(f, " %s at %s;", se->mig_host[m],
				lpt_sim_fmt_ns(a, sizeof(a), (int64_t)se->mig_at_ns[m]));
		fprintf(f, "\n");
	} else if (vm->random_migrations) {
		fprintf(f, "   %u seeded migrations per VM across %u host types\n",
			vm->random_migrations, sc->nhosts);
	}
	for (int s = 0; s < LPT_SIM_STRATEGIES && vm->refuse; s++) {
		const struct lpt_sim_stats *x = &rep->stats[vmi][s];

		if (!(sc->strategies & (1u << s)))
			continue;
		fprintf(f, "   migration_policy refuse: %" PRIu64 " of %" PRIu64 " migrations "
			"refused (counter frequencies differ), %" PRIu64 " made\n", x->refused,
			x->refused + x->migrations, x->migrations);
		break;
	}
}

static void print_clock_table(FILE *f, const struct lpt_sim_scenario *sc,
			      const struct lpt_sim_stats *st)
{
	char a[32], b[32], c[32], d[32];

	fprintf(f, "\n%-9s %14s %14s %12s %14s %12s %14s\n", "clock", "max error",
		"final error", "final ppm", "from ideal", "back steps", "largest step");
	for (int s = 0; s < LPT_SIM_STRATEGIES; s++) {
		const struct lpt_sim_stats *x = &st[s];

		if (!(sc->strategies & (1u << s)))
			continue;
		fprintf(f, "%-9s %14s %14s %12.3f %14s %12" PRIu64 " %14s\n",
			lpt_sim_strategy_name((enum lpt_sim_strategy)s),
			lpt_sim_fmt_ns(a, sizeof(a), x->max_err_ns),
			lpt_sim_fmt_ns(b, sizeof(b), x->final_err_ns),
			(double)x->final_err_ns * 1e6 / (double)sc->duration_ns,
			lpt_sim_fmt_ns(c, sizeof(c), x->max_dev_ns), x->back_steps,
			lpt_sim_fmt_ns(d, sizeof(d), (int64_t)x->back_max_ns));
	}
}

static void print_timer_table(FILE *f, const struct lpt_sim_scenario *sc,
			      const struct lpt_sim_stats *st)
{
	char a[32], b[32], c[32], d[32], e[32], g[32];

	fprintf(f, "\n%-9s %9s %8s %8s %5s %12s %12s %12s %10s %10s %8s %14s %14s\n", "timers",
		"fires", "early v", "early p", "lost", "late p50", "late p99", "late max",
		"evtstrm", "traps", "trap cpu", "firmware err", "aware fw err");
	for (int s = 0; s < LPT_SIM_STRATEGIES; s++) {
		const struct lpt_sim_stats *x = &st[s];
		double cpu = x->run_ns ? (double)x->traps * (double)sc->trap_cost_ns * 100.0 /
					 (double)x->run_ns : 0;

		if (!(sc->strategies & (1u << s)))
			continue;
		snprintf(d, sizeof(d), "x%.4g", x->evt_worst);
		fprintf(f, "%-9s %9" PRIu64 " %8" PRIu64 " %8" PRIu64 " %5" PRIu64
			" %12s %12s %12s %10s %10" PRIu64 " %7.3f%% %14s %14s\n",
			lpt_sim_strategy_name((enum lpt_sim_strategy)s), x->fires, x->early_v,
			x->early_p, x->lost,
			lpt_sim_fmt_ns(a, sizeof(a), lpt_sim_hist_quantile(&x->late, 0.50)),
			lpt_sim_fmt_ns(b, sizeof(b), lpt_sim_hist_quantile(&x->late, 0.99)),
			lpt_sim_fmt_ns(c, sizeof(c), x->fires ? x->late_max_ns : 0), d, x->traps,
			cpu, fmt_fw(e, sizeof(e), x, x->fw_max_err_ns),
			fmt_fw(g, sizeof(g), x, x->fw_aware_max_err_ns));
	}
}

/* One firmware's error after each migration (first VM), a column per strategy. */
static void print_firmware(FILE *f, const struct lpt_sim_scenario *sc, const struct lpt_sim_vm *vm,
			   const struct lpt_sim_series *se, bool aware)
{
	char a[32];

	if (!se->nmigrations || !vm->firmware_stall_ns || se->nmigrations > 8)
		return;
	fprintf(f, "\n%s firmware waiting %s after each migration (first VM), error:\n"
		"%-12s %-10s", aware ? "LPT-aware (liblpt's reader on the page)" :
		"not LPT-aware", lpt_sim_fmt_ns(a, sizeof(a), (int64_t)vm->firmware_stall_ns),
		"at", "to");
	for (int s = 0; s < LPT_SIM_STRATEGIES; s++)
		if (sc->strategies & (1u << s))
			fprintf(f, " %14s", lpt_sim_strategy_name((enum lpt_sim_strategy)s));
	fprintf(f, "\n");
	for (uint32_t m = 0; m < se->nmigrations; m++) {
		fprintf(f, "%-12s %-10s", lpt_sim_fmt_ns(a, sizeof(a), (int64_t)se->mig_at_ns[m]),
			se->mig_host[m]);
		for (int s = 0; s < LPT_SIM_STRATEGIES; s++) {
			int64_t e;

			/* Only the strategies run have their arrays. */
			if (!(sc->strategies & (1u << s)))
				continue;
			e = aware ? se->fw_aware_err_ns[s][m] : se->fw_err_ns[s][m];
			fprintf(f, " %14s", e == INT64_MAX ? "never" : lpt_sim_fmt_ns(a, sizeof(a), e));
		}
		fprintf(f, "\n");
	}
}

/* The nested strategies' L2: its stale windows and the composed maps. */
static void print_nested(FILE *f, const struct lpt_sim_scenario *sc, const struct lpt_sim_vm *vm,
			 const struct lpt_sim_stats *st)
{
	static const int nested[] = { LPT_SIM_L2_LAZY, LPT_SIM_L2_EVENT };
	char a[32], b[32], c[32], d[32], e[32];
	bool any = false;

	for (unsigned int k = 0; k < 2; k++)
		any |= !!(sc->strategies & (1u << nested[k]));
	if (!any)
		return;
	fprintf(f, "\nnested: L2 (PV %s) in L1 (PV %s, lazy L1 runs %s after a resume)\n"
		"%-9s %8s %12s %12s %10s %14s %14s\n", fmt_hz(a, sizeof(a), vm->pv_hz),
		fmt_hz(b, sizeof(b), vm->l1_pv_hz),
		lpt_sim_fmt_ns(c, sizeof(c), (int64_t)vm->l1_latency_ns), "L2", "windows",
		"stale time", "longest", "reads", "stale error", "two maps");
	for (unsigned int k = 0; k < 2; k++) {
		const struct lpt_sim_nested *x = &st[nested[k]].nested;
		/* L2 ticks in ns, for the table */
		double ns = 1e9 / (double)vm->pv_hz;

		if (!(sc->strategies & (1u << nested[k])))
			continue;
		fprintf(f, "%-9s %8" PRIu64 " %12s %12s %10" PRIu64 " %14s %14s\n",
			lpt_sim_strategy_name((enum lpt_sim_strategy)nested[k]), x->windows,
			lpt_sim_fmt_ns(a, sizeof(a), (int64_t)x->stale_ns),
			lpt_sim_fmt_ns(b, sizeof(b), (int64_t)x->stale_max_ns), x->stale_reads,
			lpt_sim_fmt_ns(d, sizeof(d), (int64_t)((double)x->stale_err * ns)),
			lpt_sim_fmt_ns(e, sizeof(e), (int64_t)((double)x->two_maps * ns)));
	}
}

void lpt_sim_print_tables(FILE *f, const struct lpt_sim_scenario *sc,
			  const struct lpt_sim_report *rep)
{
	fprintf(f, "scenario %s, seed %" PRIu64 "\n", sc->file, sc->seed);
	for (uint32_t i = 0; i < sc->nvms; i++) {
		const struct lpt_sim_stats *st = rep->stats[i];
		uint64_t errors = 0;

		print_header(f, sc, &sc->vms[i], rep, i);
		print_clock_table(f, sc, st);
		print_timer_table(f, sc, st);
		print_firmware(f, sc, &sc->vms[i], &rep->series[i], false);
		print_firmware(f, sc, &sc->vms[i], &rep->series[i], true);
		print_nested(f, sc, &sc->vms[i], st);
		for (int s = 0; s < LPT_SIM_STRATEGIES; s++)
			errors += st[s].errors;
		if (errors)
			fprintf(f, "\nWARNING: %" PRIu64 " page reads failed\n", errors);
	}
}

int lpt_sim_write_csv(const char *path, const struct lpt_sim_scenario *sc,
		      const struct lpt_sim_report *rep)
{
	FILE *f = fopen(path, "w");
	int e;

	if (!f)
		return -1;
	fprintf(f, "vm,t_ns");
	for (int s = 0; s < LPT_SIM_STRATEGIES; s++)
		if (sc->strategies & (1u << s))
			fprintf(f, ",%s_err_ns", lpt_sim_strategy_name((enum lpt_sim_strategy)s));
	fprintf(f, "\n");
	for (uint32_t v = 0; v < sc->nvms; v++) {
		const struct lpt_sim_series *se = &rep->series[v];

		for (uint32_t i = 0; i < se->nsamples; i++) {
			fprintf(f, "%s,%" PRIu64, sc->vms[v].name, (uint64_t)i * sc->sample_ns);
			for (int s = 0; s < LPT_SIM_STRATEGIES; s++) {
				if (!(sc->strategies & (1u << s)))
					continue;
				if (se->err_ns[s][i] == INT64_MIN)
					fprintf(f, ",");
				else
					fprintf(f, ",%" PRId64, se->err_ns[s][i]);
			}
			fprintf(f, "\n");
		}
	}
	e = ferror(f) ? EIO : 0;
	if (fclose(f) && !e)
		e = errno;
	errno = e;
	return e ? -1 : 0;
}

/* A flat series gets a range of +-1 ns around it rather than gnuplot's warning. */
static void plot_yrange(FILE *g, const struct lpt_sim_series *se, int s)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN + 1;

	for (uint32_t i = 0; i < se->nsamples; i++) {
		int64_t v = se->err_ns[s][i];

		if (v == INT64_MIN)
			continue;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	if (lo >= hi && lo != INT64_MAX)
		fprintf(g, "set yrange [%.9f:%.9f]\n", (double)(lo - 1) / 1e9,
			(double)(lo + 1) / 1e9);
	else
		fprintf(g, "set yrange [*:*]\n");
}

/* One strategy's series as a gnuplot datablock: hours and seconds, a blank line (a gap)
 * while the VM is paused. */
static void plot_data(FILE *g, const struct lpt_sim_scenario *sc,
		      const struct lpt_sim_series *se, int s)
{
	fprintf(g, "$s%d << EOD\n", s);
	for (uint32_t i = 0; i < se->nsamples; i++) {
		if (se->err_ns[s][i] == INT64_MIN)
			fprintf(g, "\n");
		else
			fprintf(g, "%.9f %.9f\n", (double)i * (double)sc->sample_ns / 3.6e12,
				(double)se->err_ns[s][i] / 1e9);
	}
	fprintf(g, "EOD\n");
}

/*
 * gnuplot runs without a shell, reads its commands and the data (datablocks) on its
 * standard input and writes the PNG on its standard output, a file opened here: no
 * path reaches gnuplot's command language, and names are of the scenario's safe
 * alphabet.
 */
int lpt_sim_plot(const char *png, const struct lpt_sim_scenario *sc,
		 const struct lpt_sim_report *rep, char *err, size_t errlen)
{
	const struct lpt_sim_series *se = &rep->series[0];
	char *const argv[] = { "gnuplot", NULL };
	posix_spawn_file_actions_t fa;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	int n = 0, status, out, fds[2], e;
	pid_t pid;
	FILE *g;

	for (int s = 0; s < LPT_SIM_STRATEGIES; s++)
		n += !!(sc->strategies & (1u << s));
	out = open(png, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (out < 0) {
		snprintf(err, errlen, "cannot write %s: %s", png, strerror(errno));
		return -1;
	}
	if (pipe(fds)) {
		snprintf(err, errlen, "cannot run gnuplot: %s", strerror(errno));
		close(out);
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out, STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	e = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[0]);
	close(out);
	if (e) {
		close(fds[1]);
		snprintf(err, errlen, "cannot run gnuplot: %s", strerror(e));
		return -1;
	}
	g = fdopen(fds[1], "w");
	if (!g) {
		close(fds[1]);
		waitpid(pid, NULL, 0);
		snprintf(err, errlen, "cannot run gnuplot: %s", strerror(errno));
		return -1;
	}
	sigaction(SIGPIPE, &ign, &old);	/* a gnuplot that exits early is reported below */
	for (int s = 0; s < LPT_SIM_STRATEGIES; s++)
		if (sc->strategies & (1u << s))
			plot_data(g, sc, se, s);
	fprintf(g, "set terminal pngcairo size 1100,%d font ',10'\nset output\n", 170 * n + 90);
	fprintf(g, "set multiplot layout %d,1 title 'vm %s: guest clock error against true "
		"time (dashed: migrations)'\n", n, sc->vms[0].name);
	fprintf(g, "set format y '%%.1s %%cs'\nset grid ytics\nset key top left\n");
	fprintf(g, "set lmargin 12\nset xrange [0:%.6f]\n", (double)sc->duration_ns / 3.6e12);
	for (uint32_t m = 0; m < se->nmigrations; m++)
		fprintf(g, "set arrow from %.6f, graph 0 to %.6f, graph 1 nohead dt 2 lc 'gray'\n",
			(double)se->mig_at_ns[m] / 3.6e12, (double)se->mig_at_ns[m] / 3.6e12);
	for (int s = 0; s < LPT_SIM_STRATEGIES; s++) {
		if (!(sc->strategies & (1u << s)))
			continue;
		if (--n == 0)
			fprintf(g, "set xlabel 'true time (h)'\n");
		plot_yrange(g, se, s);
		fprintf(g, "plot $s%d using 1:2 with lines lw 1.5 title '%s'\n", s,
			lpt_sim_strategy_name((enum lpt_sim_strategy)s));
	}
	fprintf(g, "unset multiplot\n");
	e = fclose(g);
	sigaction(SIGPIPE, &old, NULL);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) || e) {
		snprintf(err, errlen, "gnuplot failed drawing %s", png);
		return -1;
	}
	return 0;
}
