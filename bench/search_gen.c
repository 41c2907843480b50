/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * search_gen: the log of bench/search.sh, a synthetic server workload written as
 * lauditd writes it in log_format = BINARY: rotated segments, the closed ones lz4
 * frames (audit.log.N.lz4), the newest plain (audit.log).
 *
 * 64 processes of 16 programs (uids 0 and 1000..1015), interleaved, at 1000
 * events per second from 1796000000 (2026-11-29 UTC): read 40%, write 30%, openat
 * 15% (a PATH and a CWD item, one name of 1,000,000; 10% of them fail with
 * ENOENT; key "file-access"), close 5%, connect 5% (an AF_INET sockaddr; key
 * "net"), fstat 4%, execve 1% (key "exec").  Ten events, one in each tenth of
 * the log, stand out: an openat of /etc/sudoers.d/zz-backdoor by pid 77777, uid
 * 4242, exe /tmp/.x/miner, key "tamper-etc".
 *
 * usage: search_gen [-n EVENTS] [-s EVENTS_PER_SEGMENT] [-t TEXT_EVENTS] [-1] DIR
 *   DIR/bin     the log (default 10,000,000 events, 1,000,000 a segment)
 *   DIR/bin-v1  with -1: the same blocks in format version 1 (no filters)
 *   DIR/sub     with -t: the first TEXT_EVENTS events as one binary segment...
 *   DIR/sub.txt ...and as the RAW text lauditd writes for them (for ausearch)
 * Prints the bytes per event of each.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lz4frame.h>
#include <zlib.h>

#include "formats/binary.h"
#include "formats/text.h"

#define T0     1796000000ULL
#define NPROC  64
#define NRARE  10
#define NPATHS 1000000

/* A file being written: a segment in memory, compressed when closed. */
struct out {
	unsigned char *buf;
	size_t len, cap;
	int v1; /* write blocks in version 1's layout */
	size_t total;
};

static int out_write(void *arg, const void *p, size_t len)
{
	struct out *o = arg;
	const unsigned char *b = p;
	size_t ilen;

	if (o->cap - o->len < len + 64) {
		size_t cap = o->cap ? o->cap : 1 << 24;
		unsigned char *q;

		while (cap - o->len < len + 64)
			cap *= 2;
		q = realloc(o->buf, cap);
		if (!q)
			return -ENOMEM;
		o->buf = q;
		o->cap = cap;
	}
	if (!o->v1 || len < 24) {
		memcpy(o->buf + o->len, p, len);
		o->len += len;
		return 0;
	}
	/* FORMAT.md: a segment header says version 1; a block loses its filter */
	memcpy(o->buf + o->len, p, len);
	b = o->buf + o->len;
	if (!memcmp(b, "\x89LAB", 4)) {
		unsigned char *h = o->buf + o->len;
		uLong c;

		h[8] = 1;
		c = crc32(0, h, 20);
		h[20] = c, h[21] = c >> 8, h[22] = c >> 16, h[23] = c >> 24;
		o->len += len;
		return 0;
	}
	ilen = b[4] | b[5] << 8;
	{
		unsigned char *h = o->buf + o->len;
		size_t dlen = len - 24 - ilen;
		uLong c;

		memmove(h + 24 + 112, h + 24 + ilen, dlen);
		h[4] = 112, h[5] = 0;
		c = crc32(0, h + 24, 112);
		h[16] = c, h[17] = c >> 8, h[18] = c >> 16, h[19] = c >> 24;
		c = crc32(0, h, 20);
		h[20] = c, h[21] = c >> 8, h[22] = c >> 16, h[23] = c >> 24;
		o->len += 24 + 112 + dlen;
	}
	return 0;
}

