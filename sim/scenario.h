/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A simulator scenario: hosts, VMs, their workloads and migrations, and the strategies
 * to compare. Read from an INI file by libinih (docs/simulator.md has the format).
 */
#ifndef LPT_SIM_SCENARIO_H
#define LPT_SIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "strategy_list.h"

#define LPT_SIM_NAME_MAX	32
#define LPT_SIM_HOSTS_MAX	64
#define LPT_SIM_VMS_MAX		64
#define LPT_SIM_MIGRATIONS_MAX	4096
#define LPT_SIM_ERR_MAX		256
/* A scenario file's size and line length (bytes, without the newline). */
#define LPT_SIM_FILE_MAX	(1 << 20)
#define LPT_SIM_LINE_MAX	199
/* Samples of the time series, all VMs together (8 bytes each per strategy). */
#define LPT_SIM_SAMPLES_MAX	1000000
/* The longest run: 10 years (3650 days) of true time. */
#define LPT_SIM_DURATION_MAX	(3650ULL * 86400 * 1000000000)
/* The fastest tick and clock reads: one a nanosecond. */
#define LPT_SIM_RATE_MAX	1000000000ULL
/* The longest trap and firmware stall. */
#define LPT_SIM_TRAP_COST_MAX	1000000ULL
#define LPT_SIM_STALL_MAX	(86400ULL * 1000000000)

/* The ways a guest's time can be kept across hosts, compared side by side: one file
 * each, sim/strategy_NAME.c (docs/simulator.md describes each). */
#define LPT_SIM_STRATEGY_ENUM(e, name)	LPT_SIM_##e,
enum lpt_sim_strategy {
	LPT_SIM_STRATEGY_LIST(LPT_SIM_STRATEGY_ENUM)
	LPT_SIM_STRATEGIES,
};
#undef LPT_SIM_STRATEGY_ENUM

/* "none", "rfc", ... */
const char *lpt_sim_strategy_name(enum lpt_sim_strategy s);

/**
 * struct lpt_sim_host - A host type.
 * @name: its name in the scenario.
 * @hz: the counter frequency it advertises (CNTFRQ), Hz.
 * @ppb: its crystal's error, parts per billion: the counter really runs at
 *	@hz * (1 + @ppb / 10^9), rounded to a whole Hz (@actual_hz).
 * @actual_hz: the rate the counter really runs at, Hz.
 * @width: counter width in bits, 56 to 64.
 * @ecv: whether the host has FEAT_ECV (event stream from bits up to 23).
 * @line: where it was defined.
 * @hz_line: where its hz was given.
 */
struct lpt_sim_host {
	char name[LPT_SIM_NAME_MAX];
	uint64_t hz;
	int64_t ppb;
	uint64_t actual_hz;
	uint32_t width;
	bool ecv;
	int line;
	int hz_line;
};

/**
 * struct lpt_sim_migration - A live migration.
 * @at_ns: true time the VM pauses on its current host.
 * @host: index of the destination host.
 * @downtime_ns: how long it stays paused.
 * @line: where it was defined (0 for a seeded one).
 */
struct lpt_sim_migration {
	uint64_t at_ns;
	uint32_t host;
	uint64_t downtime_ns;
	int line;
};

/**
 * struct lpt_sim_vm - A VM (or @count identical ones) and its guest's workload.
 * @name: its name in the scenario.
 * @count: how many VMs of this kind (a fleet); each gets its own seeded phases and,
 *	with @random_migrations, its own migrations.
 * @pv_hz: the PV counter frequency the VMM gives it.
 * @boot_host: index of the host it boots on.
 * @downtime: enum lpt_downtime: whether the guest's counters count the downtime.
 * @refuse: the VMM refuses a migration to a host whose counter frequency differs from
 *	the current host's (cloud-hypervisor's policy): the VM stays where it is, and
 *	the refusal is counted.
 * @tick_hz: the guest kernel's periodic tick, on the virtual timer (CVAL); 0 for none.
 * @sleep_min_ns: one-shot sleeps on the physical timer (TVAL), each of a seeded
 *	duration in [@sleep_min_ns, @sleep_max_ns]; 0 for none.
 * @sleep_max_ns: see @sleep_min_ns.
 * @reads_hz: clock reads per second by the guest's programs (clock_gettime()).
 * @evtstrm_hz: the event stream the guest kernel asks for (Linux: 10 kHz); 0 for none.
 * @firmware_stall_ns: after each migration, the firmware waits this long: one that is
 *	not LPT-aware on the raw counter with the frequency it read at boot, one that is
 *	on the PV counter through the page (liblpt's reader); 0 for none.
 * @l1_pv_hz: nested strategies (l2_lazy, l2_event): the PV counter frequency L0 gives
 *	the L1 hypervisor the guest (L2) runs in; @pv_hz is L2's (default: @pv_hz).
 * @l1_latency_ns: l2_lazy: how long after a resume L1 runs at the latest (its own
 *	tick), learning of the migration from its page only then.
 * @migrations: scheduled migrations, in time order (shared by all @count VMs).
 * @nmigrations: how many.
 * @random_migrations: per VM, that many more at seeded times spread evenly over the
 *	run, to seeded hosts other than the current one.
 * @random_downtime_min_ns: their downtime range.
 * @random_downtime_max_ns: see @random_downtime_min_ns.
 * @line: where it was defined.
 * @tick_line: where tick_hz was given (0: the default).
 * @reads_line: where reads_hz was given (0: the default).
 * @evtstrm_line: where evtstrm_hz was given (0: the default).
 * @sleep_line: where sleep was given (0: the default).
 * @random_line: where random_migrations was given.
 */
