/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A strategy: one way of keeping a guest's time across hosts, behind one table of
 * operations (boot, migrate, read the counters, program a timer, where it fires, what
 * the firmware and the event stream see), the way a kernel clocksource or file system
 * is one struct of functions. Each strategy is one file, sim/strategy_NAME.c, whose
 * state is private to it (in @priv of the vCPU); sim/strategy_list.h lists them. Every
 * conversion is a liblpt call; the pages are written with the library's updater and
 * read with its reader. The engine's loop of the guest's reads and timers between its
 * rare events is the table's too (@run_guest), instantiated from sim/run.h in the
 * strategy's file so that the operations are called there without the table.
 */
#ifndef LPT_SIM_STRATEGY_H
#define LPT_SIM_STRATEGY_H

#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>

#include <lpt/lpt.h>

#include "scenario.h"
#include "timeline.h"

struct lpt_sim_vcpu;
struct lpt_sim_run;

/**
 * struct lpt_sim_strategy_ops - What a strategy does, called by the engine.
 * @name: its name in scenarios and tables.
 * @native_guest: the guest's counter frequency is the boot host's (CNTFRQ read at
 *	boot), not the PV frequency.
 * @pv_firmware: the firmware reads the PV counter and its frequency.
 * @irq_traps: each timer interrupt may cost the scenario's traps_per_irq trapped
 *	accesses: the vCPU's @irq_traps starts so, and the strategy says on which stays.
 * @boot: sets up the strategy's state on the first stay (the common fields are set).
 * @read_v: the guest reads its virtual counter at true time t.
 * @read_p: the guest reads its physical counter at true time t.
 * @arm_v: optional: the guest's kernel arms its virtual timer @ticks after @counter,
 *	the counter it read at t (without it: CVAL = counter + ticks, as Linux 6.1).
 * @write_cval_v: the guest writes the virtual timer's CVAL (guest ticks).
 * @write_tval_p: the guest writes the physical timer's TVAL (guest ticks) at t.
 * @write_cval_p: optional (with @phys_offset): the guest writes the physical timer's
 *	CVAL (guest ticks).
 * @fire_time: the first true time the hardware raises a timer during the stay.
 * @migrate: the VMM's and KVM's part of a migration; the vCPU is already on the new
 *	stay; @pause is the old host's counter at the pause, @resume the new host's at
 *	the resume (both the counters' low width bits).
 * @clock_ns: optional: the guest takes its clock (ns) from this function of its
 *	virtual counter, read at @counter, instead of the clocksource arithmetic.
 * @clock_affine: @clock_ns changes nothing and is, on a stay, the floor of an affine
 *	function of the virtual counter, exact to within 1 + 2^-32 ns (VMClock's two
 *	truncations): what the tick's closed form needs of it (@native_offset).
 * @firmware_end: optional: the true time a firmware wait of @ticks of its counter,
 *	started at true time @t0, ends (without it: the raw host counter).
 * @firmware_pv_end: optional: the true time the wait of @stall_ns of an LPT-aware
 *	firmware (one that reads the page with liblpt's reader), started at @t0, ends;
 *	without it, such a firmware finds no page and waits as @firmware_end.
 * @hv_event_at: optional: the true time the hypervisor next changes the vCPU's state
 *	on its own (a lazy L1 running), or LPT_SIM_NEVER.
 * @hv_event: that change, at true time @t; the engine re-reads both timers' fire
 *	times after it.
 * @native_offset: optional: true when, on the current stay, the virtual counter is
 *	the host counter less *@off and the hardware raises the virtual timer when the
 *	host counter reaches its CVAL plus *@off (nothing scales), the guest's kernel
 *	arming it by CVAL (no @arm_v). The engine may then take a run of the tick's
 *	interrupts in closed form (lpt_sim_run_ticks_closed(), sim/run.h); a
 *	strategy with @clock_ns needs @clock_affine for that.
 * @tick_affine: optional, without @native_offset: true when, on the current stay, the
 *	virtual counter is the host counter times *@mult plus *@add (modulo 2^64; an
 *	integer scale: ideal where the PV rate is a multiple of the host's) and the
 *	hardware raises the virtual timer when the host counter first reaches a value
 *	at which it reads at least its CVAL; the engine may then take a run of the
 *	tick's interrupts in closed form as with @native_offset.
 * @phys_offset: optional, with @native_offset and @write_cval_p: true when, on the
 *	current stay, the physical counter is the host counter less *@off, reading it
 *	changes nothing, a TVAL write at t is @write_cval_p of the physical counter at t
 *	plus TVAL, and the hardware raises the physical timer when the host counter
 *	reaches its CVAL plus *@off (nothing scales). The engine may then take a sleep
 *	that fires as the host counter reaches that value without reading the counters
 *	(lpt_sim_run_sleep(), sim/run.h).
 * @evtstrm_ratio: the event stream on the current host for the guest's CNTKCTL:
 *	achieved period over the period asked for (0: none).
 * @run_guest: the guest's events up to a true time (lpt_sim_run_guest() of sim/run.h
 *	with this table): LPT_SIM_DEFINE_RUN_GUEST() in the strategy's file.
 */
