// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Writes the text encoder's seed inputs (tests/fuzz/text_fuzz.c describes their
 * layout): records as the eBPF programs make them, one per item kind.
 *
 * usage: text_seeds DIR      (make fuzz-text-seeds: DIR is tests/fuzz/corpus/text)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "ebpf/wire.h"

#define SEED_MAX 20000

/* Written as head, then ev, then items (ev.size counts itself and the items). */
struct seed {
	uint8_t head[SEED_MAX];
	size_t head_len;
	struct la_event ev;
	uint8_t items[SEED_MAX];
	size_t items_len;
};

static void put(uint8_t *buf, size_t *len, const void *p, size_t n)
{
	if (n > SEED_MAX - *len)
		abort();
	memcpy(buf + *len, p, n);
	*len += n;
}

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/*
 * Start a seed: header (options, identity sources, strings; stamp 1700000000.007:42),
 * then a read(3, buf, 64) = 64 by uid 1000 on pts0, for the caller to change.
 */
static void seed_begin(struct seed *s, uint8_t opts, uint8_t ident, const char *exe, size_t exe_len,
		       const char *title, size_t title_len, const char *key)
{
	uint8_t head[16] = {opts, ident, exe_len, title_len, key ? strlen(key) : 0, 200, 7};
	struct la_event *ev = &s->ev;

	le32(head + 8, 1700000000);
	le32(head + 12, 42);
	s->head_len = s->items_len = 0;
	put(s->head, &s->head_len, head, sizeof(head));
	put(s->head, &s->head_len, exe, exe_len);
	put(s->head, &s->head_len, title, title_len);
	if (key)
		put(s->head, &s->head_len, key, strlen(key));
	memset(ev, 0, sizeof(*ev));
	ev->size = sizeof(*ev);
	ev->kind = LA_EV_SYSCALL;
	ev->cpu = 1;
	ev->ts_enter = 5000000000;
	ev->ts_exit = 5000001200;
	ev->args[0] = 3;
	ev->args[1] = 0x7ffd4c2a1e30;
	ev->args[2] = 64;
	ev->args[3] = 0x7ffd4c2a1f90;
	ev->ret = 64;
	ev->cgroup_id = 0x2a1f;
	ev->exec_id = 3;
	ev->tid = ev->pid = 4242;
	ev->ppid = 4200;
	ev->auid = ev->uid = ev->gid = ev->euid = ev->suid = ev->fsuid = 1000;
	ev->egid = ev->sgid = ev->fsgid = 1000;
	ev->ses = 3;
	memcpy(ev->comm, "cat", 3);
	memcpy(ev->tty, "pts0", 4);
}

static void add_item(struct seed *s, uint8_t kind, uint8_t arg, const void *p, size_t len)
{
	struct la_item it = {.kind = kind, .arg = arg, .len = len};
	static const uint8_t zeros[8];

	put(s->items, &s->items_len, &it, sizeof(it));
	put(s->items, &s->items_len, p, len);
	put(s->items, &s->items_len, zeros, LA_ALIGN(len) - len);
	s->ev.size += sizeof(it) + LA_ALIGN(len);
	s->ev.nitems++;
}

/* An object the syscall reached, on 254:1 unless @mode says a directory's. */
static void add_inode(struct seed *s, uint8_t arg, uint8_t role, uint64_t ino, uint16_t mode,
		      uint32_t uid)
{
	struct la_inode in = {.ino = ino, .dev = 254 << 20 | 1, .uid = uid, .gid = uid};

	in.mode = mode;
	in.role = role;
	add_item(s, LA_IT_INODE, arg, &in, sizeof(in));
}

static int seed_write(const struct seed *s, const char *dir, const char *name)
{
	char path[4096];
	FILE *f;
	int bad;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return -1;
	}
	bad = fwrite(s->head, 1, s->head_len, f) != s->head_len ||
	      fwrite(&s->ev, 1, sizeof(s->ev), f) != sizeof(s->ev) ||
	      fwrite(s->items, 1, s->items_len, f) != s->items_len;
	if (fclose(f) || bad) {
		perror(path);
		return -1;
	}
	return 0;
}

