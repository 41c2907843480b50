// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kernel tests: the harness and main().  main() loads the programs once, runs
 * every family's suite, then stops, detaches and closes the capture.  Without
 * root, BTF or BPF it prints SKIPPED with the reason and runs nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <CUnit/Basic.h>

#include "formats/wire.h"
#include "logger/log.h"
#include "tests/kernel/ktest.h"

#ifndef ENOTSUPP
#define ENOTSUPP 524
#endif

struct capture *kt_cap;
char kt_tmpdir[PATH_MAX];
int kt_ncpus;
struct kt_sink kt_main_sink;

/* The cgroup v2 hierarchy's mount point (mounted by us when nothing was). */
static char kt_cg2[PATH_MAX + 64];
static int kt_cg2_mounted;
static pid_t kt_self;

/* Records of the current run, copied out of the rings. */
static struct {
	struct la_event **v;
	size_t n, cap;
} kt_store;

static struct kt_shm *kt_last_shm;

/*
 * The sink of the consume in progress, per thread.  Every capture of this binary
 * is opened with the same callback, which routes by this rather than by its
 * argument: see loss_test.c about capture_open()'s argument being shared
 * between captures.
 */
static __thread struct kt_sink *kt_cur_sink;

/*
 * The main capture is read all along by a thread of its own, so that what other
 * processes make while a test runs never fills its rings; kt_main_sync() asks it
 * for a full drain.  The store and kt_main_sink.keep are the pump's while keep
 * is set, the test's once a sync has cleared it.
 */
static pthread_t kt_pump_thread;
static pthread_mutex_t kt_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t kt_cv = PTHREAD_COND_INITIALIZER;
static unsigned long kt_req, kt_done;
static int kt_req_keep, kt_quit, kt_pump_err;

int kt_record(void *arg, const struct la_event *ev, size_t len)
{
	struct kt_sink *s = kt_cur_sink ? kt_cur_sink : arg;
	struct la_event *copy;
	int nr;

	if (len < sizeof(*ev) || wire_check(ev, len)) {
		s->bad++;
		return 0;
	}
	nr = ev->nr >= 0 && ev->nr < LA_NR_MAX ? ev->nr : LA_NR_MAX - 1;
	s->delivered[nr]++;
	if (ev->pid == (uint32_t)kt_self)
		s->self++;
	if (s->on)
		s->on(s->on_arg, ev, len);
	if (!s->keep)
		return 0;
	if (kt_store.n == kt_store.cap) {
		size_t cap = kt_store.cap ? kt_store.cap * 2 : 4096;
		struct la_event **v = realloc(kt_store.v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		kt_store.v = v;
		kt_store.cap = cap;
	}
	copy = malloc(len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, ev, len);
	kt_store.v[kt_store.n++] = copy;
	return 0;
}

int kt_consume(struct capture *c, struct kt_sink *sink, int timeout_ms)
{
	int n = 0, m;

	kt_cur_sink = sink;
	if (timeout_ms >= 0) {
		n = capture_poll(c, timeout_ms);
		if (n == -EINTR)
			n = 0;
	}
	if (n >= 0) {
		m = capture_drain(c);
		n = m < 0 ? m : n + m;
	}
	kt_cur_sink = NULL;
	return n;
}

static void *kt_pump(void *arg)
{
	unsigned long req;
	int keep, n;

	(void)arg;
	pthread_mutex_lock(&kt_mu);
	while (!kt_quit) {
		if (kt_req != kt_done) {
			req = kt_req;
			keep = kt_req_keep;
			pthread_mutex_unlock(&kt_mu);
			n = kt_consume(kt_cap, &kt_main_sink, -1);
			kt_main_sink.keep = keep;
			pthread_mutex_lock(&kt_mu);
			if (n < 0)
				kt_pump_err = n;
			kt_done = req;
			pthread_cond_broadcast(&kt_cv);
			continue;
		}
		pthread_mutex_unlock(&kt_mu);
		n = kt_consume(kt_cap, &kt_main_sink, 2);
		pthread_mutex_lock(&kt_mu);
		if (n < 0)
			kt_pump_err = n;
	}
	pthread_mutex_unlock(&kt_mu);
	return NULL;
}

int kt_main_sync(int keep)
{
	unsigned long req;
	int err;

	pthread_mutex_lock(&kt_mu);
	req = ++kt_req;
	kt_req_keep = keep;
	pthread_cond_broadcast(&kt_cv);
	while (kt_done != req)
		pthread_cond_wait(&kt_cv, &kt_mu);
	err = kt_pump_err;
	kt_pump_err = 0;
	pthread_mutex_unlock(&kt_mu);
	return err;
}

static void kt_store_clear(void)
{
	size_t i;

	for (i = 0; i < kt_store.n; i++)
		free(kt_store.v[i]);
	kt_store.n = 0;
}

uint64_t kt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

long kt_sys(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	long ret = syscall(nr, a0, a1, a2, a3, a4, a5);

	return ret == -1 ? -errno : ret;
}

void kt_begin(struct kt_shm *sh)
{
	sh->t_begin = kt_now();
}

void kt_end(struct kt_shm *sh)
{
	sh->t_end = kt_now();
}

void kt_child_fail(struct kt_shm *sh, const char *fmt, ...)
{
	va_list ap;

	if (sh->failed)
		return;
	sh->failed = 1;
	va_start(ap, fmt);
	vsnprintf(sh->why, sizeof(sh->why), fmt, ap);
	va_end(ap);
}

char *kt_path(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", kt_tmpdir, name);
	return out;
}

void kt_lo(struct sockaddr_in *sin, unsigned int port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

int kt_bound(int type, struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int fd = socket(AF_INET, type, 0);

	kt_lo(sin, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)sin, sizeof(*sin)) ||
	    getsockname(fd, (struct sockaddr *)sin, &len) ||
	    (type == SOCK_STREAM && listen(fd, 16)))
		return -errno;
	return fd;
}

