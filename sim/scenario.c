// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Scenario files, read with libinih. The handler sees one key at a time; the line
 * number comes from the line reader handed to ini_parse_stream(), so that every error
 * names its file and line.
 */
#define _POSIX_C_SOURCE 200809L
#include "scenario.h"

#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lpt/lpt.h>

#include "parse.h"

static const char *const strategy_names[LPT_SIM_STRATEGIES] = {
	"none", "rfc", "lpt", "trap", "ideal",
};

const char *lpt_sim_strategy_name(enum lpt_sim_strategy s)
{
	return (unsigned int)s < LPT_SIM_STRATEGIES ? strategy_names[s] : "?";
}

/* What the parser carries between handler calls. */
struct parser {
	struct lpt_sim_scenario *sc;
	int line;
	int section_line;	/* the line of the last [section] header */
	bool new_section;	/* a header was read since the last key */
	char section[64];
	enum { SEC_NONE, SEC_SCENARIO, SEC_HOST, SEC_VM } kind;
	bool hz_set;		/* the current host has hz */
	bool pv_hz_set;		/* the current VM has pv_hz, boot */
	bool boot_set;
	char *err;
	size_t errlen;
	int err_line;		/* the first error's line, 0 while there is none */
	/* the line reader's source */
	FILE *file;
	const char *text;
};

static int fail(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->err_line)
		return 0;
	p->err_line = line;
	n = snprintf(p->err, p->errlen, "%s:%d: ", p->sc->file, line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return 0;
}

static char *read_line(char *str, int num, void *stream)
{
	struct parser *p = stream;
	char *r = NULL;

	if (p->file) {
		r = fgets(str, num, p->file);
	} else if (*p->text) {
		const char *nl = strchr(p->text, '\n');
		size_t len = nl ? (size_t)(nl - p->text) + 1 : strlen(p->text);

		if (len > (size_t)num - 1)
			len = (size_t)num - 1;
		memcpy(str, p->text, len);
		str[len] = '\0';
		p->text += len;
		r = str;
	}
	if (r) {
		const char *c = r;

		p->line++;
		while (*c == ' ' || *c == '\t')
			c++;
		if (*c == '[') {
			p->section_line = p->line;
			p->new_section = true;
		}
	}
	return r;
}

static int find_host(const struct lpt_sim_scenario *sc, const char *name)
{
	for (uint32_t i = 0; i < sc->nhosts; i++)
		if (!strcmp(sc->hosts[i].name, name))
			return (int)i;
	return -1;
}

static int find_vm(const struct lpt_sim_scenario *sc, const char *name)
{
	for (uint32_t i = 0; i < sc->nvms; i++)
		if (!strcmp(sc->vms[i].name, name))
			return (int)i;
	return -1;
}

/* The last section's checks, when the next one starts or the file ends. */
static int end_section(struct parser *p)
{
	struct lpt_sim_scenario *sc = p->sc;

	if (p->kind == SEC_HOST && !p->hz_set)
		return fail(p, sc->hosts[sc->nhosts - 1].line, "[%s]: hz is missing", p->section);
	if (p->kind == SEC_VM && !p->pv_hz_set)
		return fail(p, sc->vms[sc->nvms - 1].line, "[%s]: pv_hz is missing", p->section);
	if (p->kind == SEC_VM && !p->boot_set)
		return fail(p, sc->vms[sc->nvms - 1].line, "[%s]: boot is missing", p->section);
	return 1;
}

