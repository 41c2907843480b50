/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Every map of lauditd's eBPF programs, and the settings user space passes them
 * (globals in .rodata and .bss).  Each family's object includes this header; the
 * definitions are weak so that the static linker keeps one of each.
 */
#ifndef LAUDITD_EBPF_MAPS_BPF_H
#define LAUDITD_EBPF_MAPS_BPF_H

#include "ebpf/rules.h"
#include "ebpf/wire.h"

/*
 * Data area after the event header.  Items are appended at a position that is
 * checked against LA_POS_MAX first, so that the largest single append (a path
 * of LA_PATH_MAX + 1 bytes with its header) always fits the buffer.
 */
#define LA_POS_MAX 16384
/*
 * The argument area (LA_ARGV_MAX) is the largest single append, which may start
 * no later than LA_ARGV_POS_MAX.  A per-CPU value is at most 32 KiB
 * (PCPU_MIN_UNIT_SIZE): the data area stays under that.
 */
#define LA_ARGV_POS_MAX 12288
#define LA_DATA_SIZE	(LA_ARGV_POS_MAX + 8 + LA_ARGV_MAX + 8)
_Static_assert(LA_DATA_SIZE >= LA_POS_MAX + 8 + LA_PATH_MAX + 8, "room for a path at LA_POS_MAX");
/* Entry-time items of path and socket syscalls: two paths and a sockaddr. */
#define LA_ENTRY_POS_MAX 8192
#define LA_ENTRY_SIZE	 (LA_ENTRY_POS_MAX + 8 + LA_PATH_MAX + 8)
/* A small fixed-size item (struct la_inode) may start up to here. */
#define LA_ENTRY_INODE_POS_MAX (LA_ENTRY_SIZE - 64)

/* A record being built: header, then items. */
struct la_buf {
	struct la_event ev;
	__u8 data[LA_DATA_SIZE];
};

/* Entry-time items kept until the syscall returns. */
struct la_entry {
	__u32 len;
	__u32 nitems;
	__u16 flags;
	__u16 pad[3];
	__u8 data[LA_ENTRY_SIZE];
};

/*
 * Entry-time items of up to this many bytes (one path, mostly) wait in
 * la_entries_small: an element of la_entries is allocated and copied whole.
 */
#define LA_ENTRY_SMALL 496

/* The head of struct la_entry, with room for LA_ENTRY_SMALL bytes of items. */
struct la_entry_small {
	__u32 len;
	__u32 nitems;
	__u16 flags;
	__u16 pad[3];
	__u8 data[LA_ENTRY_SMALL];
};

/* Where a thread's entry-time items wait (struct la_stash's has_entry). */
enum la_entry_at {
	LA_AT_NONE,  /* the syscall has none */
	LA_AT_BIG,   /* in la_entries */
	LA_AT_LOST,  /* they did not fit: the record says so */
	LA_AT_SMALL, /* in la_entries_small */
};

/* Working directories up to this length are kept per thread (struct la_stash). */
#define LA_CWD_KEPT 256

/* Per-thread state (task storage), kept for the thread's life. */
struct la_stash {
	__u64 ts_enter;
	__u64 args[LA_NARGS];
	__s32 nr;
	__u8 active;	    /* between a syscall's entry and its exit */
	__u8 has_entry;	    /* where entry-time items wait: enum la_entry_at */
	__u8 exec_script;   /* this execve runs a script: its interpreter is the exe */
	__u8 excluded;	    /* la_excluded had this thread's process at generation excl_gen */
	__u32 rule;	    /* at exit: the record's la_event.rule ... */
	__u32 rules_rev;    /* ... and la_event.rules_rev */
	__u64 sent_exec_id; /* exec_id + 1 whose exe and proctitle were sent ... */
	__u64 sent_cpus[4]; /* ... on these CPUs' rings */
	__s32 peer_cap;	    /* accept, recvfrom, recvmsg: the address buffer's size */
	__u8 task_state;    /* enum la_task_state, decided at the thread's fork (ebpf/task.bpf.c) */
	__u8 ruled;	    /* at exit: rule and rules_rev already decided (la_rules_exit()) */
	__u8 pad2[2];
	__u64 tty_key; /* the tty_struct whose name is in tty, + 1 */
	char tty[LA_TTY_LEN];
	/* the working directory's path, while its dentry, mount and la_renames stay */
	__u64 cwd_dentry;
	__u64 cwd_mnt;
	__u64 cwd_renames;
	__u32 cwd_len;	/* 0: nothing kept */
	__u32 excl_gen; /* la_excluded_gen when excluded was looked up */
	char cwd[LA_CWD_KEPT];
};