/* Identity byte: exe source | proctitle source << 2 (text_fuzz.c's SRC_*). */
#define IDENT(exe, title) ((exe) | (title) << 2)

#define S(str) str, sizeof(str) - 1

int main(int argc, char **argv)
{
	static const uint8_t sin[16] = {2, 0, 0xb2, 0x6e, 127, 0, 0, 1}; /* 127.0.0.1:45678 */
	static const int32_t fds[2] = {3, 4};
	static const uint8_t sun[] = "\1\0/run/app.sock"; /* AF_UNIX */
	/* open_how: O_RDONLY|O_CLOEXEC, mode 0, RESOLVE_NO_SYMLINKS */
	static const uint64_t how[3] = {02000000, 0, 0x04};
	static const uint32_t argc3 = 3, argc4 = 4;
	static char big[8508];
	struct la_objpid op = {.pid = 4300, .auid = 1000, .uid = 1000, .ses = 3};
	struct seed s;
	int err = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}

	/* read(3, buf, 64) = 64; identity as it is, names known */
	seed_begin(&s, 4, IDENT(1, 1), S("/usr/bin/cat"), S("cat\0/etc/passwd"), NULL);
	err |= seed_write(&s, argv[1], "read");

	/* openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3; encoded identity, a node, a key */
	seed_begin(&s, 1, IDENT(2, 2), S("/usr/bin/cat"), S("cat\0/etc/passwd\0"), "passwd");
	s.ev.nr = __NR_openat;
	s.ev.args[0] = 0xffffff9c;
	s.ev.args[1] = 0x55d0c0e1c2a0;
	s.ev.args[2] = 0;
	s.ev.ret = 3;
	add_item(&s, LA_IT_PATH, 1, S("/etc/passwd"));
	add_item(&s, LA_IT_CWD, LA_ARG_NONE, S("/home/alice"));
	add_inode(&s, 1, LA_INO_NORMAL, 1837461, 0100644, 0);
	err |= seed_write(&s, argv[1], "openat-path");

	/* openat(AT_FDCWD, "notes.txt", O_WRONLY|O_CREAT, 0644) = 3: created */
	seed_begin(&s, 4, IDENT(2, 2), S("/usr/bin/vim"), S("vim\0notes.txt"), NULL);
	s.ev.nr = __NR_openat;
	s.ev.args[0] = 0xffffff9c;
	s.ev.args[2] = 0101;
	s.ev.args[3] = 0644;
	s.ev.ret = 3;
	add_item(&s, LA_IT_PATH, 1, S("notes.txt"));
	add_item(&s, LA_IT_CWD, LA_ARG_NONE, S("/home/alice"));
	add_inode(&s, 1, LA_INO_PARENT, 1835010, 040755, 1000);
	add_inode(&s, 1, LA_INO_CREATE, 1837999, 0100644, 1000);
	err |= seed_write(&s, argv[1], "openat-create");

	/* openat2(AT_FDCWD, "/etc/hosts", {O_CLOEXEC, 0, RESOLVE_NO_SYMLINKS}, 24) = 4 */
	seed_begin(&s, 0, IDENT(2, 2), S("/usr/bin/cat"), S("cat"), NULL);
	s.ev.nr = __NR_openat2;
	s.ev.args[0] = 0xffffff9c;
	s.ev.args[2] = 0x7ffd4c2a1000;
	s.ev.args[3] = sizeof(how);
	s.ev.ret = 4;
	add_item(&s, LA_IT_PATH, 1, S("/etc/hosts"));
	add_item(&s, LA_IT_OPENHOW, 2, how, sizeof(how));
	add_item(&s, LA_IT_CWD, LA_ARG_NONE, S("/"));
	add_inode(&s, 1, LA_INO_NORMAL, 1837470, 0100644, 0);
	err |= seed_write(&s, argv[1], "openat2-openhow");

	/* renameat2(AT_FDCWD, "a.tmp", AT_FDCWD, "a", 0) = 0 */
	seed_begin(&s, 0, IDENT(2, 2), S("/usr/bin/mv"), S("mv\0a.tmp\0a"), NULL);
	s.ev.nr = __NR_renameat2;
	s.ev.args[0] = s.ev.args[2] = 0xffffff9c;
	s.ev.args[3] = 0x7ffd4c2a1100;
	s.ev.ret = 0;
	add_item(&s, LA_IT_PATH, 1, S("a.tmp"));
	add_item(&s, LA_IT_PATH, 3, S("a"));
	add_item(&s, LA_IT_CWD, LA_ARG_NONE, S("/tmp"));
	err |= seed_write(&s, argv[1], "renameat2-paths");

	/* unlinkat(AT_FDCWD, "/tmp/x", 0) = -ENOENT */
	seed_begin(&s, 0, IDENT(2, 2), S("/usr/bin/rm"), S("rm\0-f\0/tmp/x"), NULL);
	s.ev.nr = __NR_unlinkat;
	s.ev.args[0] = 0xffffff9c;
	s.ev.args[2] = 0;
	s.ev.ret = -2;
	add_item(&s, LA_IT_PATH, 1, S("/tmp/x"));
	add_item(&s, LA_IT_CWD, LA_ARG_NONE, S("/home/alice"));
	err |= seed_write(&s, argv[1], "unlinkat-enoent");

	/* execve("/usr/bin/ls", ["ls", "-l", "/tmp"]) = 0 */
	seed_begin(&s, 6, IDENT(1, 1), S("/usr/bin/ls"), S("ls\0-l\0/tmp"), NULL);
	s.ev.nr = __NR_execve;
	s.ev.args[0] = 0x55d0c0e1c2a0;
	s.ev.args[1] = 0x55d0c0e1c400;
	s.ev.args[2] = 0x55d0c0e1c480;
	s.ev.args[3] = 0;
	s.ev.ret = 0;
	s.ev.exec_id = 4;
	memcpy(s.ev.comm, "ls\0", 4);
	add_item(&s, LA_IT_PATH, 0, S("/usr/bin/ls"));
	add_item(&s, LA_IT_CWD, LA_ARG_NONE, S("/home/alice"));
	add_inode(&s, 0, LA_INO_NORMAL, 1574211, 0100755, 0);
	add_item(&s, LA_IT_ARGV, 1, S("ls\0-l\0/tmp\0"));
	add_item(&s, LA_IT_ARGC, 1, &argc3, sizeof(argc3));
	err |= seed_write(&s, argv[1], "execve-argv");

	/* execve("/bin/sh", ["sh", "-c", 6000 bytes, 2500 bytes with spaces]) = 0: split */
	seed_begin(&s, 0, IDENT(1, 1), S("/usr/bin/dash"), S("sh\0-c"), NULL);
	s.ev.nr = __NR_execve;
	s.ev.ret = 0;
	memcpy(s.ev.comm, "sh\0", 4);
	memcpy(big, "sh\0-c\0", 6);
	memset(big + 6, 'x', 6000);
	big[6006] = 0;
	memset(big + 6007, ' ', 2500);
	big[8507] = 0;
	add_item(&s, LA_IT_PATH, 0, S("/bin/sh"));
	add_item(&s, LA_IT_CWD, LA_ARG_NONE, S("/"));
	add_item(&s, LA_IT_ARGV, 1, big, 8508);
	add_item(&s, LA_IT_ARGC, 1, &argc4, sizeof(argc4));
	err |= seed_write(&s, argv[1], "execve-long");

	/* connect(3, 127.0.0.1:45678) = -ECONNREFUSED, no tty, no login */
	seed_begin(&s, 0, IDENT(2, 2), S("/usr/bin/curl"), S("curl\0http://127.0.0.1:45678/"),
		   NULL);
	s.ev.nr = __NR_connect;
	s.ev.args[1] = 0x7ffd4c2a1000;
	s.ev.args[2] = sizeof(sin);
	s.ev.ret = -111;
	s.ev.auid = s.ev.ses = 4294967295u;
	memcpy(s.ev.comm, "curl", 4);
	memset(s.ev.tty, 0, sizeof(s.ev.tty));
	add_item(&s, LA_IT_SOCKADDR, 1, sin, sizeof(sin));
	err |= seed_write(&s, argv[1], "connect-sockaddr");

	/* pipe2(fds, O_CLOEXEC) = 0, fds {3, 4} */
	seed_begin(&s, 2, IDENT(0, 0), S(""), S(""), NULL);
	s.ev.nr = __NR_pipe2;
	s.ev.args[0] = 0x7ffd4c2a1e30;
	s.ev.args[1] = 0x80000;
	s.ev.ret = 0;
	add_item(&s, LA_IT_FDS, 0, fds, sizeof(fds));
	err |= seed_write(&s, argv[1], "pipe-fds");

	/* bind(3, "/run/app.sock") = 0: a unix socket, created */
	seed_begin(&s, 4, IDENT(2, 2), S("/usr/bin/app"), S("app"), NULL);
	s.ev.nr = __NR_bind;
	s.ev.args[1] = 0x7ffd4c2a1000;
	s.ev.args[2] = sizeof(sun);
	s.ev.ret = 0;
	add_item(&s, LA_IT_SOCKADDR, 1, sun, sizeof(sun));
	add_item(&s, LA_IT_CWD, LA_ARG_NONE, S("/"));
	add_inode(&s, 1, LA_INO_BASE, 2, 040755, 0);
	add_inode(&s, 1, LA_INO_CREATE, 911, 0140755, 1000);
	err |= seed_write(&s, argv[1], "bind-unix");

	/* kill(4300, SIGTERM) = 0 */
	seed_begin(&s, 4, IDENT(2, 2), S("/usr/bin/kill"), S("kill\0004300"), NULL);
	s.ev.nr = __NR_kill;
	s.ev.args[0] = 4300;
	s.ev.args[1] = 15;
	s.ev.ret = 0;
	memcpy(op.comm, "sleep", 5);
	add_item(&s, LA_IT_OBJPID, LA_ARG_NONE, &op, sizeof(op));
	err |= seed_write(&s, argv[1], "kill-objpid");

	/* mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0): a file */
	seed_begin(&s, 0, IDENT(2, 2), S("/usr/bin/cat"), S("cat"), NULL);
	s.ev.nr = __NR_mmap;
	s.ev.args[0] = 0;
	s.ev.args[1] = 4096;
	s.ev.args[2] = 1;
	s.ev.args[3] = 0x802;
	s.ev.args[4] = 3;
	s.ev.ret = 0x7f3a2c000000;
	err |= seed_write(&s, argv[1], "mmap-file");

	/* a process's first record: write with EXE and PROCTITLE items, identity from them */
	seed_begin(&s, 6, IDENT(3, 3), S(""), S(""), NULL);
	s.ev.nr = __NR_write;
	s.ev.args[0] = 1;
	s.ev.uid = s.ev.euid = s.ev.suid = s.ev.fsuid = 0;
	memcpy(s.ev.comm, "python3", 7);
	add_item(&s, LA_IT_EXE, 0, S("/usr/bin/python3.11"));
	add_item(&s, LA_IT_PROCTITLE, 0, S("python3\0-c\0print(1)\0"));
	err |= seed_write(&s, argv[1], "exe-proctitle");

	/* exit_group(0): never returns; unknown identity; a name that needs hex */
	seed_begin(&s, 3, IDENT(1, 2), S("/opt/my app/\"x\""), S("my app"), "a\001b");
	s.ev.nr = __NR_exit_group;
	s.ev.flags = LA_F_NORETURN;
	s.ev.args[0] = 0;
	s.ev.ret = 0;
	memcpy(s.ev.comm, "my app", 6);
	err |= seed_write(&s, argv[1], "exit-group");
	return err ? 1 : 0;
}
