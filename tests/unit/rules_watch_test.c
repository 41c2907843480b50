// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for conf/rules_watch.c: paths made absolute and normalized, a watch
 * matched by inode and by name and following its name, first match over the
 * programs' choice, the exclude list's record types and the lines it drops.  Syscall
 * numbers are x86_64's.
 */
#include "conf/rules_watch.c"

#include <CUnit/Basic.h>
#include <stdio.h>

#include "tests/unit/unit.h"

#define NR_OPENAT   257
#define NR_FCHMOD   91
#define NR_UNLINKAT 263

static void test_normalize(void)
{
	char out[PATH_MAX * 2];

	CU_ASSERT_EQUAL(rw_normalize("/a/./b//c/../d/", 15, NULL, 0, out), 6);
	CU_ASSERT_STRING_EQUAL(out, "/a/b/d");
	CU_ASSERT_EQUAL(rw_normalize("x/y", 3, "/r", 2, out), 6);
	CU_ASSERT_STRING_EQUAL(out, "/r/x/y");
	CU_ASSERT_EQUAL(rw_normalize("x", 1, "/", 1, out), 2);
	CU_ASSERT_STRING_EQUAL(out, "/x");
	CU_ASSERT_EQUAL(rw_normalize("/../..", 6, NULL, 0, out), 1);
	CU_ASSERT_STRING_EQUAL(out, "/");
	/* relative, and no working directory to start from */
	CU_ASSERT_EQUAL(rw_normalize("x", 1, NULL, 0, out), -1);
}

/* A record being built: the header, then its items */
struct ev_buf {
	union {
		struct la_event ev;
		char b[4096];
	};
};

static void ev_init(struct ev_buf *e, int nr, long ret, uint32_t rule)
{
	memset(e, 0, sizeof(*e));
	e->ev.size = sizeof(e->ev);
	e->ev.kind = LA_EV_SYSCALL;
	e->ev.nr = nr;
	e->ev.ret = ret;
	e->ev.rule = rule;
	e->ev.rules_rev = 1;
	e->ev.args[0] = (uint64_t)-100; /* AT_FDCWD */
}

static void ev_item(struct ev_buf *e, uint8_t kind, uint8_t arg, const void *data, uint32_t len)
{
	struct la_item *it = (struct la_item *)(e->b + e->ev.size);

	it->kind = kind;
	it->arg = arg;
	it->len = len;
	memcpy(it + 1, data, len);
	e->ev.size += LA_ALIGN(sizeof(*it) + len);
	e->ev.nitems++;
}

static void ev_inode(struct ev_buf *e, uint8_t arg, uint64_t ino, uint8_t role)
{
	struct la_inode in = {.ino = ino, .dev = 8, .mode = S_IFREG | 0644, .role = role};

	ev_item(e, LA_IT_INODE, arg, &in, sizeof(in));
}

static int fake_stat(const char *path, uint32_t *dev, uint64_t *ino)
{
	*dev = 8;
	if (!strcmp(path, "/w/f"))
		*ino = 100;
	else if (!strcmp(path, "/w/"))
		*ino = 50;
	else
		return -ENOENT;
	return 0;
}

static int path_kind(const char *path, void *arg)
{
	(void)arg;
	return !strcmp(path, "/w") || !strcmp(path, "/w/") ? RULES_PATH_DIR : RULES_PATH_FILE;
}

static const struct rules_env env = {.path_kind = path_kind};

/* @text parsed into @s and compiled into @b and the result */
static struct rules_watch *load(const char *text, struct rules_set *s, struct rules_bpf *b)
{
	rules_set_init(s);
	if (rules_parse(s, text, strlen(text), "t", NULL, 0, &env, NULL, NULL) ||
	    rules_bpf_compile(s, b))
		return NULL;
	return rules_watch_compile(s, fake_stat);
}