unsigned int kt_un(struct sockaddr_un *sun, const char *name)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	/* kt_tmpdir is short: /tmp/lauditd-ktest.XXXXXX */
	snprintf(sun->sun_path, sizeof(sun->sun_path), "%.60s/%.40s", kt_tmpdir, name);
	return offsetof(struct sockaddr_un, sun_path) + strlen(sun->sun_path) + 1;
}

/* Read up to @size bytes of @path.  Return: bytes read or -errno. */
static ssize_t kt_read_file(const char *path, char *buf, size_t size)
{
	ssize_t n, total = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((size_t)total < size) {
		n = read(fd, buf + total, size - total);
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (!n)
			break;
		total += n;
	}
	close(fd);
	return total;
}

/* The name the kernel gives the tty @dev (tty_struct.name). */
static void kt_tty_name(dev_t dev, char *out)
{
	char link[PATH_MAX], sys[64];
	unsigned int maj = major(dev), min = minor(dev);
	const char *base;
	ssize_t n;

	out[0] = 0;
	if (!dev)
		return;
	/* Unix98 pty slaves: driver "pts", numbered across majors 136..143 */
	if (maj >= 136 && maj <= 143) {
		snprintf(out, LA_TTY_LEN, "pts%u", (maj - 136) * 256 + min);
		return;
	}
	snprintf(sys, sizeof(sys), "/sys/dev/char/%u:%u", maj, min);
	n = readlink(sys, link, sizeof(link) - 1);
	if (n <= 0) {
		snprintf(out, LA_TTY_LEN, "?%u:%u", maj, min);
		return;
	}
	link[n] = 0;
	base = strrchr(link, '/');
	snprintf(out, LA_TTY_LEN, "%.15s", base ? base + 1 : link);
}