struct la_ring {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24);
};

/* One ring per CPU; user space sets the size and fills the slots before attaching. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct la_ring);
} la_rings SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct la_stash);
} la_stashes SEC(".maps") __weak;

/* Entry-time items, keyed by the task_struct's address (a tid changes when a thread execs). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct la_entry);
} la_entries SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct la_entry_small);
} la_entries_small SEC(".maps") __weak;

/* Build area of a record, one per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct la_buf);
} la_scratch SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct la_entry);
} la_entry_scratch SEC(".maps") __weak;

/* Where a path walk assembles a path: names are written backwards from the middle. */
struct la_pathbuf {
	char buf[LA_PATH_MAX * 2];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct la_pathbuf);
} la_pathbufs SEC(".maps") __weak;

/*
 * Successful renames so far: a rename may change the path of any directory, so
 * a working directory's path kept from before it is walked again.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} la_renames SEC(".maps") __weak;
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LA_NR_MAX);
	__type(key, __u32);
	__type(value, struct la_counts);
} la_counters SEC(".maps") __weak;

/* The exit-list rules, two slots of LA_RULES_MAX (ebpf/rules.h) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * LA_RULES_MAX);
	__type(key, __u32);
	__type(value, struct la_rule);
} la_rules SEC(".maps") __weak;

/*
 * Each syscall's candidate rules, two slots of LA_RULES_NR_MAX, then the 32-bit
 * ones' two, then the task list's two (LA_RULES_TASK_KEY)
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4 * LA_RULES_NR_MAX + 2);
	__type(key, __u32);
	__type(value, struct la_rule_list);
} la_rule_lists SEC(".maps") __weak;

/*
 * Processes left out of capture as lauditd leaves itself out: its plugins,
 * whose syscalls the events they receive cause (a plugin's activity would come
 * back to it as events, without end).  Keys are thread-group ids, and the ids
 * of lauditd's threads while they start a plugin: a process forked by either
 * is left out too (la_excluded_fork), and an entry goes when its process
 * ends (la_excluded_exit).
 */
#define LA_EXCLUDED_MAX 4096
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LA_EXCLUDED_MAX);
	__type(key, __u32);
	__type(value, __u8);
} la_excluded SEC(".maps") __weak;

/*
 * Settings fixed at load time, in .rodata: user space sets them through the
 * skeleton before loading, so that the verifier knows their values and prunes
 * what they rule out.
 */
const volatile __u32 la_self_tgid __weak = 0;	 /* lauditd's own process: never captured */
const volatile __u32 la_wakeup_bytes __weak = 0; /* wake the consumer once a ring holds this much */
const volatile __u32 la_argv_bytes __weak = LA_ARGV_MAX; /* bytes of a new image's argv kept */

/* Set by user space on shutdown (in .bss, read without a lookup): make no new record. */
volatile __u32 la_stopped __weak = 0;
/*
 * Bumped by user space when it adds to la_excluded: a thread's verdict kept in
 * its stash from an older generation is looked up again.  0: no process was
 * ever left out, and no lookup is made.
 */
volatile __u32 la_excluded_gen __weak = 0;
/* The rules' revision (in .bss, set by user space): 0, no rules; else slot rev & 1 holds them. */
volatile __u32 la_rules_rev __weak = 0;

/*
 * Set by user space once a task-list rule that can match was loaded: from then on
 * a syscall's entry looks at its thread's task_state first (a task keeps the state
 * its fork gave it for its whole life, whatever the rules become).
 */
volatile __u32 la_task_seen __weak = 0;
/*
 * The filesystem list's never rules (in .bss, set by user space): the first
 * la_fs_never_n of la_fs_never, each an fstype field of one of them.
 */
volatile __u32 la_fs_never_n __weak = 0;
volatile struct la_fs_never la_fs_never[LA_FS_NEVER_MAX] __weak = {};

#endif /* LAUDITD_EBPF_MAPS_BPF_H */
