// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Uses the installed headers and library: one second at 25 MHz is 1e9 ticks at 1 GHz. */
#include <stdio.h>

#include <lpt/lpt.h>

int main(void)
{
	struct lpt_scale s;

	if (lpt_scale_init(&s, 25000000, 1000000000) || lpt_scale_floor(&s, 25000000) != 1000000000ULL) {
		fprintf(stderr, "consumer: wrong result\n");
		return 1;
	}
	printf("consumer: %s, 25000000 ticks at 25 MHz = %llu at 1 GHz\n", lpt_error_name(0),
	       (unsigned long long)lpt_scale_floor(&s, 25000000));
	return 0;
}