/* The fourth value of a "Uid:" or "Gid:" line of /proc/self/status. */
static uint32_t kt_status_fs(const char *status, const char *key)
{
	const char *p = strstr(status, key);
	unsigned long v[4] = {0};

	if (p && sscanf(p + strlen(key), "%lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3]) == 4)
		return v[3];
	return (uint32_t)-2;
}

int kt_fill_ctx(struct kt_ctx *c)
{
	char buf[4096], path[PATH_MAX * 2];
	unsigned int tty_nr = 0;
	struct stat st;
	const char *p;
	ssize_t n;

	memset(c, 0, sizeof(*c));
	c->pid = getpid();
	c->tid = gettid();
	c->ppid = getppid();
	if (getresuid(&c->uid, &c->euid, &c->suid) || getresgid(&c->gid, &c->egid, &c->sgid))
		return -errno;
	n = kt_read_file("/proc/self/status", buf, sizeof(buf) - 1);
	if (n < 0)
		return n;
	buf[n] = 0;
	c->fsuid = kt_status_fs(buf, "\nUid:");
	c->fsgid = kt_status_fs(buf, "\nGid:");

	n = kt_read_file("/proc/self/loginuid", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	c->auid = strtoul(buf, NULL, 10);
	n = kt_read_file("/proc/self/sessionid", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	c->ses = strtoul(buf, NULL, 10);

	if (prctl(PR_GET_NAME, c->comm))
		return -errno;

	/* tty_nr, the 7th field of stat, after the comm in parentheses */
	n = kt_read_file("/proc/self/stat", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %u", &tty_nr) != 1)
		return -EINVAL;
	kt_tty_name((dev_t)tty_nr, c->tty);

	/* the v2 hierarchy's line, "0::/path" */
	n = kt_read_file("/proc/self/cgroup", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	p = strstr(buf, "0::");
	if (p && (p == buf || p[-1] == '\n')) {
		size_t len = strcspn(p + 3, "\n");

		snprintf(path, sizeof(path), "%s%.*s", kt_cg2, (int)len, p + 3);
		if (!stat(path, &st))
			c->cgroup_id = st.st_ino;
	}

	n = readlink("/proc/self/exe", c->exe, sizeof(c->exe) - 1);
	if (n < 0)
		return -errno;
	c->exe[n] = 0;
	n = kt_read_file("/proc/self/cmdline", c->proctitle, sizeof(c->proctitle));
	if (n < 0)
		return n;
	c->proctitle_len = n;
	return 0;
}

void kt_pass(const char *file, unsigned int line)
{
	CU_assertImplementation(CU_TRUE, line, "", file, "", CU_FALSE);
}

void kt_fail(const char *file, unsigned int line, int fatal, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	CU_assertImplementation(CU_FALSE, line, msg, file, "", fatal ? CU_TRUE : CU_FALSE);
}

/* Printable, escaped head of @len bytes of @p. */
static const char *kt_esc(const void *p, size_t len, char *out, size_t size)
{
	const unsigned char *s = p;
	size_t i, o = 0;

	for (i = 0; i < len && o + 5 < size; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
			out[o++] = s[i];
		else
			o += snprintf(out + o, size - o, "\\x%02x", s[i]);
	}
	if (i < len && o + 4 < size)
		o += snprintf(out + o, size - o, "...");
	out[o] = 0;
	return out;
}

/* Walk @ev's items: the next one after @it (NULL: the first), NULL at the end. */
static const struct la_item *kt_next_item(const struct la_event *ev, const struct la_item *it)
{
	const char *p = it ? (const char *)(it + 1) + LA_ALIGN(it->len) : (const char *)(ev + 1);

	return p < (const char *)ev + ev->size ? (const void *)p : NULL;
}

const struct la_item *kt_item(const struct la_event *ev, unsigned int kind)
{
	return wire_item(ev, kind, NULL);
}

#define KT_F(file, line, ...) kt_fail(file, line, 0, __VA_ARGS__)

void kt_check_ctx(const char *file, unsigned int line, const struct la_event *ev,
		  const struct kt_ctx *c)
{
	char a[64], b[64];
	int bad = 0;

#define KT_FIELD(f)                                                                     \
	do {                                                                            \
		if (ev->f != c->f) {                                                    \
			KT_F(file, line, "nr %d: " #f " %llu != expected %llu", ev->nr, \
			     (unsigned long long)ev->f, (unsigned long long)c->f);      \
			bad++;                                                          \
		}                                                                       \
	} while (0)
	KT_FIELD(pid);
	KT_FIELD(tid);
	KT_FIELD(ppid);
	KT_FIELD(uid);
	KT_FIELD(gid);
	KT_FIELD(euid);
	KT_FIELD(suid);
	KT_FIELD(fsuid);
	KT_FIELD(egid);
	KT_FIELD(sgid);
	KT_FIELD(fsgid);
	KT_FIELD(auid);
	KT_FIELD(ses);
	KT_FIELD(cgroup_id);
#undef KT_FIELD
	if (memcmp(ev->comm, c->comm, LA_COMM_LEN)) {
		KT_F(file, line, "nr %d: comm \"%s\" != expected \"%s\"", ev->nr,
		     kt_esc(ev->comm, LA_COMM_LEN, a, sizeof(a)),
		     kt_esc(c->comm, LA_COMM_LEN, b, sizeof(b)));
		bad++;
	}
	/* tty is a C string: the bytes after its NUL have no meaning */
	if (strncmp(ev->tty, c->tty, LA_TTY_LEN) || !memchr(ev->tty, 0, LA_TTY_LEN)) {
		KT_F(file, line, "nr %d: tty \"%s\" != expected \"%s\"", ev->nr,
		     kt_esc(ev->tty, strnlen(ev->tty, LA_TTY_LEN), a, sizeof(a)), c->tty);
		bad++;
	}
	if (!bad)
		kt_pass(file, line);
}

void kt_check_sys(const char *file, unsigned int line, const struct la_event *ev, int nr,
		  const uint64_t *args, int64_t ret)
{
	int i, bad = 0;

	if (ev->nr != nr) {
		KT_F(file, line, "nr %d != expected %d", ev->nr, nr);
		bad++;
	}
	for (i = 0; i < LA_NARGS; i++) {
		if (ev->args[i] != args[i]) {
			KT_F(file, line, "nr %d: args[%d] %#llx != expected %#llx", nr, i,
			     (unsigned long long)ev->args[i], (unsigned long long)args[i]);
			bad++;
		}
	}
	if (ev->ret != ret) {
		KT_F(file, line, "nr %d: ret %lld != expected %lld", nr, (long long)ev->ret,
		     (long long)ret);
		bad++;
	}
	if (!bad)
		kt_pass(file, line);
}

void kt_check_items(const char *file, unsigned int line, const struct la_event *ev, uint16_t flags,
		    const struct kt_item *items, int n)
{
	const struct la_item *it = NULL;
	char a[160], b[160];
	int i = 0, bad = 0;

	if (ev->flags != flags) {
		KT_F(file, line, "nr %d: flags %#x != expected %#x", ev->nr, ev->flags, flags);
		bad++;
	}
	while ((it = kt_next_item(ev, it))) {
		const struct kt_item *w = &items[i];

		/* identity, and what records_test.c checks on its own */
		if (it->kind == LA_IT_EXE || it->kind == LA_IT_PROCTITLE || it->kind == LA_IT_CWD ||
		    it->kind == LA_IT_INODE || it->kind == LA_IT_OBJPID ||
		    it->kind == LA_IT_OPENHOW || it->kind == LA_IT_INTERP ||
		    it->kind == LA_IT_BINFMT)
			continue;
		if (i >= n) {
			KT_F(file, line, "nr %d: unexpected item kind %u arg %u len %u \"%s\"",
			     ev->nr, it->kind, it->arg, it->len,
			     kt_esc(wire_payload(it), it->len, a, sizeof(a)));
			bad++;
			i++;
			continue;
		}
		if (it->kind != w->kind || it->arg != w->arg || it->flags != w->flags ||
		    it->len != w->len || memcmp(wire_payload(it), w->data, w->len)) {
			size_t off = 0;

			while (off < it->len && off < w->len &&
			       wire_payload(it)[off] == ((const char *)w->data)[off])
				off++;
			KT_F(file, line,
			     "nr %d: item %d {kind %u arg %u flags %#x len %u} != expected "
			     "{kind %u arg %u flags %#x len %u}, payloads differ from byte %zu: "
			     "\"%s\" vs \"%s\"",
			     ev->nr, i, it->kind, it->arg, it->flags, it->len, w->kind, w->arg,
			     w->flags, w->len, off,
			     kt_esc(wire_payload(it) + off, it->len - off, a, sizeof(a)),
			     kt_esc((const char *)w->data + off, w->len - off, b, sizeof(b)));
			bad++;
		}
		i++;
	}
	if (i < n) {
		KT_F(file, line, "nr %d: %d items, expected %d (first missing: kind %u arg %u)",
		     ev->nr, i, n, items[i].kind, items[i].arg);
		bad++;
	}
	if (!bad)
		kt_pass(file, line);
}

static int kt_in_window(const struct kt_run *r, const struct la_event *ev)
{
	return ev->ts_enter >= r->sh->t_begin && ev->ts_enter <= r->sh->t_end;
}

const struct la_event *kt_find(const struct kt_run *r, uint32_t pid, int nr, int nth)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct la_event *ev = r->ev[i];

		if (ev->pid == pid && (nr < 0 || ev->nr == nr) && kt_in_window(r, ev) && !nth--)
			return ev;
	}
	return NULL;
}

const struct la_event *kt_find_a0(const struct kt_run *r, uint32_t pid, int nr, uint64_t a0)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct la_event *ev = r->ev[i];

		if (ev->pid == pid && ev->nr == nr && ev->args[0] == a0 && kt_in_window(r, ev))
			return ev;
	}
	return NULL;
}

const struct la_event *kt_find_all(const struct kt_run *r, uint32_t pid, int nr, int nth)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct la_event *ev = r->ev[i];

		if (ev->pid == pid && (nr < 0 || ev->nr == nr) && !nth--)
			return ev;
	}
	return NULL;
}

