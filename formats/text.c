/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * auditd's text records, written without printf: the encoder sits on the hot
 * path of every captured syscall.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <libaudit.h>
#include <sys/socket.h>

#include "formats/text.h"
#include "formats/text_buf.h"
#include "formats/text_path.h"
#include "formats/wire.h"

int text_encode_untrusted(char *buf, size_t cap, const char *s, size_t len)
{
	struct tb b = {buf, buf + cap};

	tb_untrusted(&b, s, len);
	return b.p ? (int)(b.p - buf) : -ENOSPC;
}

/*
 * What every record of an event repeats after its type, " msg=audit(SEC.MSEC:SERIAL): ",
 * written once an event; and the options, for the node= in front of it.
 */
struct stamp {
	const struct text_opts *o;
	size_t len;
	char s[80];
};

static void stamp_init(struct stamp *sx, const struct text_stamp *st, const struct text_opts *o)
{
	char *q = sx->s;

	sx->o = o;
	q = tq_lit(q, " msg=audit(");
	q = tq_u64(q, st->sec);
	*q++ = '.';
	if (st->msec < 1000) {
		/* three digits, zeros in front */
		q[0] = '0' + st->msec / 100;
		memcpy(q + 1, tb_pairs + 2 * (st->msec % 100), 2);
		q += 3;
	} else {
		q = tq_u64(q, st->msec % 1000);
	}
	*q++ = ':';
	q = tq_u64(q, st->serial);
	q = tq_lit(q, "): ");
	sx->len = q - sx->s;
}

/* A record's start: [node=NODE ]type=TYPE msg=audit(...): */
static void tb_stamp_n(struct tb *b, const char *type, size_t len, const struct stamp *sx)
{
	char *q;

	if (sx->o && sx->o->node) {
		tb_lit(b, "node=");
		tb_str(b, sx->o->node);
		tb_lit(b, " ");
	}
	q = tb_reserve(b, 5 + len + sx->len);
	if (!q)
		return;
	q = tq_lit(q, "type=");
	tb_copy(q, type, len);
	tb_copy(q + len, sx->s, sx->len);
}

/* tb_stamp(b, "TYPE", sx): the start of a record of a literal type */
#define tb_stamp(b, type, sx) tb_stamp_n(b, type, sizeof(type) - 1, sx)

/* A C string of at most @max bytes (comm, tty) as an untrusted string. */
static void tb_untrusted_fixed(struct tb *b, const char *s, size_t max)
{
	tb_untrusted(b, s, strnlen(s, max));
}

static void tb_id_name(struct tb *b, const char *field, uint32_t id, int group,
		       const struct text_opts *o)
{
	const char *name = NULL;

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
	int compat = (ev->nr & LA_NR_COMPAT) != 0;
	const char *name =
		audit_syscall_to_name(ev->nr & ~LA_NR_COMPAT, compat ? MACH_X86 : MACH_86_64);

	static const struct {
		const char *field;
		size_t off;
		int group;
	} ids[] = {
		{" AUID", offsetof(struct la_event, auid), 0},
		{" UID", offsetof(struct la_event, uid), 0},
		{" GID", offsetof(struct la_event, gid), 1},
		{" EUID", offsetof(struct la_event, euid), 0},
		{" SUID", offsetof(struct la_event, suid), 0},
		{" FSUID", offsetof(struct la_event, fsuid), 0},
		{" EGID", offsetof(struct la_event, egid), 1},
		{" SGID", offsetof(struct la_event, sgid), 1},
		{" FSGID", offsetof(struct la_event, fsgid), 1},
	};
	unsigned int i;

	if (compat)
		tb_lit(b, "\x1d"
			  "ARCH=i386 SYSCALL=");
	else
		tb_lit(b, "\x1d"
			  "ARCH=x86_64 SYSCALL=");
	if (name)
		tb_str(b, name);
	else
		tb_u64(b, (uint32_t)ev->nr & ~LA_NR_COMPAT);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		uint32_t id;

		memcpy(&id, (const char *)ev + ids[i].off, sizeof(id));
		tb_id_name(b, ids[i].field, id, ids[i].group, o);
	}
}

