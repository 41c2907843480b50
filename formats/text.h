/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * auditd's text log format (RAW, and ENRICHED's interpreted fields): records
 * encoded into a caller's buffer.  libc, libaudit's tables and the event structs only.
 */
#ifndef LAUDITD_FORMATS_TEXT_H
#define LAUDITD_FORMATS_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "ebpf/wire.h"

/* Largest text one syscall event can take (EXECVE splitting included). */
#define TEXT_EVENT_MAX (64 * 1024)

/* The stamp shared by an event's records: msg=audit(SEC.MSEC:SERIAL). */
struct text_stamp {
	uint64_t sec;
	uint32_t msec;
	uint64_t serial;
};

/* A process's identity, kept by the caller across records (exe, proctitle). */
struct text_ident {
	const char *exe; /* NULL: unknown, written as (null) */
	size_t exe_len;
	const char *title; /* argv area, NUL-separated; NULL: (null) */
	size_t title_len;
	/*
	 * Optional: the two already encoded (text_encode_untrusted(), title cut and
	 * trimmed as PROCTITLE wants, see text_encode_proctitle()), written as given.
	 */
	const char *exe_text;
	size_t exe_text_len;
	const char *title_text;
	size_t title_text_len;
};

/* Output options. */
struct text_opts {
	int enriched;	  /* log_format = ENRICHED */
	const char *node; /* name_format's node=NAME prefix; NULL: none */
	/* ENRICHED's user and group names: NULL when unknown ("unknown(N)" is written) */
	const char *(*id_name)(void *arg, uint32_t id, int group);
	void *id_arg;
};

/*
 * text_encode_event() - encode a syscall record as auditd's SYSCALL record then
 * PROCTITLE, each line ending in '\n'.
 * @buf, @cap: the output buffer.
 * @ev: the record as the ring carried it (header and items, ev->size bytes).
 * @st: its stamp; @id: the process's exe and proctitle; @key: rule key or NULL.
 *
 * Return: bytes written, or -ENOSPC when @cap is too small (nothing usable written),
 * or -EINVAL when @ev is malformed.
 */
int text_encode_event(char *buf, size_t cap, const struct la_event *ev, const struct text_stamp *st,
		      const struct text_ident *id, const char *key, const struct text_opts *o);

/*
 * text_encode_daemon() - a daemon record: "type=TYPE msg=audit(STAMP): FIELDS\n".
 * @type: e.g. "DAEMON_START"; @fields: the already formatted fields.
 * Return: bytes written, or -ENOSPC.
 */
int text_encode_daemon(char *buf, size_t cap, const char *type, const struct text_stamp *st,
		       const char *fields, const struct text_opts *o);

/*
 * text_encode_proctitle() - the value of PROCTITLE's proctitle= for an argv area:
 * cut at 128 bytes, trailing NULs trimmed, encoded as an untrusted string, or
 * (null).  Return: bytes written, or -ENOSPC.
 */
int text_encode_proctitle(char *buf, size_t cap, const char *title, size_t len);

/*
 * text_encode_untrusted() - a string as auditd writes untrusted strings: in
 * double quotes, or as uppercase hex when it holds '"', a byte below 0x21 or
 * above 0x7e.  Return: bytes written, or -ENOSPC.
 */
int text_encode_untrusted(char *buf, size_t cap, const char *s, size_t len);

#endif /* LAUDITD_FORMATS_TEXT_H */