int kt_count(const struct kt_run *r, uint32_t pid, int nr)
{
	size_t i;
	int n = 0;

	for (i = 0; i < r->n; i++)
		if (r->ev[i]->pid == pid && (nr < 0 || r->ev[i]->nr == nr) &&
		    kt_in_window(r, r->ev[i]))
			n++;
	return n;
}

int kt_count_all(const struct kt_run *r, uint32_t pid, int nr)
{
	size_t i;
	int n = 0;

	for (i = 0; i < r->n; i++)
		if (r->ev[i]->pid == pid && (nr < 0 || r->ev[i]->nr == nr))
			n++;
	return n;
}

void kt_check_nrs(const char *file, unsigned int line, const struct kt_run *r, uint32_t pid,
		  const int *nrs, int n)
{
	char got[512], want[512];
	size_t i, go = 0, wo = 0;
	int k = 0, bad = 0;

	got[0] = want[0] = 0;
	for (i = 0; i < r->n; i++) {
		const struct la_event *ev = r->ev[i];

		if (ev->pid != pid || !kt_in_window(r, ev))
			continue;
		if (k >= n || ev->nr != nrs[k])
			bad = 1;
		if (go < sizeof(got) - 16)
			go += snprintf(got + go, sizeof(got) - go, " %d", ev->nr);
		k++;
	}
	if (k != n)
		bad = 1;
	for (k = 0; k < n && wo < sizeof(want) - 16; k++)
		wo += snprintf(want + wo, sizeof(want) - wo, " %d", nrs[k]);
	if (bad)
		KT_F(file, line, "pid %u made syscalls [%s ] in the window, expected [%s ]", pid,
		     got, want);
	else
		kt_pass(file, line);
}

