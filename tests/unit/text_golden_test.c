// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Golden files for formats/text.c and text_path.c: one ring record of each shape the encoder
 * knows, built by hand as the eBPF programs lay it out, encoded RAW and ENRICHED
 * and compared byte for byte with tests/data/text/NAME.raw and NAME.enriched.
 * Every line of those files was checked against what auditd 3.0.9 writes for the
 * same syscall (README.md lists the differences lauditd allows).
 *
 * usage: text_golden_test [DATADIR]      (DATADIR: tests/data/text, from the
 *                                          repository's root)
 *        TEXT_GOLDEN_UPDATE=1 text_golden_test [DATADIR]
 *            rewrites the files from the encoder's output instead of comparing;
 *            the change then shows as a diff of the files, line by line.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include <CUnit/Basic.h>

#include "formats/wire.h"
#include "formats/text.h"

static const char *g_datadir = "tests/data/text";
static int g_update;

/* ------------------------------------------------------------ building records */

static union {
	struct la_event ev;
	char b[64 * 1024];
} g_ev;

/* A syscall by root with no login session and no tty: a daemon's child. */
static struct la_event *ev_begin(int32_t nr, int64_t ret)
{
	struct la_event *ev = &g_ev.ev;

	memset(ev, 0, sizeof(*ev));
	ev->size = sizeof(*ev);
	ev->kind = LA_EV_SYSCALL;
	ev->nr = nr;
	ev->cpu = 1;
	ev->ts_enter = 81000000000ULL;
	ev->ts_exit = ev->ts_enter + 900;
	ev->ret = ret;
	ev->cgroup_id = 0x1f2e;
	ev->exec_id = 3;
	ev->tid = 7277;
	ev->pid = 7277;
	ev->ppid = 7205;
	ev->auid = 4294967295u;
	ev->ses = 4294967295u;
	memcpy(ev->comm, "families", 8);
	return ev;
}

/*
 * Append an item: header, payload, then padding to LA_ALIGN (bytes of no
 * meaning: filled with garbage, which the encoder must not read).
 */
static void ev_item(unsigned int kind, unsigned int arg, const void *p, size_t len)
{
	struct la_event *ev = &g_ev.ev;
	struct la_item *it = (struct la_item *)(g_ev.b + ev->size);

	if (ev->size + sizeof(*it) + LA_ALIGN(len) > sizeof(g_ev))
		abort();
	memset(it, 0xa5, sizeof(*it) + LA_ALIGN(len));
	it->kind = kind;
	it->arg = arg;
	it->flags = 0;
	it->len = len;
	memcpy(it + 1, p, len);
	ev->size += sizeof(*it) + LA_ALIGN(len);
	ev->nitems++;
}

/* A string item, without its NUL (paths, the working directory). */
static void ev_str(unsigned int kind, unsigned int arg, const char *s)
{
	ev_item(kind, arg, s, strlen(s));
}

static void ev_inode(unsigned int arg, unsigned int role, uint64_t ino, uint16_t mode)
{
	struct la_inode in;

	memset(&in, 0, sizeof(in));
	in.ino = ino;
	in.dev = 0xfe << 20 | 0; /* major 254, minor 0: fe:00 */
	in.rdev = 0;
	in.uid = 0;
	in.gid = 0;
	in.mode = mode;
	in.role = role;
	ev_item(LA_IT_INODE, arg, &in, sizeof(in));
}

/* The working directory of most shapes, and its attributes. */
#define CWD	"/tmp/gt.kLlK/work"
#define CWD_INO 10952851

/* ------------------------------------------------------------ the shapes */

/* What a shape adds to its record: the process's identity, key, node name. */
struct shape {
	struct text_ident id;
	const char *key;
	const char *node;
};

static const char families_title[] = "/tmp/families\0/tmp/gt.kLlK/work";

static void shape_default(struct shape *s)
{
	memset(s, 0, sizeof(*s));
	s->id.exe = "/tmp/families";
	s->id.exe_len = strlen(s->id.exe);
	s->id.title = families_title;
	s->id.title_len = sizeof(families_title) - 1;
}

/* read(3, buf, 64): SYSCALL and PROCTITLE only; EXE and PROCTITLE items make no record. */
static void build_read(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_read, 5);
	static const char title[] = "cat";

	ev->args[0] = 3;
	ev->args[1] = 0x7ffe10a29ed0;
	ev->args[2] = 0x40;
	ev->args[3] = 0;
	ev_str(LA_IT_EXE, LA_ARG_NONE, "/usr/bin/cat");
	ev_item(LA_IT_PROCTITLE, 0, title, sizeof(title));
	shape_default(s);
	s->id.exe = "/usr/bin/cat";
	s->id.exe_len = strlen(s->id.exe);
	s->id.title = title;
	s->id.title_len = sizeof(title);
	memcpy(ev->comm, "cat\0\0\0\0\0", 8);
	memcpy(ev->tty, "pts0", 4);
	ev->auid = 1000;
	ev->ses = 3;
}

/* openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_CLOEXEC) = 3: CWD, PATH NORMAL. */
static void build_openat(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_openat, 3);

	ev->args[0] = 0xffffff9c;
	ev->args[1] = 0x47e35b;
	ev->args[2] = 0x80000;
	ev->args[3] = 0;
	ev_str(LA_IT_PATH, 1, "/etc/hostname");
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	ev_inode(1, LA_INO_NORMAL, 733, 0100644);
	shape_default(s);
}

/* The same with name_format's node= and a rule key: every record has the prefix. */
static void build_node(struct shape *s)
{
	build_openat(s);
	s->node = "host1";
	s->key = "etc-read";
}

/* open("plain", O_WRONLY|O_CREAT|O_TRUNC, 0644) creating it: PARENT is the cwd. */
static void build_openat_creat(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_openat, 3);

	ev->args[0] = 0xffffff9c;
	ev->args[1] = 0x47e30c;
	ev->args[2] = 0x241;
	ev->args[3] = 0x1a4;
	ev_str(LA_IT_PATH, 1, "plain");
	ev_inode(1, LA_INO_BASE, CWD_INO, 040755);
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	ev_inode(1, LA_INO_PARENT, CWD_INO, 040755);
	ev_inode(1, LA_INO_CREATE, 10952947, 0100644);
	shape_default(s);
}

/* openat(AT_FDCWD, "dir/new", O_WRONLY|O_CREAT, 0600) creating it: PARENT name="dir/". */
static void build_openat_creat_dir(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_openat, 3);

	ev->args[0] = 0xffffff9c;
	ev->args[1] = 0x47e3a1;
	ev->args[2] = 0x41;
	ev->args[3] = 0x180;
	ev_str(LA_IT_PATH, 1, "dir/new");
	ev_inode(1, LA_INO_BASE, CWD_INO, 040755);
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	ev_inode(1, LA_INO_PARENT, 10953010, 040755);
	ev_inode(1, LA_INO_CREATE, 10953011, 0100600);
	shape_default(s);
}

/* openat(AT_FDCWD, "does-not-exist", O_RDONLY) = -ENOENT: PATH UNKNOWN, no attributes. */
static void build_openat_enoent(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_openat, -ENOENT);

	ev->args[0] = 0xffffff9c;
	ev->args[1] = 0x47e34c;
	ev->args[2] = 0;
	ev->args[3] = 0;
	ev_str(LA_IT_PATH, 1, "does-not-exist");
	ev_inode(1, LA_INO_BASE, CWD_INO, 040755);
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	shape_default(s);
}

/* openat2(AT_FDCWD, "created", {O_RDONLY|O_CLOEXEC, 0, RESOLVE_NO_SYMLINKS}, 24) = 3 */
static void build_openat2(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_openat2, 3);
	uint64_t how[3] = {0x80000, 0, 0x4};

	ev->args[0] = 0xffffff9c;
	ev->args[1] = 0x47e32c;
	ev->args[2] = 0x7ffe10a29f00;
	ev->args[3] = 0x18;
	ev_str(LA_IT_PATH, 1, "created");
	ev_item(LA_IT_OPENHOW, 2, how, sizeof(how));
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	ev_inode(1, LA_INO_NORMAL, 10953000, 0100640);
	shape_default(s);
}

/* fchmod(3, 0644): PATH name=(null) with the attributes of the fd's file. */
static void build_fchmod(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_fchmod, 0);

	ev->args[0] = 3;
	ev->args[1] = 0x1a4;
	ev_inode(LA_ARG_NONE, LA_INO_NORMAL, 10953000, 0100600);
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	shape_default(s);
}

/* chmod("created", 0600): PATH NORMAL without attributes (no fd holds the file). */
static void build_chmod(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_chmod, 0);

	ev->args[0] = 0x47e32c;
	ev->args[1] = 0x180;
	ev_str(LA_IT_PATH, 0, "created");
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	shape_default(s);
}

