/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * textenc: how many events per second text_encode_event() writes on one CPU, RAW
 * and ENRICHED.
 *
 * The events are what the daemon hands the encoder: header-only records (items
 * come once per process; logger/ident.c keeps exe and proctitle) of read, write,
 * openat and close by eight processes, with plausible arguments, returns (some
 * openat fail), ids, comm and tty; each process's exe and proctitle encoded once,
 * as logger/ident.c does; ENRICHED's user and group names from a table, as the
 * daemon's name cache answers after its first lookup.  They are appended to a
 * 1 MiB buffer that starts over when less than TEXT_EVENT_MAX is left, as
 * logger/writer.c hands a buffer over.  Pinned to one CPU; the best of a few runs.
 *
 * usage: textenc [events [runs [cpu]]]     (default 2000000 events, 5 runs, this CPU)
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "formats/text.h"

/* logger/writer.c's buffer and the room it keeps for one record */
#define BUF_LEN	 (1024 * 1024)
#define BUF_ROOM TEXT_EVENT_MAX
/* distinct events, cycled */
#define NSET 4096

struct proc {
	const char *exe;
	const char *title; /* argv area, NUL-separated */
	size_t title_len;
	const char *comm;
	const char *tty;
	uint32_t pid, ppid, uid, auid, ses;
};

#define T(s)  s, sizeof(s) - 1
#define UNSET UINT32_MAX

static struct proc procs[] = {
	{"/usr/bin/bash", T("-bash"), "bash", "pts0", 2211, 2210, 1000, 1000, 3},
	{"/usr/sbin/nginx", T("nginx: worker process"), "nginx", "", 1456, 1455, 33, UNSET, UNSET},
	{"/usr/lib/postgresql/15/bin/postgres", T("postgres: 15/main: checkpointer "), "postgres",
	 "", 1301, 1290, 108, UNSET, UNSET},
	{"/usr/bin/python3.11", T("python3\0/opt/app/manage.py\0runserver\0"), "python3", "pts1",
	 3022, 2211, 1000, 1000, 3},
	{"/usr/bin/cat", T("cat\0/var/log/syslog"), "cat", "pts0", 3100, 2211, 0, 1000, 3},
	{"/usr/lib/systemd/systemd-journald", T("/lib/systemd/systemd-journald"), "systemd-journal",
	 "", 388, 1, 0, UNSET, UNSET},
	{"/usr/sbin/sshd", T("sshd: alice [priv]"), "sshd", "", 2190, 901, 0, 1000, 3},
	{"/usr/bin/make", T("make\0-j2\0all"), "make", "pts0", 3160, 2211, 1000, 1000, 3},
};

#define NPROCS (sizeof(procs) / sizeof(procs[0]))

/* each process's identity, as logger/ident.c keeps it */
static struct text_ident idents[NPROCS];

struct set {
	struct la_event ev[NSET];
	struct text_stamp st[NSET];
	const struct text_ident *id[NSET];
};

static uint32_t rng = 1;

/* A small LCG: the same events on every run. */
static uint32_t rnd(uint32_t span)
{
	rng = rng * 1103515245 + 12345;
	return (rng >> 16) % span;
}

/* logger/ident.c's ident_encode(): exe and proctitle as the log writes them. */
static int proc_encode(size_t i)
{
	static char buf[NPROCS][2][2 * PATH_MAX + 8];
	const struct proc *p = &procs[i];
	struct text_ident *id = &idents[i];
	int n;

	id->exe = p->exe;
	id->exe_len = strlen(p->exe);
	id->title = p->title;
	id->title_len = p->title_len;
	n = text_encode_untrusted(buf[i][0], sizeof(buf[i][0]), p->exe, id->exe_len);
	if (n < 0)
		return n;
	id->exe_text = buf[i][0];
	id->exe_text_len = n;
	n = text_encode_proctitle(buf[i][1], sizeof(buf[i][1]), p->title, p->title_len);
	if (n < 0)
		return n;
	id->title_text = buf[i][1];
	id->title_text_len = n;
	return 0;
}

static void make_event(struct la_event *ev, const struct proc *p, uint64_t ts)
{
	uint32_t kind;

	memset(ev, 0, sizeof(*ev));
	ev->size = sizeof(*ev);
	ev->kind = LA_EV_SYSCALL;
	ev->cpu = 1;
	ev->ts_enter = ts;
	ev->ts_exit = ts + 400 + rnd(2000);
	ev->cgroup_id = 0x2a1f + (p - procs);
	ev->exec_id = 2;
	ev->tid = ev->pid = p->pid;
	ev->ppid = p->ppid;
	ev->auid = p->auid;
	ev->ses = p->ses;
	ev->uid = ev->euid = ev->suid = ev->fsuid = p->uid;
	ev->gid = ev->egid = ev->sgid = ev->fsgid = p->uid;
	strncpy(ev->comm, p->comm, sizeof(ev->comm));
	strncpy(ev->tty, p->tty, sizeof(ev->tty));
	kind = rnd(10);
	if (kind < 4) { /* read(fd, buf, 4096) */
		ev->nr = __NR_read;
		ev->args[0] = 3 + rnd(8);
		ev->args[1] = 0x7ffd4c2a0000 + rnd(0x10000);
		ev->args[2] = 4096;
		ev->ret = rnd(4) ? 4096 : rnd(4096);
	} else if (kind < 7) { /* write(fd, buf, n) */
		ev->nr = __NR_write;
		ev->args[0] = 1 + rnd(10);
		ev->args[1] = 0x55d0c0e10000 + rnd(0x100000);
		ev->args[2] = 1 + rnd(512);
		ev->ret = ev->args[2];
	} else if (kind < 9) { /* openat(AT_FDCWD, path, O_RDONLY|O_CLOEXEC): an fd or -ENOENT */
		ev->nr = __NR_openat;
		ev->args[0] = 0xffffff9c;
		ev->args[1] = 0x55d0c0e1c2a0 + rnd(0x1000);
		ev->args[2] = 0x80000;
		ev->ret = rnd(5) ? (int64_t)(3 + rnd(20)) : -ENOENT;
	} else { /* close(fd) */
		ev->nr = __NR_close;
		ev->args[0] = 3 + rnd(20);
		ev->ret = 0;
	}
	ev->args[3] = 0x7ffd4c2a1f90;
}

