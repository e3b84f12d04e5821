// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * A C++17 user of the installed headers and library: a page published on a 25 MHz
 * host, read through the reader with a lambda as its counter read.
 */
#include <cstdint>
#include <cstdio>

#include <lpt/lpt.h>

int main()
{
	alignas(LPT_PAGE_ALIGN) static unsigned char page[LPT_PAGE_REV1_SIZE];
	struct lpt_map virt;
	struct lpt_page_fields f;
	struct lpt_reader r;
	uint64_t counter = 25000000, pv = 0;
	auto read = [](const void *ctx) { return *static_cast<const uint64_t *>(ctx); };

	if (lpt_map_init(&virt, 25000000, 1000000000, 56, 0, 0) ||
	    lpt_page_fields_rev1(&f, &virt, &virt, 1) || lpt_page_publish(page, sizeof(page), &f) ||
	    lpt_reader_init(&r, page, sizeof(page)) ||
	    lpt_reader_read(&r, read, &counter, false, &pv) || pv != 1000000000ULL) {
		std::fprintf(stderr, "consumer (C++): wrong result\n");
		return 1;
	}
	std::printf("consumer (C++): 25000000 ticks at 25 MHz read through the page = %llu at 1 GHz\n",
		    static_cast<unsigned long long>(pv));
	return 0;
}