/*
 * The cache filter's totals (struct la_merge): merged= further syscalls of the
 * class on the object, merged_us= microseconds from the first's entry to the
 * last's exit, merged_bytes= the sum of the successful ones' returns and
 * merged_failed= how many failed (both of all, the first included), and
 * merged_close=1 when the descriptor's close is one of the merged.  An open's
 * record that the reads or writes on its descriptor joined says which with
 * merged_flow=read or write, and merged_flow_us= from its entry to the first
 * one's; merged_bytes= and merged_failed= are then theirs (and the close's).
 */
static void tb_merged(struct tb *b, const struct la_event *ev)
{
	const struct la_item *it = wire_item(ev, LA_IT_MERGE, NULL);
	struct la_merge m;

	/* a log written before `closed` has the first four fields only, before `flow` five */
	if (!it || it->len < offsetof(struct la_merge, closed))
		return;
	memset(&m, 0, sizeof(m));
	memcpy(&m, wire_payload(it), it->len < sizeof(m) ? it->len : sizeof(m));
	if (!m.merged)
		return;
	tb_lit(b, " merged=");
	tb_u64(b, m.merged);
	tb_lit(b, " merged_us=");
	tb_u64(b, m.last_exit > ev->ts_enter ? (m.last_exit - ev->ts_enter) / 1000 : 0);
	tb_lit(b, " merged_bytes=");
	tb_u64(b, m.bytes);
	tb_lit(b, " merged_failed=");
	tb_u64(b, m.failed);
	if (m.closed)
		tb_lit(b, " merged_close=1");
	if (m.flow == LA_FLOW_READ || m.flow == LA_FLOW_WRITE) {
		if (m.flow == LA_FLOW_READ)
			tb_lit(b, " merged_flow=read");
		else
			tb_lit(b, " merged_flow=write");
		tb_lit(b, " merged_flow_us=");
		tb_u64(b, m.flow_enter > ev->ts_enter ? (m.flow_enter - ev->ts_enter) / 1000 : 0);
	}
}

/* AUDIT_ARCH_X86_64 and, for a 32-bit syscall (LA_NR_COMPAT), AUDIT_ARCH_I386, as auditd prints them */
#define TEXT_ARCH      "c000003e"
#define TEXT_ARCH_I386 "40000003"

/* SYSCALL's fields from arch= to fsgid=: at most 22 + 38 + 4 * 20 + 13 * 27 bytes */
#define SYSCALL_NUMBERS_MAX 512

/* The last id tq_id() wrote: where its digits are. */
struct tq_last {
	uint32_t v;
	const char *p; /* NULL: none yet */
	unsigned int n;
};

/*
 * An id at @q: the digits of the last one copied when it is the same (a
 * process's uids and gids mostly are), else written.  Return: where it ends.
 */
static inline __attribute__((always_inline)) char *tq_id(char *q, uint32_t v, struct tq_last *l)
{
	if (l->p && v == l->v) {
		tb_copy(q, l->p, l->n);
	} else {
		l->v = v;
		l->n = tb_digits(v);
		tb_u32_at(q, v, l->n);
	}
	l->p = q;
	return q + l->n;
}

