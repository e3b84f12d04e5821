#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# The whole test suite, from a fresh Debian 12 machine: installs what is missing,
# configures, builds and runs every stage; exits non-zero if any stage fails.
#
#   1. unit      CMocka tests (both arithmetic paths; the simulator's), the hostile-input suite
#                of lpt-sim and lpt-convert (tests/hostile), the freestanding check, the
#                install check, the Spin model of the page protocol, 20 s libFuzzer runs
#                on page decoding and on the scenario parser, benchmark smoke runs
#   2. cross     the unit tests under qemu-user: aarch64, armhf (no __int128), s390x
#                (big-endian)
#      stress    the live page under a continuous writer and 2 readers, 10^8 reads
#      tsan      the same, 2x10^6 reads, built with clang's ThreadSanitizer
#      e2e       the KVM glue run on emulated arm64 hosts with nested KVM
#                (kernel-glue/e2e.sh): a Linux 6.1 Image with the series (cold 11 to 18
#                min on 2 cores, cached in ~/.cache/liblpt), a probe guest migrated
#                25 MHz -> 1 GHz -> 25 MHz, a table of checks (known failures, a defect
#                not fixed yet or a Linux 6.1 limit, listed as such), then the Linux L2
#                guests (one live-migrated) and their table; about 3 min warm
#      kernel    the core built unchanged in Debian's Linux 6.1 arm64 tree (W=1, sparse,
#                modpost), the KVM host and arch-timer guest glue built there with the
#                patch series, checkpatch --strict, and the KUnit suite run inside a
#                Linux 6.1 UML kernel; trees are prepared once in ~/.cache/liblpt (about
#                6 min on a new machine, then about 70 s)
#   3. sanitize  the unit tests built with clang, ASan + UBSan
#   4. memcheck  the unit tests under Valgrind memcheck (random counts at 1%; the hostile
#                suite runs each of its cases under Valgrind)
#   5. coverage  the unit tests instrumented; lcov report of lib/ and include/lpt/,
#                fails below 95% of lines
#   6. minroot   the README's commands on a minimal Debian 12 root (debootstrap
#                --variant=minbase, in a chroot; tests/minroot.sh): tests/deps.sh build
#                and the library's build, install and use; sim/run.sh end to end (table,
#                CSV, plot); bench/run.sh --quick. Each profile's packages go into a root
#                holding only what that profile installs. Needs root; the bare root is
#                made once into ~/.cache/liblpt/minroot (3 to 5 min) and unpacked afresh
#                by each run (about 7 min warm on 2 busy cores). Fails if it cannot run
#                (LPT_REQUIRE_ALL=1).
#
# Build trees go to $LPT_BUILD_DIR (default: build/ in the checkout). LPT_TEST_SEED
# changes the random inputs; LPT_STAGES="unit cross" runs a subset.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${LPT_BUILD_DIR:-$top/build}
stages=${LPT_STAGES:-unit cross kernel e2e stress tsan sanitize memcheck coverage minroot}
export LPT_REQUIRE_ALL=1
mkdir -p "$build"

"$top/tests/deps.sh" test || { echo "tests: could not install dependencies"; exit 1; }

passed=0
failed=0
failed_stages=()
skipped_stages=()
t_start=$(date +%s)

# Runs ctest in a build tree, prints its output, counts its results.
run_ctest() { # stage dir ctest-args...
	local stage=$1 dir=$2 log
	shift 2
	log="$build/$stage.ctest.log"
	rm -f "$dir"/Testing/Temporary/Last*.log
	(cd "$dir" && ctest --output-on-failure "$@") 2>&1 | tee "$log"
	local line
	line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n1)
	if [ -z "$line" ]; then
		echo "tests: $stage: ctest printed no result"
		failed=$((failed + 1))
		failed_stages+=("$stage")
		return
	fi
	# The figures some tests print (stress counts, fuzz executions, model states, ...).
	grep -hE '^(stress|fuzz|model|install|kernel|kunit|lpt-convert|lpt-sim|hostile|threads|narrow counters|real rates|paths|golden): ' \
		"$dir"/Testing/Temporary/Last*.log 2>/dev/null |
		sort -u | sed "s/^/  $stage: /"
	local nf total
	nf=$(sed -E 's/.*, ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
	total=$(sed -E 's/.*failed out of ([0-9]+).*/\1/' <<<"$line")
	passed=$((passed + total - nf))
	failed=$((failed + nf))
	[ "$nf" -eq 0 ] || failed_stages+=("$stage")
}