struct lpt_sim_strategy_ops {
	const char *name;
	bool native_guest;
	bool pv_firmware;
	bool irq_traps;
	int (*boot)(struct lpt_sim_vcpu *v, const struct lpt_sim_vm *vm);
	uint64_t (*read_v)(struct lpt_sim_vcpu *v, uint64_t t);
	uint64_t (*read_p)(struct lpt_sim_vcpu *v, uint64_t t);
	void (*arm_v)(struct lpt_sim_vcpu *v, uint64_t t, uint64_t counter, uint64_t ticks);
	void (*write_cval_v)(struct lpt_sim_vcpu *v, uint64_t cval);
	void (*write_tval_p)(struct lpt_sim_vcpu *v, uint64_t t, int32_t tval);
	void (*write_cval_p)(struct lpt_sim_vcpu *v, uint64_t cval);
	uint64_t (*fire_time)(const struct lpt_sim_vcpu *v, bool phys);
	int (*migrate)(struct lpt_sim_vcpu *v, uint64_t pause, uint64_t resume);
	uint64_t (*clock_ns)(struct lpt_sim_vcpu *v, uint64_t counter);
	bool clock_affine;
	uint64_t (*firmware_end)(struct lpt_sim_vcpu *v, uint64_t t0, uint64_t ticks);
	uint64_t (*firmware_pv_end)(struct lpt_sim_vcpu *v, uint64_t t0, uint64_t stall_ns);
	uint64_t (*hv_event_at)(const struct lpt_sim_vcpu *v);
	int (*hv_event)(struct lpt_sim_vcpu *v, uint64_t t);
	bool (*native_offset)(const struct lpt_sim_vcpu *v, uint64_t *off);
	bool (*tick_affine)(const struct lpt_sim_vcpu *v, uint64_t *mult, uint64_t *add);
	bool (*phys_offset)(const struct lpt_sim_vcpu *v, uint64_t *off);
	double (*evtstrm_ratio)(const struct lpt_sim_vcpu *v, uint32_t guest_cntkctl);
	void (*run_guest)(struct lpt_sim_run *r, uint64_t end);
};

/* The strategies, defined in their files. */
#define LPT_SIM_STRATEGY_DECL(e, name)	extern const struct lpt_sim_strategy_ops lpt_sim_strategy_##name;
LPT_SIM_STRATEGY_LIST(LPT_SIM_STRATEGY_DECL)
#undef LPT_SIM_STRATEGY_DECL

/* A strategy's operations by its index, or NULL. */
const struct lpt_sim_strategy_ops *lpt_sim_strategy_ops(enum lpt_sim_strategy s);

/* Room for a strategy's private state in the vCPU. */
#define LPT_SIM_PRIV_SIZE	4096