/* unlink("victim"): PARENT (the cwd, its attributes), DELETE. */
static void build_unlink(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_unlink, 0);

	ev->args[0] = 0x47e319;
	ev_str(LA_IT_PATH, 0, "victim");
	ev_inode(0, LA_INO_BASE, CWD_INO, 040755);
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	shape_default(s);
}

/* unlink("does-not-exist") = -ENOENT: the PARENT only. */
static void build_unlink_enoent(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_unlink, -ENOENT);

	ev->args[0] = 0x47e34c;
	ev_str(LA_IT_PATH, 0, "does-not-exist");
	ev_inode(0, LA_INO_BASE, CWD_INO, 040755);
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	shape_default(s);
}

/* mkdir("d1", 0755), outside the families: PARENT (the cwd, its attributes), CREATE. */
static void build_mkdir(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_mkdir, 0);

	ev->args[0] = 0x47c6e6;
	ev->args[1] = 0755;
	ev_str(LA_IT_PATH, 0, "d1");
	ev_inode(0, LA_INO_BASE, CWD_INO, 040755);
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	shape_default(s);
}

/* mkdir("d1") = -EEXIST: the PARENT only. */
static void build_mkdir_eexist(struct shape *s)
{
	build_mkdir(s);
	g_ev.ev.ret = -EEXIST;
}

/* mkdir("none/d") = -ENOENT: the name, UNKNOWN. */
static void build_mkdir_enoent(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_mkdir, -ENOENT);

	ev->args[0] = 0x47c700;
	ev->args[1] = 0755;
	ev_str(LA_IT_PATH, 0, "none/d");
	ev_inode(0, LA_INO_BASE, CWD_INO, 040755);
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	shape_default(s);
}

/* symlinkat("../ln1", 3, "ln2"): PARENT (named by the cwd, dirfd's attributes), the target, CREATE. */
static void build_symlinkat(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_symlinkat, 0);

	ev->args[0] = 0x47c766;
	ev->args[1] = 3;
	ev->args[2] = 0x47c762;
	ev_str(LA_IT_PATH, 0, "../ln1");
	ev_str(LA_IT_PATH, 2, "ln2");
	ev_inode(2, LA_INO_BASE, 10961587, 040755);
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	shape_default(s);
}

/* link("missing", "f-hard2") = -ENOENT: both names UNKNOWN, the new one first. */
static void build_link_enoent(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_link, -ENOENT);

	ev->args[0] = 0x47c7fd;
	ev->args[1] = 0x47c78d;
	ev_str(LA_IT_PATH, 0, "missing");
	ev_str(LA_IT_PATH, 1, "f-hard2");
	ev_inode(1, LA_INO_BASE, CWD_INO, 040755);
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	shape_default(s);
}

/* mount("/lauditd-missing", "d1", NULL, MS_BIND) = -ENOENT: the target, then the source. */
static void build_mount_bind(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_mount, -ENOENT);

	ev->args[0] = 0x47c7f4;
	ev->args[1] = 0x47c6e6;
	ev->args[3] = 4096;
	ev_str(LA_IT_PATH, 0, "/lauditd-missing");
	ev_str(LA_IT_PATH, 1, "d1");
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	shape_default(s);
	s->key = "k1";
}

/* umount2("d1", 0) = -EINVAL: a mount point's capabilities are not evaluated. */
static void build_umount2(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_umount2, -EINVAL);

	ev->args[0] = 0x47c6e6;
	ev_str(LA_IT_PATH, 0, "d1");
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	shape_default(s);
}

/* fsetxattr(4, "user.other", "v3", 2, 0): the descriptor's file, name=(null). */
static void build_fsetxattr(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_fsetxattr, 0);

	ev->args[0] = 4;
	ev->args[1] = 0x47c7b8;
	ev->args[2] = 0x47c7b5;
	ev->args[3] = 2;
	ev_inode(LA_ARG_NONE, LA_INO_NORMAL, 10961625, 0100640);
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	shape_default(s);
}

/* adjtimex(buf) = 5 (TIME_ERROR): no path, no CWD, no PATH. */
static void build_adjtimex(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_adjtimex, 5);

	ev->args[0] = 0x7ffc78db4410;
	ev->args[1] = 0x47c7b5;
	shape_default(s);
	s->key = "k1";
}