static void tb_syscall(struct tb *b, const struct la_event *ev, unsigned int items,
		       const struct text_ident *id, const char *key, const struct text_opts *o)
{
	char tmp[SYSCALL_NUMBERS_MAX];
	char *start = tb_open(b, sizeof(tmp), tmp), *q = start;
	struct tq_last ids = {0, NULL, 0};

	if (ev->nr & LA_NR_COMPAT)
		q = tq_lit(q, "arch=" TEXT_ARCH_I386 " syscall=");
	else
		q = tq_lit(q, "arch=" TEXT_ARCH " syscall=");
	q = tq_u64(q, (uint32_t)ev->nr & ~LA_NR_COMPAT);
	/* The kernel leaves these out when the syscall never returned (exit_group). */
	if (!(ev->flags & LA_F_NORETURN)) {
		/* is_syscall_success(): a return in [-MAX_ERRNO, -1] is a failure */
		if (ev->ret < 0 && ev->ret >= -4095)
			q = tq_lit(q, " success=no exit=");
		else
			q = tq_lit(q, " success=yes exit=");
		q = tq_s64(q, ev->ret);
	}
	q = tq_lit(q, " a0=");
	q = tq_hex(q, ev->args[0]);
	q = tq_lit(q, " a1=");
	q = tq_hex(q, ev->args[1]);
	q = tq_lit(q, " a2=");
	q = tq_hex(q, ev->args[2]);
	q = tq_lit(q, " a3=");
	q = tq_hex(q, ev->args[3]);
	q = tq_lit(q, " items=");
	q = tq_u64(q, items);
	q = tq_lit(q, " ppid=");
	q = tq_u64(q, ev->ppid);
	q = tq_lit(q, " pid=");
	q = tq_u64(q, ev->pid);
	q = tq_lit(q, " auid=");
	q = tq_id(q, ev->auid, &ids);
	q = tq_lit(q, " uid=");
	q = tq_id(q, ev->uid, &ids);
	q = tq_lit(q, " gid=");
	q = tq_id(q, ev->gid, &ids);
	q = tq_lit(q, " euid=");
	q = tq_id(q, ev->euid, &ids);
	q = tq_lit(q, " suid=");
	q = tq_id(q, ev->suid, &ids);
	q = tq_lit(q, " fsuid=");
	q = tq_id(q, ev->fsuid, &ids);
	q = tq_lit(q, " egid=");
	q = tq_id(q, ev->egid, &ids);
	q = tq_lit(q, " sgid=");
	q = tq_id(q, ev->sgid, &ids);
	q = tq_lit(q, " fsgid=");
	q = tq_id(q, ev->fsgid, &ids);
	tb_close(b, start, q, tmp);
	tb_lit(b, " tty=");
	/* the kernel names ttys; still, nothing in a record may end a field or a line */
	if (ev->tty[0])
		tb_printable(b, ev->tty, strnlen(ev->tty, sizeof(ev->tty)));
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
	tb_merged(b, ev);
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

/* dev_t as the kernel prints it: %02x:%02x of major (12 bits) and minor (20 bits). */
static void tb_dev(struct tb *b, uint32_t dev)
{
	uint32_t major = dev >> 20, minor = dev & 0xfffff;

	if (major < 16)
		tb_lit(b, "0");
	tb_hex(b, major);
	tb_lit(b, ":");
	if (minor < 16)
		tb_lit(b, "0");
	tb_hex(b, minor);
}

static void tb_path(struct tb *b, const struct stamp *sx, unsigned int item,
		    const struct path_rec *r, const struct text_opts *o)
{
	tb_stamp(b, "PATH", sx);
	tb_lit(b, "item=");
	tb_u64(b, item);
	tb_lit(b, " name=");
	if (r->name)
		tb_untrusted(b, r->name, r->len);
	else
		tb_lit(b, "(null)");
	if (r->ino) {
		tb_lit(b, " inode=");
		tb_u64(b, r->ino->ino);
		tb_lit(b, " dev=");
		tb_dev(b, r->ino->dev);
		/* %#ho: octal with a leading 0 */
		tb_lit(b, " mode=0");
		tb_octal(b, r->ino->mode);
		tb_lit(b, " ouid=");
		tb_u64(b, r->ino->uid);
		tb_lit(b, " ogid=");
		tb_u64(b, r->ino->gid);
		tb_lit(b, " rdev=");
		tb_dev(b, r->ino->rdev);
	}
	tb_lit(b, " nametype=");
	tb_str(b, r->nametype);
	if (r->noeval)
		tb_lit(b, " cap_fe=? cap_fver=? cap_fp=? cap_fi=?");
	else
		tb_lit(b, " cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0");
	if (r->ino && o && o->enriched) {
		tb_lit(b, "\x1d");
		tb_id_name(b, "OUID", r->ino->uid, 0, o);
		tb_id_name(b, " OGID", r->ino->gid, 1, o);
	}
	tb_lit(b, "\n");
}

/* Address family names as auparse interprets saddr_fam, by number. */
static const char *const sock_families[] = {
	[1] = "local",	   [2] = "inet",      [3] = "ax25",	  [4] = "ipx",
	[5] = "appletalk", [6] = "netrom",    [7] = "bridge",	  [8] = "atmpvc",
	[9] = "x25",	   [10] = "inet6",    [11] = "rose",	  [12] = "decnet",
	[13] = "netbeui",  [14] = "security", [15] = "key",	  [16] = "netlink",
	[17] = "packet",   [18] = "ash",      [19] = "econet",	  [20] = "atmsvc",
	[21] = "rds",	   [22] = "sna",      [23] = "irda",	  [24] = "pppox",
	[25] = "wanpipe",  [26] = "llc",      [27] = "ib",	  [28] = "mpls",
	[29] = "can",	   [30] = "tipc",     [31] = "bluetooth", [32] = "iucv",
	[33] = "rxrpc",	   [34] = "isdn",     [35] = "phonet",	  [36] = "ieee802154",
	[37] = "caif",	   [38] = "alg",      [39] = "nfc",	  [40] = "vsock",
	[41] = "kcm",	   [42] = "qipcrtr",  [43] = "smc",	  [44] = "xdp",
};

static uint32_t le32_at(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * ENRICHED's SADDR=: auparse's reading of the address, with its minimum
 * lengths (as the real auditd 3.0.9 writes them).
 */
static void tb_sockaddr_enriched(struct tb *b, const unsigned char *sa, size_t len)
{
	unsigned int fam = len >= 2 ? sa[0] | sa[1] << 8 : 0;
	char ip[INET6_ADDRSTRLEN];

	if (fam >= sizeof(sock_families) / sizeof(sock_families[0]) || !sock_families[fam]) {
		tb_lit(b, "\x1dSADDR=unknown-family(");
		tb_u64(b, fam);
		tb_lit(b, ")");
		return;
	}
	tb_lit(b, "\x1dSADDR={ saddr_fam=");
	tb_str(b, sock_families[fam]);
	if (fam == AF_INET || fam == AF_INET6) {
		int v6 = fam == AF_INET6;

		if (len < (v6 ? 28 : 16)) {
			tb_str(b, v6 ? " sockaddr6 len too short }" : " sockaddr len too short }");
			return;
		}
		tb_lit(b, " laddr=");
		tb_str(b, inet_ntop(fam, sa + (v6 ? 8 : 4), ip, sizeof(ip)));
		tb_lit(b, " lport=");
		tb_u64(b, sa[2] << 8 | sa[3]);
	} else if (fam == AF_UNIX) {
		const char *path = (const char *)sa + 2;
		size_t n = len - 2;

		if (len < 4) {
			tb_lit(b, " sockaddr len too short }");
			return;
		}
		/* an abstract name (a leading NUL) is printed without it */
		if (!path[0]) {
			path++;
			n--;
		}
		tb_lit(b, " path=");
		tb_printable(b, path, strnlen(path, n));
	} else if (fam == AF_NETLINK) {
		if (len < 12) {
			tb_lit(b, " len too short }");
			return;
		}
		tb_lit(b, " nlnk-fam=");
		tb_u64(b, fam);
		tb_lit(b, " nlnk-pid=");
		tb_u64(b, le32_at(sa + 4));
	} else {
		tb_lit(b, " (unsupported)");
	}
	tb_lit(b, " }");
}

static void tb_sockaddr(struct tb *b, const struct stamp *sx, const struct la_item *it,
			const struct text_opts *o)
{
	const unsigned char *sa = (const unsigned char *)wire_payload(it);

	tb_stamp(b, "SOCKADDR", sx);
	tb_lit(b, "saddr=");
	tb_hexbytes(b, sa, it->len);
	if (o && o->enriched)
		tb_sockaddr_enriched(b, sa, it->len);
	tb_lit(b, "\n");
}

static void tb_objpid(struct tb *b, const struct stamp *sx, const struct la_objpid *op,
		      const struct text_opts *o)
{
	tb_stamp(b, "OBJ_PID", sx);
	tb_lit(b, "opid=");
	tb_s64(b, (int32_t)op->pid);
	tb_lit(b, " oauid=");
	tb_s64(b, (int32_t)op->auid);
	tb_lit(b, " ouid=");
	tb_s64(b, (int32_t)op->uid);
	tb_lit(b, " oses=");
	tb_s64(b, (int32_t)op->ses);
	tb_lit(b, " ocomm=");
	tb_untrusted_fixed(b, op->comm, sizeof(op->comm));
	if (o && o->enriched) {
		tb_lit(b, "\x1d");
		tb_id_name(b, "OAUID", op->auid, 0, o);
		tb_id_name(b, " OUID", op->uid, 0, o);
	}
	tb_lit(b, "\n");
}

/* Up to 64-bit little-endian field of an open_how at @off. */
static uint64_t le64_at(const unsigned char *p, size_t len, size_t off)
{
	uint64_t v = 0;

	if (off + 8 <= len)
		memcpy(&v, p + off, 8);
	return v;
}

static void tb_openat2(struct tb *b, const struct stamp *sx, const struct la_item *it)
{
	const unsigned char *h = (const unsigned char *)wire_payload(it);

	tb_stamp(b, "OPENAT2", sx);
	tb_lit(b, "oflag=0");
	tb_octal(b, le64_at(h, it->len, 0));
	tb_lit(b, " mode=0");
	tb_octal(b, le64_at(h, it->len, 8));
	tb_lit(b, " resolve=0x");
	tb_hex(b, le64_at(h, it->len, 16));
	tb_lit(b, "\n");
}

/*
 * EXECVE records, split as the kernel's audit_log_execve_info() splits them: a
 * record holds at most EXECVE_LEN bytes of arguments; an argument that does not
 * fit what is left (or spans the kernel's 7500-byte read buffer) is written as
 * aN_len=LEN aN[0]=... continued in the next records as aN[1]=..., hex-encoded
 * when it spans records or holds a byte auditd escapes.
 */
#define EXECVE_LEN   7500
#define EXECVE_SLACK 96 /* the kernel's field-name buffer */

static void tb_execve(struct tb *b, const struct stamp *sx, const char *area, size_t len,
		      uint32_t argc)
{
	size_t off = 0, rem = EXECVE_LEN;
	uint32_t arg;

	tb_stamp(b, "EXECVE", sx);
	tb_lit(b, "argc=");
	tb_u64(b, argc);
	for (arg = 0; arg < argc && off < len; arg++) {
		const char *s = area + off;
		size_t slen = strnlen(s, len - off), left = slen, full;
		int span = slen >= EXECVE_LEN;
		int encode = span || needs_hex((const unsigned char *)s, slen);
		unsigned int iter = 0;

		full = encode ? slen * 2 : slen;
		off += slen + 1;
		do {
			size_t abuf = encode ? left * 2 : left + 2, n = left;

			if (EXECVE_SLACK + 8 > rem) {
				tb_lit(b, "\n");
				tb_stamp(b, "EXECVE", sx);
				rem = EXECVE_LEN;
			}
			if (span || iter || abuf + EXECVE_SLACK > rem) {
				char *h = b->p;

				if (!iter) {
					tb_lit(b, " a");
					tb_u64(b, arg);
					tb_lit(b, "_len=");
					tb_u64(b, full);
				}
				tb_lit(b, " a");
				tb_u64(b, arg);
				tb_lit(b, "[");
				tb_u64(b, iter++);
				tb_lit(b, "]=");
				if (b->p)
					rem -= b->p - h;
			} else {
				char *h = b->p;

				tb_lit(b, " a");
				tb_u64(b, arg);
				tb_lit(b, "=");
				if (b->p)
					rem -= b->p - h;
			}
			if (encode) {
				if (abuf > rem)
					n = rem / 2;
				tb_hexbytes(b, (const unsigned char *)s, n);
				rem -= n * 2;
			} else {
				if (abuf > rem)
					n = rem - 2;
				tb_lit(b, "\"");
				tb_mem(b, s, n);
				tb_lit(b, "\"");
				rem -= n + 2;
			}
			s += n;
			left -= n;
		} while (left && b->p);
	}
	tb_lit(b, "\n");
}

/*
 * The address auditd's SOCKADDR shows: the kernel logs one it copied in whole
 * (not an empty one, one it could not read, or one longer than a
 * sockaddr_storage, which it refuses), or the one it returned.
 */
static const struct la_item *sockaddr_of(const struct la_event *ev)
{
	const struct la_item *it = item_of(ev, LA_IT_SOCKADDR, LA_ARG_NONE);

	if (!it)
		it = item_of(ev, LA_IT_PEER, LA_ARG_NONE);
	if (!it || !it->len || (it->kind == LA_IT_SOCKADDR && (it->flags & LA_IF_TRUNC)))
		return NULL;
	return it;
}

static uint32_t argc_of(const struct la_event *ev, const struct la_item *argv)
{
	const struct la_item *it = item_of(ev, LA_IT_ARGC, LA_ARG_NONE);
	uint32_t argc = 0, i;

	if (it && it->len >= sizeof(argc)) {
		memcpy(&argc, wire_payload(it), sizeof(argc));
		return argc;
	}
	for (i = 0; i < argv->len; i++)
		argc += !wire_payload(argv)[i];
	return argc;
}

/* A kind's bit in item_kinds()'s mask (kinds from 31 on share the last bit). */
#define KIND(k) (1u << ((k) < 31 ? (k) : 31))

/* The kinds of @ev's items, one bit each: one walk, not one a lookup. */
static uint32_t item_kinds(const struct la_event *ev)
{
	const char *p = (const char *)(ev + 1), *end = (const char *)ev + ev->size;
	uint32_t kinds = 0;

	while (p < end) {
		const struct la_item *it = (const void *)p;

		kinds |= KIND(it->kind);
		p += sizeof(*it) + LA_ALIGN(it->len);
	}
	return kinds;
}

int text_encode_event(char *buf, size_t cap, const struct la_event *ev, const struct text_stamp *st,
		      const struct text_ident *id, const char *key, const struct text_opts *o)
{
	struct tb b = {buf, buf + cap};
	const struct la_item *it;
	struct path_set ps;
	struct stamp sx;
	unsigned int i;
	uint32_t kinds;

	if (ev->kind != LA_EV_SYSCALL)
		return -EINVAL;
	kinds = item_kinds(ev);
	text_path_records(&ps, ev, id);
	stamp_init(&sx, st, o);
	tb_stamp(&b, "SYSCALL", &sx);
	tb_syscall(&b, ev, ps.n, id, key, o);
	/* the kernel's order: the syscall's own record, SOCKADDR, FD_PAIR, OBJ_PID, CWD, PATH */
	if (ev->nr == NR_OPENAT2 && (kinds & KIND(LA_IT_OPENHOW)) &&
	    (it = item_of(ev, LA_IT_OPENHOW, LA_ARG_NONE)))
		tb_openat2(&b, &sx, it);
	if (ev->nr == NR_MMAP && !(ev->args[3] & 0x20 /* MAP_ANONYMOUS */)) {
		tb_stamp(&b, "MMAP", &sx);
		tb_lit(&b, "fd=");
		tb_s64(&b, (int32_t)ev->args[4]);
		tb_lit(&b, " flags=0x");
		tb_hex(&b, (uint32_t)ev->args[3]);
		tb_lit(&b, "\n");
	}
	if ((kinds & KIND(LA_IT_ARGV)) && (it = item_of(ev, LA_IT_ARGV, LA_ARG_NONE)))
		tb_execve(&b, &sx, wire_payload(it), it->len, argc_of(ev, it));
	if ((kinds & (KIND(LA_IT_SOCKADDR) | KIND(LA_IT_PEER))) && (it = sockaddr_of(ev)))
		tb_sockaddr(&b, &sx, it, o);
	if ((ev->nr == NR_PIPE || ev->nr == NR_PIPE2 || ev->nr == NR_SOCKETPAIR) && !ev->ret &&
	    (kinds & KIND(LA_IT_FDS)) && (it = item_of(ev, LA_IT_FDS, LA_ARG_NONE)) &&
	    it->len >= 8) {
		int32_t fds[2];

		memcpy(fds, wire_payload(it), sizeof(fds));
		tb_stamp(&b, "FD_PAIR", &sx);
		tb_lit(&b, "fd0=");
		tb_s64(&b, fds[0]);
		tb_lit(&b, " fd1=");
		tb_s64(&b, fds[1]);
		tb_lit(&b, "\n");
	}
	if ((kinds & KIND(LA_IT_OBJPID)) && (it = item_of(ev, LA_IT_OBJPID, LA_ARG_NONE)) &&
	    it->len >= sizeof(struct la_objpid))
		tb_objpid(&b, &sx, (const void *)wire_payload(it), o);
	if ((kinds & KIND(LA_IT_CWD)) && (it = item_of(ev, LA_IT_CWD, LA_ARG_NONE))) {
		tb_stamp(&b, "CWD", &sx);
		tb_lit(&b, "cwd=");
		tb_untrusted(&b, wire_payload(it), it->len);
		tb_lit(&b, "\n");
	}
	for (i = 0; i < ps.n; i++)
		tb_path(&b, &sx, i, &ps.r[i], o);
	tb_stamp(&b, "PROCTITLE", &sx);
	tb_proctitle(&b, id);
	return b.p ? (int)(b.p - buf) : -ENOSPC;
}

/* Field @name in space-separated @fields, its value as a number: where it is, NULL when absent. */
static const char *field_u32(const char *fields, const char *name, uint32_t *out)
{
	size_t n = strlen(name);
	const char *p = fields;

	for (;;) {
		if (!strncmp(p, name, n) && p[n] == '=') {
			char *end;
			long long v = strtoll(p + n + 1, &end, 10);

			if (end == p + n + 1)
				return NULL;
			*out = (uint32_t)v;
			return p;
		}
		p = strchr(p, ' ');
		if (!p)
			return NULL;
		p++;
	}
}

int text_encode_daemon(char *buf, size_t cap, const char *type, const struct text_stamp *st,
		       const char *fields, const struct text_opts *o)
{
	struct tb b = {buf, buf + cap};
	const char *a, *u;
	uint32_t auid, uid;
	struct stamp sx;

	stamp_init(&sx, st, o);
	tb_stamp_n(&b, type, strlen(type), &sx);
	tb_str(&b, fields);
	/* auditd interprets the auid and uid of the daemon's records, in their order */
	a = o && o->enriched ? field_u32(fields, "auid", &auid) : NULL;
	u = o && o->enriched ? field_u32(fields, "uid", &uid) : NULL;
	if (a || u)
		tb_lit(&b, "\x1d");
	if (u && (!a || u < a))
		tb_id_name(&b, "UID", uid, 0, o);
	if (a)
		tb_id_name(&b, u && u < a ? " AUID" : "AUID", auid, 0, o);
	if (u && a && a < u)
		tb_id_name(&b, " UID", uid, 0, o);
	tb_lit(&b, "\n");
	return b.p ? (int)(b.p - buf) : -ENOSPC;
}