static int begin_section(struct parser *p, const char *section)
{
	struct lpt_sim_scenario *sc = p->sc;
	const char *name = strchr(section, ' ');

	if (!end_section(p))
		return 0;
	snprintf(p->section, sizeof(p->section), "%s", section);
	if (!strcmp(section, "scenario")) {
		p->kind = SEC_SCENARIO;
		return 1;
	}
	if (!name || !name[1] || strlen(name + 1) >= LPT_SIM_NAME_MAX || strchr(name + 1, ' '))
		return fail(p, p->section_line, "[%s]: a section is [scenario], [host NAME] or [vm NAME] "
			    "(names without spaces, below %d characters)", section,
			    LPT_SIM_NAME_MAX);
	name++;
	if (!strncmp(section, "host ", 5)) {
		struct lpt_sim_host *h;

		if (find_host(sc, name) >= 0)
			return fail(p, p->section_line, "[%s]: host defined twice", section);
		if (sc->nhosts == LPT_SIM_HOSTS_MAX)
			return fail(p, p->line, "more than %d hosts", LPT_SIM_HOSTS_MAX);
		h = &sc->hosts[sc->nhosts++];
		memset(h, 0, sizeof(*h));
		snprintf(h->name, sizeof(h->name), "%s", name);
		h->width = 56;
		h->line = p->section_line;
		p->kind = SEC_HOST;
		p->hz_set = false;
		return 1;
	}
	if (!strncmp(section, "vm ", 3)) {
		struct lpt_sim_vm *vm;

		if (find_vm(sc, name) >= 0)
			return fail(p, p->section_line, "[%s]: VM defined twice", section);
		if (sc->nvms == LPT_SIM_VMS_MAX)
			return fail(p, p->line, "more than %d VMs", LPT_SIM_VMS_MAX);
		vm = &sc->vms[sc->nvms++];
		memset(vm, 0, sizeof(*vm));
		snprintf(vm->name, sizeof(vm->name), "%s", name);
		vm->count = 1;
		vm->downtime = LPT_DOWNTIME_HIDE;
		vm->tick_hz = 250;
		vm->sleep_min_ns = 1000000;
		vm->sleep_max_ns = 100000000;
		vm->reads_hz = 1000;
		vm->evtstrm_hz = 10000;
		vm->firmware_stall_ns = 1000000000;
		vm->line = p->section_line;
		p->kind = SEC_VM;
		p->pv_hz_set = false;
		p->boot_set = false;
		return 1;
	}
	return fail(p, p->section_line, "[%s]: unknown section (use [scenario], [host NAME], [vm NAME])",
		    section);
}

/* Splits "a b c" in place into at most max words; returns how many. */
static int split(char *s, char **words, int max)
{
	int n = 0;
	char *save = NULL;

	for (char *w = strtok_r(s, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save)) {
		if (n == max)
			return max + 1;
		words[n++] = w;
	}
	return n;
}

static int parse_hz_key(struct parser *p, const char *key, const char *value, uint64_t *hz,
			bool zero_ok)
{
	uint64_t v;

	if (!strcmp(key, "hz") || !strcmp(key, "pv_hz")) {
		if (!lpt_parse_hz(value, &v) && v > UINT32_MAX)
			return fail(p, p->line, "[%s] %s: the simulator takes up to 2^32 - 1 Hz "
				    "(revision 0 pages have 32-bit frequencies)", p->section, key);
	}

	if (lpt_parse_hz(value, &v))
		return fail(p, p->line, "[%s] %s: '%s' is not a frequency (25M, 19.2MHz, 1G)",
			    p->section, key, value);
	if (!(zero_ok && v == 0) && !lpt_freq_valid(v))
		return fail(p, p->line, "[%s] %s: %s is out of range (1 Hz to 2^40 Hz%s)",
			    p->section, key, value, zero_ok ? ", or 0 for none" : "");
	*hz = v;
	return 1;
}

static int parse_ns_key(struct parser *p, const char *key, const char *value, uint64_t *ns)
{
	if (value[0] == '-')
		return fail(p, p->line, "[%s] %s: '%s' is negative", p->section, key, value);
	if (lpt_parse_ns(value, ns))
		return fail(p, p->line, "[%s] %s: '%s' is not a duration (300ms, 1.5h; units "
			    "ns us ms s min h d)", p->section, key, value);
	return 1;
}

static int parse_u32_key(struct parser *p, const char *key, const char *value, uint32_t *out,
			 uint32_t min, uint32_t max)
{
	uint64_t v;

	if (lpt_parse_u64(value, &v) || v < min || v > max)
		return fail(p, p->line, "[%s] %s: '%s' is not a whole number from %u to %u",
			    p->section, key, value, min, max);
	*out = (uint32_t)v;
	return 1;
}