/* rename("created", "dir/renamed"): the new name's PARENT first, as the kernel has it. */
static void build_rename(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_rename, 0);

	ev->args[0] = 0x47e32c;
	ev->args[1] = 0x47e41a;
	ev_str(LA_IT_PATH, 0, "created");
	ev_str(LA_IT_PATH, 1, "dir/renamed");
	ev_inode(0, LA_INO_BASE, CWD_INO, 040755);
	ev_inode(1, LA_INO_BASE, CWD_INO, 040755);
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	shape_default(s);
}

/* renameat(AT_FDCWD, "dir/renamed", AT_FDCWD, "renamed2"): paths in arguments 1 and 3. */
static void build_renameat(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_renameat, 0);

	ev->args[0] = 0xffffff9c;
	ev->args[1] = 0x47e41a;
	ev->args[2] = 0xffffff9c;
	ev->args[3] = 0x47e426;
	ev_str(LA_IT_PATH, 1, "dir/renamed");
	ev_str(LA_IT_PATH, 3, "renamed2");
	ev_inode(1, LA_INO_BASE, CWD_INO, 040755);
	ev_inode(3, LA_INO_BASE, CWD_INO, 040755);
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	shape_default(s);
}

/*
 * execve of a static binary with arguments auditd must encode: a space, a quote,
 * a newline, a byte above 0x7e, an empty one, and one of 9999 bytes that spans
 * three EXECVE records.
 */
static void build_execve(struct shape *s)
{
	static char argv[64 + 10000];
	static const char head[] =
		"/tmp/true-static\0two words\0a\"quote\0new\nline\0caf\xc3\xa9\0";
	struct la_event *ev = ev_begin(__NR_execve, 0);
	uint32_t argc = 7;
	size_t n = sizeof(head) - 1;

	ev->args[0] = 0x47e0ee;
	ev->args[1] = 0x7ffe10a29fd0;
	ev->args[2] = 0x7ffe10a29fa8;
	ev->args[3] = 0xc4b2380;
	memcpy(argv, head, n);
	argv[n++] = 0; /* the empty argument */
	memset(argv + n, 'x', 9999);
	n += 9999;
	argv[n++] = 0;
	ev_str(LA_IT_PATH, 0, "/tmp/true-static");
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	ev_inode(0, LA_INO_NORMAL, 10952815, 0100755);
	ev_item(LA_IT_ARGV, 1, argv, n);
	ev_item(LA_IT_ARGC, 1, &argc, sizeof(argc));
	shape_default(s);
	memcpy(ev->comm, "true-static\0", 12);
	s->id.exe = "/tmp/true-static";
	s->id.exe_len = strlen(s->id.exe);
	s->id.title = argv;
	s->id.title_len = n;
}

/* The raw sockaddr of 127.0.0.1:34109. */
static const unsigned char sin_local[16] = {2, 0, 0x85, 0x3d, 127, 0, 0, 1};

/* connect(3, {AF_INET, 127.0.0.1:34109}, 16) = -ECONNREFUSED: SOCKADDR. */
static void build_connect_inet(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_connect, -111);

	ev->args[0] = 3;
	ev->args[1] = 0x7ffe10a29ec0;
	ev->args[2] = 0x10;
	ev->args[3] = 0x22;
	ev_item(LA_IT_SOCKADDR, 1, sin_local, sizeof(sin_local));
	shape_default(s);
}

/*
 * bind(3, {AF_UNIX, "sock"}, 110) = 0: the whole sockaddr_un as passed; the
 * socket file it created: PARENT (the cwd), CREATE.
 */
static void build_bind_unix(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_bind, 0);
	unsigned char sun[110] = {1, 0, 's', 'o', 'c', 'k'};

	ev->args[0] = 3;
	ev->args[1] = 0x7ffdd58a1440;
	ev->args[2] = sizeof(sun);
	ev_item(LA_IT_SOCKADDR, 1, sun, sizeof(sun));
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	ev_inode(1, LA_INO_BASE, CWD_INO, 040755);
	ev_inode(1, LA_INO_CREATE, 10952839, 0140755);
	shape_default(s);
}