static void test_watch(void)
{
	static const char text[] = "-w /w/f -k wf\n"
				   "-a always,exit -S openat -F success=1 -k later\n";
	struct rules_watch *w = NULL;
	struct rules_bpf b = {0};
	struct ev_buf e;
	struct rules_set s;
	const char *key;

	w = load(text, &s, &b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_EQUAL(w->objects, 1);
	/* the watched file, by its inode: the programs chose rule 0 */
	ev_init(&e, NR_OPENAT, 3, 1);
	ev_item(&e, LA_IT_PATH, 1, "/w/f", 4);
	ev_inode(&e, 1, 100, LA_INO_NORMAL);
	CU_ASSERT_EQUAL(rules_watch_decide(w, &b, &e.ev, NULL, &key), 1);
	CU_ASSERT_STRING_EQUAL(key ? key : "", "wf");
	/* another file: the next candidate decides */
	ev_init(&e, NR_OPENAT, 3, 1);
	ev_item(&e, LA_IT_PATH, 1, "/w/g", 4);
	ev_inode(&e, 1, 101, LA_INO_NORMAL);
	CU_ASSERT_EQUAL(rules_watch_decide(w, &b, &e.ev, NULL, &key), 1);
	CU_ASSERT_STRING_EQUAL(key ? key : "", "later");
	/* ... which fails on a failed open: nothing */
	ev_init(&e, NR_OPENAT, -13, 1);
	ev_item(&e, LA_IT_PATH, 1, "/w/g", 4);
	ev_inode(&e, 1, 101, LA_INO_NORMAL);
	CU_ASSERT_EQUAL(rules_watch_decide(w, &b, &e.ev, NULL, &key), 0);
	CU_ASSERT_PTR_NULL(key);
	/* the name, relative to the cwd, now another inode: matched, and followed */
	ev_init(&e, NR_OPENAT, 3, 1);
	ev_item(&e, LA_IT_PATH, 1, "f", 1);
	ev_inode(&e, 1, 999, LA_INO_NORMAL);
	ev_item(&e, LA_IT_CWD, LA_ARG_NONE, "/w", 2);
	CU_ASSERT_EQUAL(rules_watch_decide(w, &b, &e.ev, NULL, &key), 1);
	CU_ASSERT_STRING_EQUAL(key ? key : "", "wf");
	CU_ASSERT_EQUAL(w->rule[0].f[0].ino, 999);
	/* by its new inode alone, through a file descriptor */
	ev_init(&e, NR_FCHMOD, 0, 1);
	ev_inode(&e, LA_ARG_NONE, 999, LA_INO_NORMAL);
	CU_ASSERT_EQUAL(rules_watch_decide(w, &b, &e.ev, NULL, &key), 1);
	CU_ASSERT_STRING_EQUAL(key ? key : "", "wf");
	/* the old one is no longer watched */
	ev_init(&e, NR_FCHMOD, 0, 1);
	ev_inode(&e, LA_ARG_NONE, 100, LA_INO_NORMAL);
	CU_ASSERT_EQUAL(rules_watch_decide(w, &b, &e.ev, NULL, &key), 0);
	/* removed through a directory file descriptor: the directory's inode and the name */
	ev_init(&e, NR_UNLINKAT, 0, 1);
	e.ev.args[0] = 5;
	ev_item(&e, LA_IT_PATH, 1, "f", 1);
	ev_inode(&e, 1, 50, LA_INO_BASE);
	ev_item(&e, LA_IT_CWD, LA_ARG_NONE, "/elsewhere", 10);
	CU_ASSERT_EQUAL(rules_watch_decide(w, &b, &e.ev, NULL, &key), 1);
	CU_ASSERT_STRING_EQUAL(key ? key : "", "wf");
	CU_ASSERT_EQUAL(w->rule[0].f[0].have, 0);
	/* another directory's: not the watched name */
	ev_init(&e, NR_UNLINKAT, 0, 1);
	e.ev.args[0] = 5;
	ev_item(&e, LA_IT_PATH, 1, "f", 1);
	ev_inode(&e, 1, 51, LA_INO_BASE);
	CU_ASSERT_EQUAL(rules_watch_decide(w, &b, &e.ev, NULL, &key), 0);
	/* a directory not known: it may be the watched one (fail open) */
	ev_init(&e, NR_UNLINKAT, 0, 1);
	e.ev.args[0] = 5;
	ev_item(&e, LA_IT_PATH, 1, "f", 1);
	CU_ASSERT_EQUAL(rules_watch_decide(w, &b, &e.ev, NULL, &key), 1);
	/* no rule chose it (the list overflowed): logged, no key */
	ev_init(&e, NR_FCHMOD, 0, 0);
	CU_ASSERT_EQUAL(rules_watch_decide(w, &b, &e.ev, NULL, &key), 1);
	CU_ASSERT_PTR_NULL(key);
	rules_watch_free(w);
	rules_bpf_free(&b);
	rules_set_free(&s);
}

/* A dir rule: the subtree by path; through a file descriptor, what was seen in it */
static void test_dir(void)
{
	static const char text[] = "-a always,exit -F dir=/w -k d\n";
	struct rules_watch *w;
	struct rules_bpf b = {0};
	struct rules_set s;
	struct ev_buf e;
	const char *key;

	w = load(text, &s, &b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	ev_init(&e, NR_OPENAT, 3, 1);
	ev_item(&e, LA_IT_PATH, 1, "/w/sub/../x", 11);
	ev_inode(&e, 1, 200, LA_INO_NORMAL);
	CU_ASSERT_EQUAL(rules_watch_decide(w, &b, &e.ev, NULL, &key), 1);
	CU_ASSERT_STRING_EQUAL(key ? key : "", "d");
	ev_init(&e, NR_OPENAT, 3, 1);
	ev_item(&e, LA_IT_PATH, 1, "/wx", 3);
	ev_inode(&e, 1, 202, LA_INO_NORMAL);
	CU_ASSERT_EQUAL(rules_watch_decide(w, &b, &e.ev, NULL, &key), 0);
	ev_init(&e, NR_FCHMOD, 0, 1);
	ev_inode(&e, LA_ARG_NONE, 200, LA_INO_NORMAL);
	CU_ASSERT_EQUAL(rules_watch_decide(w, &b, &e.ev, NULL, &key), 1);
	ev_init(&e, NR_FCHMOD, 0, 1);
	ev_inode(&e, LA_ARG_NONE, 201, LA_INO_NORMAL);
	CU_ASSERT_EQUAL(rules_watch_decide(w, &b, &e.ev, NULL, &key), 0);
	rules_watch_free(w);
	rules_bpf_free(&b);
	rules_set_free(&s);
}

/* openat(dirfd, name) under dir=: the descriptor's directory (LA_IT_ATDIR) joined to the name */
static int decide_at(struct rules_watch *w, struct rules_bpf *b, const char *name, const char *dir,
		     uint8_t flags, const char **key)
{
	struct ev_buf e;
	struct la_item *it;

	ev_init(&e, NR_OPENAT, 3, 1);
	e.ev.args[0] = 5;
	ev_item(&e, LA_IT_PATH, 1, name, strlen(name));
	ev_inode(&e, 1, 300, LA_INO_NORMAL);
	ev_item(&e, LA_IT_CWD, LA_ARG_NONE, "/w", 2);
	if (dir) {
		it = (struct la_item *)(e.b + e.ev.size);
		ev_item(&e, LA_IT_ATDIR, 1, dir, strlen(dir));
		it->flags = flags;
	}
	return rules_watch_decide(w, b, &e.ev, NULL, key);
}

static void test_atdir(void)
{
	static const char text[] = "-a always,exit -S openat -F dir=/w -k d\n";
	struct rules_watch *w;
	struct rules_bpf b = {0};
	struct rules_set s;
	const char *key;

	w = load(text, &s, &b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_EQUAL(b.list[NR_OPENAT].flags & LA_RL_ATDIR, LA_RL_ATDIR);
	CU_ASSERT_EQUAL(decide_at(w, &b, "sub/f", "/w", 0, &key), 1);
	CU_ASSERT_STRING_EQUAL(key ? key : "", "d");
	/* outside, though the working directory is the watched one */
	CU_ASSERT_EQUAL(decide_at(w, &b, "f", "/x", 0, &key), 0);
	CU_ASSERT_EQUAL(decide_at(w, &b, "../w/f", "/x", 0, &key), 1);
	CU_ASSERT_EQUAL(decide_at(w, &b, "../../x/f", "/w/sub", 0, &key), 0);
	/* "/wx" is not under "/w" */
	CU_ASSERT_EQUAL(decide_at(w, &b, "f", "/wx", 0, &key), 0);
	/* an absolute name ignores the descriptor */
	CU_ASSERT_EQUAL(decide_at(w, &b, "/w/f", "/x", 0, &key), 1);
	/* the directory not sent, or cut: fail open */
	CU_ASSERT_EQUAL(decide_at(w, &b, "f", NULL, 0, &key), 1);
	CU_ASSERT_EQUAL(decide_at(w, &b, "f", "/x", LA_IF_TRUNC, &key), 1);
	rules_watch_free(w);
	rules_bpf_free(&b);
	rules_set_free(&s);
	/* a rule on no path field: the programs send no directory */
	w = load("-a always,exit -S openat -F uid=0 -k u\n", &s, &b);
	CU_ASSERT_EQUAL(b.list[NR_OPENAT].flags & LA_RL_ATDIR, 0);
	rules_watch_free(w);
	rules_bpf_free(&b);
	rules_set_free(&s);
}

static void test_exclude(void)
{
	static const char text[] = "-a always,exit -S openat\n"
				   "-a never,exclude -F msgtype=CWD\n"
				   "-a always,exclude -F msgtype=PATH -F uid=5\n"
				   "-a always,exclude -F msgtype=MMAP -F uid!=5\n";
	char buf[512];
	struct rules_watch *w;
	struct rules_set s;
	struct ev_buf e;
	size_t n;

	struct rules_bpf b = {0};

	w = load(text, &s, &b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	ev_init(&e, NR_OPENAT, 3, 1);
	CU_ASSERT_EQUAL(rules_watch_excluded(w, &e.ev, NULL), RW_CWD | RW_MMAP);
	e.ev.uid = 5;
	CU_ASSERT_EQUAL(rules_watch_excluded(w, &e.ev, NULL), RW_CWD | RW_PATH);
	rules_watch_free(w);
	rules_bpf_free(&b);
	rules_set_free(&s);

	n = snprintf(buf, sizeof(buf),
		     "type=SYSCALL msg=audit(1.000:1): a\n"
		     "type=CWD msg=audit(1.000:1): b\n"
		     "node=h type=PATH msg=audit(1.000:1): c\n"
		     "type=PATHX msg=audit(1.000:1): d\n");
	n = rules_watch_drop_lines(buf, n, RW_CWD | RW_PATH);
	buf[n] = 0;
	CU_ASSERT_STRING_EQUAL(buf, "type=SYSCALL msg=audit(1.000:1): a\n"
				    "type=PATHX msg=audit(1.000:1): d\n");
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"normalize", test_normalize}, {"watch", test_watch},	  {"dir", test_dir},
		{"atdir", test_atdir},	       {"exclude", test_exclude},
	};

	return UNIT_RUN("rules_watch", tests);
}
