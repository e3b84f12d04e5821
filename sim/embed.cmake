# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Writes the text file IN as the C string lpt_sim_default_scenario into OUT.
file(READ ${IN} text HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1, " bytes "${text}")
file(WRITE ${OUT} "/* Generated from ${IN}. */\n#include \"scenario.h\"\n"
	"const char lpt_sim_default_scenario[] = { ${bytes}0x00 };\n")