/* connect(4, {AF_UNIX, "sock"}, 110) = 0: CWD, the socket file as NORMAL. */
static void build_connect_unix(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_connect, 0);
	unsigned char sun[110] = {1, 0, 's', 'o', 'c', 'k'};

	ev->args[0] = 4;
	ev->args[1] = 0x7ffdd58a1440;
	ev->args[2] = sizeof(sun);
	ev_item(LA_IT_SOCKADDR, 1, sun, sizeof(sun));
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	ev_inode(1, LA_INO_NORMAL, 10952839, 0140755);
	shape_default(s);
}

/* connect(4, {AF_UNIX, "missing"}) = -ENOENT: CWD, PATH UNKNOWN. */
static void build_connect_unix_enoent(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_connect, -2);
	unsigned char sun[110] = {1, 0, 'm', 'i', 's', 's', 'i', 'n', 'g'};

	ev->args[0] = 4;
	ev->args[1] = 0x7ffdd58a1440;
	ev->args[2] = sizeof(sun);
	ev_item(LA_IT_SOCKADDR, 1, sun, sizeof(sun));
	ev_str(LA_IT_CWD, LA_ARG_NONE, CWD);
	shape_default(s);
}

/*
 * SOCKADDRs of other families and of short lengths, as the real auditd 3.0.9
 * wrote them: inet6 ::1 port 9, netlink, packet (unsupported), an abstract
 * unix name, then addresses shorter than their family's (ENRICHED: "len too
 * short"), unknown families, and an empty one (no SOCKADDR at all).
 */
static void build_sockaddrs(struct shape *s, int which)
{
	static const unsigned char in6[28] = {10, 0, 0, 9, [23] = 1};
	static const unsigned char nl[12] = {16, 0};
	static const unsigned char pk[16] = {17, 0};
	static const unsigned char abs[11] = {1, 0, 0, 'a', 'b', 's', 't', 'r', 'a', 'c', 't'};
	static const unsigned char in8[8] = {2, 0, 'x', 'y'};
	static const unsigned char un3[3] = {1, 0, 'x'};
	static const unsigned char un4[4] = {1, 0, 'x', 'y'};
	static const unsigned char in6s[24] = {10, 0, 'x', 'y'};
	static const unsigned char nl8[8] = {16, 0, 'x', 'y'};
	static const unsigned char f999[16] = {0xe7, 3, 'x', 'y'};
	static const unsigned char f0[16] = {0, 0, 'x', 'y'};
	static const struct {
		const unsigned char *p;
		size_t len;
	} sa[] = {{in6, sizeof(in6)},	{nl, sizeof(nl)},     {pk, sizeof(pk)},
		  {abs, sizeof(abs)},	{in8, sizeof(in8)},   {un3, sizeof(un3)},
		  {un4, sizeof(un4)},	{in6s, sizeof(in6s)}, {nl8, sizeof(nl8)},
		  {f999, sizeof(f999)}, {f0, sizeof(f0)},     {in8, 0}};
	struct la_event *ev = ev_begin(__NR_connect, -111);

	ev->args[0] = 3;
	ev->args[1] = 0x7ffdd58a1440;
	ev->args[2] = sa[which].len;
	ev_item(LA_IT_SOCKADDR, 1, sa[which].p, sa[which].len);
	shape_default(s);
}

static void build_sockaddr_short(struct shape *s)
{
	build_sockaddrs(s, 4);
}

static void build_sockaddr_unix3(struct shape *s)
{
	build_sockaddrs(s, 5);
}

static void build_sockaddr_unix4(struct shape *s)
{
	build_sockaddrs(s, 6);
}

static void build_sockaddr_inet6_short(struct shape *s)
{
	build_sockaddrs(s, 7);
}

static void build_sockaddr_netlink_short(struct shape *s)
{
	build_sockaddrs(s, 8);
}

static void build_sockaddr_family999(struct shape *s)
{
	build_sockaddrs(s, 9);
}

static void build_sockaddr_family0(struct shape *s)
{
	build_sockaddrs(s, 10);
}

static void build_sockaddr_empty(struct shape *s)
{
	build_sockaddrs(s, 11);
}

static void build_connect_inet6(struct shape *s)
{
	build_sockaddrs(s, 0);
}

static void build_connect_netlink(struct shape *s)
{
	build_sockaddrs(s, 1);
}

static void build_connect_packet(struct shape *s)
{
	build_sockaddrs(s, 2);
}

static void build_connect_abstract(struct shape *s)
{
	build_sockaddrs(s, 3);
}

