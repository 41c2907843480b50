/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 18, execve: the filename is read at entry; after a successful exec the
 * new image's argument area and argc (the first word of its stack) are read at
 * exit, where the kernel has laid them out from its own copy of argv.
 */
#include "ebpf/common.bpf.h"

static __always_inline void la_put_argv(struct la_cursor *cur)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct mm_struct *mm = task->mm;
	struct pt_regs *regs;
	struct la_item *it;
	__u64 start, end, len, argc = 0;
	__u64 pos = cur->pos, max = LA_ARGV_MAX;
	struct la_config *cfg;
	__u32 argc32, key = 0;

	if (!mm)
		return;
	cfg = bpf_map_lookup_elem(&la_config, &key);
	if (cfg && cfg->argv_bytes && cfg->argv_bytes < LA_ARGV_MAX)
		max = cfg->argv_bytes;
	if (pos > LA_ARGV_POS_MAX) {
		cur->flags |= LA_F_NOSPACE;
		return;
	}
	it = la_item_open(cur, pos, LA_IT_ARGV, 1);
	start = mm->arg_start;
	end = mm->arg_end;
	len = end > start ? end - start : 0;
	if (len > max) {
		len = max;
		it->flags |= LA_IF_TRUNC;
		cur->flags |= LA_F_TRUNC;
	}
	/* the bound the verifier can see, whatever the configured one */
	barrier_var(len);
	if (len > LA_ARGV_MAX)
		len = LA_ARGV_MAX;
	if (len && bpf_probe_read_user(cur->data + pos + LA_ITEM, len, (void *)start)) {
		la_item_fault(cur, it);
		len = 0;
	}
	it->len = len;
	pos = la_align(pos + LA_ITEM + len);
	cur->pos = pos;

	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	if (!regs || bpf_probe_read_user(&argc, sizeof(argc), (void *)BPF_CORE_READ(regs, sp)))
		return;
	if (pos > LA_POS_MAX)
		return;
	it = la_item_open(cur, pos, LA_IT_ARGC, 1);
	argc32 = argc;
	bpf_probe_read_kernel(cur->data + pos + LA_ITEM, sizeof(argc32), &argc32);
	it->len = sizeof(argc32);
	cur->pos = la_align(pos + LA_ITEM + sizeof(argc32));
}

/*
 * The working directory; after a successful exec, the new image's file and its
 * argv (last: the largest item).
 */
static __always_inline void la_exec_hook(struct la_sys_exit *ctx, struct la_cursor *cur,
					 struct la_buf *b, struct la_stash *s)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct mm_struct *mm = task->mm;

	la_put_cwd(cur);
	if (ctx->ret != 0)
		return;
	if (mm)
		la_put_inode(cur, LA_POS_MAX, b->ev.nr == 322 ? 1 : 0, LA_INO_NORMAL,
			     BPF_CORE_READ(mm, exe_file, f_inode));
	la_put_argv(cur);
}

LA_ENTER_PATHS(execve, 0, -1)
LA_EXIT_HOOKED(execve, 1, la_exec_hook)
LA_ENTER_PATHS(execveat, 1, -1)
LA_EXIT_HOOKED(execveat, 1, la_exec_hook)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