static int scenario_key(struct parser *p, const char *key, const char *value)
{
	struct lpt_sim_scenario *sc = p->sc;

	if (!strcmp(key, "seed")) {
		if (lpt_parse_u64(value, &sc->seed))
			return fail(p, p->line, "[scenario] seed: '%s' is not a number", value);
		return 1;
	}
	if (!strcmp(key, "duration")) {
		if (!parse_ns_key(p, key, value, &sc->duration_ns))
			return 0;
		if (!sc->duration_ns)
			return fail(p, p->line, "[scenario] duration: must not be 0");
		return 1;
	}
	if (!strcmp(key, "sample")) {
		if (!parse_ns_key(p, key, value, &sc->sample_ns))
			return 0;
		if (sc->sample_ns < 1000000)
			return fail(p, p->line, "[scenario] sample: at least 1ms");
		return 1;
	}
	if (!strcmp(key, "trap_cost"))
		return parse_ns_key(p, key, value, &sc->trap_cost_ns);
	if (!strcmp(key, "traps_per_irq"))
		return parse_u32_key(p, key, value, &sc->traps_per_irq, 0, 100);
	if (!strcmp(key, "strategies")) {
		char buf[256], *w[LPT_SIM_STRATEGIES + 1];
		int n;

		snprintf(buf, sizeof(buf), "%s", value);
		n = split(buf, w, LPT_SIM_STRATEGIES);
		sc->strategies = 0;
		for (int i = 0; i < n && i < LPT_SIM_STRATEGIES; i++) {
			int s;

			for (s = 0; s < LPT_SIM_STRATEGIES; s++)
				if (!strcmp(w[i], strategy_names[s]))
					break;
			if (s == LPT_SIM_STRATEGIES)
				return fail(p, p->line, "[scenario] strategies: unknown strategy '%s' "
					    "(none rfc lpt trap ideal)", w[i]);
			sc->strategies |= 1u << s;
		}
		if (!sc->strategies || n > LPT_SIM_STRATEGIES)
			return fail(p, p->line, "[scenario] strategies: one to five of none rfc "
				    "lpt trap ideal");
		return 1;
	}
	return fail(p, p->line, "[scenario]: unknown key '%s'", key);
}

static int host_key(struct parser *p, const char *key, const char *value)
{
	struct lpt_sim_host *h = &p->sc->hosts[p->sc->nhosts - 1];

	if (!strcmp(key, "hz")) {
		p->hz_set = true;
		return parse_hz_key(p, key, value, &h->hz, false);
	}
	if (!strcmp(key, "ppm")) {
		if (lpt_parse_ppb(value, &h->ppb) || h->ppb <= -1000000000LL ||
		    h->ppb >= 1000000000LL)
			return fail(p, p->line, "[%s] ppm: '%s' is not an error in ppm above "
				    "-10^6 and below 10^6 (at most 3 decimals)", p->section, value);
		return 1;
	}
	if (!strcmp(key, "width"))
		return parse_u32_key(p, key, value, &h->width, 56, 64);
	if (!strcmp(key, "ecv")) {
		if (strcmp(value, "yes") && strcmp(value, "no"))
			return fail(p, p->line, "[%s] ecv: yes or no", p->section);
		h->ecv = !strcmp(value, "yes");
		return 1;
	}
	return fail(p, p->line, "[%s]: unknown key '%s'", p->section, key);
}

static int host_ref(struct parser *p, const char *key, const char *name, uint32_t *host)
{
	int h = find_host(p->sc, name);

	if (h < 0)
		return fail(p, p->line, "[%s] %s: unknown host '%s' (hosts are defined before "
			    "the VMs that use them)", p->section, key, name);
	*host = (uint32_t)h;
	return 1;
}

static int migrate_key(struct parser *p, struct lpt_sim_vm *vm, const char *value)
{
	char buf[256], *w[4];
	struct lpt_sim_migration m = { .line = p->line };
	struct lpt_sim_migration *grown;

	snprintf(buf, sizeof(buf), "%s", value);
	if (split(buf, w, 3) != 3)
		return fail(p, p->line, "[%s] migrate: AT HOST DOWNTIME, e.g. '1h b 300ms'",
			    p->section);
	if (!parse_ns_key(p, "migrate", w[0], &m.at_ns) || !host_ref(p, "migrate", w[1], &m.host) ||
	    !parse_ns_key(p, "migrate", w[2], &m.downtime_ns))
		return 0;
	if (vm->nmigrations && m.at_ns <= vm->migrations[vm->nmigrations - 1].at_ns +
					  vm->migrations[vm->nmigrations - 1].downtime_ns)
		return fail(p, p->line, "[%s] migrate: at %s, before the previous migration "
			    "has ended", p->section, w[0]);
	if (vm->nmigrations == LPT_SIM_MIGRATIONS_MAX)
		return fail(p, p->line, "[%s]: more than %d migrations", p->section,
			    LPT_SIM_MIGRATIONS_MAX);
	grown = realloc(vm->migrations, (vm->nmigrations + 1) * sizeof(*grown));
	if (!grown)
		return fail(p, p->line, "out of memory");
	vm->migrations = grown;
	vm->migrations[vm->nmigrations++] = m;
	return 1;
}