/* A live system's events: the processes interleaved, about 1.1 us apart. */
static void set_init(struct set *s)
{
	/* logger/main.c's stamp_of(): CLOCK_BOOTTIME plus the boot's wall-clock time */
	uint64_t boot = 86400000000000ULL, boot_to_real = 1763600000000000000ULL;
	size_t i;

	for (i = 0; i < NSET; i++) {
		const struct proc *p = &procs[rnd(NPROCS)];

		make_event(&s->ev[i], p, boot);
		s->st[i].sec = (boot + boot_to_real) / 1000000000;
		s->st[i].msec = (boot + boot_to_real) % 1000000000 / 1000000;
		s->id[i] = &idents[p - procs];
		boot += 800 + rnd(600);
	}
}

/* logger/names.c's cache, after its first lookup of each id. */
static const char *bench_name(void *arg, uint32_t id, int group)
{
	(void)arg;
	(void)group;
	switch (id) {
	case 0:
		return "root";
	case 33:
		return "www-data";
	case 108:
		return "postgres";
	case 1000:
		return "alice";
	}
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Encode @n events, appending as the writer does.  Return: seconds, or -1. */
static double run(const struct set *s, char *buf, long n, const struct text_opts *o,
		  uint64_t *bytes)
{
	uint64_t serial = 1000000, total = 0;
	size_t len = 0;
	double t0 = now();
	long i;

	for (i = 0; i < n; i++) {
		size_t k = i % NSET;
		struct text_stamp st = s->st[k];
		int r;

		if (BUF_LEN - len < BUF_ROOM)
			len = 0;
		st.serial = ++serial;
		r = text_encode_event(buf + len, BUF_LEN - len, &s->ev[k], &st, s->id[k], NULL, o);
		if (r < 0)
			return -1;
		len += r;
		total += r;
	}
	*bytes = total;
	return now() - t0;
}

static void cpu_model(char *out, size_t len)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");

	snprintf(out, len, "unknown CPU");
	while (f && fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && v) {
			snprintf(out, len, "%s", v + 2);
			out[strcspn(out, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000000;
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	int cpu = argc > 3 ? atoi(argv[3]) : sched_getcpu();
	double rate[2] = {0};
	char model[128];
	struct set *s;
	cpu_set_t cs;
	char *buf;
	size_t i;
	int e, k;

	if (n <= 0 || runs <= 0 || cpu < 0) {
		fprintf(stderr, "usage: %s [events [runs [cpu]]]\n", argv[0]);
		return 2;
	}
	CPU_ZERO(&cs);
	CPU_SET(cpu, &cs);
	if (sched_setaffinity(0, sizeof(cs), &cs)) {
		perror("sched_setaffinity");
		return 1;
	}
	s = malloc(sizeof(*s));
	buf = aligned_alloc(4096, BUF_LEN);
	if (!s || !buf) {
		perror("textenc");
		return 1;
	}
	for (i = 0; i < NPROCS; i++)
		if (proc_encode(i)) {
			fprintf(stderr, "textenc: cannot encode %s\n", procs[i].exe);
			return 1;
		}
	set_init(s);
	cpu_model(model, sizeof(model));
	printf("textenc: %ld events per run (read, write, openat, close of %zu processes), "
	       "best of %d runs, CPU %d (%s)\n",
	       n, NPROCS, runs, cpu, model);
	for (e = 0; e < 2; e++) {
		struct text_opts o = {.enriched = e, .id_name = bench_name};
		double best = 0;
		uint64_t bytes = 0;

		for (k = 0; k < runs; k++) {
			double t = run(s, buf, n, &o, &bytes);

			if (t < 0) {
				fprintf(stderr, "textenc: text_encode_event failed\n");
				return 1;
			}
			if (!k || t < best)
				best = t;
		}
		rate[e] = n / best;
		printf("%-8s  %6.2f M events/s  %6.1f ns/event  %6.1f bytes/event  %5.2f GB/s\n",
		       e ? "ENRICHED" : "RAW", rate[e] / 1e6, best * 1e9 / n, (double)bytes / n,
		       bytes / best / 1e9);
	}
	printf("text_encode_event: RAW %.2f M events/s, ENRICHED %.2f M events/s on one CPU (%s)\n",
	       rate[0] / 1e6, rate[1] / 1e6, model);
	free(buf);
	free(s);
	return 0;
}