struct lpt_sim_vm {
	char name[LPT_SIM_NAME_MAX];
	uint32_t count;
	uint64_t pv_hz;
	uint32_t boot_host;
	uint32_t downtime;
	bool refuse;
	uint64_t tick_hz;
	uint64_t sleep_min_ns;
	uint64_t sleep_max_ns;
	uint64_t reads_hz;
	uint64_t evtstrm_hz;
	uint64_t firmware_stall_ns;
	uint64_t l1_pv_hz;
	uint64_t l1_latency_ns;
	struct lpt_sim_migration *migrations;
	uint32_t nmigrations;
	uint32_t random_migrations;
	uint64_t random_downtime_min_ns;
	uint64_t random_downtime_max_ns;
	int line;
	int tick_line;
	int reads_line;
	int evtstrm_line;
	int sleep_line;
	int random_line;
};

/**
 * struct lpt_sim_scenario - A whole scenario.
 * @file: the name errors are reported against.
 * @seed: the seed of every random choice.
 * @duration_ns: how long each VM runs, true time.
 * @sample_ns: period of the time series (CSV, plot) and of the error samples.
 * @strategies: bit mask of enum lpt_sim_strategy to run.
 * @trap_cost_ns: CPU time of one trapped access under the trap strategy.
 * @traps_per_irq: trapped accesses per timer interrupt under the trap strategy.
 * @hosts: the host types.
 * @nhosts: how many.
 * @vms: the VMs.
 * @nvms: how many.
 * @duration_line: where duration was given (0: the default).
 * @sample_line: where sample was given (0: the default).
 * @per_tick: not from the file (lpt-sim --per-tick): take every timer interrupt one by
 *	one, reading the counters at each: never a run of them in closed form, never a
 *	sleep's counters from its compare value (the results are the same).
 */
struct lpt_sim_scenario {
	char file[LPT_SIM_ERR_MAX];
	uint64_t seed;
	uint64_t duration_ns;
	uint64_t sample_ns;
	uint32_t strategies;
	uint64_t trap_cost_ns;
	uint32_t traps_per_irq;
	struct lpt_sim_host hosts[LPT_SIM_HOSTS_MAX];
	uint32_t nhosts;
	struct lpt_sim_vm vms[LPT_SIM_VMS_MAX];
	uint32_t nvms;
	int duration_line;
	int sample_line;
	bool per_tick;
};

/**
 * lpt_sim_scenario_load() - Read a scenario file.
 * @sc: the scenario to fill in (free it with lpt_sim_scenario_free()).
 * @path: the file.
 * @err: where an error message is written, "FILE:LINE: what".
 * @errlen: its size.
 *
 * Return: 0, or -1 with @err set (nothing to free then).
 */
int lpt_sim_scenario_load(struct lpt_sim_scenario *sc, const char *path, char *err,
			  size_t errlen);

/**
 * lpt_sim_scenario_read() - Read a scenario from an open stream.
 * @sc: the scenario to fill in (free it with lpt_sim_scenario_free()).
 * @name: the name errors are reported against.
 * @f: the stream; read to its end, or to the first error.
 * @err: where an error message is written, "NAME:LINE: what".
 * @errlen: its size.
 *
 * Return: 0, or -1 with @err set (nothing to free then).
 */
int lpt_sim_scenario_read(struct lpt_sim_scenario *sc, const char *name, FILE *f, char *err,
			  size_t errlen);

/**
 * lpt_sim_scenario_parse() - Read a scenario from text.
 * @sc: the scenario to fill in.
 * @name: the name errors are reported against.
 * @text: the scenario, NUL-terminated.
 * @err: where an error message is written, "NAME:LINE: what".
 * @errlen: its size.
 *
 * Return: 0, or -1 with @err set.
 */
int lpt_sim_scenario_parse(struct lpt_sim_scenario *sc, const char *name, const char *text,
			   char *err, size_t errlen);

/* The built-in scenario (sim/scenarios/default.ini, compiled in). */
extern const char lpt_sim_default_scenario[];

/* Frees what a loaded scenario holds. */
void lpt_sim_scenario_free(struct lpt_sim_scenario *sc);

#endif /* LPT_SIM_SCENARIO_H */
