/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * auditd's text records, written without printf: the encoder sits on the hot
 * path of every captured syscall.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <libaudit.h>

#include "formats/event.h"
#include "formats/text.h"

/* An output cursor; p becomes NULL once the buffer is exhausted. */
struct tb {
	char *p;
	char *end;
};

/* Room for @n bytes: where they go, or NULL (and the cursor spent) when there is none. */
static inline __attribute__((always_inline)) char *tb_reserve(struct tb *b, size_t n)
{
	char *p = b->p;

	if (__builtin_expect(!p || (size_t)(b->end - p) < n, 0)) {
		b->p = NULL;
		return NULL;
	}
	b->p = p + n;
	return p;
}

static inline __attribute__((always_inline)) void tb_mem(struct tb *b, const char *s, size_t n)
{
	char *p = tb_reserve(b, n);

	if (p)
		memcpy(p, s, n);
}

#define tb_lit(b, s) tb_mem(b, s, sizeof(s) - 1)

static void tb_str(struct tb *b, const char *s)
{
	tb_mem(b, s, strlen(s));
}

static const char tb_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

static inline __attribute__((always_inline)) unsigned int tb_digits(uint64_t v)
{
	unsigned int n = 1;

	while (v >= 10000) {
		v /= 10000;
		n += 4;
	}
	if (v >= 1000)
		return n + 3;
	if (v >= 100)
		return n + 2;
	return v >= 10 ? n + 1 : n;
}

/* Decimal, written in place two digits a step: no copy, no call. */
static inline __attribute__((always_inline)) void tb_u64(struct tb *b, uint64_t v)
{
	unsigned int n = tb_digits(v);
	char *q = tb_reserve(b, n);

	if (!q)
		return;
	q += n;
	while (v >= 100) {
		unsigned int r = v % 100;

		v /= 100;
		q -= 2;
		q[0] = tb_pairs[2 * r];
		q[1] = tb_pairs[2 * r + 1];
	}
	if (v >= 10) {
		q[-2] = tb_pairs[2 * v];
		q[-1] = tb_pairs[2 * v + 1];
	} else {
		q[-1] = '0' + v;
	}
}

static void tb_s64(struct tb *b, int64_t v)
{
	if (v < 0) {
		tb_lit(b, "-");
		tb_u64(b, -(uint64_t)v);
	} else {
		tb_u64(b, v);
	}
}

static inline __attribute__((always_inline)) void tb_hex(struct tb *b, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int n = v ? (67 - __builtin_clzll(v)) / 4 : 1;
	char *q = tb_reserve(b, n);

	if (!q)
		return;
	q += n;
	do {
		*--q = digits[v & 15];
		v >>= 4;
	} while (v);
}

static int needs_hex(const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '"' || s[i] < 0x21 || s[i] > 0x7e)
			return 1;
	return 0;
}