static int save(const char *path, const void *p, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(p, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Close segment @seq (1: the oldest) of @nseg in @dir: lz4 all but the newest. */
static int out_close(struct out *o, const char *dir, int seq, int nseg)
{
	char path[4096];
	size_t bound, zlen;
	void *z;
	int rc;

	o->total += o->len;
	if (seq == nseg) {
		snprintf(path, sizeof(path), "%s/audit.log", dir);
		rc = save(path, o->buf, o->len);
	} else {
		snprintf(path, sizeof(path), "%s/audit.log.%d.lz4", dir, nseg - seq);
		bound = LZ4F_compressFrameBound(o->len, NULL);
		z = malloc(bound);
		if (!z)
			return -1;
		zlen = LZ4F_compressFrame(z, bound, o->buf, o->len, NULL);
		rc = LZ4F_isError(zlen) ? -1 : save(path, z, zlen);
		free(z);
	}
	o->len = 0;
	return rc;
}

struct proc {
	uint32_t pid, uid, auid;
	const char *exe;
	uint64_t ts;
};

static const char *exes[16] = {
	"/usr/sbin/nginx",	   "/usr/bin/python3.11",   "/usr/lib/postgresql/15/bin/postgres",
	"/usr/bin/bash",	   "/usr/sbin/sshd",	    "/usr/bin/node",
	"/usr/sbin/cron",	   "/usr/bin/java",	    "/usr/sbin/rsyslogd",
	"/usr/bin/containerd",	   "/usr/bin/dockerd",	    "/usr/lib/systemd/systemd-journald",
	"/usr/sbin/haproxy",	   "/usr/bin/redis-server", "/usr/bin/memcached",
	"/usr/local/bin/backup.sh"};

static uint64_t g_rng = 88172645463325252ULL;

static uint32_t rnd(void)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return (uint32_t)(g_rng >> 16);
}

static void add_item(struct la_event *ev, unsigned int kind, unsigned int arg, const void *s,
		     size_t len)
{
	struct la_item *it = (struct la_item *)((char *)ev + ev->size);

	memset(it, 0, sizeof(*it) + LA_ALIGN(len));
	it->kind = kind;
	it->arg = arg;
	it->len = len;
	memcpy(it + 1, s, len);
	ev->size += sizeof(*it) + LA_ALIGN(len);
	ev->nitems++;
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* Event @i of @n into @ev and @r. */
static void gen(long i, long n, struct proc *procs, struct la_event *ev, struct log_record *r)
{
	static char path[128];
	const char *cwd = "/", *key = NULL;
	int rare = n >= NRARE && i % (n / NRARE) == n / NRARE / 2;
	struct proc *p = &procs[rnd() % NPROC], rp;
	uint32_t k = rnd() % 100;
	uint64_t wall = T0 * 1000 + (uint64_t)i; /* 1000 events a second */

	if (rare) {
		rp = (struct proc){77777, 4242, 4242, "/tmp/.x/miner", p->ts};
		p = &rp;
		k = 75; /* openat */
	}
	memset(ev, 0, sizeof(*ev));
	ev->size = sizeof(*ev);
	ev->kind = LA_EV_SYSCALL;
	ev->cpu = p->pid & 1;
	ev->ts_enter = p->ts + 1000 + rnd() % 5000;
	ev->ts_exit = ev->ts_enter + 300 + rnd() % 2000;
	p->ts = ev->ts_exit;
	ev->tid = ev->pid = p->pid;
	ev->ppid = 1;
	ev->auid = p->auid;
	ev->uid = ev->euid = ev->suid = ev->fsuid = p->uid;
	ev->gid = ev->egid = ev->sgid = ev->fsgid = p->uid;
	ev->ses = p->auid == 4294967295u ? 4294967295u : 3;
	ev->cgroup_id = 0x1000 + (p->pid & 15);
	ev->exec_id = 1;
	memcpy(ev->comm, base(p->exe), strnlen(base(p->exe), sizeof(ev->comm)));
	if (k < 40) {
		ev->nr = 0;
		ev->args[0] = 5 + rnd() % 8;
		ev->args[1] = 0x7f3a2c000000 + (rnd() % 64) * 4096;
		ev->args[2] = 4096;
		ev->ret = rnd() % 4097;
	} else if (k < 70) {
		ev->nr = 1;
		ev->args[0] = 5 + rnd() % 8;
		ev->args[1] = 0x7f3a2c000000 + (rnd() % 64) * 4096;
		ev->args[2] = 512;
		ev->ret = 512;
	} else if (k < 85) {
		ev->nr = 257;
		ev->args[0] = 0xffffff9c;
		ev->args[1] = 0x55d0a0000000 + rnd() % 65536;
		ev->args[2] = 0x80000;
		if (rare)
			snprintf(path, sizeof(path), "/etc/sudoers.d/zz-backdoor");
		else
			snprintf(path, sizeof(path), "/var/lib/app%u/data/%06u.db", rnd() % 20,
				 rnd() % (NPATHS / 20));
		ev->ret = rnd() % 10 ? (int64_t)(5 + rnd() % 8) : -2;
		cwd = p->pid & 2 ? "/var/lib" : "/";
		add_item(ev, LA_IT_PATH, 1, path, strlen(path));
		add_item(ev, LA_IT_CWD, LA_ARG_NONE, cwd, strlen(cwd));
		key = rare ? "tamper-etc" : "file-access";
	} else if (k < 90) {
		ev->nr = 3;
		ev->args[0] = 5 + rnd() % 8;
	} else if (k < 95) {
		static const unsigned char sin[16] = {2, 0, 0x1f, 0x90, 10, 0, 0, 7};

		ev->nr = 42;
		ev->args[0] = 5 + rnd() % 8;
		ev->args[1] = 0x7ffd00000000 + rnd() % 65536;
		ev->args[2] = 16;
		ev->ret = rnd() % 20 ? 0 : -111;
		add_item(ev, LA_IT_SOCKADDR, 1, sin, sizeof(sin));
		key = "net";
	} else if (k < 99) {
		ev->nr = 5;
		ev->args[0] = 5 + rnd() % 8;
		ev->args[1] = 0x7ffd00000000 + rnd() % 65536;
	} else {
		ev->nr = 59;
		ev->args[0] = 0x55d0a0000000 + rnd() % 65536;
		add_item(ev, LA_IT_PATH, 0, p->exe, strlen(p->exe));
		add_item(ev, LA_IT_CWD, LA_ARG_NONE, "/", 1);
		key = "exec";
	}
	memset(r, 0, sizeof(*r));
	r->kind = LOG_REC_EVENT;
	r->ev = ev;
	r->stamp.sec = wall / 1000;
	r->stamp.msec = wall % 1000;
	r->stamp.serial = (uint64_t)i + 1;
	r->ident.exe = p->exe;
	r->ident.exe_len = strlen(p->exe);
	r->ident.title = base(p->exe);
	r->ident.title_len = strlen(r->ident.title);
	r->key = key;
}

static struct bin_encoder *enc_new(struct out *o)
{
	struct bin_encoder_opts eo = {
		"bench-host", "6c1d5a0e-2f0b-4c8e-9a57-3d2f1b0c9e11", "6.18.0", 0, out_write, o};

	return bin_encoder_new(&eo);
}

static int mkdirs(const char *dir, const char *sub, char *out, size_t cap)
{
	snprintf(out, cap, "%s/%s", dir, sub);
	if (mkdir(out, 0755) && errno != EEXIST)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	long n = 10000000, per = 1000000, ntext = 0, i;
	static union {
		struct la_event ev;
		char b[4096];
	} u;
	static char text[TEXT_EVENT_MAX];
	char dbin[4096], dv1[4096], dsub[4096], path[4096];
	struct out ob = {0}, ov1 = {.v1 = 1}, osub = {0};
	struct bin_encoder *eb, *ev1 = NULL, *esub = NULL;
	struct proc procs[NPROC];
	struct log_record r;
	int opt, v1 = 0, seq = 1, nseg, rc = 0;
	FILE *txt = NULL;

	while ((opt = getopt(argc, argv, "n:s:t:1")) != -1) {
		if (opt == 'n')
			n = atol(optarg);
		else if (opt == 's')
			per = atol(optarg);
		else if (opt == 't')
			ntext = atol(optarg);
		else if (opt == '1')
			v1 = 1;
		else
			goto usage;
	}
	if (optind != argc - 1 || n <= 0 || per <= 0 || ntext < 0)
		goto usage;
	nseg = (int)((n + per - 1) / per);
	if ((mkdir(argv[optind], 0755) && errno != EEXIST) ||
	    mkdirs(argv[optind], "bin", dbin, sizeof(dbin)) ||
	    (v1 && mkdirs(argv[optind], "bin-v1", dv1, sizeof(dv1))) ||
	    (ntext && mkdirs(argv[optind], "sub", dsub, sizeof(dsub)))) {
		perror(argv[optind]);
		return 1;
	}
	if (ntext) {
		snprintf(path, sizeof(path), "%s/sub.txt", argv[optind]);
		txt = fopen(path, "w");
		if (!txt) {
			perror(path);
			return 1;
		}
	}
	for (i = 0; i < NPROC; i++) {
		procs[i].pid = 2000 + (uint32_t)i * 37;
		procs[i].uid = i < 8 ? 0 : 1000 + i % 16;
		procs[i].auid = i < 8 ? 4294967295u : procs[i].uid;
		procs[i].exe = exes[i % 16];
		procs[i].ts = 1000000000ULL * (i + 1);
	}
	eb = enc_new(&ob);
	if (v1)
		ev1 = enc_new(&ov1);
	if (ntext)
		esub = enc_new(&osub);
	if (!eb || (v1 && !ev1) || (ntext && !esub)) {
		perror("bin_encoder_new");
		return 1;
	}
	for (i = 0; i < n && !rc; i++) {
		gen(i, n, procs, &u.ev, &r);
		rc = bin_encode(eb, &r);
		if (!rc && ev1)
			rc = bin_encode(ev1, &r);
		if (!rc && i < ntext) {
			int len = text_encode_event(text, sizeof(text), r.ev, &r.stamp, &r.ident,
						    r.key, NULL);

			rc = bin_encode(esub, &r);
			if (len < 0 || fwrite(text, 1, len, txt) != (size_t)len)
				rc = -EIO;
		}
		if (!rc && (i + 1) % per == 0 && i + 1 < n) {
			/* rotation: the segment closed, the next one opened */
			rc = bin_flush(eb) || out_close(&ob, dbin, seq, nseg) || bin_segment(eb);
			if (!rc && ev1)
				rc = bin_flush(ev1) || out_close(&ov1, dv1, seq, nseg) ||
				     bin_segment(ev1);
			seq++;
		}
	}
	if (!rc)
		rc = bin_flush(eb) || out_close(&ob, dbin, seq, nseg);
	if (!rc && ev1)
		rc = bin_flush(ev1) || out_close(&ov1, dv1, seq, nseg);
	if (!rc && esub)
		rc = bin_flush(esub) || out_close(&osub, dsub, 1, 1);
	if (txt && fclose(txt))
		rc = -EIO;
	if (rc) {
		fprintf(stderr, "search_gen: writing failed (%d)\n", rc);
		return 1;
	}
	printf("events: %ld in %d segments; binary %.2f bytes/event before lz4", n, nseg,
	       (double)ob.total / n);
	if (v1)
		printf(", version 1 %.2f", (double)ov1.total / n);
	printf("\n");
	bin_encoder_free(eb);
	bin_encoder_free(ev1);
	bin_encoder_free(esub);
	free(ob.buf);
	free(ov1.buf);
	free(osub.buf);
	return 0;
usage:
	fprintf(stderr, "usage: search_gen [-n EVENTS] [-s EVENTS_PER_SEGMENT] [-t TEXT_EVENTS] "
			"[-1] DIR\n");
	return 2;
}
