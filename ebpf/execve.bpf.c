/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 18, execve: the filename is read at entry; after a successful exec the
 * new image's argument area and argc (the first word of its stack) are read at
 * exit, where the kernel has laid them out from its own copy of argv.
 */
#include "ebpf/programs.bpf.h"

static __always_inline void la_put_argv(struct la_cursor *cur)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct mm_struct *mm = task->mm;
	struct pt_regs *regs;
	struct la_item *it;
	__u64 start, end, len, argc = 0;
	__u64 pos = cur->pos, max = LA_ARGV_MAX;
	__u32 argc32;

	if (!mm)
		return;
	if (la_argv_bytes && la_argv_bytes < LA_ARGV_MAX)
		max = la_argv_bytes;
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

/* bpf_find_vma() callback: the mapped file, into the struct file * at @data. */
static long la_vma_file_cb(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	*(struct file **)data = vma->vm_file;
	return 0;
}

#define LA_AT_NULL  0
#define LA_AT_BASE  7
#define LA_AUXV_MAX 32

/*
 * The ELF interpreter the new image maps (its auxv's AT_BASE): its attributes
 * and its path.  A static binary has none.
 */
static __always_inline void la_put_interp(struct la_cursor *cur, struct mm_struct *mm)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct file *file = NULL;
	__u64 pair[2], base = 0;
	int i;

	for (i = 0; i < LA_AUXV_MAX; i++) {
		if (bpf_probe_read_kernel(pair, sizeof(pair), &mm->saved_auxv[2 * i]) ||
		    pair[0] == LA_AT_NULL)
			break;
		if (pair[0] == LA_AT_BASE) {
			base = pair[1];
			break;
		}
	}
	if (!base)
		return;
	bpf_find_vma(task, base, la_vma_file_cb, &file, 0);
	if (!file)
		return;
	la_put_inode(cur, LA_POS_MAX, LA_ARG_NONE, LA_INO_INTERP, BPF_CORE_READ(file, f_inode));
	la_put_file_path(cur, LA_POS_MAX, LA_IT_INTERP, file);
}

/*
 * The working directory; after a successful exec, the new image's file (for a
 * script, the interpreter that runs it), its ELF interpreter and its argv (last:
 * the largest item).
 */
static __always_inline void la_exec_hook(struct la_sys_exit *ctx, struct la_cursor *cur,
					 struct la_buf *b, struct la_stash *s)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct mm_struct *mm = task->mm;

	la_put_cwd(cur, s);
	if (ctx->ret != 0)
		return;
	if (mm) {
		la_put_inode(cur, LA_POS_MAX, b->ev.nr == __NR_execveat ? 1 : 0,
			     s->exec_script ? LA_INO_SCRIPT : LA_INO_NORMAL,
			     BPF_CORE_READ(mm, exe_file, f_inode));
		la_put_interp(cur, mm);
	}
	la_put_argv(cur);
}

/*
 * A filename that could not be read at entry (its page not yet faulted in: a
 * tracepoint program cannot fault) is taken from the kernel's own copy, once
 * the exec has succeeded.  The entry held just that one item.
 */
static __always_inline void la_exec_refill(struct la_entry *e, struct linux_binprm *bprm)
{
	struct la_item *it;
	long n;

	if (e->nitems != 1)
		return;
	it = (void *)e->data;
	if (it->kind != LA_IT_PATH || !(it->flags & LA_IF_FAULT))
		return;
	n = bpf_probe_read_kernel_str(e->data + LA_ITEM, LA_PATH_MAX, bprm->filename);
	if (n <= 0)
		return;
	it->flags = 0;
	it->len = n - 1;
	e->len = la_align(LA_ITEM + it->len);
	e->flags &= ~LA_F_FAULT;
}

/* A script's interpreter as its #! line names it, appended to the entry's items. */
static __always_inline void la_exec_binfmt(struct la_entry *e, struct linux_binprm *bprm)
{
	struct la_item *it;
	__u32 pos;
	long n;

	pos = e->len;
	if (pos > LA_ENTRY_POS_MAX)
		return;
	it = (void *)(e->data + pos);
	n = bpf_probe_read_kernel_str(e->data + pos + LA_ITEM, LA_PATH_MAX, bprm->interp);
	if (n <= 0)
		return;
	it->kind = LA_IT_BINFMT;
	it->arg = LA_ARG_NONE;
	it->flags = 0;
	it->pad = 0;
	it->len = n - 1;
	e->len = la_align(pos + LA_ITEM + it->len);
	e->nitems++;
}

/*
 * Once the new image is loaded: whether a binfmt handler (#!, binfmt_misc) put
 * an interpreter in the file's place, for it then set bprm->interp to a name of
 * its own (fs/exec.c, bprm_change_interp(), since 3.0); and the filename if the
 * entry could not read it.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(la_exec_loaded, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct la_stash *s = la_stash_get();
	__u64 key = (__u64)bpf_get_current_task_btf();
	struct la_entry *e;

	if (!s || !s->active)
		return 0;
	s->exec_script = bprm->interp != bprm->filename;
	if (s->has_entry != LA_AT_BIG || !(e = bpf_map_lookup_elem(&la_entries, &key)))
		return 0;
	la_exec_refill(e, bprm);
	if (s->exec_script)
		la_exec_binfmt(e, bprm);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int la_enter_execve(struct la_sys_enter *ctx)
{
	return la_enter_path(ctx, 0);
}

SEC("tracepoint/syscalls/sys_exit_execve")
int la_exit_execve(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 1, la_exec_hook);
}

SEC("tracepoint/syscalls/sys_enter_execveat")
int la_enter_execveat(struct la_sys_enter *ctx)
{
	return la_enter_path(ctx, 1);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int la_exit_execveat(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 1, la_exec_hook);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