static int kt_cmp_ts(const void *a, const void *b)
{
	const struct la_event *x = *(const struct la_event *const *)a;
	const struct la_event *y = *(const struct la_event *const *)b;

	if (x->ts_enter != y->ts_enter)
		return x->ts_enter < y->ts_enter ? -1 : 1;
	if (x->ts_exit != y->ts_exit)
		return x->ts_exit < y->ts_exit ? -1 : 1;
	return 0;
}

#define KT_MAX_TREE 64
#define KT_MAX_SEEN 4096

/* What holds for every record of the child and its descendants. */
static void kt_check_tree(const char *file, unsigned int line, const struct kt_run *r)
{
	struct {
		uint32_t tid, cpu;
		uint64_t exec_id;
	} seen[KT_MAX_SEEN];
	struct {
		uint32_t tid;
		uint64_t exec_id;
	} execs[KT_MAX_TREE];
	uint32_t tree[KT_MAX_TREE];
	const struct la_event *last = NULL;
	uint64_t first_exec_id = 0;
	int ntree = 1, nseen = 0, nexecs = 0, fails = 0, grew = 1, j;
	char a[160], b[160];
	size_t i;

	tree[0] = r->pid;
	while (grew) {
		grew = 0;
		for (i = 0; i < r->n; i++) {
			const struct la_event *ev = r->ev[i];
			int in = 0, parent = 0;

			for (j = 0; j < ntree; j++) {
				in |= tree[j] == ev->pid;
				parent |= tree[j] == ev->ppid;
			}
			if (!in && parent && ntree < KT_MAX_TREE) {
				tree[ntree++] = ev->pid;
				grew = 1;
			}
		}
	}

#define KT_TREE_FAIL(...)                              \
	do {                                           \
		if (fails++ < 8)                       \
			KT_F(file, line, __VA_ARGS__); \
	} while (0)

	for (i = 0; i < r->n; i++) {
		const struct la_event *ev = r->ev[i];
		const struct la_item *it = NULL, *exe = NULL, *title = NULL;
		uint16_t iflags = 0;
		int in = 0, k;

		for (j = 0; j < ntree; j++)
			in |= tree[j] == ev->pid;
		if (!in)
			continue;
		if (ev->pid == (uint32_t)r->pid) {
			if (!first_exec_id)
				first_exec_id = ev->exec_id;
			last = ev;
		}
		if (ev->kind != LA_EV_SYSCALL)
			KT_TREE_FAIL("pid %u nr %d: kind %u", ev->pid, ev->nr, ev->kind);
		if (ev->ts_enter < r->t0 || ev->ts_enter > ev->ts_exit || ev->ts_exit > r->t1)
			KT_TREE_FAIL("pid %u nr %d: times %llu..%llu outside the run %llu..%llu or "
				     "reversed",
				     ev->pid, ev->nr, (unsigned long long)ev->ts_enter,
				     (unsigned long long)ev->ts_exit, (unsigned long long)r->t0,
				     (unsigned long long)r->t1);
		if (ev->cpu >= (uint32_t)kt_ncpus)
			KT_TREE_FAIL("pid %u nr %d: cpu %u", ev->pid, ev->nr, ev->cpu);
		if ((ev->flags & ~(LA_F_NORETURN | LA_F_TRUNC | LA_F_FAULT | LA_F_NOSPACE)) ||
		    !(ev->flags & LA_F_NORETURN) !=
			    !(ev->nr == SYS_exit_group || ev->nr == SYS_exit))
			KT_TREE_FAIL("pid %u nr %d: flags %#x", ev->pid, ev->nr, ev->flags);
		if ((ev->flags & LA_F_NORETURN) && ev->ret != 0)
			KT_TREE_FAIL("pid %u nr %d: ret %lld of a no-return record", ev->pid,
				     ev->nr, (long long)ev->ret);
		if (ev->flags & LA_F_NOSPACE)
			KT_TREE_FAIL("pid %u nr %d: items left out (LA_F_NOSPACE)", ev->pid,
				     ev->nr);
		while ((it = kt_next_item(ev, it))) {
			if (it->kind < LA_IT_PATH ||
			    (it->kind > LA_IT_BINFMT && it->kind != LA_IT_ATDIR) ||
			    (it->flags & ~(LA_IF_TRUNC | LA_IF_FAULT)) || it->pad)
				KT_TREE_FAIL("pid %u nr %d: item kind %u flags %#x pad %u", ev->pid,
					     ev->nr, it->kind, it->flags, it->pad);
			if ((it->flags & LA_IF_FAULT) && it->len)
				KT_TREE_FAIL("pid %u nr %d: faulted item of %u bytes", ev->pid,
					     ev->nr, it->len);
			iflags |= it->flags;
			if (it->kind == LA_IT_EXE && !exe)
				exe = it;
			else if (it->kind == LA_IT_PROCTITLE && !title)
				title = it;
			else if (it->kind == LA_IT_EXE || it->kind == LA_IT_PROCTITLE)
				KT_TREE_FAIL("pid %u nr %d: two exe or proctitle items", ev->pid,
					     ev->nr);
		}
		if (!(ev->flags & LA_F_TRUNC) != !(iflags & LA_IF_TRUNC) ||
		    !(ev->flags & LA_F_FAULT) != !(iflags & LA_IF_FAULT))
			KT_TREE_FAIL("pid %u nr %d: record flags %#x, item flags %#x", ev->pid,
				     ev->nr, ev->flags, iflags);

		/* exec_id changes on a successful execve only, by one */
		for (k = 0; k < nexecs && execs[k].tid != ev->tid; k++)
			;
		if (k == nexecs && nexecs < KT_MAX_TREE) {
			execs[nexecs].tid = ev->tid;
			execs[nexecs++].exec_id = ev->exec_id;
		} else if (k < nexecs && execs[k].exec_id != ev->exec_id) {
			if ((ev->nr != SYS_execve && ev->nr != SYS_execveat) || ev->ret != 0 ||
			    ev->exec_id != execs[k].exec_id + 1)
				KT_TREE_FAIL("tid %u nr %d ret %lld: exec_id %llu after %llu",
					     ev->tid, ev->nr, (long long)ev->ret,
					     (unsigned long long)ev->exec_id,
					     (unsigned long long)execs[k].exec_id);
			execs[k].exec_id = ev->exec_id;
		}

		/* exe and proctitle: on the first record of each thread, exec and CPU */
		for (k = 0; k < nseen; k++)
			if (seen[k].tid == ev->tid && seen[k].cpu == ev->cpu &&
			    seen[k].exec_id == ev->exec_id)
				break;
		if (k == nseen) {
			if (nseen < KT_MAX_SEEN) {
				seen[nseen].tid = ev->tid;
				seen[nseen].cpu = ev->cpu;
				seen[nseen++].exec_id = ev->exec_id;
			}
			if (!exe || !title)
				KT_TREE_FAIL("tid %u nr %d: first record on cpu %u without %s",
					     ev->tid, ev->nr, ev->cpu, exe ? "proctitle" : "exe");
		} else if (exe || title) {
			KT_TREE_FAIL("tid %u nr %d: exe or proctitle again on cpu %u", ev->tid,
				     ev->nr, ev->cpu);
		}
		/* before any exec, the child's own exe and command line */
		if (ev->exec_id == first_exec_id && exe &&
		    (exe->len != strlen(r->sh->ctx.exe) || exe->flags ||
		     memcmp(wire_payload(exe), r->sh->ctx.exe, exe->len)))
			KT_TREE_FAIL("tid %u nr %d: exe \"%s\" != \"%s\"", ev->tid, ev->nr,
				     kt_esc(wire_payload(exe), exe->len, a, sizeof(a)),
				     r->sh->ctx.exe);
		if (ev->exec_id == first_exec_id && title &&
		    (title->len != r->sh->ctx.proctitle_len || title->flags ||
		     memcmp(wire_payload(title), r->sh->ctx.proctitle, title->len)))
			KT_TREE_FAIL("tid %u nr %d: proctitle \"%s\" != \"%s\"", ev->tid, ev->nr,
				     kt_esc(wire_payload(title), title->len, a, sizeof(a)),
				     kt_esc(r->sh->ctx.proctitle, r->sh->ctx.proctitle_len, b,
					    sizeof(b)));
	}
	/* a child that exited made exit_group(status) last */
	if (WIFEXITED(r->status)) {
		if (!last || last->nr != SYS_exit_group ||
		    (last->args[0] & 0xff) != (uint64_t)WEXITSTATUS(r->status))
			KT_TREE_FAIL("child %d exited %d, its last record is nr %d args[0] %llu",
				     r->pid, WEXITSTATUS(r->status), last ? last->nr : -1,
				     last ? (unsigned long long)last->args[0] : 0ULL);
	}
	if (!fails)
		kt_pass(file, line);
#undef KT_TREE_FAIL
}

