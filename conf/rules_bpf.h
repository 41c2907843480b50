/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The rules compiler: the exit-list rules of a struct rules_set, as the kernel holds them,
 * turned into what the eBPF programs evaluate (ebpf/rules.h): per rule its action and the
 * fields the programs can evaluate, per syscall the ordered list of the rules that may
 * select it, and per rule its key as the kernel logs it.
 *
 * Pure: the caller writes the result into the maps (logger/capture.c).
 */
#ifndef LAUDITD_CONF_RULES_BPF_H
#define LAUDITD_CONF_RULES_BPF_H

#include <stddef.h>

#include "conf/rules.h"
#include "ebpf/rules.h"

/* The arches whose syscalls have lists: struct rules_bpf.lists */
enum rules_bpf_arch {
	RULES_BPF_X86_64, /* x86-64's own syscalls: arch=b64, numbered as MACH_86_64 */
	RULES_BPF_I386,	  /* the 32-bit ones (LA_NR_COMPAT): arch=b32, numbered as MACH_X86 */
	RULES_BPF_ARCHES,
};

struct rules_bpf {
	/*
	 * 0: the set has no rule at all, and every syscall is captured (revision 0);
	 * 1: the exit-list rules decide (none: nothing is logged).
	 */
	int active;
	size_t nrules;	      /* exit-list rules, in the kernel's order */
	struct la_rule *rule; /* nrules (at most LA_RULES_MAX are held) */
	char **key;	      /* nrules: the keys joined by \x01 as the kernel logs them, or NULL */
	struct la_rule_list *list; /* LA_RULES_NR_MAX: the candidates of each x86-64 syscall */
	/*
	 * The candidates of each syscall per arch (enum rules_bpf_arch), LA_RULES_NR_MAX
	 * each, by that arch's numbers: lists[RULES_BPF_X86_64] is list.  A rule with no
	 * arch field is listed in both with the same numbers, as the kernel tests its mask
	 * on the syscall's number whatever its arch.
	 */
	struct la_rule_list *lists[RULES_BPF_ARCHES];
	/*
	 * The task list's rules, in rule[nrules .. nrules + ntask), and their list
	 * (indexes into rule[]); task_never, task_record: one of them that can match
	 * is a never rule, an always rule (whose tasks need every syscall's programs).
	 */
	size_t ntask;
	struct la_rule_list task;
	int task_never;
	int task_record;
	/* the fstype fields of the filesystem list's never rules (the first LA_FS_NEVER_MAX) */
	size_t nfs;
	struct la_fs_never fs[LA_FS_NEVER_MAX];
};

/*
 * rules_bpf_compile() - compile the exit-list rules of @s into @b (whose old content is
 * not freed), and its task-list and filesystem-list rules.
 *
 * A task-list rule is evaluated at a fork, with no syscall (the kernel's audit_alloc()):
 * one with a field on the syscall (a0..a3, exit, success, arch, perm) or on the objects
 * never matches and is listed nowhere; exe is unsure (fail open: a never rule with it is
 * passed over).  Its key is not kept (auditctl takes none without exe).
 *
 * A rule with a field the programs cannot evaluate is compiled as unsure (struct
 * la_rule.unsure): fail open.  A rule is listed for the syscalls of the arches its arch
 * fields allow (b64: x86-64's, b32: the 32-bit ones, with i386's numbers); one that can
 * never match on this machine is listed for no syscall: an arch other than b64 and b32
 * compared with =, an SELinux field (subj_*, obj_user .. obj_lev_high) with no LSM taking
 * audit rules, as the kernel keeps such a rule and matches nothing with it.  A perm rule
 * is listed only for the syscalls of its classes (the kernel's audit_match_perm()).
 *
 * Return: 0, or -ENOMEM.
 */
int rules_bpf_compile(const struct rules_set *s, struct rules_bpf *b);

/*
 * rules_bpf_unimplemented() - syscall @nr is one the running kernel does not implement
 * (no tracepoints of its own: ENOSYS), which looks nothing up: the rules with a field on
 * the objects (rules_bpf_object_field()) are no longer its candidates in @b, as for the
 * syscalls that name no object.  @s: the set @b was compiled from.
 */
void rules_bpf_unimplemented(struct rules_bpf *b, const struct rules_set *s, int nr);

/* rules_bpf_free() - free what rules_bpf_compile() made; @b may be NULL. */
void rules_bpf_free(struct rules_bpf *b);

/*
 * rules_bpf_object_field() - whether rule field @f is one on the objects a syscall names
 * (watch, dir, inode, devmajor, devminor, obj_uid, obj_gid, filetype), which the kernel
 * decides on the names its lookups collect: 1 or 0.
 */
int rules_bpf_object_field(uint32_t f);

/*
 * rules_bpf_selects() - whether a rule of @b may select syscall @nr (its programs must
 * then be attached): always with no rules (!@b->active), and every syscall of libaudit's
 * table with a task-list always rule (its tasks' syscalls are all logged).  @nr:
 * x86-64's number, or i386's | LA_NR_COMPAT for a 32-bit syscall.
 */
int rules_bpf_selects(const struct rules_bpf *b, int nr);

/*
 * rules_bpf_selects_compat() - whether a rule of @b may select a 32-bit syscall (the raw
 * programs must then be attached, where the kernel runs them): 1 or 0.  0 with no rules:
 * the 32-bit syscalls are captured only by rules that name them.
 */
int rules_bpf_selects_compat(const struct rules_bpf *b);

#endif /* LAUDITD_CONF_RULES_BPF_H */