/**
 * struct lpt_sim_nested - What a nested strategy saw of its L2 guest.
 * @windows: stays L2 resumed on with a page L1 had not yet rewritten.
 * @stale_ns: true time L2 ran on such a page, in all.
 * @stale_max_ns: the longest such window (resume to L1's republication).
 * @stale_reads: L2 counter reads on such a page.
 * @stale_err: L2's counter on the stale page less what the current one gives, in L2
 *	ticks, of largest magnitude.
 * @two_maps: L2's counter by the composed map less two rounded maps in a row (L0's
 *	then L1's), in L2 ticks, of largest magnitude, over reads on a current page.
 */
struct lpt_sim_nested {
	uint64_t windows;
	uint64_t stale_ns;
	uint64_t stale_max_ns;
	uint64_t stale_reads;
	int64_t stale_err;
	int64_t two_maps;
};

/*
 * A strategy's private state @type: asserts that it fits the vCPU's room and defines
 * state() and cstate(), the vCPU's state as that type (at file scope, once per file).
 */
#define LPT_SIM_DEFINE_PRIV(type)							\
	_Static_assert(sizeof(type) <= LPT_SIM_PRIV_SIZE &&				\
		       alignof(type) <= LPT_PAGE_ALIGN, #type " fits lpt_sim_vcpu.priv");	\
	static inline type *state(struct lpt_sim_vcpu *v)				\
	{										\
		return (type *)(void *)v->priv;						\
	}										\
	static inline const type *cstate(const struct lpt_sim_vcpu *v)			\
	{										\
		return (const type *)(const void *)v->priv;				\
	}

/**
 * struct lpt_sim_vcpu - A VM under one strategy (its vCPU, its VMM, KVM's view).
 * @ops: the strategy.
 * @tl: the VM's stays.
 * @stay: index of the current stay.
 * @cur: the current stay, &@tl->stays[@stay] (kept with it: read at every event).
 * @downtime: enum lpt_downtime.
 * @guest_hz: the frequency the guest believes its counter has (set before @ops->boot,
 *	which may change it and @to_guest_ticks: trap's VM at its boot host's rate).
 * @fw_hz: the frequency the firmware uses (read at boot).
 * @to_guest_ticks: ns -> guest counter ticks (the guest's timer arithmetic).
 * @to_fw_ticks: ns -> firmware counter ticks.
 * @cval_v: the virtual timer's compare value in guest counter ticks.
 * @cval_p: the physical timer's.
 * @traps: trapped accesses.
 * @irq_traps: on the current stay each timer interrupt costs the scenario's
 *	traps_per_irq trapped accesses (set from the ops at boot; a strategy that traps
 *	on some hosts only changes it at its migrations).
 * @errors: page reads that failed (reported; none are expected).
 * @nested: nested strategies: their L2's stale windows.
 * @priv: the strategy's own state (its file's struct, LPT_SIM_DEFINE_PRIV()).
 */
struct lpt_sim_vcpu {
	const struct lpt_sim_strategy_ops *ops;
	const struct lpt_sim_timeline *tl;
	const struct lpt_sim_stay *cur;
	uint32_t stay;
	uint32_t downtime;
	uint64_t guest_hz;
	uint64_t fw_hz;
	struct lpt_scale to_guest_ticks;
	struct lpt_scale to_fw_ticks;
	uint64_t cval_v;
	uint64_t cval_p;
	uint64_t traps;
	bool irq_traps;
	uint64_t errors;
	struct lpt_sim_nested nested;
	alignas(LPT_PAGE_ALIGN) unsigned char priv[LPT_SIM_PRIV_SIZE];
};

/* Boots the VM on its first stay. Returns 0 or a negated liblpt error. */
int lpt_sim_vcpu_boot(struct lpt_sim_vcpu *v, enum lpt_sim_strategy kind,
		      const struct lpt_sim_timeline *tl, const struct lpt_sim_vm *vm);

/* The stay the VM is on. */
static inline const struct lpt_sim_stay *lpt_sim_vcpu_stay(const struct lpt_sim_vcpu *v)
{
	return v->cur;
}

/* The host counter at @t as the core sees it: the counter's low width bits. */
static inline uint64_t lpt_sim_native(const struct lpt_sim_vcpu *v, uint64_t t)
{
	const struct lpt_sim_stay *s = lpt_sim_vcpu_stay(v);

	return lpt_sim_raw(s, t) & s->mask;
}

/* floor(@ns * @hz / 10^9): a VMM's downtime in ticks of a counter. */
uint64_t lpt_sim_ns_to_ticks(uint64_t ns, uint64_t hz);

/* The event stream as the guest wrote CNTKCTL, on the current host's counter (its
 * event bit limited to 15 without FEAT_ECV): achieved over asked period. */
double lpt_sim_evtstrm_native(const struct lpt_sim_vcpu *v, uint32_t native_cntkctl,
			      uint32_t guest_cntkctl);

/* The event stream of a guest on the PV counter, translated by liblpt to the current
 * host (lpt_evtstrm_translate()): achieved over asked period, 0 if refused. */
double lpt_sim_evtstrm_translated(const struct lpt_sim_vcpu *v, uint32_t guest_cntkctl);

/* The guest reads its virtual counter at true time @t. */
static inline uint64_t lpt_sim_read_v(struct lpt_sim_vcpu *v, uint64_t t)
{
	return v->ops->read_v(v, t);
}

/* The guest reads its physical counter at true time @t. */
static inline uint64_t lpt_sim_read_p(struct lpt_sim_vcpu *v, uint64_t t)
{
	return v->ops->read_p(v, t);
}

/* The guest writes the virtual timer's CVAL (guest ticks). */
static inline void lpt_sim_write_cval_v(struct lpt_sim_vcpu *v, uint64_t cval)
{
	v->ops->write_cval_v(v, cval);
}

/* The guest's kernel arms its virtual timer @ticks after @counter, the counter value it
 * read at @t: by CVAL (Linux 6.1), or as the strategy's guest does (@arm_v); @ops is
 * the vCPU's strategy (a constant where the operations are to be called directly). */
static inline void lpt_sim_ops_arm_v(const struct lpt_sim_strategy_ops *ops,
				     struct lpt_sim_vcpu *v, uint64_t t, uint64_t counter,
				     uint64_t ticks)
{
	if (ops->arm_v)
		ops->arm_v(v, t, counter, ticks);
	else
		ops->write_cval_v(v, counter + ticks);
}

/* The guest writes the physical timer's TVAL (guest ticks) at @t. */
static inline void lpt_sim_write_tval_p(struct lpt_sim_vcpu *v, uint64_t t, int32_t tval)
{
	v->ops->write_tval_p(v, t, tval);
}

/* The first true time the hardware raises the virtual (@phys false) or physical timer
 * during the current stay, or LPT_SIM_NEVER; may be in the past (fires at once). */
static inline uint64_t lpt_sim_fire_time(const struct lpt_sim_vcpu *v, bool phys)
{
	return v->ops->fire_time(v, phys);
}

/* Pauses the VM at its stay's end, moves it to the next stay and resumes it there: the
 * VMM's and KVM's part of a live migration. Returns 0 or a negated liblpt error. */
int lpt_sim_migrate(struct lpt_sim_vcpu *v);

/* At the current stay's start, the firmware waits @stall_ns by its counter and
 * frequency, through the page when @aware (an LPT-aware firmware): how much longer
 * (positive) or shorter it really took, ns. */
int64_t lpt_sim_firmware_error(struct lpt_sim_vcpu *v, uint64_t stall_ns, bool aware);

/* The event stream on the current host for the guest's CNTKCTL: achieved period over
 * the period the guest asked for. */
static inline double lpt_sim_evtstrm_ratio(const struct lpt_sim_vcpu *v,
					   uint32_t guest_cntkctl)
{
	return v->ops->evtstrm_ratio(v, guest_cntkctl);
}

#endif /* LPT_SIM_STRATEGY_H */