/* Whether the child's end (its exit_group, or a kill) has been consumed. */
static int kt_have_end(pid_t pid, int status)
{
	size_t i;

	if (!WIFEXITED(status))
		return 1;
	for (i = 0; i < kt_store.n; i++)
		if (kt_store.v[i]->pid == (uint32_t)pid && kt_store.v[i]->nr == SYS_exit_group)
			return 1;
	return 0;
}

int kt_run_at(const char *file, unsigned int line, struct kt_run *r, const char *comm,
	      kt_body_fn body, void *arg)
{
	struct kt_shm *sh;
	int n, tries;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (kt_last_shm) {
		munmap(kt_last_shm, sizeof(*kt_last_shm));
		kt_last_shm = NULL;
	}
	/* what other processes left in the rings is not this run's */
	kt_main_sync(0);
	kt_store_clear();

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		kt_fail(file, line, 1, "mmap: %s", strerror(errno));
		return -1;
	}
	kt_last_shm = sh;
	r->sh = sh;
	sh->t_end = UINT64_MAX;
	kt_main_sync(1);
	fflush(NULL);
	r->t0 = kt_now();
	pid = fork();
	if (pid < 0) {
		kt_main_sync(0);
		kt_fail(file, line, 1, "fork: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		/* only the fds the body opens: their numbers are then known */
		syscall(SYS_close_range, 3, ~0U, 0);
		/* a body that blocks for good ends here, and the test says so */
		alarm(20);
		prctl(PR_SET_NAME, comm);
		n = kt_fill_ctx(&sh->ctx);
		if (n)
			kt_child_fail(sh, "kt_fill_ctx: %s", strerror(-n));
		sh->t_begin = kt_now();
		body(sh, arg);
		if (sh->t_end == UINT64_MAX)
			sh->t_end = kt_now();
		syscall(SYS_exit_group, 0);
	}
	r->pid = pid;
	while (waitpid(pid, &r->status, 0) < 0 && errno == EINTR)
		;
	r->t1 = kt_now();

	/* every record was committed before the child could be reaped: one drain is enough */
	n = kt_main_sync(0);
	for (tries = 0; !n && !kt_have_end(pid, r->status) && tries < 20; tries++) {
		usleep(50 * 1000);
		n = kt_main_sync(0);
	}
	if (tries)
		kt_fail(file, line, 0, "the child's exit record came %d drains after its reaping",
			tries);
	if (n < 0)
		kt_fail(file, line, 0, "consuming the rings: %s", strerror(-n));
	qsort(kt_store.v, kt_store.n, sizeof(kt_store.v[0]), kt_cmp_ts);
	r->ev = (const struct la_event **)kt_store.v;
	r->n = kt_store.n;
	kt_check_tree(file, line, r);
	return 0;
}

