#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# The core's files are listed once, in lib/sources.list. Fails when anything else
# disagrees with it:
#  - the tree: every *.c and *.h under lib/ and include/lpt/ is listed, every listed
#    file exists, none twice;
#  - the kernel's object lists: any line of kernel-glue/ (Kbuild, Makefile, patches,
#    scripts) that names one of the core's objects (scale.o, lpt/scale.o, ...) names
#    exactly the listed sources' objects (kernel-glue/core/Kbuild and
#    kernel-glue/kunit/Makefile keep literal lists: kbuild style);
#  - the scripts that copy the core into kernel trees (kernel-glue/build.sh, kunit.sh,
#    rig/image.sh) read the list and glob none of the core's directories.
# CMake reads the list itself (lib/CMakeLists.txt).
set -u
top=${1:?usage: source_list.sh SOURCE_DIR}
cd "$top" || exit 1
list=lib/sources.list
status=0
fail() {
	echo "source list: $*"
	status=1
}

mapfile -t listed < <(sed -e '/^#/d' -e '/^$/d' "$list")
dups=$(printf '%s\n' "${listed[@]}" | sort | uniq -d)
[ -z "$dups" ] || fail "listed twice in $list: $dups"
for f in "${listed[@]}"; do
	case $f in
	lib/*.c | lib/*.h | include/lpt/*.h) [ -f "$f" ] || fail "$list names $f, which does not exist" ;;
	*) fail "$list names $f, which is not a core file (lib/*.[ch], include/lpt/**.h)" ;;
	esac
done
while read -r f; do
	printf '%s\n' "${listed[@]}" | grep -qxF "$f" || fail "$f is not in $list"
done < <(find lib include/lpt -type f -name '*.[ch]' | sort)

# The objects of the listed sources, and every line of kernel-glue/ naming one of them.
mapfile -t objs < <(printf '%s\n' "${listed[@]}" | sed -n 's|^lib/\(.*\)\.c$|\1.o|p' | sort)
want=$(printf '%s\n' "${objs[@]}")
alt=$(printf '%s\n' "${objs[@]}" | sed 's/\./\\./' | paste -sd'|')
token="(?:^|(?<=[\\s/=+]))(?:$alt)(?=\\s|\$|\\))"
lines=0
while IFS= read -r hit; do
	lines=$((lines + 1))
	file=${hit%%:*}
	rest=${hit#*:}
	n=${rest%%:*}
	line=${rest#*:}
	got=$(grep -oP "$token" <<<"$line" | sort -u)
	if [ "$got" != "$want" ]; then
		missing=$(comm -23 <(echo "$want") <(echo "$got") | tr '\n' ' ')
		fail "$file:$n lists the core's objects without: ${missing:-nothing?} (extra or" \
			"missing against $list)"
	fi
done < <(grep -rnP "$token" kernel-glue --include=Kbuild --include=Makefile \
	--include='*.patch' --include='*.sh' --include='*.mk')
# The kernel's object lists are in these two files: they must have been seen.
for f in kernel-glue/core/Kbuild kernel-glue/kunit/Makefile; do
	grep -qP "$token" "$f" || fail "$f has no list of the core's objects"
done
# Objects named in those lists that are not the core's (a removed source left behind).
for f in kernel-glue/core/Kbuild kernel-glue/kunit/Makefile; do
	while read -r o; do
		case $o in lpt_core.o | lpt_kunit.o | golden_checks.o) continue ;; esac
		printf '%s\n' "${objs[@]}" | grep -qxF "${o#lpt/}" ||
			fail "$f builds $o, which is no source of $list"
	done < <(grep -E '^(lpt-y|obj-\$\(CONFIG_LPT\))' "$f" | grep -oE '[A-Za-z0-9_/]+\.o')
done

for f in kernel-glue/build.sh kernel-glue/kunit.sh kernel-glue/rig/image.sh; do
	grep -q 'lib/sources.list' "$f" || fail "$f does not read $list"
	if grep -nE '\$top"?/(lib|include/lpt)/\*\.|cp -r "?\$top/include/lpt' "$f"; then
		fail "$f globs or copies the core's directories (above) instead of reading $list"
	fi
done

if [ $status -ne 0 ]; then
	exit 1
fi
echo "source list: ${#listed[@]} files in $list match the tree, $lines kernel object lists" \
	"($(printf '%s\n' "${objs[@]}" | wc -l) objects each) and the 3 kernel copy scripts"
