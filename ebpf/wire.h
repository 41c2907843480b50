/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Records shared between the eBPF programs and user space.
 *
 * A ring record is one struct la_event followed by la_event.nitems items, each a
 * struct la_item header and la_item.len bytes of payload, padded (with bytes of
 * no meaning) to 8 (LA_ALIGN) so that every item header is aligned.  Fixed-width types
 * only, explicit padding, sizes checked below.
 */
#ifndef LAUDITD_EBPF_WIRE_H
#define LAUDITD_EBPF_WIRE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define LA_ALIGN(n) ((((n) + 7) / 8) * 8)
#define LA_COMM_LEN 16
#define LA_TTY_LEN  16
#define LA_NARGS    6
/* Path strings: PATH_MAX bytes; one more is read to tell truncation apart. */
#define LA_PATH_MAX 4096
/* PROCTITLE is cut at 128 bytes, as the kernel's audit does. */
#define LA_PROCTITLE_MAX 128
#define LA_SOCKADDR_MAX	 128
/* A new image's argument area (LA_IT_ARGV): at most this many bytes are kept. */
#define LA_ARGV_MAX 16384
/* Highest syscall number with its own counters; higher ones share the last slot. */
#define LA_NR_MAX 512

/*
 * la_event.nr of a 32-bit syscall (int 0x80, sysenter, an ia32 compat call):
 * its i386 number (auditd's arch=40000003) with this bit.  The counters have
 * them in their last slot, with the numbers past LA_NR_MAX.
 */
#define LA_NR_COMPAT (1 << 30)

/* struct la_event.kind */
enum la_event_kind {
	LA_EV_SYSCALL = 1,
};

/* struct la_event.flags */
enum la_event_flags {
	LA_F_NORETURN = 1 << 0, /* exit, exit_group: recorded at entry, ret is not valid */
	LA_F_TRUNC = 1 << 1,	/* an item was cut short (see la_item.flags) */
	LA_F_FAULT = 1 << 2,	/* a user-memory read failed (see la_item.flags) */
	LA_F_NOSPACE = 1 << 3,	/* items left out: the record's data area was full */
};

/* struct la_item.kind */
enum la_item_kind {
	LA_IT_PATH = 1,	     /* NUL-free path string from argument la_item.arg */
	LA_IT_SOCKADDR = 2,  /* raw sockaddr passed in argument la_item.arg */
	LA_IT_PEER = 3,	     /* raw sockaddr the kernel returned (accept, recvfrom, recvmsg) */
	LA_IT_ARGV = 4,	     /* successful execve: the new image's argument area */
	LA_IT_FDS = 5,	     /* two __s32 fds returned through a pointer (pipe, socketpair) */
	LA_IT_EXE = 6,	     /* the process's executable path */
	LA_IT_PROCTITLE = 7, /* the process's argv area, NUL-separated, at most 128 bytes */
	LA_IT_ARGC = 8,	     /* __u32: successful execve's argc */
	LA_IT_CWD = 9,	     /* the process's working directory at exit (path syscalls) */
	LA_IT_INODE = 10,    /* struct la_inode: an object the syscall reached */
	LA_IT_OBJPID = 11,   /* struct la_objpid: target of kill, tkill, tgkill, ptrace attach */
	LA_IT_OPENHOW = 12,  /* openat2's struct open_how as passed */
	LA_IT_INTERP = 13,   /* successful execve: the path of the ELF interpreter mapped */
	LA_IT_BINFMT = 14, /* execve of a script: the interpreter's name as its #! line gives it */
	LA_IT_MERGE = 15,  /* struct la_merge: the further syscalls this record stands for */
	/*
	 * The absolute path of the directory that path argument la_item.arg starts
	 * from, given by a descriptor (not AT_FDCWD); sent only for the rules' dir=
	 * and watch fields (ebpf/paths.h, la_at_path_args()), never printed.
	 */
	LA_IT_ATDIR = 16,
};

/* struct la_inode.role: what the object was to the syscall (auditd's nametype) */
enum la_inode_role {
	LA_INO_NORMAL = 1, /* the object a path (la_item.arg) or fd named */
	LA_INO_PARENT = 2, /* the directory a created object went into */
	LA_INO_CREATE = 3, /* an object the syscall created */
	LA_INO_BASE = 4,   /* the directory relative path la_item.arg starts from: dirfd or cwd */
	LA_INO_INTERP = 5, /* execve: the ELF interpreter (see LA_IT_INTERP) */
	LA_INO_SCRIPT = 6, /* execve of a script: the interpreter its #! line named */
};

/* struct la_item.flags */
enum la_item_flags {
	LA_IF_TRUNC = 1 << 0, /* payload cut short */
	LA_IF_FAULT = 1 << 1, /* reading user memory failed; payload is empty */
};

struct la_item {
	__u8 kind;
	__u8 arg; /* argument index the payload came from */
	__u8 flags;
	__u8 pad;
	__u32 len; /* payload bytes following this header */
};
_Static_assert(sizeof(struct la_item) == 8, "la_item layout");