static int range_key(struct parser *p, const char *key, const char *value, uint64_t *min,
		     uint64_t *max)
{
	char buf[128], *w[3];
	int n;

	snprintf(buf, sizeof(buf), "%s", value);
	n = split(buf, w, 2);
	if (n < 1 || n > 2)
		return fail(p, p->line, "[%s] %s: a duration or MIN MAX", p->section, key);
	if (!parse_ns_key(p, key, w[0], min) || !parse_ns_key(p, key, w[n - 1], max))
		return 0;
	if (*min > *max)
		return fail(p, p->line, "[%s] %s: minimum above maximum", p->section, key);
	return 1;
}

static int vm_key(struct parser *p, const char *key, const char *value)
{
	struct lpt_sim_vm *vm = &p->sc->vms[p->sc->nvms - 1];

	if (!strcmp(key, "pv_hz")) {
		p->pv_hz_set = true;
		return parse_hz_key(p, key, value, &vm->pv_hz, false);
	}
	if (!strcmp(key, "boot")) {
		p->boot_set = true;
		return host_ref(p, key, value, &vm->boot_host);
	}
	if (!strcmp(key, "count"))
		return parse_u32_key(p, key, value, &vm->count, 1, 1000000);
	if (!strcmp(key, "downtime_policy")) {
		if (!strcmp(value, "hide"))
			vm->downtime = LPT_DOWNTIME_HIDE;
		else if (!strcmp(value, "count"))
			vm->downtime = LPT_DOWNTIME_COUNT;
		else
			return fail(p, p->line, "[%s] downtime_policy: hide or count", p->section);
		return 1;
	}
	if (!strcmp(key, "tick_hz"))
		return parse_hz_key(p, key, value, &vm->tick_hz, true);
	if (!strcmp(key, "reads_hz"))
		return parse_hz_key(p, key, value, &vm->reads_hz, true);
	if (!strcmp(key, "evtstrm_hz"))
		return parse_hz_key(p, key, value, &vm->evtstrm_hz, true);
	if (!strcmp(key, "sleep")) {
		if (!range_key(p, key, value, &vm->sleep_min_ns, &vm->sleep_max_ns))
			return 0;
		if (vm->sleep_max_ns && !vm->sleep_min_ns)
			return fail(p, p->line, "[%s] sleep: a sleep lasts at least 1ns", p->section);
		return 1;
	}
	if (!strcmp(key, "firmware_stall"))
		return parse_ns_key(p, key, value, &vm->firmware_stall_ns);
	if (!strcmp(key, "migrate"))
		return migrate_key(p, vm, value);
	if (!strcmp(key, "random_migrations"))
		return parse_u32_key(p, key, value, &vm->random_migrations, 0,
				     LPT_SIM_MIGRATIONS_MAX);
	if (!strcmp(key, "random_downtime"))
		return range_key(p, key, value, &vm->random_downtime_min_ns,
				 &vm->random_downtime_max_ns);
	return fail(p, p->line, "[%s]: unknown key '%s'", p->section, key);
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct parser *p = user;

	if (p->err_line)
		return 0;
	/* A header repeated back to back is a new section too (and an error). */
	if ((p->new_section || strcmp(section, p->section)) && !begin_section(p, section))
		return 0;
	p->new_section = false;
	switch (p->kind) {
	case SEC_SCENARIO: return scenario_key(p, key, value);
	case SEC_HOST: return host_key(p, key, value);
	case SEC_VM: return vm_key(p, key, value);
	default: return fail(p, p->line, "'%s' outside any section", key);
	}
}