CU_pSuite kt_suite(const char *name)
{
	CU_pSuite s = CU_add_suite(name, NULL, NULL);

	if (!s) {
		fprintf(stderr, "CU_add_suite(%s): %s\n", name, CU_get_error_msg());
		exit(2);
	}
	return s;
}

void kt_test(CU_pSuite s, const char *name, CU_TestFunc fn)
{
	if (!CU_add_test(s, name, fn)) {
		fprintf(stderr, "CU_add_test(%s): %s\n", name, CU_get_error_msg());
		exit(2);
	}
}

/* The cgroup v2 mount point from mountinfo, else a mount of our own. */
static int kt_find_cgroup2(void)
{
	char line[4096], mnt[PATH_MAX];
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (f) {
		while (fgets(line, sizeof(line), f)) {
			const char *sep = strstr(line, " - ");

			if (sep && !strncmp(sep + 3, "cgroup2 ", 8) &&
			    sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1) {
				snprintf(kt_cg2, sizeof(kt_cg2), "%s", mnt);
				break;
			}
		}
		fclose(f);
	}
	if (kt_cg2[0])
		return 0;
	snprintf(kt_cg2, sizeof(kt_cg2), "%s/cgroup2", kt_tmpdir);
	if (mkdir(kt_cg2, 0755) || mount("cgroup2", kt_cg2, "cgroup2", 0, NULL))
		return -errno;
	kt_cg2_mounted = 1;
	return 0;
}

const char *kt_cgroup2_mount(void)
{
	return kt_cg2;
}

static int kt_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) && errno != ENOENT ? -1 : 0;
}

