/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The platform seam of liblpt: the only file that knows whether it is built in the
 * Linux kernel or in userspace. It provides fixed-width types, single-copy loads and
 * stores with the ordering the seqlock protocol needs, and little-endian conversion.
 * Everything else in include/lpt/ and lib/ includes only lpt/ headers.
 *
 * What the core needs from its environment, all of it. A third environment (firmware,
 * another kernel, a hypervisor) provides these, in a branch of its own below:
 *
 *  Types and constants
 *	uint32_t, uint64_t, int32_t, uintptr_t, size_t, bool/true/false, NULL and
 *	offsetof() (page.h pins the page's offsets with it). C11's freestanding headers
 *	<stdint.h>, <stddef.h>, <stdbool.h> have them; the kernel's <linux/types.h>.
 *  Single-copy access and ordering (the page is shared with another party)
 *	lpt_load_once(p), lpt_store_once(p, v): one untorn access of an aligned 32- or
 *	64-bit object the compiler may not merge, split or repeat.
 *	lpt_load_acquire(p), lpt_store_release(p, v): the same with acquire/release order.
 *	lpt_fence_acquire(), lpt_fence_release(): load-load and store-store order.
 *	Ordering against the page's other party (a hypervisor, a guest), not only against
 *	CPUs of this image: on an SMP-less build they must still be hardware barriers.
 *  Byte order
 *	lpt_le32_to_cpu(), lpt_le64_to_cpu(), lpt_cpu_to_le32(), lpt_cpu_to_le64().
 *  Hints and checks
 *	lpt_likely(x); lpt_static_assert(expr, msg) (C11 _Static_assert or C++
 *	static_assert, defined below for every environment).
 *  Compiler
 *	C11 (or C++11 for the headers) with GCC's __builtin_clzll() (the 128/64 division,
 *	lpt/internal/math128.h) and, optionally, unsigned __int128 (__SIZEOF_INT128__;
 *	without it, or with LPT_NO_INT128, the portable paths are taken). No floating point.
 *  Functions
 *	None. The core calls no C library function and needs no compiler runtime helper
 *	(__udivti3, __aeabi_uldivmod, memcpy for a structure copy, ...); structures are
 *	copied field by field and 128/64 divisions done by hand. tests/freestanding.sh
 *	links the core with -nostdlib (x86-64 with gcc and clang, armhf, aarch64, s390x)
 *	and fails on any undefined symbol.
 *	No allocation, no locks, no clock: the caller brings memory and counter reads.
 */
#ifndef LPT_PORT_H
#define LPT_PORT_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/compiler.h>
#include <asm/barrier.h>
#include <asm/byteorder.h>

#define lpt_load_once(p)		READ_ONCE(*(p))
#define lpt_store_once(p, v)		WRITE_ONCE(*(p), (v))
/*
 * The page's other party is not a CPU of this kernel: the guest's writer is the
 * hypervisor, the host's reader a guest. The virt_ barriers order against it even in a
 * kernel built without SMP, where the smp_ ones are compiler barriers only (as
 * pvclock's reader uses virt_rmb()).
 */
/* Orders this load before later accesses (seqlock reader start, pairs with the release). */
#define lpt_load_acquire(p)		virt_load_acquire(p)
/* Orders earlier accesses before this store (seqlock writer end, pairs with the acquire). */
#define lpt_store_release(p, v)		virt_store_release((p), (v))
/* Orders earlier loads before later loads (seqlock reader, pairs with the writer's). */
#define lpt_fence_acquire()		virt_rmb()
/* Orders earlier stores before later stores (seqlock writer, pairs with the reader's). */
#define lpt_fence_release()		virt_wmb()

/* The branch the fast path takes. */
#define lpt_likely(x)			likely(x)

#define lpt_le64_to_cpu(v)		le64_to_cpu((__force __le64)(v))
#define lpt_le32_to_cpu(v)		le32_to_cpu((__force __le32)(v))
#define lpt_cpu_to_le64(v)		((__force u64)cpu_to_le64(v))
#define lpt_cpu_to_le32(v)		((__force u32)cpu_to_le32(v))

#else /* userspace, or any freestanding C11 compiler */

#include <stdint.h>
#include <stddef.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif

/*
 * The __atomic built-ins are the C11 memory model's operations on ordinary objects:
 * the shared page is plain bytes written by another party, not an _Atomic object.
 */
#define lpt_load_once(p)		__atomic_load_n((p), __ATOMIC_RELAXED)
#define lpt_store_once(p, v)		__atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define lpt_load_acquire(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define lpt_store_release(p, v)		__atomic_store_n((p), (v), __ATOMIC_RELEASE)
/* Orders earlier loads before later loads (seqlock reader, pairs with the writer's). */
#define lpt_fence_acquire()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
/* Orders earlier stores before later stores (seqlock writer, pairs with the reader's). */
#define lpt_fence_release()		__atomic_thread_fence(__ATOMIC_RELEASE)

/* The branch the fast path takes. */
#define lpt_likely(x)			__builtin_expect(!!(x), 1)

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define lpt_le64_to_cpu(v)		__builtin_bswap64(v)
#define lpt_le32_to_cpu(v)		__builtin_bswap32(v)
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define lpt_le64_to_cpu(v)		((uint64_t)(v))
#define lpt_le32_to_cpu(v)		((uint32_t)(v))
#else
#error "liblpt: the compiler does not state the byte order (__BYTE_ORDER__)"
#endif
#define lpt_cpu_to_le64(v)		lpt_le64_to_cpu(v)
#define lpt_cpu_to_le32(v)		lpt_le32_to_cpu(v)

#endif /* __KERNEL__ */

/* A compile-time check, spelled as C11 and C++11 each accept it. */
#ifdef __cplusplus
#define lpt_static_assert(expr, msg)	static_assert(expr, msg)
#else
#define lpt_static_assert(expr, msg)	_Static_assert(expr, msg)
#endif

#endif /* LPT_PORT_H */