/* Cross-section checks once everything is read. */
static int finish(struct parser *p)
{
	struct lpt_sim_scenario *sc = p->sc;

	if (!end_section(p))
		return -1;
	if (!sc->nvms) {
		fail(p, p->line ? p->line : 1, "no [vm NAME] section");
		return -1;
	}
	for (uint32_t i = 0; i < sc->nhosts; i++) {
		struct lpt_sim_host *h = &sc->hosts[i];
		/* hz * (10^9 + ppb) / 10^9, rounded to nearest. */
		struct lpt_u128 prod = lpt_mul_u64_u64(h->hz, (uint64_t)(1000000000LL + h->ppb));
		uint64_t rem, actual = lpt_div_u128_u64(prod.hi, prod.lo, 1000000000, &rem);

		actual += rem >= 500000000;
		if (!lpt_freq_valid(actual)) {
			fail(p, h->line, "[host %s]: hz with ppm gives %llu Hz, out of range",
			     h->name, (unsigned long long)actual);
			return -1;
		}
		h->actual_hz = actual;
	}
	for (uint32_t i = 0; i < sc->nvms; i++) {
		struct lpt_sim_vm *vm = &sc->vms[i];

		uint64_t guest_hz[2] = { vm->pv_hz, sc->hosts[vm->boot_host].hz };

		for (int g = 0; g < 2; g++) {
			/* ceil(sleep * hz / 10^9) must fit TVAL's 31 bits. */
			struct lpt_u128 t = lpt_mul_u64_u64(vm->sleep_max_ns, guest_hz[g]);

			if (t.hi || t.lo / 1000000000 >= 0x7fffffffULL) {
				fail(p, vm->line, "[vm %s] sleep: longer than a TVAL of 2^31 - 1 ticks "
				     "at %llu Hz", vm->name, (unsigned long long)guest_hz[g]);
				return -1;
			}
			if (vm->evtstrm_hz > guest_hz[g]) {
				fail(p, vm->line, "[vm %s] evtstrm_hz: above the counter's %llu Hz",
				     vm->name, (unsigned long long)guest_hz[g]);
				return -1;
			}
		}
		if (vm->nmigrations && vm->random_migrations) {
			fail(p, vm->line, "[vm %s]: migrate and random_migrations exclude each other",
			     vm->name);
			return -1;
		}
		for (uint32_t m = 0; m < vm->nmigrations; m++) {
			if (vm->migrations[m].at_ns + vm->migrations[m].downtime_ns >=
			    sc->duration_ns) {
				fail(p, vm->migrations[m].line, "[vm %s] migrate: ends after the "
				     "scenario's duration", vm->name);
				return -1;
			}
		}
		if (vm->random_migrations &&
		    sc->duration_ns / (vm->random_migrations + 1) <= vm->random_downtime_max_ns) {
			fail(p, vm->line, "[vm %s]: %u random migrations do not fit in the duration "
			     "with downtimes up to %llu ns", vm->name, vm->random_migrations,
			     (unsigned long long)vm->random_downtime_max_ns);
			return -1;
		}
		if (vm->random_migrations && sc->nhosts < 2) {
			fail(p, vm->line, "[vm %s]: random migrations need two hosts", vm->name);
			return -1;
		}
	}
	return 0;
}

static int parse(struct lpt_sim_scenario *sc, const char *name, FILE *file, const char *text,
		 char *err, size_t errlen)
{
	struct parser p = {
		.sc = sc, .err = err, .errlen = errlen, .file = file, .text = text,
	};
	int r;

	memset(sc, 0, sizeof(*sc));
	snprintf(sc->file, sizeof(sc->file), "%s", name);
	sc->seed = 1;
	sc->duration_ns = 3600000000000ULL;
	sc->sample_ns = 1000000000;
	sc->strategies = (1u << LPT_SIM_STRATEGIES) - 1;
	sc->trap_cost_ns = 400;
	sc->traps_per_irq = 6;
	err[0] = '\0';
	r = ini_parse_stream(read_line, &p, handler, &p);
	if (r == 0 && finish(&p) == 0)
		return 0;
	if (r > 0 && (!p.err_line || r < p.err_line))
		snprintf(err, errlen, "%s:%d: syntax error (expected [section] or key = value)",
			 name, r);
	else if (r < 0 && !p.err_line)
		snprintf(err, errlen, "%s: cannot read", name);
	lpt_sim_scenario_free(sc);
	return -1;
}

int lpt_sim_scenario_parse(struct lpt_sim_scenario *sc, const char *name, const char *text,
			   char *err, size_t errlen)
{
	return parse(sc, name, NULL, text, err, errlen);
}

int lpt_sim_scenario_load(struct lpt_sim_scenario *sc, const char *path, char *err,
			  size_t errlen)
{
	FILE *f = fopen(path, "r");
	int r;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open", path);
		return -1;
	}
	r = parse(sc, path, f, NULL, err, errlen);
	fclose(f);
	return r;
}

void lpt_sim_scenario_free(struct lpt_sim_scenario *sc)
{
	for (uint32_t i = 0; i < sc->nvms; i++) {
		free(sc->vms[i].migrations);
		sc->vms[i].migrations = NULL;
		sc->vms[i].nmigrations = 0;
	}
}
