// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * libFuzzer target: arbitrary bytes as a scenario file. The parser must never crash,
 * trip a sanitizer or hang; a refusal must be one message naming the file; and a
 * scenario it accepts must keep every limit docs/simulator.md states (checked here
 * independently of the parser), and build each VM's timeline.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "timeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void check_name(const char *name)
{
	size_t n = strlen(name);

	CHECK(n >= 1 && n < LPT_SIM_NAME_MAX);
	for (; *name; name++)
		CHECK((*name >= 'a' && *name <= 'z') || (*name >= 'A' && *name <= 'Z') ||
		      (*name >= '0' && *name <= '9') || *name == '.' || *name == '_' ||
		      *name == '-');
}

static void check_accepted(const struct lpt_sim_scenario *sc)
{
	uint64_t samples = sc->duration_ns / sc->sample_ns + 1;

	CHECK(sc->duration_ns >= 1 && sc->duration_ns <= LPT_SIM_DURATION_MAX);
	CHECK(sc->sample_ns >= 1000000 && sc->sample_ns <= sc->duration_ns);
	CHECK(sc->nvms >= 1 && samples * sc->nvms <= LPT_SIM_SAMPLES_MAX);
	CHECK(sc->strategies && sc->strategies < (1u << LPT_SIM_STRATEGIES));
	CHECK(sc->trap_cost_ns <= LPT_SIM_TRAP_COST_MAX && sc->traps_per_irq <= 100);
	for (uint32_t i = 0; i < sc->nhosts; i++) {
		check_name(sc->hosts[i].name);
		CHECK(sc->hosts[i].hz >= 1 && sc->hosts[i].hz <= UINT32_MAX);
		CHECK(sc->hosts[i].width >= 56 && sc->hosts[i].width <= 64);
		for (uint32_t j = 0; j < i; j++)
			CHECK(strcmp(sc->hosts[i].name, sc->hosts[j].name));
	}
	for (uint32_t v = 0; v < sc->nvms; v++) {
		const struct lpt_sim_vm *vm = &sc->vms[v];
		uint64_t hz[2] = { vm->pv_hz, sc->hosts[vm->boot_host].hz };
		struct lpt_sim_timeline tl;
		char err[LPT_SIM_ERR_MAX + 256];

		check_name(vm->name);
		CHECK(vm->boot_host < sc->nhosts);
		CHECK(vm->count >= 1 && vm->count <= 1000000);
		CHECK(vm->pv_hz >= 1 && vm->pv_hz <= UINT32_MAX);
		for (int g = 0; g < 2; g++) {
			CHECK(vm->tick_hz <= hz[g] && vm->reads_hz <= hz[g] &&
			      vm->evtstrm_hz <= hz[g]);
		}
		CHECK(vm->tick_hz <= LPT_SIM_RATE_MAX && vm->reads_hz <= LPT_SIM_RATE_MAX);
		CHECK(vm->sleep_min_ns <= vm->sleep_max_ns);
		CHECK(!vm->sleep_max_ns || vm->sleep_min_ns);
		CHECK(vm->firmware_stall_ns <= LPT_SIM_STALL_MAX);
		CHECK(!(vm->nmigrations && vm->random_migrations));
		for (uint32_t m = 0; m < vm->nmigrations; m++) {
			const struct lpt_sim_migration *a = &vm->migrations[m];

			CHECK(a->host < sc->nhosts);
			CHECK(a->at_ns + a->downtime_ns < sc->duration_ns);
			CHECK(!m || a->at_ns > vm->migrations[m - 1].at_ns +
					       vm->migrations[m - 1].downtime_ns);
		}
		/* Building the timeline may refuse (a counter that would wrap), never crash. */
		if (!lpt_sim_timeline_build(&tl, sc, v, 0, err, sizeof(err)))
			lpt_sim_timeline_free(&tl);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lpt_sim_scenario sc;
	char err[LPT_SIM_ERR_MAX + 256];
	FILE *f;

	if (!size)
		return 0;	/* fmemopen() wants a buffer */
	f = fmemopen((void *)(uintptr_t)data, size, "r");
	CHECK(f);
	if (lpt_sim_scenario_read(&sc, "fuzz.ini", f, err, sizeof(err))) {
		CHECK(!strncmp(err, "fuzz.ini", 8) && !strchr(err, '\n'));
	} else {
		check_accepted(&sc);
		lpt_sim_scenario_free(&sc);
	}
	fclose(f);
	return 0;
}