/* accept(3, &peer, &len) = 5: the peer's address the kernel returned. */
static void build_accept(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_accept, 5);
	static const unsigned char peer[16] = {2, 0, 0x8a, 0xe2, 127, 0, 0, 1};

	ev->args[0] = 3;
	ev->args[1] = 0x7ffe10a29ed0;
	ev->args[2] = 0x7ffe10a29eac;
	ev->args[3] = 0x22;
	ev_item(LA_IT_PEER, 1, peer, sizeof(peer));
	shape_default(s);
}

/* pipe(fds) = 0, fds {3, 4}: FD_PAIR. */
static void build_pipe(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_pipe, 0);
	int32_t fds[2] = {3, 4};

	ev->args[0] = 0x7ffe10a29eb8;
	ev_item(LA_IT_FDS, 0, fds, sizeof(fds));
	shape_default(s);
}

/* kill(7282, SIGKILL): OBJ_PID of the target. */
static void build_kill(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_kill, 0);
	struct la_objpid op;

	ev->args[0] = 0x1c72;
	ev->args[1] = 9;
	memset(&op, 0, sizeof(op));
	op.pid = 7282;
	op.auid = 4294967295u;
	op.uid = 0;
	op.ses = 4294967295u;
	memcpy(op.comm, "families", 8);
	ev_item(LA_IT_OBJPID, LA_ARG_NONE, &op, sizeof(op));
	shape_default(s);
}

/* mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0): MMAP. */
static void build_mmap_file(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_mmap, 139839880286208);

	ev->args[0] = 0;
	ev->args[1] = 0x1000;
	ev->args[2] = 1;
	ev->args[3] = 2;
	ev->args[4] = 3;
	ev->args[5] = 0;
	shape_default(s);
}

/* mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0): no MMAP. */
static void build_mmap_anon(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_mmap, 139839880286208);

	ev->args[0] = 0;
	ev->args[1] = 0x1000;
	ev->args[2] = 3;
	ev->args[3] = 0x22;
	ev->args[4] = 0xffffffffffffffff;
	ev->args[5] = 0;
	shape_default(s);
}

/* exit_group(0): recorded at entry, no success= or exit=. */
static void build_exit_group(struct shape *s)
{
	struct la_event *ev = ev_begin(__NR_exit_group, 0);

	ev->flags = LA_F_NORETURN;
	ev->args[0] = 0;
	ev->args[1] = 0xe7;
	ev->args[2] = 0x3c;
	ev->args[3] = 0x900000000;
	shape_default(s);
}

/* open("with space", O_WRONLY|O_CREAT, 0600) in "/tmp/my dir": CWD, PARENT, CREATE in hex. */
static void build_hex_names(struct shape *s)
{
	static const char title[] = "/tmp/families\0/tmp/my dir";
	struct la_event *ev = ev_begin(__NR_open, 3);

	ev->args[0] = 0x47e319;
	ev->args[1] = 0x41;
	ev->args[2] = 0x180;
	ev_str(LA_IT_PATH, 0, "with space");
	ev_inode(0, LA_INO_BASE, 10952900, 040755);
	ev_str(LA_IT_CWD, LA_ARG_NONE, "/tmp/my dir");
	ev_inode(0, LA_INO_PARENT, 10952900, 040755);
	ev_inode(0, LA_INO_CREATE, 10952978, 0100600);
	shape_default(s);
	s->id.title = title;
	s->id.title_len = sizeof(title) - 1;
}

/* ------------------------------------------------------------ comparing */

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		goto out;
	p = malloc(n + 1);
	if (!p)
		goto out;
	if (fread(p, 1, n, f) != (size_t)n) {
		free(p);
		p = NULL;
		goto out;
	}
	p[n] = 0;
	*len = n;
out:
	fclose(f);
	return p;
}

static int write_all(const char *path, const char *p, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -errno;
	ok = fwrite(p, 1, len, f) == len;
	if (fclose(f) || !ok)
		return -EIO;
	return 0;
}

/* Print where @got and @want first differ: the line number and both lines. */
static void show_diff(const char *path, const char *got, size_t got_len, const char *want,
		      size_t want_len)
{
	size_t i = 0, line = 1, start = 0, ge, we;

	while (i < got_len && i < want_len && got[i] == want[i]) {
		if (got[i] == '\n') {
			line++;
			start = i + 1;
		}
		i++;
	}
	for (ge = start; ge < got_len && got[ge] != '\n'; ge++)
		;
	for (we = start; we < want_len && want[we] != '\n'; we++)
		;
	fprintf(stderr, "\n%s: line %zu differs at column %zu\n  want: %.*s\n  got:  %.*s\n", path,
		line, i - start + 1, (int)(we - start), want + start, (int)(ge - start),
		got + start);
}

