// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Scenario files, read with libinih. The handler sees one key at a time; the line
 * number comes from the line reader handed to ini_parse_stream(), so that every error
 * names its file and line.
 */
#define _POSIX_C_SOURCE 200809L
#include "scenario.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lpt/lpt.h>

#include "parse.h"
#include "timeline.h"

#define KEYS_MAX	16	/* distinct keys a section can have */
#define KEY_LEN		24

#define STRATEGY_NAME(e, name)	[LPT_SIM_##e] = #name,
static const char *const strategy_names[LPT_SIM_STRATEGIES] = {
	LPT_SIM_STRATEGY_LIST(STRATEGY_NAME)
};
#undef STRATEGY_NAME
#define STRATEGY_WORD(e, name)	" " #name
#define STRATEGY_WORDS		LPT_SIM_STRATEGY_LIST(STRATEGY_WORD)

const char *lpt_sim_strategy_name(enum lpt_sim_strategy s)
{
	return (unsigned int)s < LPT_SIM_STRATEGIES ? strategy_names[s] : "?";
}

/* What the parser carries between handler calls. */
struct parser {
	struct lpt_sim_scenario *sc;
	int line;
	int section_line;	/* the line of the last [section] header */
	int scenario_line;	/* the line of [scenario], 0 while there is none */
	bool indented;		/* the current line starts with a blank */
	char section[LPT_SIM_LINE_MAX + 1];
	enum { SEC_NONE, SEC_SCENARIO, SEC_HOST, SEC_VM } kind;
	bool hz_set;		/* the current host has hz */
	bool pv_hz_set;		/* the current VM has pv_hz, boot */
	bool boot_set;
	char keys[KEYS_MAX][KEY_LEN];	/* the current section's keys so far */
	int key_lines[KEYS_MAX];
	int nkeys;
	char prev_key[KEY_LEN];	/* the last key read */
	char *err;
	size_t errlen;
	int err_line;		/* the first error's line, 0 while there is none */
	/* the line reader's source */
	FILE *file;
	const char *text;
	size_t bytes;		/* read so far */
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

/* An error that is not on one line (the file as a whole); stops the parse. */
static void fail_file(struct parser *p, const char *what, const char *why)
{
	if (p->err_line)
		return;
	p->err_line = INT_MAX;
	snprintf(p->err, p->errlen, "%s: %s%s%s", p->sc->file, what, why ? ": " : "",
		 why ? why : "");
}

static int begin_section(struct parser *p, const char *section);

/* The next byte of the source, or EOF (at its end or on a read error). */
static int next_byte(struct parser *p)
{
	int c;

	if (!p->file)
		return *p->text ? (unsigned char)*p->text++ : EOF;
	c = getc(p->file);
	if (c == EOF && ferror(p->file))
		fail_file(p, "cannot read", strerror(errno));
	return c;
}

/*
 * libinih's line reader: one whole line into @str (without its newline), or NULL at the
 * end. A line longer than libinih's buffer, a NUL byte or a file beyond
 * LPT_SIM_FILE_MAX stop the parse with an error (libinih would split the line, cut it
 * short, read for ever). Section headers are taken here, so that a header with no key
 * after it is checked too.
 */
static char *read_line(char *str, int num, void *stream)
{
	struct parser *p = stream;
	size_t len = 0, max = (size_t)num - 1;
	const char *c;
	int ch;

	if (p->err_line)
		return NULL;
	ch = next_byte(p);
	if (ch == EOF)
		return NULL;
	p->line++;
	for (;; ch = next_byte(p)) {
		if (ch != EOF && ++p->bytes > LPT_SIM_FILE_MAX) {
			char what[64];

			snprintf(what, sizeof(what), "larger than %d bytes", LPT_SIM_FILE_MAX);
			fail_file(p, what, NULL);
			return NULL;
		}
		if (ch == EOF || ch == '\n')
			break;
		if (ch == '\0') {
			fail(p, p->line, "a NUL byte (this is not a text file)");
			return NULL;
		}
		if (len == max) {
			fail(p, p->line, "longer than %zu characters", max);
			return NULL;
		}
		str[len++] = (char)ch;
	}
	str[len] = '\0';
	if (p->err_line)	/* a read error */
		return NULL;
	c = str;
	while (*c == ' ' || *c == '\t')
		c++;
	p->indented = c != str && *c;
	if (*c == '[') {
		const char *close = strchr(c, ']');

		p->section_line = p->line;
		/* libinih would take it for more of the value above. */
		if (p->indented) {
			fail(p, p->line, "a section header is not indented");
			return NULL;
		}
		if (close) {
			char name[LPT_SIM_LINE_MAX + 1];

			snprintf(name, sizeof(name), "%.*s", (int)(close - c - 1), c + 1);
			if (!begin_section(p, name))
				return NULL;
		}
	}
	return str;
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

/* Names go into tables, CSV fields and plot titles: a safe alphabet only. */
static bool name_ok(const char *name)
{
	size_t n = strlen(name);

	if (!n || n >= LPT_SIM_NAME_MAX)
		return false;
	for (; *name; name++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
			    *name))
			return false;
	return true;
}

static int begin_section(struct parser *p, const char *section)
{
	struct lpt_sim_scenario *sc = p->sc;
	const char *name = strchr(section, ' ');

	if (!end_section(p))
		return 0;
	snprintf(p->section, sizeof(p->section), "%s", section);
	p->nkeys = 0;
	p->prev_key[0] = '\0';
	if (!strcmp(section, "scenario")) {
		if (p->scenario_line)
			return fail(p, p->section_line, "[scenario]: given twice (first on line %d)",
				    p->scenario_line);
		p->scenario_line = p->section_line;
		p->kind = SEC_SCENARIO;
		return 1;
	}
	if (!name || (strncmp(section, "host ", 5) && strncmp(section, "vm ", 3)))
		return fail(p, p->section_line, "[%s]: unknown section (use [scenario], [host NAME], "
			    "[vm NAME])", section);
	if (!name_ok(name + 1))
		return fail(p, p->section_line, "[%s]: a name is 1 to %d letters, digits, '.', '_' "
			    "or '-'", section, LPT_SIM_NAME_MAX - 1);
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
		h->hz_line = p->section_line;
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
		vm->l1_latency_ns = 4000000;
		vm->line = p->section_line;
		p->kind = SEC_VM;
		p->pv_hz_set = false;
		p->boot_set = false;
		return 1;
	}
	return fail(p, p->section_line, "[%s]: unknown section", section);	/* not reached */
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
	if (zero_ok && v > LPT_SIM_RATE_MAX)
		return fail(p, p->line, "[%s] %s: %s is out of range (1 Hz to 1 GHz, or 0 for "
			    "none)", p->section, key, value);
	if (!zero_ok && (!v || !lpt_freq_valid(v)))
		return fail(p, p->line, "[%s] %s: %s is out of range (1 Hz to 2^32 - 1 Hz)",
			    p->section, key, value);
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
		sc->duration_line = p->line;
		if (!parse_ns_key(p, key, value, &sc->duration_ns))
			return 0;
		if (!sc->duration_ns)
			return fail(p, p->line, "[scenario] duration: must not be 0");
		if (sc->duration_ns > LPT_SIM_DURATION_MAX)
			return fail(p, p->line, "[scenario] duration: at most 3650d (10 years)");
		return 1;
	}
	if (!strcmp(key, "sample")) {
		sc->sample_line = p->line;
		if (!parse_ns_key(p, key, value, &sc->sample_ns))
			return 0;
		if (sc->sample_ns < 1000000)
			return fail(p, p->line, "[scenario] sample: at least 1ms");
		return 1;
	}
	if (!strcmp(key, "trap_cost")) {
		if (!parse_ns_key(p, key, value, &sc->trap_cost_ns))
			return 0;
		if (sc->trap_cost_ns > LPT_SIM_TRAP_COST_MAX)
			return fail(p, p->line, "[scenario] trap_cost: %s is more than 1ms", value);
		return 1;
	}
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
					    "(%s)", w[i], &STRATEGY_WORDS[1]);
			if (sc->strategies & (1u << s))
				return fail(p, p->line, "[scenario] strategies: %s given twice", w[i]);
			sc->strategies |= 1u << s;
		}
		if (!sc->strategies || n > LPT_SIM_STRATEGIES)
			return fail(p, p->line, "[scenario] strategies: one to %d of%s",
				    LPT_SIM_STRATEGIES, STRATEGY_WORDS);
		return 1;
	}
	return fail(p, p->line, "[scenario]: unknown key '%s'", key);
}