configure_build() { # stage dir cmake-args...
	local stage=$1 dir=$2
	shift 2
	echo "== $stage: configure and build ($dir)"
	if ! cmake -S "$top" -B "$dir" "$@" >"$dir.configure.log" 2>&1; then
		cat "$dir.configure.log"
		return 1
	fi
	if ! cmake --build "$dir" -j2 >"$dir.build.log" 2>&1; then
		tail -n 60 "$dir.build.log"
		return 1
	fi
}

stage_failed_to_build() {
	echo "tests: $1: build failed"
	failed=$((failed + 1))
	failed_stages+=("$1")
}

for stage in $stages; do
	t0=$(date +%s)
	case $stage in
	unit)
		if configure_build unit "$build/native"; then
			run_ctest unit "$build/native" -L 'unit|freestanding|install|bench|model|fuzz' -j2
		else
			stage_failed_to_build unit
		fi
		;;
	cross)
		if configure_build cross "$build/native"; then
			run_ctest cross "$build/native" -L cross
		else
			stage_failed_to_build cross
		fi
		;;
	stress)
		if configure_build stress "$build/native"; then
			run_ctest stress "$build/native" -L stress
		else
			stage_failed_to_build stress
		fi
		;;
	kernel)
		if configure_build kernel "$build/native"; then
			run_ctest kernel "$build/native" -L kernel
		else
			stage_failed_to_build kernel
		fi
		;;
	e2e)
		if configure_build e2e "$build/native"; then
			run_ctest e2e "$build/native" -L e2e
			# The table, in its order.
			grep -hE '^(e2e|rig|l2): ' "$build/native"/Testing/Temporary/LastTest*.log | sed 's/^/  /'
		else
			stage_failed_to_build e2e
		fi
		;;
	tsan)
		if CC=clang configure_build tsan "$build/tsan" -DLPT_SANITIZE_THREAD=ON -DLPT_BENCH=OFF; then
			LPT_STRESS_READS=2000000 TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
				run_ctest tsan "$build/tsan" -L stress
		else
			stage_failed_to_build tsan
		fi
		;;
	sanitize)
		if CC=clang configure_build sanitize "$build/sanitize" -DLPT_SANITIZE=ON -DLPT_BENCH=OFF; then
			ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
				run_ctest sanitize "$build/sanitize" -L unit -j2
		else
			stage_failed_to_build sanitize
		fi
		;;
	memcheck)
		if configure_build memcheck "$build/native"; then
			LPT_TEST_SCALE_PCT=1 LPT_MEMCHECK=1 run_ctest memcheck "$build/native" \
				-T memcheck -L unit -j2
		else
			stage_failed_to_build memcheck
		fi
		;;
	coverage)
		if configure_build coverage "$build/coverage" -DLPT_COVERAGE=ON -DLPT_BENCH=OFF \
			-DCMAKE_BUILD_TYPE=Debug; then
			find "$build/coverage" -name '*.gcda' -delete
			LPT_TEST_SCALE_PCT=10 run_ctest coverage "$build/coverage" -L unit -j2
			if ! "$top/tests/coverage.sh" "$top" "$build/coverage"; then
				failed=$((failed + 1))
				failed_stages+=(coverage-threshold)
			fi
		else
			stage_failed_to_build coverage
		fi
		;;
	minroot)
		echo "== minroot: the README's commands on a minimal Debian 12 root"
		rc=0
		LPT_BUILD_DIR=$build "$top/tests/minroot.sh" || rc=$?
		if [ $rc -eq 0 ]; then
			passed=$((passed + 1))
		elif [ $rc -eq 77 ]; then
			skipped_stages+=(minroot)
		else
			failed=$((failed + 1))
			failed_stages+=(minroot)
		fi
		;;
	*)
		echo "tests: unknown stage $stage"
		failed=$((failed + 1))
		failed_stages+=("$stage")
		;;
	esac
	echo "== $stage: $(($(date +%s) - t0)) s"
done

echo
echo "Stages: $stages; $(($(date +%s) - t_start)) s in all."
[ ${#failed_stages[@]} -eq 0 ] || echo "Failed stages: ${failed_stages[*]}"
[ ${#skipped_stages[@]} -eq 0 ] || echo "Skipped stages (not run, nothing checked): ${skipped_stages[*]}"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