static const char *names(void *arg, uint32_t id, int group)
{
	(void)arg;
	(void)group;
	return id == 0 ? "root" : NULL;
}

/* Encode the record @build makes, RAW or ENRICHED, and compare with (or write) DATADIR/NAME.EXT. */
static void golden_one(const char *name, void (*build)(struct shape *), int enriched,
		       uint64_t serial)
{
	static char buf[TEXT_EVENT_MAX];
	const struct text_stamp st = {.sec = 1795253119, .msec = 35, .serial = serial};
	struct text_opts o = {.enriched = enriched, .id_name = enriched ? names : NULL};
	char path[512];
	struct shape s;
	size_t want_len = 0;
	char *want;
	int n;

	build(&s);
	o.node = s.node;
	CU_ASSERT_EQUAL_FATAL(wire_check(&g_ev.ev, g_ev.ev.size), 0);
	n = text_encode_event(buf, sizeof(buf), &g_ev.ev, &st, &s.id, s.key, &o);
	CU_ASSERT_FATAL(n > 0);
	snprintf(path, sizeof(path), "%s/%s.%s", g_datadir, name, enriched ? "enriched" : "raw");
	if (g_update) {
		CU_ASSERT_EQUAL(write_all(path, buf, n), 0);
		return;
	}
	want = read_all(path, &want_len);
	if (!want)
		fprintf(stderr, "\n%s: %s\n", path, strerror(errno));
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	if (want_len != (size_t)n || memcmp(buf, want, n)) {
		show_diff(path, buf, n, want, want_len);
		CU_FAIL("encoder output differs from the golden file");
	}
	/* a buffer one byte short: -ENOSPC, never a cut record */
	CU_ASSERT_EQUAL(text_encode_event(buf, n - 1, &g_ev.ev, &st, &s.id, s.key, &o), -ENOSPC);
	free(want);
}

static void golden(const char *name, void (*build)(struct shape *), uint64_t serial)
{
	golden_one(name, build, 0, serial);
	golden_one(name, build, 1, serial);
}

