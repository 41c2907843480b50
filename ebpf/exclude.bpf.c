/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The processes left out of capture (la_excluded, maps.bpf.h): what they fork
 * is left out with them, and each leaves the map when its last thread ends,
 * before its id can be given to another process (a zombie keeps its id until
 * it is reaped).
 */
#include "ebpf/programs.bpf.h"

SEC("tp_btf/sched_process_fork")
int BPF_PROG(la_excluded_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid, ptid, tgid;
	__u8 one = 1;

	if (!la_excluded_gen)
		return 0;
	ptgid = parent->tgid;
	ptid = parent->pid;
	tgid = child->tgid;
	/* a new thread is judged with its process */
	if (tgid == ptgid)
		return 0;
	/* the parent's process, or a thread of lauditd that is starting a plugin */
	if (!bpf_map_lookup_elem(&la_excluded, &ptgid) && !bpf_map_lookup_elem(&la_excluded, &ptid))
		return 0;
	/* before the child runs: its stash, new, looks it up at its first syscall */
	bpf_map_update_elem(&la_excluded, &tgid, &one, BPF_ANY);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(la_excluded_exit, struct task_struct *task)
{
	__u32 tgid;

	if (!la_excluded_gen)
		return 0;
	/* do_exit() counted this thread out of signal->live before the tracepoint */
	if (task->signal->live.counter)
		return 0;
	tgid = task->tgid;
	bpf_map_delete_elem(&la_excluded, &tgid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
