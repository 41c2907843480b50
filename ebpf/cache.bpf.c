/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The cache filter's flush, run by user space (BPF_PROG_TEST_RUN): every cached
 * record whose first syscall entered at or before args[0] (CLOCK_BOOTTIME ns)
 * goes out with its totals, and every held open (la_pending) that did; and
 * whatever the rules in force did not decide (la_event.rules_rev, from before a
 * rule change), whatever its age.  Once per cache_flush_interval, with ~0 when
 * the rules change, and with ~0 at shutdown, after the programs stopped making
 * records.
 */
#include "ebpf/cache.bpf.h"

/* Whether the record of header @ev goes out now: old enough, or of rules no longer in force. */
static __always_inline int la_cache_due(const struct la_event *ev, __u64 until)
{
	return ev->ts_enter <= until || ev->rules_rev != la_rules_rev;
}

static long la_cache_flush_one(void *map, struct la_cache_key *k, struct la_cache_val *v, void *arg)
{
	if (la_cache_due(&v->ev, *(__u64 *)arg))
		la_cache_send(v);
	return 0;
}

static long la_pend_flush_one(void *map, struct la_cache_key *k, struct la_pend_val *p, void *arg)
{
	/* a held open that a cached record took goes out with that record */
	if (la_cache_due(&p->ev, *(__u64 *)arg))
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