#define GOLDEN(name, serial)                         \
	static void test_##name(void)                \
	{                                            \
		golden(#name, build_##name, serial); \
	}

GOLDEN(read, 19364601)
GOLDEN(openat, 19364602)
GOLDEN(node, 19364603)
GOLDEN(openat_creat, 19364604)
GOLDEN(openat_creat_dir, 19364605)
GOLDEN(openat_enoent, 19364606)
GOLDEN(openat2, 19364607)
GOLDEN(fchmod, 19364608)
GOLDEN(chmod, 19364609)
GOLDEN(unlink, 19364610)
GOLDEN(unlink_enoent, 19364611)
GOLDEN(rename, 19364612)
GOLDEN(renameat, 19364613)
GOLDEN(execve, 19364614)
GOLDEN(connect_inet, 19364615)
GOLDEN(bind_unix, 19364616)
GOLDEN(accept, 19364617)
GOLDEN(pipe, 19364618)
GOLDEN(kill, 19364619)
GOLDEN(mmap_file, 19364620)
GOLDEN(mmap_anon, 19364621)
GOLDEN(exit_group, 19364622)
GOLDEN(hex_names, 19364623)
GOLDEN(connect_unix, 19364624)
GOLDEN(connect_unix_enoent, 19364625)
GOLDEN(connect_inet6, 19364626)
GOLDEN(connect_netlink, 19364627)
GOLDEN(connect_packet, 19364628)
GOLDEN(connect_abstract, 19364629)
GOLDEN(sockaddr_short, 19826609)
GOLDEN(sockaddr_unix3, 19826611)
GOLDEN(sockaddr_unix4, 19826612)
GOLDEN(sockaddr_inet6_short, 19826613)
GOLDEN(sockaddr_netlink_short, 19826614)
GOLDEN(sockaddr_family999, 19826615)
GOLDEN(sockaddr_family0, 19826616)
GOLDEN(sockaddr_empty, 19826619)
GOLDEN(mkdir, 7476171)
GOLDEN(mkdir_eexist, 7476172)
GOLDEN(mkdir_enoent, 7476173)
GOLDEN(symlinkat, 7476179)
GOLDEN(link_enoent, 7476181)
GOLDEN(mount_bind, 7476195)
GOLDEN(umount2, 7476196)
GOLDEN(fsetxattr, 7476188)
GOLDEN(adjtimex, 7476191)

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		CU_TestFunc fn;
	} tests[] = {
		{"read: SYSCALL, PROCTITLE", test_read},
		{"openat: CWD, PATH NORMAL", test_openat},
		{"node= and key", test_node},
		{"openat O_CREAT: PARENT (cwd), CREATE", test_openat_creat},
		{"openat O_CREAT dir/new: PARENT dir/", test_openat_creat_dir},
		{"openat ENOENT: PATH UNKNOWN", test_openat_enoent},
		{"openat2: OPENAT2", test_openat2},
		{"fchmod: PATH name=(null)", test_fchmod},
		{"chmod: PATH NORMAL", test_chmod},
		{"unlink: PARENT, DELETE", test_unlink},
		{"unlink ENOENT: PARENT", test_unlink_enoent},
		{"rename: PARENT, PARENT, DELETE, CREATE", test_rename},
		{"renameat: PARENT, PARENT, DELETE, CREATE", test_renameat},
		{"execve: EXECVE split", test_execve},
		{"connect AF_INET: SOCKADDR", test_connect_inet},
		{"bind AF_UNIX: SOCKADDR, PARENT, CREATE", test_bind_unix},
		{"accept: SOCKADDR of the peer", test_accept},
		{"pipe: FD_PAIR", test_pipe},
		{"kill: OBJ_PID", test_kill},
		{"mmap of a file: MMAP", test_mmap_file},
		{"mmap anonymous: no MMAP", test_mmap_anon},
		{"exit_group: no success, exit", test_exit_group},
		{"names in hex: CWD, PATH", test_hex_names},
		{"connect AF_UNIX path: CWD, PATH NORMAL", test_connect_unix},
		{"connect AF_UNIX ENOENT: CWD, PATH UNKNOWN", test_connect_unix_enoent},
		{"SOCKADDR inet6", test_connect_inet6},
		{"SOCKADDR netlink", test_connect_netlink},
		{"SOCKADDR packet (unsupported)", test_connect_packet},
		{"SOCKADDR abstract unix name: no CWD, no PATH", test_connect_abstract},
		{"SOCKADDR inet of 8 bytes: len too short", test_sockaddr_short},
		{"SOCKADDR unix of 3 bytes: len too short", test_sockaddr_unix3},
		{"SOCKADDR unix of 4 bytes", test_sockaddr_unix4},
		{"SOCKADDR inet6 of 24 bytes: sockaddr6 len too short", test_sockaddr_inet6_short},
		{"SOCKADDR netlink of 8 bytes: len too short", test_sockaddr_netlink_short},
		{"SOCKADDR of family 999: unknown-family", test_sockaddr_family999},
		{"SOCKADDR of family 0: unknown-family", test_sockaddr_family0},
		{"an empty sockaddr: no SOCKADDR", test_sockaddr_empty},
		{"mkdir: PARENT (cwd), CREATE", test_mkdir},
		{"mkdir EEXIST: PARENT", test_mkdir_eexist},
		{"mkdir ENOENT: UNKNOWN", test_mkdir_enoent},
		{"symlinkat: PARENT, the target UNKNOWN, CREATE", test_symlinkat},
		{"link ENOENT: UNKNOWN, UNKNOWN", test_link_enoent},
		{"mount MS_BIND ENOENT: target NORMAL, source UNKNOWN", test_mount_bind},
		{"umount2: cap_fe=?", test_umount2},
		{"fsetxattr: PATH name=(null)", test_fsetxattr},
		{"adjtimex: no CWD, no PATH", test_adjtimex},
	};
	const char *update = getenv("TEXT_GOLDEN_UPDATE");
	CU_pSuite suite;
	unsigned int failed;
	size_t i;

	if (argc == 2)
		g_datadir = argv[1];
	g_update = update && !strcmp(update, "1");
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	suite = CU_add_suite("text golden files", NULL, NULL);
	if (!suite)
		return 1;
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!CU_add_test(suite, tests[i].name, tests[i].fn))
			return 1;
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	if (g_update)
		printf("%s: golden files rewritten\n", g_datadir);
	return failed ? 1 : 0;
}
