/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The dispatcher's inside, shared by its two files and by no one else:
 * dispatch.c (the producers' batches, the queues, reloads and the stop) and
 * plugin_proc.c (the plugin files, and each plugin's thread: its process and
 * pipe, the history sent again after a restart, builtin_af_unix's socket).
 */
#ifndef LAUDITD_LOGGER_DISPATCH_IMPL_H
#define LAUDITD_LOGGER_DISPATCH_IMPL_H

#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "conf/plugin.h"
#include "logger/dispatch.h"

/* The plugin's pipe, and the bytes kept to send again after a restart. */
#define PIPE_BYTES (256 * 1024)
#define HIST_BYTES (4 * 1024 * 1024)
#define HIST_ENDS  (1 << 16)
/* Bytes written at once: events are appended to the history up to this. */
#define SEND_BYTES (64 * 1024)
/* Room for one record line and its EOE line. */
#define EOE_MAX 512
/* A producer's batch grows by this. */
#define BATCH_GROW (256 * 1024)
/* What a stop gives a full queue and a plugin, in seconds. */
#define STOP_DRAIN_S 5
#define STOP_EXIT_S  5
#define WARN_LIMIT   5

/* A batch of text records, shared by the queues of every plugin. */
struct blob {
	int refs; /* under dispatch.lock */
	uint32_t events;
	size_t len;
	uint32_t *ends; /* each event's end in data */
	char *data;
};

struct qent {
	struct blob *b;
	struct qent *next;
};

struct plugin {
	struct dispatch *d;
	char name[256];
	struct plugin_conf pc;
	pthread_t thread;
	int started;
	/* under dispatch.lock */
	pid_t pid;
	struct qent *head, **tail;
	uint64_t queued; /* events */
	uint64_t lost, lost_reported;
	unsigned int restarts;
	int dead;      /* past max_restarts, or could not start */
	int suspended; /* overflow_action = SUSPEND */
	int warned;
	int done;	   /* the thread has finished */
	int64_t retire_by; /* removed by a reload: the thread ends by then (CLOCK_MONOTONIC s) */
	/* the daemon thread's own */
	ino_t ino; /* the program's (the socket's) inode when started */
	int seen;  /* its file is still there and unchanged, in a reload */
	/* the thread's own */
	int wfd;
	int unix_fd;	 /* builtin_af_unix: the listening socket, or -1 */
	char *unix_path; /* and its path */
	int *clients;	 /* its readers */
	unsigned int nclients;
	char *hist;	  /* HIST_BYTES: the stream's bytes [sent - HIST_BYTES, sent) */
	uint64_t sent;	  /* bytes put in the history */
	uint64_t written; /* of those, bytes the running plugin was given */
	uint64_t *ends;	  /* HIST_ENDS: stream positions where events ended */
	uint64_t nends;
	char *bin; /* format = binary: one record's header and message */
	struct plugin *next;
};

struct dispatch {
	pthread_mutex_t lock;
	pthread_cond_t space; /* a queue has room */
	pthread_cond_t work;  /* a queue has events, or the dispatcher closes */
	struct plugin *plugins;
	unsigned int q_depth;
	enum conf_overflow_action overflow;
	unsigned int max_restarts;
	int lossless;
	int64_t deadline; /* CLOCK_MONOTONIC s after which nothing waits; 0: none */
	int closing;
	pid_t *old; /* plugins replaced by a restart or stopped, to reap */
	unsigned int nold;
	struct plugin *retired;	      /* stopped by a reload, their threads ending */
	unsigned int nplugins;	      /* read by the producers without the lock */
	char conf_dir[CONF_PATH_MAX]; /* plugin_dir's default is under it */
};

static inline int64_t now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* plugin_blob_put() - drop a queue's reference to @b, freeing it with the last. */
void plugin_blob_put(struct dispatch *d, struct blob *b);

/*
 * plugin_load() - read and check the plugin file @path as auditd does (root's,
 * not writable by others; its program root's, mode 0750 or more).
 * Return: 0 with *@pc filled, or a negative errno (said in the log).
 */
int plugin_load(const char *path, struct plugin_conf *pc);

/* plugin_name_ok() - scandir's filter: no hidden file, no name with two dots. */
int plugin_name_ok(const struct dirent *e);

/* plugin_new() - a plugin named @name (its file's) of @d, not started.  Return: NULL on ENOMEM. */
struct plugin *plugin_new(struct dispatch *d, const char *name, const struct plugin_conf *pc);

/*
 * plugin_start() - start the plugin's program (or open builtin_af_unix's socket)
 * and its thread.  Return: 0, or a negative errno.
 */
int plugin_start(struct plugin *p);

/* plugin_free() - a plugin whose thread ended, or never started.  Accepts NULL. */
void plugin_free(struct plugin *p);

#endif /* LAUDITD_LOGGER_DISPATCH_IMPL_H */