static int host_key(struct parser *p, const char *key, const char *value)
{
	struct lpt_sim_host *h = &p->sc->hosts[p->sc->nhosts - 1];

	if (!strcmp(key, "hz")) {
		p->hz_set = true;
		h->hz_line = p->line;
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
	/* Each ends before the duration (at most 10 years): no sum below overflows. */
	if (m.at_ns > LPT_SIM_DURATION_MAX || m.downtime_ns > LPT_SIM_DURATION_MAX)
		return fail(p, p->line, "[%s] migrate: ends after the scenario's duration",
			    p->section);
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

/* A duration of at most a day (LPT_SIM_STALL_MAX). */
static int parse_day_key(struct parser *p, const char *key, const char *value, uint64_t *ns)
{
	if (!parse_ns_key(p, key, value, ns))
		return 0;
	if (*ns > LPT_SIM_STALL_MAX)
		return fail(p, p->line, "[%s] %s: %s is more than 1d", p->section, key, value);
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
	if (!strcmp(key, "migration_policy")) {
		if (!strcmp(value, "allow"))
			vm->refuse = false;
		else if (!strcmp(value, "refuse"))
			vm->refuse = true;
		else
			return fail(p, p->line, "[%s] migration_policy: allow or refuse", p->section);
		return 1;
	}
	if (!strcmp(key, "tick_hz")) {
		vm->tick_line = p->line;
		return parse_hz_key(p, key, value, &vm->tick_hz, true);
	}
	if (!strcmp(key, "reads_hz")) {
		vm->reads_line = p->line;
		return parse_hz_key(p, key, value, &vm->reads_hz, true);
	}
	if (!strcmp(key, "evtstrm_hz")) {
		vm->evtstrm_line = p->line;
		return parse_hz_key(p, key, value, &vm->evtstrm_hz, true);
	}
	if (!strcmp(key, "sleep")) {
		vm->sleep_line = p->line;
		if (!range_key(p, key, value, &vm->sleep_min_ns, &vm->sleep_max_ns))
			return 0;
		if (vm->sleep_max_ns && !vm->sleep_min_ns)
			return fail(p, p->line, "[%s] sleep: a sleep lasts at least 1ns", p->section);
		return 1;
	}
	if (!strcmp(key, "firmware_stall"))
		return parse_day_key(p, key, value, &vm->firmware_stall_ns);
	if (!strcmp(key, "l1_pv_hz"))
		return parse_hz_key(p, key, value, &vm->l1_pv_hz, false);
	if (!strcmp(key, "l1_latency"))
		return parse_day_key(p, key, value, &vm->l1_latency_ns);
	if (!strcmp(key, "migrate"))
		return migrate_key(p, vm, value);
	if (!strcmp(key, "random_migrations")) {
		vm->random_line = p->line;
		return parse_u32_key(p, key, value, &vm->random_migrations, 0,
				     LPT_SIM_MIGRATIONS_MAX);
	}
	if (!strcmp(key, "random_downtime"))
		return range_key(p, key, value, &vm->random_downtime_min_ns,
				 &vm->random_downtime_max_ns);
	return fail(p, p->line, "[%s]: unknown key '%s'", p->section, key);
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct parser *p = user;

	(void)section;	/* taken by the line reader */
	if (p->err_line)
		return 0;
	/* libinih takes an indented line after a key for more of its value. */
	if (p->indented && !strcmp(p->prev_key, key))
		return fail(p, p->line, "[%s] %s: an indented line continues the value above "
			    "(not supported: remove the indentation)", p->section, key);
	snprintf(p->prev_key, sizeof(p->prev_key), "%s", key);
	for (int i = 0; i < p->nkeys; i++) {
		if (strcmp(p->keys[i], key))
			continue;
		if (strcmp(key, "migrate"))	/* the one key given once per migration */
			return fail(p, p->line, "[%s] %s: given twice (first on line %d)",
				    p->section, key, p->key_lines[i]);
		goto known;
	}
	if (p->nkeys < KEYS_MAX && strlen(key) < KEY_LEN) {
		snprintf(p->keys[p->nkeys], KEY_LEN, "%s", key);
		p->key_lines[p->nkeys++] = p->line;
	}
known:
	switch (p->kind) {
	case SEC_SCENARIO: return scenario_key(p, key, value);
	case SEC_HOST: return host_key(p, key, value);
	case SEC_VM: return vm_key(p, key, value);
	default: return fail(p, p->line, "'%s' outside any section", key);
	}
}

/* A VM key's line, or its section's when the key took its default. */
static int key_line(const struct lpt_sim_vm *vm, int line)
{
	return line ? line : vm->line;
}

/* A rate the guest runs at (tick, reads, event stream) against its counters. */
static int check_rate(struct parser *p, const struct lpt_sim_vm *vm, const char *key,
		      uint64_t hz, int line, uint64_t counter_hz)
{
	if (hz <= counter_hz)
		return 1;
	if (!line)
		return fail(p, vm->line, "[vm %s] %s: the default %llu Hz is above the counter's "
			    "%llu Hz (set %s)", vm->name, key, (unsigned long long)hz,
			    (unsigned long long)counter_hz, key);
	return fail(p, line, "[vm %s] %s: above the counter's %llu Hz", vm->name, key,
		    (unsigned long long)counter_hz);
}

static int finish_hosts(struct parser *p)
{
	struct lpt_sim_scenario *sc = p->sc;
	uint64_t d = 1000000000;

	for (uint32_t i = 0; i < sc->nhosts; i++) {
		struct lpt_sim_host *h = &sc->hosts[i];
		/* hz * (10^9 + ppb) / 10^9, rounded to nearest. */
		struct lpt_u128 prod = lpt_mul_u64_u64(h->hz, (uint64_t)(1000000000LL + h->ppb));
		uint64_t rem, actual = lpt_div_u128_u64(prod.hi, prod.lo, 1000000000, &rem);

		actual += rem >= 500000000;
		if (!lpt_freq_valid(actual))
			return fail(p, h->line, "[host %s]: hz with ppm gives %llu Hz, out of range",
				    h->name, (unsigned long long)actual);
		h->actual_hz = actual;
		/* VMClock's period of a 1 Hz counter is 2^64 units of 2^-64 s: 65 bits. */
		if (h->hz < 2 && (sc->strategies & (1u << LPT_SIM_VMCLOCK)))
			return fail(p, h->hz_line, "[host %s] hz: VMClock cannot express the "
				    "period of a 1 Hz counter (2^64 units of 2^-64 s); leave vmclock "
				    "out of [scenario] strategies", h->name);
		/* The ideal reference counts in units of 1/D s, D = lcm(10^9, every hz). */
		d = lpt_sim_lcm(d, h->hz);
		if (!d || lpt_mul_u64_u64(sc->duration_ns, d / 1000000000).hi)
			return fail(p, h->hz_line, "[host %s] hz: %llu Hz makes the least common "
				    "multiple of 10^9 and the host rates so far%s too large to count "
				    "the %s exactly in units of its inverse (the ideal reference, "
				    "the 'from ideal' column of every strategy)", h->name,
				    (unsigned long long)h->hz, d ? "" : " (beyond 2^64)",
				    d ? "duration" : "time");
	}
	return 1;
}

static int finish_vm(struct parser *p, struct lpt_sim_vm *vm)
{
	struct lpt_sim_scenario *sc = p->sc;
	uint64_t guest_hz[2] = { vm->pv_hz, sc->hosts[vm->boot_host].hz };

	if (!vm->l1_pv_hz)
		vm->l1_pv_hz = vm->pv_hz;
	for (int g = 0; g < 2; g++) {
		/* ceil(sleep * hz / 10^9) must fit TVAL's 31 bits. */
		struct lpt_u128 t = lpt_mul_u64_u64(vm->sleep_max_ns, guest_hz[g]);

		if (t.hi || t.lo / 1000000000 >= 0x7fffffffULL)
			return fail(p, key_line(vm, vm->sleep_line), "[vm %s] sleep: longer than a "
				    "TVAL of 2^31 - 1 ticks at %llu Hz", vm->name,
				    (unsigned long long)guest_hz[g]);
		if (!check_rate(p, vm, "evtstrm_hz", vm->evtstrm_hz, vm->evtstrm_line, guest_hz[g]) ||
		    !check_rate(p, vm, "tick_hz", vm->tick_hz, vm->tick_line, guest_hz[g]) ||
		    !check_rate(p, vm, "reads_hz", vm->reads_hz, vm->reads_line, guest_hz[g]))
			return 0;
	}
	if (vm->nmigrations && vm->random_migrations)
		return fail(p, vm->random_line, "[vm %s]: migrate and random_migrations exclude "
			    "each other", vm->name);
	for (uint32_t m = 0; m < vm->nmigrations; m++)
		if (vm->migrations[m].at_ns + vm->migrations[m].downtime_ns >= sc->duration_ns)
			return fail(p, vm->migrations[m].line, "[vm %s] migrate: ends after the "
				    "scenario's duration", vm->name);
	if (vm->random_migrations &&
	    sc->duration_ns / (vm->random_migrations + 1) <= vm->random_downtime_max_ns)
		return fail(p, vm->random_line, "[vm %s]: %u random migrations do not fit in the "
			    "duration with downtimes up to %llu ns", vm->name, vm->random_migrations,
			    (unsigned long long)vm->random_downtime_max_ns);
	if (vm->random_migrations && sc->nhosts < 2)
		return fail(p, vm->random_line, "[vm %s]: random migrations need two hosts",
			    vm->name);
	return 1;
}

/* Cross-section checks once everything is read. */
static int finish(struct parser *p)
{
	struct lpt_sim_scenario *sc = p->sc;
	uint64_t samples = sc->duration_ns / sc->sample_ns + 1;

	if (!end_section(p))
		return -1;
	if (!sc->nvms) {
		fail(p, p->line ? p->line : 1, "no [vm NAME] section");
		return -1;
	}
	if (sc->sample_ns > sc->duration_ns) {
		fail(p, sc->sample_line ? sc->sample_line : 1, "[scenario] sample: longer than the "
		     "duration");
		return -1;
	}
	/* The time series: a sample count per VM kind; all of them bounded together. */
	if (samples > LPT_SIM_SAMPLES_MAX / sc->nvms) {
		int line = sc->sample_line > sc->duration_line ? sc->sample_line : sc->duration_line;

		fail(p, line ? line : 1, "[scenario] duration / sample gives %llu samples per VM "
		     "kind, %u kind%s: at most %d samples in all (a longer sample or a shorter "
		     "duration)", (unsigned long long)samples, sc->nvms, sc->nvms == 1 ? "" : "s",
		     LPT_SIM_SAMPLES_MAX);
		return -1;
	}
	if (!finish_hosts(p))
		return -1;
	for (uint32_t i = 0; i < sc->nvms; i++)
		if (!finish_vm(p, &sc->vms[i]))
			return -1;
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
	if (r == 0 && !p.err_line && finish(&p) == 0)
		return 0;
	if (r > 0 && (!p.err_line || r < p.err_line))
		snprintf(err, errlen, "%s:%d: syntax error (expected [section] or key = value)",
			 name, r);
	else if (r < 0 && !p.err_line)
		snprintf(err, errlen, "%s: cannot read (%s)", name,
			 r == -2 ? "out of memory" : "libinih failed");
	lpt_sim_scenario_free(sc);
	return -1;
}

int lpt_sim_scenario_parse(struct lpt_sim_scenario *sc, const char *name, const char *text,
			   char *err, size_t errlen)
{
	return parse(sc, name, NULL, text, err, errlen);
}

int lpt_sim_scenario_read(struct lpt_sim_scenario *sc, const char *name, FILE *f, char *err,
			  size_t errlen)
{
	return parse(sc, name, f, NULL, err, errlen);
}

int lpt_sim_scenario_load(struct lpt_sim_scenario *sc, const char *path, char *err,
			  size_t errlen)
{
	FILE *f = fopen(path, "r");
	int r;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
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
