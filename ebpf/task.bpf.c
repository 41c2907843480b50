/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The task list of the audit rules, applied as the kernel's audit_alloc() applies
 * it: once per new task (a process or a thread), at its fork, before it runs.  A
 * task a never rule selects keeps LA_TASK_NEVER in its stash for its whole life,
 * across execve; its syscalls go no further than la_enter()'s first test.  The
 * tasks forked before a rule was loaded keep the state their own fork gave them.
 */
#include "ebpf/programs.bpf.h"

SEC("tp_btf/sched_process_fork")
int BPF_PROG(la_task_fork, struct task_struct *parent, struct task_struct *child)
{
	struct la_stash *s;
	int state;

	if (!la_rules_rev)
		return 0;
	state = la_rules_fork(child->tgid, child->real_parent->tgid);
	if (state == LA_TASK_BUILD)
		return 0;
	s = bpf_task_storage_get(&la_stashes, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (s)
		s->task_state = state;
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
