/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The path arguments of the syscalls outside the 25 families, and the PATH items
 * the kernel's audit logs for them: the generic programs (ebpf/other.bpf.c) read
 * these arguments at entry, the text encoder (formats/text_path.c) writes the
 * items.  Syscalls not listed take no path: their record has no CWD and no PATH.
 */
#ifndef LAUDITD_EBPF_PATHS_H
#define LAUDITD_EBPF_PATHS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif
#include <asm/unistd.h>

/* struct la_path_spec.shape: what the syscall does with its paths p and q */
enum la_path_shape {
	LA_PS_NONE = 0,	  /* no path */
	LA_PS_LOOKUP,	  /* p looked up: NORMAL, or UNKNOWN when not found */
	LA_PS_MOUNTPOINT, /* umount2: as LOOKUP, the file capabilities not evaluated ("?") */
	LA_PS_LOOKUP2,	  /* pivot_root: p, then q looked up */
	LA_PS_MOUNT,   /* mount: the target q looked up, then the source p for MS_BIND, MS_MOVE */
	LA_PS_CREATE,  /* p created: PARENT, then CREATE */
	LA_PS_SYMLINK, /* q created holding the string p: PARENT(q), UNKNOWN(p), CREATE(q) */
	LA_PS_LINK,    /* q created as a link to p: PARENT(q), NORMAL(p), CREATE(q) */
	LA_PS_FD,      /* the file of descriptor p: name=(null), its attributes */
};

/* struct la_path_spec: no argument (a dirfd's: the path starts from the working directory) */
#define LA_PS_NOARG 0xff

struct la_path_spec {
	__u8 shape; /* enum la_path_shape */
	__u8 p;	    /* the first path's argument */
	__u8 pdir;  /* the dirfd it starts from, or LA_PS_NOARG */
	__u8 q;	    /* the second path's argument, or LA_PS_NOARG */
	__u8 qdir;
};

#define LA_PS(shape, p, pdir, q, qdir) ((struct la_path_spec){shape, p, pdir, q, qdir})
#define LA_PS1(shape, p, pdir)	       LA_PS(shape, p, pdir, LA_PS_NOARG, LA_PS_NOARG)

/* The paths of syscall @nr (x86-64), as the kernel's audit names them. */
static inline __attribute__((always_inline)) struct la_path_spec la_path_spec(long nr)
{
	switch (nr) {
	case __NR_setxattr:
	case __NR_lsetxattr:
	case __NR_getxattr:
	case __NR_lgetxattr:
	case __NR_listxattr:
	case __NR_llistxattr:
	case __NR_removexattr:
	case __NR_lremovexattr:
	case __NR_chdir:
	case __NR_chroot:
	case __NR_statfs:
	case __NR_acct:
	case __NR_swapon:
	case __NR_swapoff:
	case __NR_uselib:
	case __NR_stat:
	case __NR_lstat:
	case __NR_access:
	case __NR_readlink:
	case __NR_utime:
	case __NR_utimes:
		return LA_PS1(LA_PS_LOOKUP, 0, LA_PS_NOARG);
	case __NR_newfstatat:
	case __NR_faccessat:
#ifdef __NR_faccessat2
	case __NR_faccessat2:
#endif
	case __NR_readlinkat:
	case __NR_futimesat:
	case __NR_utimensat:
	case __NR_statx:
	case __NR_name_to_handle_at:
		return LA_PS1(LA_PS_LOOKUP, 1, 0);
	case __NR_inotify_add_watch:
	case __NR_quotactl:
		return LA_PS1(LA_PS_LOOKUP, 1, LA_PS_NOARG);
	case __NR_umount2:
		return LA_PS1(LA_PS_MOUNTPOINT, 0, LA_PS_NOARG);
	case __NR_pivot_root:
		return LA_PS(LA_PS_LOOKUP2, 0, LA_PS_NOARG, 1, LA_PS_NOARG);
	case __NR_mount:
		return LA_PS(LA_PS_MOUNT, 0, LA_PS_NOARG, 1, LA_PS_NOARG);
	case __NR_mkdir:
	case __NR_mknod:
		return LA_PS1(LA_PS_CREATE, 0, LA_PS_NOARG);
	case __NR_mkdirat:
	case __NR_mknodat:
		return LA_PS1(LA_PS_CREATE, 1, 0);
	case __NR_symlink:
		return LA_PS(LA_PS_SYMLINK, 0, LA_PS_NOARG, 1, LA_PS_NOARG);
	case __NR_symlinkat:
		return LA_PS(LA_PS_SYMLINK, 0, LA_PS_NOARG, 2, 1);
	case __NR_link:
		return LA_PS(LA_PS_LINK, 0, LA_PS_NOARG, 1, LA_PS_NOARG);
	case __NR_linkat:
		return LA_PS(LA_PS_LINK, 1, 0, 3, 2);
	case __NR_fsetxattr:
	case __NR_fgetxattr:
	case __NR_flistxattr:
	case __NR_fremovexattr:
		return LA_PS1(LA_PS_FD, 0, LA_PS_NOARG);
	}
	return LA_PS1(LA_PS_NONE, LA_PS_NOARG, LA_PS_NOARG);
}

/*
 * The path arguments of syscall @nr (x86-64), of the families' and of the others,
 * that start from the directory descriptor passed in the argument before them:
 * bit i for argument i.  For the rules' dir= and watch fields, the programs send
 * that directory's path (LA_IT_ATDIR) when the descriptor is not AT_FDCWD.
 */
static inline __attribute__((always_inline)) unsigned int la_at_path_args(long nr)
{
	struct la_path_spec ps;

	switch (nr) {
	case __NR_openat:
#ifdef __NR_openat2
	case __NR_openat2:
#endif
	case __NR_unlinkat:
	case __NR_fchmodat:
#ifdef __NR_fchmodat2
	case __NR_fchmodat2:
#endif
	case __NR_fchownat:
	case __NR_execveat:
		return 1u << 1;
	case __NR_renameat:
	case __NR_renameat2:
		return 1u << 1 | 1u << 3;
	}
	ps = la_path_spec(nr);
	return (ps.pdir != LA_PS_NOARG ? 1u << (ps.p & 7) : 0) |
	       (ps.qdir != LA_PS_NOARG ? 1u << (ps.q & 7) : 0);
}

#endif /* LAUDITD_EBPF_PATHS_H */