/* auditd's audit_log_n_untrustedstring(): quoted, or uppercase hex. */
static void tb_untrusted(struct tb *b, const char *s, size_t len)
{
	static const char digits[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	char *q;
	size_t i;

	if (!needs_hex(u, len)) {
		tb_lit(b, "\"");
		tb_mem(b, s, len);
		tb_lit(b, "\"");
		return;
	}
	q = tb_reserve(b, 2 * len);
	for (i = 0; q && i < len; i++) {
		*q++ = digits[u[i] >> 4];
		*q++ = digits[u[i] & 15];
	}
}

int text_encode_untrusted(char *buf, size_t cap, const char *s, size_t len)
{
	struct tb b = {buf, buf + cap};

	tb_untrusted(&b, s, len);
	return b.p ? (int)(b.p - buf) : -ENOSPC;
}

static void tb_stamp(struct tb *b, const char *type, const struct text_stamp *st,
		     const struct text_opts *o)
{
	if (o && o->node) {
		tb_lit(b, "node=");
		tb_str(b, o->node);
		tb_lit(b, " ");
	}
	tb_lit(b, "type=");
	tb_str(b, type);
	tb_lit(b, " msg=audit(");
	tb_u64(b, st->sec);
	tb_lit(b, ".");
	if (st->msec < 100)
		tb_lit(b, "0");
	if (st->msec < 10)
		tb_lit(b, "0");
	tb_u64(b, st->msec % 1000);
	tb_lit(b, ":");
	tb_u64(b, st->serial);
	tb_lit(b, "): ");
}

/* A C string of at most @max bytes (comm, tty) as an untrusted string. */
static void tb_untrusted_fixed(struct tb *b, const char *s, size_t max)
{
	tb_untrusted(b, s, strnlen(s, max));
}

static void tb_id_name(struct tb *b, const char *field, uint32_t id, int group,
		       const struct text_opts *o)
{
	const char *name = NULL;

	tb_lit(b, " ");
	tb_str(b, field);
	tb_lit(b, "=\"");
	if (id == (uint32_t)-1)
		name = "unset";
	else if (o->id_name)
		name = o->id_name(o->id_arg, id, group);
	if (name) {
		tb_str(b, name);
	} else {
		tb_lit(b, "unknown(");
		tb_u64(b, id);
		tb_lit(b, ")");
	}
	tb_lit(b, "\"");
}

static void tb_syscall_enriched(struct tb *b, const struct la_event *ev, const struct text_opts *o)
{
	const char *name = audit_syscall_to_name(ev->nr, MACH_86_64);

	tb_lit(b, "\x1d"
		  "ARCH=x86_64 SYSCALL=");
	if (name)
		tb_str(b, name);
	else
		tb_u64(b, (uint32_t)ev->nr);
	tb_id_name(b, "AUID", ev->auid, 0, o);
	tb_id_name(b, "UID", ev->uid, 0, o);
	tb_id_name(b, "GID", ev->gid, 1, o);
	tb_id_name(b, "EUID", ev->euid, 0, o);
	tb_id_name(b, "SUID", ev->suid, 0, o);
	tb_id_name(b, "FSUID", ev->fsuid, 0, o);
	tb_id_name(b, "EGID", ev->egid, 1, o);
	tb_id_name(b, "SGID", ev->sgid, 1, o);
	tb_id_name(b, "FSGID", ev->fsgid, 1, o);
}

/* x86-64's AUDIT_ARCH_X86_64, as auditd prints it. */
#define TEXT_ARCH "c000003e"

static void tb_syscall(struct tb *b, const struct la_event *ev, const struct text_ident *id,
		       const char *key, const struct text_opts *o)
{
	tb_lit(b, "arch=" TEXT_ARCH " syscall=");
	tb_u64(b, (uint32_t)ev->nr);
	/* The kernel leaves these out when the syscall never returned (exit_group). */
	if (!(ev->flags & LA_F_NORETURN)) {
		/* is_syscall_success(): a return in [-MAX_ERRNO, -1] is a failure */
		if (ev->ret < 0 && ev->ret >= -4095)
			tb_lit(b, " success=no exit=");
		else
			tb_lit(b, " success=yes exit=");
		tb_s64(b, ev->ret);
	}
	tb_lit(b, " a0=");
	tb_hex(b, ev->args[0]);
	tb_lit(b, " a1=");
	tb_hex(b, ev->args[1]);
	tb_lit(b, " a2=");
	tb_hex(b, ev->args[2]);
	tb_lit(b, " a3=");
	tb_hex(b, ev->args[3]);
	tb_lit(b, " items=0 ppid=");
	tb_u64(b, ev->ppid);
	tb_lit(b, " pid=");
	tb_u64(b, ev->pid);
	tb_lit(b, " auid=");
	tb_u64(b, ev->auid);
	tb_lit(b, " uid=");
	tb_u64(b, ev->uid);
	tb_lit(b, " gid=");
	tb_u64(b, ev->gid);
	tb_lit(b, " euid=");
	tb_u64(b, ev->euid);
	tb_lit(b, " suid=");
	tb_u64(b, ev->suid);
	tb_lit(b, " fsuid=");
	tb_u64(b, ev->fsuid);
	tb_lit(b, " egid=");
	tb_u64(b, ev->egid);
	tb_lit(b, " sgid=");
	tb_u64(b, ev->sgid);
	tb_lit(b, " fsgid=");
	tb_u64(b, ev->fsgid);
	tb_lit(b, " tty=");
	if (ev->tty[0])
		tb_mem(b, ev->tty, strnlen(ev->tty, sizeof(ev->tty)));
	else
		tb_lit(b, "(none)");
	tb_lit(b, " ses=");
	tb_u64(b, ev->ses);
	tb_lit(b, " comm=");
	tb_untrusted_fixed(b, ev->comm, sizeof(ev->comm));
	tb_lit(b, " exe=");
	if (id && id->exe_text)
		tb_mem(b, id->exe_text, id->exe_text_len);
	else if (id && id->exe)
		tb_untrusted(b, id->exe, id->exe_len);
	else
		tb_lit(b, "(null)");
	tb_lit(b, " key=");
	if (key)
		tb_untrusted(b, key, strlen(key));
	else
		tb_lit(b, "(null)");
	if (o && o->enriched)
		tb_syscall_enriched(b, ev, o);
	tb_lit(b, "\n");
}

/* The kernel's audit_log_proctitle(): trailing NULs trimmed, at most 128 bytes. */
static void tb_proctitle_value(struct tb *b, const char *title, size_t len)
{
	if (len > LA_PROCTITLE_MAX)
		len = LA_PROCTITLE_MAX;
	while (len && !title[len - 1])
		len--;
	if (!title || !len)
		tb_lit(b, "(null)");
	else
		tb_untrusted(b, title, len);
}

int text_encode_proctitle(char *buf, size_t cap, const char *title, size_t len)
{
	struct tb b = {buf, buf + cap};

	tb_proctitle_value(&b, title, title ? len : 0);
	return b.p ? (int)(b.p - buf) : -ENOSPC;
}

static void tb_proctitle(struct tb *b, const struct text_ident *id)
{
	tb_lit(b, "proctitle=");
	if (id && id->title_text)
		tb_mem(b, id->title_text, id->title_text_len);
	else if (id && id->title)
		tb_proctitle_value(b, id->title, id->title_len);
	else
		tb_lit(b, "(null)");
	tb_lit(b, "\n");
}

int text_encode_event(char *buf, size_t cap, const struct la_event *ev, const struct text_stamp *st,
		      const struct text_ident *id, const char *key, const struct text_opts *o)
{
	struct tb b = {buf, buf + cap};

	if (ev->kind != LA_EV_SYSCALL)
		return -EINVAL;
	tb_stamp(&b, "SYSCALL", st, o);
	tb_syscall(&b, ev, id, key, o);
	tb_stamp(&b, "PROCTITLE", st, o);
	tb_proctitle(&b, id);
	return b.p ? (int)(b.p - buf) : -ENOSPC;
}

int text_encode_daemon(char *buf, size_t cap, const char *type, const struct text_stamp *st,
		       const char *fields, const struct text_opts *o)
{
	struct tb b = {buf, buf + cap};

	tb_stamp(&b, type, st, o);
	tb_str(&b, fields);
	tb_lit(&b, "\n");
	return b.p ? (int)(b.p - buf) : -ENOSPC;
}
