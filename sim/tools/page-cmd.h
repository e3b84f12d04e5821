/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
#ifndef LPT_TOOLS_PAGE_CMD_H
#define LPT_TOOLS_PAGE_CMD_H

/**
 * lpt_page_cmd() - "lpt-convert page decode FILE" and "lpt-convert page encode ...".
 * @argc: the argument count from "page" on.
 * @argv: the arguments from "page" on: argv[0] is "page", argv[1] the subcommand.
 *
 * Return: the exit status: 0 (a valid page decoded, or a page written), 1 (an invalid
 * page, or a write failure), 2 (usage).
 */
int lpt_page_cmd(int argc, char **argv);

#endif /* LPT_TOOLS_PAGE_CMD_H */
