/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The cache filter's flush, run by user space (BPF_PROG_TEST_RUN): every cached
 * record whose first syscall entered at or before args[0] (CLOCK_BOOTTIME ns)
 * goes out with its totals, and every held open (la_pending) that did.  Once per cache_flush_interval, and with ~0 at
 * shutdown, after the programs stopped making records.
 */
#include "ebpf/cache.bpf.h"

static long la_cache_flush_one(void *map, struct la_cache_key *k, struct la_cache_val *v, void *arg)
{
	if (v->ev.ts_enter <= *(__u64 *)arg)
		la_cache_send(v);
	return 0;
}

static long la_pend_flush_one(void *map, struct la_cache_key *k, struct la_pend_val *p, void *arg)
{
	/* a held open that a cached record took goes out with that record */
	if (p->ev.ts_enter <= *(__u64 *)arg)
		la_pend_alone(p);
	return 0;
}

SEC("raw_tp")
int la_cache_flush(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 until = ctx->args[0];

	if (la_cache_on) {
		bpf_for_each_map_elem(&la_cache, la_cache_flush_one, &until, 0);
		bpf_for_each_map_elem(&la_pending, la_pend_flush_one, &until, 0);
	}
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
