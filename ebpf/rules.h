/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The exit-list audit rules as the programs evaluate them (maps la_rules and
 * la_rule_lists, ebpf/maps.bpf.h), compiled by conf/rules_bpf.c from the rules
 * as the kernel holds them.
 *
 * Two slots, so that a rule change applies at once: user space fills the slot
 * that the current revision does not use, then publishes the new revision
 * (la_rules_rev); a program reads the revision once per syscall and uses slot
 * rev & 1 throughout.  Revision 0: no rules, every syscall of every family is
 * captured.
 */
#ifndef LAUDITD_EBPF_RULES_H
#define LAUDITD_EBPF_RULES_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "ebpf/wire.h"

/* Exit-list rules a slot holds; the candidates of a syscall past these are unsure. */
#define LA_RULES_MAX 1024
/* Fields of a rule the programs evaluate */
#define LA_RULE_FIELDS 16
/* Candidate rules of one syscall, in the list's order */
#define LA_RULES_PER_NR 126
/* Syscall numbers a slot has lists for (the counters' LA_NR_MAX) */
#define LA_RULES_NR_MAX 512
/*
 * The task list's rules, evaluated once per new task at its fork (the kernel's
 * audit_alloc()): la_rule_lists holds their list at LA_RULES_TASK_KEY + slot, and
 * la_rules the rules themselves after the slot's exit-list rules.
 */
#define LA_RULES_TASK_KEY (4 * LA_RULES_NR_MAX)
/* fstype fields of the filesystem list's never rules held (struct la_fs_never) */
#define LA_FS_NEVER_MAX 16

/* struct la_rule_field.field: what the field compares */
enum la_rule_field_id {
	LA_RF_PID = 1, /* thread group id */
	LA_RF_PPID,
	LA_RF_UID,
	LA_RF_EUID,
	LA_RF_SUID,
	LA_RF_FSUID,
	LA_RF_GID, /* = and != also look at the supplementary groups, as the kernel does */
	LA_RF_EGID,
	LA_RF_SGID,
	LA_RF_FSGID,
	LA_RF_AUID,
	LA_RF_AUID_SET, /* loginuid_set: 1 when the auid is set */
	LA_RF_SES,
	LA_RF_PERS,    /* the task's personality */
	LA_RF_ARCH,    /* AUDIT_ARCH_X86_64, or AUDIT_ARCH_I386 for a 32-bit syscall */
	LA_RF_EXIT,    /* known at exit only */
	LA_RF_SUCCESS, /* known at exit only: 1 success, 2 failure (AUDITSC_*) */
	LA_RF_A0,
	LA_RF_A1,
	LA_RF_A2,
	LA_RF_A3,
	LA_RF_PERM,   /* the value's AUDIT_PERM_* against the syscall (open's flags, execve) */
	LA_RF_CMP,    /* -C: field2 against field, both LA_RF_* ids of the task's */
	LA_RF_UNSURE, /* a field the programs cannot evaluate yet: see struct la_rule.unsure */
};

/* struct la_rule_field.op: the kernel's operators (audit_comparator()) */
enum la_rule_op {
	LA_OP_EQ = 1,
	LA_OP_NE,
	LA_OP_LT,
	LA_OP_LE,
	LA_OP_GT,
	LA_OP_GE,
	LA_OP_BITMASK, /* & : left & right != 0 */
	LA_OP_BITTEST, /* &= : (left & right) == right */
};

struct la_rule_field {
	__u8 field;  /* enum la_rule_field_id */
	__u8 op;     /* enum la_rule_op */
	__u8 field2; /* LA_RF_CMP: the right-hand field */
	__u8 pad;
	__u32 value; /* the kernel compares 32 bits: exit, a0..a3 are cut to their low half */
};
_Static_assert(sizeof(struct la_rule_field) == 8, "la_rule_field layout");

/* struct la_rule.action */
enum la_rule_action {
	LA_RULE_NEVER = 0,
	LA_RULE_ALWAYS = 1,
};

