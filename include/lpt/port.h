/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The platform seam of liblpt: the only file that knows whether it is built in the
 * Linux kernel or in userspace. It provides fixed-width types, single-copy loads and
 * stores with the ordering the seqlock protocol needs, and little-endian conversion.
 * Everything else in include/lpt/ and lib/ includes only lpt/ headers.
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
