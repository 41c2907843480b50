/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A plugin for the dispatcher's tests: reads the events on its standard input
 * as auditd's plugins do, checks them, and appends to OUT one line per whole
 * event ("E SERIAL NRECORDS"), then at exit "BAD N" (records out of place: a
 * syscall record whose stamp is not its event's, an EOE that ends nothing) and
 * "END".  An event is whole once its EOE record came with the event's stamp, or
 * it is a single DAEMON_ record.  On SIGTERM it writes what it read whole, and
 * exits; at end of input too.
 *
 * usage: plugin_reader OUT [string|binary|stall|slow]
 *   string: text lines (format = string); binary: struct audit_dispatcher_header
 *   and its message (format = binary); stall: reads nothing until SIGTERM;
 *   slow: string, 4 KiB a millisecond at most.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MSG_MAX	  8970 /* MAX_AUDIT_MESSAGE_LENGTH */
#define AUDIT_EOE 1320

struct dheader {
	uint32_t ver, hlen, type, size;
};

static volatile sig_atomic_t stop;
static FILE *out;
static char cur[64]; /* the open event's stamp */
static unsigned long records, bad;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* "SEC.MSEC:SERIAL" of msg=audit(...) in @line, into @st. */
static int stamp_of(const char *line, char *st, size_t size)
{
	const char *p = strstr(line, "audit("), *e;

	if (!p)
		return -1;
	p += 6;
	e = strchr(p, ')');
	if (!e || (size_t)(e - p) >= size)
		return -1;
	memcpy(st, p, (size_t)(e - p));
	st[e - p] = '\0';
	return 0;
}

/* One record: @type its name ("EOE", "SYSCALL"...), @line holding its stamp. */
static void record(const char *type, const char *line)
{
	char st[64];

	if (stamp_of(line, st, sizeof(st))) {
		bad++;
		return;
	}
	if (!strncmp(type, "DAEMON_", 7)) {
		if (cur[0])
			bad++;
		fprintf(out, "E %s 1\n", strchr(st, ':') + 1);
		return;
	}
	if (!strcmp(type, "EOE")) {
		if (!cur[0] || strcmp(cur, st)) {
			bad++;
		} else {
			fprintf(out, "E %s %lu\n", strchr(st, ':') + 1, records);
		}
		cur[0] = '\0';
		records = 0;
		return;
	}
	if (!cur[0])
		snprintf(cur, sizeof(cur), "%s", st);
	else if (strcmp(cur, st))
		bad++;
	records++;
}

static void text_line(char *line)
{
	char type[64];
	char *t = line;
	size_t n;

	if (!strncmp(t, "node=", 5)) {
		t = strchr(t, ' ');
		t = t ? t + 1 : line;
	}
	if (strncmp(t, "type=", 5)) {
		bad++;
		return;
	}
	t += 5;
	n = strcspn(t, " ");
	snprintf(type, sizeof(type), "%.*s", (int)(n < 63 ? n : 63), t);
	record(type, line);
}

static ssize_t read_full(char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(0, buf + got, len - got);
		if (n < 0 && errno == EINTR) {
			if (stop)
				return -1;
			continue;
		}
		if (n <= 0)
			return got ? -1 : 0;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static void run_binary(void)
{
	static char msg[MSG_MAX + 1];
	struct dheader h;
	char *t;

	while (!stop && read_full((char *)&h, sizeof(h)) == sizeof(h)) {
		if (h.hlen != sizeof(h) || h.size > MSG_MAX || read_full(msg, MSG_MAX) != MSG_MAX) {
			bad++;
			break;
		}
		msg[h.size] = '\0';
		if (h.ver == 1) {
			text_line(msg);
		} else if (h.type == AUDIT_EOE) {
			record("EOE", msg);
		} else if (h.type >= 1200 && h.type < 1300) {
			record("DAEMON_", msg);
		} else {
			t = msg;
			record("SYSCALL", t);
		}
	}
}

static void run_string(int slow)
{
	static char buf[1 << 20];
	size_t have = 0, want;
	char *line, *nl;
	ssize_t n;

	while (!stop) {
		want = sizeof(buf) - 1 - have;
		if (slow) {
			usleep(1000);
			want = want < 4096 ? want : 4096;
		}
		n = read(0, buf + have, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		line = buf;
		while ((nl = memchr(line, '\n', have - (size_t)(line - buf)))) {
			*nl = '\0';
			text_line(line);
			line = nl + 1;
		}
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
		fflush(out);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	const char *mode = argc > 2 ? argv[2] : "string";

	if (argc < 2)
		return 2;
	out = fopen(argv[1], "a");
	if (!out)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	fprintf(out, "START %d\n", getpid());
	fflush(out);
	if (!strcmp(mode, "stall")) {
		while (!stop)
			pause();
	} else if (!strcmp(mode, "binary")) {
		run_binary();
	} else {
		run_string(!strcmp(mode, "slow"));
	}
	fprintf(out, "BAD %lu\nEND\n", bad);
	fclose(out);
	return 0;
}