/* Registered by name, in this order: `ktest read open` runs those two only. */
static const struct {
	const char *name;
	void (*reg)(void);
} kt_suites[] = {
	{"read", ktest_register_read},
	{"write", ktest_register_write},
	{"open", ktest_register_open},
	{"close", ktest_register_close},
	{"mmap", ktest_register_mmap},
	{"mprotect", ktest_register_mprotect},
	{"dup", ktest_register_dup},
	{"pipe", ktest_register_pipe},
	{"socket", ktest_register_socket},
	{"connect", ktest_register_connect},
	{"accept", ktest_register_accept},
	{"bind", ktest_register_bind},
	{"recvfrom", ktest_register_recvfrom},
	{"sendto", ktest_register_sendto},
	{"recvmsg", ktest_register_recvmsg},
	{"sendmsg", ktest_register_sendmsg},
	{"clone", ktest_register_clone},
	{"execve", ktest_register_execve},
	{"exit", ktest_register_exit},
	{"unlink", ktest_register_unlink},
	{"rename", ktest_register_rename},
	{"chmod", ktest_register_chmod},
	{"setuid", ktest_register_setuid},
	{"kill", ktest_register_kill},
	{"truncate", ktest_register_truncate},
	{"records", ktest_register_records},
	{"context", ktest_register_context},
	{"exclude", ktest_register_exclude},
	{"rules", ktest_register_rules},
	{"rulechange", ktest_register_rulechange},
	{"taskrules", ktest_register_taskrules},
	{"watch", ktest_register_watch},
	{"others", ktest_register_others},
	{"cache", ktest_register_cache},
	/* last: it ends with the main capture's own accounting, which stops it */
	{"loss", ktest_register_loss},
};

int main(int argc, char **argv)
{
	struct capture_opts o = {
		.ring_bytes = 16 << 20,
		.wakeup_percent = 50,
		.argv_bytes = 8192,
	};
	unsigned int failures = 0;
	size_t i;
	int err, j;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (j = 1; j < argc; j++) {
		for (i = 0; i < sizeof(kt_suites) / sizeof(kt_suites[0]); i++)
			if (!strcmp(argv[j], kt_suites[i].name))
				break;
		if (i == sizeof(kt_suites) / sizeof(kt_suites[0])) {
			fprintf(stderr, "usage: %s [suite ...]: no suite \"%s\"\n", argv[0],
				argv[j]);
			return 2;
		}
	}
	if (geteuid() != 0) {
		printf("SKIPPED: kernel tests need root (euid %u)\n", geteuid());
		return 0;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		printf("SKIPPED: no kernel BTF (/sys/kernel/btf/vmlinux: %s)\n", strerror(errno));
		return 0;
	}
	log_init(1, getenv("KTEST_VERBOSE") != NULL);
	kt_self = getpid();
	kt_ncpus = sysconf(_SC_NPROCESSORS_CONF);
	kt_cap = capture_open(&o, kt_record, &kt_main_sink);
	if (!kt_cap) {
		err = errno;
		if (err == EPERM || err == ENOSYS || err == EOPNOTSUPP || err == ENOTSUPP) {
			printf("SKIPPED: cannot load the BPF programs: %s\n", strerror(err));
			return 0;
		}
		printf("FAILED: capture_open: %s\n", strerror(err));
		return 1;
	}
	err = capture_attach(kt_cap);
	if (err) {
		printf("%s: capture_attach: %s\n", err == -EPERM ? "SKIPPED" : "FAILED",
		       strerror(-err));
		capture_close(kt_cap);
		return err == -EPERM ? 0 : 1;
	}
	err = pthread_create(&kt_pump_thread, NULL, kt_pump, NULL);
	if (err) {
		printf("FAILED: pthread_create: %s\n", strerror(err));
		return 1;
	}
	snprintf(kt_tmpdir, sizeof(kt_tmpdir), "/tmp/lauditd-ktest.XXXXXX");
	if (!mkdtemp(kt_tmpdir)) {
		printf("FAILED: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	err = kt_find_cgroup2();
	if (err)
		printf("note: no cgroup v2 hierarchy (%s): the cgroup_id checks will fail\n",
		       strerror(-err));
	signal(SIGPIPE, SIG_IGN);

	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "CU_initialize_registry: %s\n", CU_get_error_msg());
		return 2;
	}
	for (i = 0; i < sizeof(kt_suites) / sizeof(kt_suites[0]); i++) {
		int want = argc < 2;

		for (j = 1; j < argc; j++)
			want |= !strcmp(argv[j], kt_suites[i].name);
		if (want)
			kt_suites[i].reg();
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	/* failed asserts, and suites whose set-up or clean-up failed */
	failures = CU_get_number_of_failure_records();
	if (CU_get_error() != CUE_SUCCESS)
		failures++;
	CU_cleanup_registry();

	pthread_mutex_lock(&kt_mu);
	kt_quit = 1;
	pthread_mutex_unlock(&kt_mu);
	pthread_join(kt_pump_thread, NULL);
	capture_stop(kt_cap);
	capture_detach(kt_cap);
	capture_close(kt_cap);
	if (kt_cg2_mounted)
		umount(kt_cg2);
	nftw(kt_tmpdir, kt_rm, 16, FTW_DEPTH | FTW_PHYS);
	for (i = 0; i < kt_store.n; i++)
		free(kt_store.v[i]);
	free(kt_store.v);
	return failures ? 1 : 0;
}