struct la_rule {
	__u8 action; /* enum la_rule_action */
	__u8 nfields;
	/*
	 * 1: the rule has a field the programs cannot evaluate (path, dir, filetype,
	 * exe, obj_*, devmajor, more than LA_RULE_FIELDS...).  Fail open: an always
	 * rule whose other fields match selects the syscall (with its key); a never
	 * rule is passed over, as if it did not match.
	 */
	__u8 unsure;
	__u8 pad;
	/*
	 * The rule's key as the cache filter compares it (ebpf/cache.bpf.h): 0 when
	 * the rule has none, else 1 + the index of the first exit-list rule whose
	 * key is the same string, so that two rules with one key give one value.
	 */
	__u16 key_id;
	__u16 pad2;
	struct la_rule_field f[LA_RULE_FIELDS];
};
_Static_assert(sizeof(struct la_rule) == 8 + 8 * LA_RULE_FIELDS, "la_rule layout");

/* struct la_rule_list.flags */
enum la_rule_list_flags {
	/*
	 * More candidates than LA_RULES_PER_NR: when none of those listed decides,
	 * the syscall is captured (fail open).
	 */
	LA_RL_OVERFLOW = 1 << 0,
	/* the syscall may change the task's ids or auid: those are not known at entry */
	LA_RL_CREDS_CHANGE = 1 << 1,
	/*
	 * A syscall outside the families with no tracepoints of its own, which the
	 * raw programs capture (ebpf/other.bpf.c); set by user space, which knows
	 * the families' programs and the kernel's tracepoints.
	 */
	LA_RL_OTHER = 1 << 2,
	/*
	 * A candidate rule has a dir= or watch field, which user space decides on the
	 * objects' full paths: the exit programs add the path of the directory a
	 * relative name starts from when a descriptor gives it (LA_IT_ATDIR).
	 */
	LA_RL_ATDIR = 1 << 3,
	/*
	 * A candidate is unsure (struct la_rule.unsure): user space may decide the
	 * record otherwise than the programs did (exe=, the objects' fields), or an
	 * exclude rule may leave out its SYSCALL record (every list then), so the
	 * cache filter merges none of the syscall's records.
	 */
	LA_RL_UNSURE = 1 << 4,
};

/* The rules that may select one syscall, in the list's order (slot indexes of la_rules) */
struct la_rule_list {
	__u16 n;
	__u16 flags;		     /* enum la_rule_list_flags */
	__u16 rule[LA_RULES_PER_NR]; /* the rule's place among the set's exit-list rules */
};
_Static_assert(sizeof(struct la_rule_list) == 256, "la_rule_list layout");

/*
 * A new task's audit state, as the task list decided it at its fork (the kernel's
 * enum audit_state for audit_alloc()): struct la_stash.task_state.
 */
enum la_task_state {
	LA_TASK_BUILD = 0,  /* no task rule matched: the exit list decides each syscall */
	LA_TASK_NEVER = 1,  /* a never rule matched: no syscall of the task is logged */
	LA_TASK_RECORD = 2, /* an always rule matched: every syscall is logged, with no key */
};

/*
 * One fstype field of a never rule of the filesystem list: an inode whose
 * superblock's magic compares true is not collected (the kernel's __audit_inode()
 * and __audit_inode_child()).
 */
struct la_fs_never {
	__u32 op;    /* enum la_rule_op: LA_OP_EQ or LA_OP_NE */
	__u32 magic; /* the filesystem's magic (include/uapi/linux/magic.h) */
};
_Static_assert(sizeof(struct la_fs_never) == 8, "la_fs_never layout");

/*
 * The key of syscall @nr's list in slot @slot of la_rule_lists: the 32-bit
 * syscalls (nr with LA_NR_COMPAT: i386's numbering, as auditctl encodes the -S of
 * an arch=b32 rule) have lists of their own after the two slots of x86-64's.
 */
static inline __attribute__((always_inline)) __u32 la_rule_list_key(__u32 slot, __s32 nr)
{
	return ((nr & LA_NR_COMPAT) ? 2 * LA_RULES_NR_MAX : 0) + (slot & 1) * LA_RULES_NR_MAX +
	       ((__u32)nr & (LA_RULES_NR_MAX - 1));
}

#endif /* LAUDITD_EBPF_RULES_H */
