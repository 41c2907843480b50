/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lauditd.conf: auditd.conf's syntax and keys, with lauditd's own additions.
 * Pure parser: a buffer in, a struct out, errors as {line, column, message}.
 */
#ifndef LAUDITD_CONF_CONF_H
#define LAUDITD_CONF_CONF_H

#include <stddef.h>
#include <stdint.h>

#define CONF_PATH_MAX 4096
/* syscall numbers a set of syscalls (cache_filter_exempt) holds: ebpf/wire.h's LA_NR_MAX */
#define CONF_NR_MAX 512

enum conf_log_format {
	CONF_FMT_RAW,
	CONF_FMT_ENRICHED,
	CONF_FMT_BINARY,
};

enum conf_flush {
	CONF_FLUSH_NONE,
	CONF_FLUSH_INCREMENTAL,
	CONF_FLUSH_INCREMENTAL_ASYNC,
	CONF_FLUSH_DATA,
	CONF_FLUSH_SYNC,
};

/* max_log_file_action */
enum conf_rotate_action {
	CONF_ROT_IGNORE,
	CONF_ROT_SYSLOG,
	CONF_ROT_SUSPEND,
	CONF_ROT_ROTATE,
	CONF_ROT_KEEP_LOGS,
};

/* space_left_action, admin_space_left_action, disk_full_action, disk_error_action */
enum conf_disk_action {
	CONF_DISK_IGNORE,
	CONF_DISK_SYSLOG,
	CONF_DISK_ROTATE,
	CONF_DISK_EMAIL,
	CONF_DISK_EXEC,
	CONF_DISK_SUSPEND,
	CONF_DISK_SINGLE,
	CONF_DISK_HALT,
};

/* overflow_action: what a plugin's full queue does with disp_qos = lossy */
enum conf_overflow_action {
	CONF_OVF_IGNORE,
	CONF_OVF_SYSLOG,
	CONF_OVF_SUSPEND,
	CONF_OVF_SINGLE,
	CONF_OVF_HALT,
};

/* name_format: the node= prefix of every record */
enum conf_name_format {
	CONF_NAME_NONE,
	CONF_NAME_HOSTNAME,
	CONF_NAME_FQD,
	CONF_NAME_NUMERIC,
	CONF_NAME_USER,
};

#define CONF_NAME_MAX 256

struct conf_action {
	enum conf_disk_action action;
	char exec[CONF_PATH_MAX]; /* the program of "exec /path" */
};

struct conf {
	char log_file[CONF_PATH_MAX];
	enum conf_log_format log_format;
	enum conf_flush flush;
	unsigned int freq;	   /* records between flushes (INCREMENTAL*) */
	unsigned int max_log_file; /* MB; 0: no limit */
	unsigned int num_logs;
	enum conf_rotate_action max_log_file_action;
	unsigned int space_left; /* MB, or percent when space_left_percent */
	int space_left_percent;
	struct conf_action space_left_action;
	unsigned int admin_space_left;
	int admin_space_left_percent;
	struct conf_action admin_space_left_action;
	struct conf_action disk_full_action;
	struct conf_action disk_error_action;
	unsigned int
		priority_boost; /* the daemon runs at nice -N (clamped to -20), 0: as started */
	/* lauditd's own */
	unsigned int ring_buffer_kb;   /* per-CPU ring size, KiB, power of two >= 64 */
	unsigned int wakeup_percent;   /* wake the consumer at this ring fill, 1..100 */
	unsigned int poll_interval_ms; /* consumer's poll interval, 1..1000 */
	unsigned int argv_max;	       /* execve args captured, 1..64 */
	unsigned int consumer_threads; /* 0: choose from the CPU count */
	unsigned int encoder_threads;  /* per consumer; 0: the consumer encodes */
	int compress_logs;	       /* lz4 closed segments: yes/no */
	/* auditd's, for the plugins (logger/dispatch.c) */
	int write_logs;			/* no: events go to the plugins only */
	char plugin_dir[CONF_PATH_MAX]; /* "": DIR/plugins.d of the config dir */
	unsigned int q_depth;		/* events a plugin's queue holds */
	enum conf_overflow_action overflow_action;
	unsigned int max_restarts; /* restarts of a plugin that died */
	int disp_lossless;	   /* disp_qos: lossless (1) or lossy (0) */
	enum conf_name_format name_format;
	char name[CONF_NAME_MAX];	    /* name_format = user's */
	char control_socket[CONF_PATH_MAX]; /* lauditctl's unix socket */
	/* the in-kernel cache filter (ebpf/cache.bpf.h) */
	int cache_filter;			 /* on (1) or off (0) */
	unsigned int cache_flush_interval;	 /* seconds a cached record waits at most */
	unsigned int cache_size;		 /* records the cache holds */
	uint64_t cache_exempt[CONF_NR_MAX / 64]; /* syscalls never merged, a bit each */
	/* BINARY: the Ed25519 private key (PEM) that signs the seals; "": unsigned */
	char signing_key[CONF_PATH_MAX];
};

struct conf_error {
	unsigned int line;
	unsigned int column;
	char message[256];
};

/*
 * conf_defaults() - fill @c with lauditd's built-in defaults (those of auditd.conf
 * where a key is shared).
 */
void conf_defaults(struct conf *c);

/*
 * conf_parse() - parse a lauditd.conf buffer into @c, which holds defaults on entry.
 * @buf, @len: the file's bytes (need not end in NUL).
 * @c: updated key by key.
 * @warn: called for each warning (unknown key, key that has no effect); may be NULL.
 * @warn_arg: passed to @warn.
 * @err: filled with the first error.
 *
 * Return: 0, or -EINVAL on the first bad line (@err says where and why).
 */
int conf_parse(const char *buf, size_t len, struct conf *c,
	       void (*warn)(const struct conf_error *w, void *arg), void *warn_arg,
	       struct conf_error *err);

#endif /* LAUDITD_CONF_CONF_H */
