#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Installs liblpt into a scratch prefix, then builds and runs a tiny outside project
# against it: through find_package(lpt) from C and from C++17, and through pkg-config.
set -eu
top=${1:?usage: check.sh SOURCE_DIR WORK_DIR}
work=${2:?usage: check.sh SOURCE_DIR WORK_DIR}
rm -rf "$work"
mkdir -p "$work"
cmake -S "$top" -B "$work/build" -DLPT_TESTS=OFF -DLPT_BENCH=OFF \
	-DCMAKE_INSTALL_PREFIX="$work/prefix" >/dev/null
cmake --build "$work/build" -j2 >/dev/null
cmake --install "$work/build" >/dev/null
# The headers installed are the include/lpt/ files of the core's list, API and internal/.
installed=$(cd "$work/prefix/include" && find lpt -type f | sort)
expected=$(sed -e '/^#/d' -e '/^$/d' "$top/lib/sources.list" | sed -n 's|^include/||p' | sort)
if [ "$installed" != "$expected" ]; then
	diff <(echo "$expected") <(echo "$installed")
	echo "install: the headers installed (>) are not those lib/sources.list names (<)"
	exit 1
fi
# Each API header alone, from C11 and from C++17: none leans on another's includes.
for h in $(grep -v '/internal/' <<<"$installed"); do
	echo "#include <$h>" | cc -x c -std=c11 -Wall -Wextra -Werror -fsyntax-only \
		-I"$work/prefix/include" - || { echo "install: <$h> alone does not compile as C11"; exit 1; }
	echo "#include <$h>" | c++ -x c++ -std=c++17 -Wall -Wextra -Werror -fsyntax-only \
		-I"$work/prefix/include" - || { echo "install: <$h> alone does not compile as C++17"; exit 1; }
done

cmake -S "$top/tests/install/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/consumer"
"$work/consumer/consumer_cpp"

pcdir=$(dirname "$(find "$work/prefix" -name lpt.pc | head -n1)")
cc -std=c11 "$top/tests/install/consumer/consumer.c" \
	$(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs lpt) -o "$work/consumer-pc"
"$work/consumer-pc"
echo "install: $(wc -l <<<"$installed") headers as listed ($(grep -c internal/ <<<"$installed") of them internal/, not API), each API header compiling alone as C11 and C++17;" \
	"find_package(lpt) (from C and C++17) and pkg-config both work"
