/*
 * SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
 *
 * The shared page's sequence protocol (include/lpt/internal/seqlock.h, lib/page.c), for
 * Spin.
 * One writer publishes WRITES updates of a two-field payload; two readers take
 * snapshots. Version v writes d1 = d2 = v, so a snapshot mixing two updates has
 * d1 != d2. Claim: no reader accepts a mixed snapshot, none accepts a never-published
 * page (sequence 0), and an accepted snapshot is the update its sequence names.
 * Spin explores every interleaving under sequential consistency; the memory-model side
 * (fences) is argued in seqlock.h and exercised by the stress test.
 *
 * Each update is either a plain publication or a restore (lpt_updater_init() then
 * lpt_updater_vcpu_run()): the page is invalidated (sequence 0) and published again,
 * the sequence continuing from the value it had, as the updater remembers it.
 *
 * A restore moves the vCPUs to another host: the counter a reader reads is the host's
 * it runs on, and an accepted read must convert it with that host's content (the
 * content v was published on host hostof[v]). The reader reads the counter between its
 * two sequence reads, and keeps the last content it accepted with its sequence: at an
 * unchanged sequence it uses that copy without reading the fields (the reader's fast
 * path, include/lpt/page_reader.h).
 *
 * -DBROKEN drops the reader's re-check of the sequence; -DRESTART makes a restore
 * publish from 0 again (1, then 2), as the updater did before lpt-sim --threads caught
 * it; -DOUTSIDE reads the counter before the first sequence read, as the reader API
 * did before it took the counter read inside its window: Spin must find a violation in
 * each (tests/model/check.sh verifies that it does).
 */
#define WRITES 3
#define TRIES 3

byte seq = 0;
byte d1 = 0;
byte d2 = 0;
byte host = 0;			/* the host the vCPUs run on */
byte hostof[WRITES + 1];	/* the host each content was published on */

active proctype writer()
{
	byte v = 1;
	byte start;

	do
	:: v <= WRITES ->
		start = seq;		/* the updater remembers it (always even here) */
		if
		:: seq = 0;		/* a restore: invalidated until the first run, */
			host = v	/* the vCPUs now on another host */
#ifdef RESTART
			; start = 0
#endif
		:: skip			/* a plain publication */
		fi;
		hostof[v] = host;
		seq = start + 1;	/* odd: update in progress */
		d1 = v;
		d2 = v;
		seq = start + 2;	/* even: published */
		v++
	:: else -> break
	od
}

active [2] proctype reader()
{
	byte s0, s1, r1, r2, c;
	byte cs = 0, cd = 0;	/* the content kept, and its sequence */
	byte tries = 0;

	do
	:: tries < TRIES ->
#ifdef OUTSIDE
		c = host;
#endif
		s0 = seq;
#ifndef OUTSIDE
		c = host;		/* the counter read, inside the window */
#endif
		if
		:: s0 != 0 && s0 == cs -> r1 = cd; r2 = cd	/* fast path: kept content */
		:: else -> r1 = d1; r2 = d2
		fi;
		s1 = seq;
		if
		:: s0 == 0 -> skip	/* never published: not ready, fall back */
#ifdef BROKEN
		:: s0 != 0 && s0 % 2 == 1 -> skip
		:: s0 != 0 && s0 % 2 == 0 ->
#else
		:: s0 != 0 && (s0 % 2 == 1 || s1 != s0) -> skip	/* retry */
		:: s0 != 0 && s0 % 2 == 0 && s1 == s0 ->
#endif
			assert(r1 == r2);
			assert(hostof[r1] == c);	/* the counter's own host's content */
			cs = s0;
			cd = r1;
#ifndef RESTART
			assert(r1 == s0 / 2)
#else
			skip	/* sequences repeat: only mixing is the claim */
#endif
		fi;
		/* Dead from here: cleared, so that states differ only in what matters. */
		s0 = 0; s1 = 0; r1 = 0; r2 = 0; c = 0;
		tries++
	:: else -> break
	od
}
