/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the writer hands to an encoder: a syscall event with everything needed
 * to write it (stamp, identity, key), or a daemon record.  The text and binary
 * encoders take the same struct, so that a binary log converted to text gives
 * exactly what RAW mode writes.
 */
#ifndef LAUDITD_FORMATS_RECORD_H
#define LAUDITD_FORMATS_RECORD_H

#include "ebpf/wire.h"
#include "formats/text.h"

enum log_record_kind {
	LOG_REC_EVENT = 1,  /* a captured syscall */
	LOG_REC_DAEMON = 2, /* DAEMON_START, DAEMON_END, DAEMON_ERR (losses), DAEMON_ROTATE */
};

struct log_record {
	enum log_record_kind kind;
	struct text_stamp stamp;
	/* LOG_REC_EVENT */
	const struct la_event *ev; /* ev->size bytes, passed wire_check() */
	struct text_ident ident;
	const char *key; /* NULL: no rule key */
	uint32_t drop;	 /* the text log leaves out these types (conf/rules_watch.h), 0: none */
	/* LOG_REC_DAEMON */
	const char *type;   /* "DAEMON_START" ... */
	const char *fields; /* formatted fields, no trailing newline */
};

#endif /* LAUDITD_FORMATS_RECORD_H */