struct la_event {
	__u32 size;	      /* bytes of the whole record, header and items */
	__u16 kind;	      /* enum la_event_kind */
	__u16 flags;	      /* enum la_event_flags */
	__s32 nr;	      /* syscall number: x86-64's, or i386's | LA_NR_COMPAT */
	__u32 cpu;	      /* CPU whose ring carried it */
	__u64 ts_enter;	      /* CLOCK_BOOTTIME ns at syscall entry */
	__u64 ts_exit;	      /* CLOCK_BOOTTIME ns at syscall exit */
	__u64 args[LA_NARGS]; /* raw arguments */
	__s64 ret;	      /* return value */
	__u64 cgroup_id;
	__u64 exec_id; /* task's self_exec_id: changes on execve */
	__u32 tid;
	__u32 pid; /* thread group id */
	__u32 ppid;
	__u32 auid;
	__u32 uid;
	__u32 gid;
	__u32 euid;
	__u32 suid;
	__u32 fsuid;
	__u32 egid;
	__u32 sgid;
	__u32 fsgid;
	__u32 ses;
	__u32 nitems; /* items following the header */
	char comm[LA_COMM_LEN];
	char tty[LA_TTY_LEN]; /* "pts0", or empty when the process has no tty */
	__u32 rule;	      /* 1 + the exit-list index of the rule that selected it; 0: none */
	__u32 rules_rev;      /* the rules' revision that rule is of (ebpf/rules.h) */
};
_Static_assert(sizeof(struct la_event) == 200, "la_event layout");

/*
 * An inode's attributes as the kernel's PATH record has them; la_item.arg is the
 * argument whose path named it, or LA_ARG_NONE.
 */
struct la_inode {
	__u64 ino;
	__u32 dev;  /* the kernel's dev_t: major << 20 | minor */
	__u32 rdev; /* likewise */
	__u32 uid;
	__u32 gid;
	__u16 mode;
	__u8 role; /* enum la_inode_role */
	/*
	 * 1: a never rule of the filesystem list selected the object's filesystem, and
	 * the kernel did not collect it (__audit_inode()): the name stays, with
	 * nametype=UNKNOWN and no attributes (all 0 here).
	 */
	__u8 fs_never;
	__u8 pad[4];
};
_Static_assert(sizeof(struct la_inode) == 32, "la_inode layout");

/* la_item.arg of an item that no argument names */
#define LA_ARG_NONE 255

/* The task a signal or ptrace attach aimed at, read at entry (auditd's OBJ_PID). */
struct la_objpid {
	__u32 pid; /* thread group id */
	__u32 auid;
	__u32 uid;
	__u32 ses;
	char comm[LA_COMM_LEN];
};
_Static_assert(sizeof(struct la_objpid) == 32, "la_objpid layout");

/*
 * The cache filter's totals (ebpf/cache.bpf.h), carried by a record that stands
 * for further syscalls of its class on the same object: the header is the first
 * syscall's; bytes and failed count the first and the merged ones.
 */
struct la_merge {
	__u64 merged;	 /* further syscalls merged into the record, at least 1 */
	__u64 last_exit; /* CLOCK_BOOTTIME ns at the last one's exit */
	__u64 bytes;	 /* sum of the successful ones' return values */
	__u64 failed;	 /* how many failed */
	__u64 closed; /* 1: the descriptor's close is among the merged (absent from older logs) */
	/*
	 * An open's record that the reads or the writes on its descriptor joined
	 * (absent from older logs: 0): their class (enum la_merge_flow), the
	 * first one's syscall number and entry (CLOCK_BOOTTIME ns).  bytes and
	 * failed are then theirs (and the close's), not the open's.
	 */
	__u32 flow;
	__s32 flow_nr;
	__u64 flow_enter;
};
_Static_assert(sizeof(struct la_merge) == 56, "la_merge layout");
/* The length of struct la_merge before `flow` (logs written before it). */
#define LA_MERGE_V2_LEN 40

/* struct la_merge.flow: the data the syscalls merged into an open's record moved */
enum la_merge_flow {
	LA_FLOW_NONE = 0,
	LA_FLOW_READ = 1,  /* read-like: from the object to the process */
	LA_FLOW_WRITE = 2, /* write-like: from the process to the object */
};

/*
 * What became of the records, counted per CPU and per syscall number (map
 * "counters"): made == delivered + the losses + filtered.  The names, and which counters
 * are losses, are in logger/counters.c.
 */
enum la_counter {
	LA_CNT_MADE,	   /* records the programs set out to deliver */
	LA_CNT_RING_FULL,  /* lost: the CPU's ring had no room */
	LA_CNT_TOO_LARGE,  /* lost: the record did not fit the scratch area */
	LA_CNT_NO_STASH,   /* lost: no per-task storage at entry */
	LA_CNT_FAULTS,	   /* delivered, but a user-memory read failed (not a loss) */
	LA_CNT_TRUNCATED,  /* delivered, but an item was cut (not a loss) */
	LA_CNT_MERGED,	   /* syscalls merged into another's record (ebpf/cache.bpf.h): no record */
	LA_CNT_CACHE_FULL, /* written alone: the cache filter had no room (not a loss) */
	LA_CNT_FILTERED,   /* not delivered: the rules log nothing for it (not a loss) */
	LA_CNT__MAX,
};

struct la_counts {
	__u64 n[LA_CNT__MAX];
};
_Static_assert(sizeof(struct la_counts) == LA_CNT__MAX * 8, "la_counts layout");

#endif /* LAUDITD_EBPF_WIRE_H */
