/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The writer is a pipeline.  Each source (a consumer thread, or the daemon's own
 * records) encodes whole records into buffers of its own, one batch at a time; a
 * batch takes its place in the log and its serials when it begins, so that the
 * serials increase through the file whichever thread encoded them.  One writer
 * thread takes the buffers in batch order, lays them out in the file, writes,
 * syncs as the flush setting says, rotates, and watches disk space; another
 * compresses closed segments.  Neither encoding nor the disk waits for the
 * other, and a source waits for no one's buffers but its own.
 *
 * The writer thread copies the batches into one block-aligned buffer: its full
 * 4 KiB blocks go to the file with O_DIRECT, the unaligned tail with a buffered
 * write that a later direct write of that block replaces.  On a fresh machine,
 * filling new page-cache pages costs more than the text encoding itself
 * (measured: 0.4-0.5 GB/s buffered, 1.9 GB/s direct, ext4 on virtio); the copy
 * costs a small part of that.  File systems without O_DIRECT (tmpfs) get
 * buffered writes throughout.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "formats/binary.h"
#include "logger/compress.h"
#include "logger/io.h"
#include "logger/log.h"
#include "logger/writer.h"

#define WRITER_ALIGN 4096
/* A chunk: what the writer thread takes at once, at most this. */
#define WRITER_CHUNK (1024 * 1024)
/* The writer thread's buffer: a carried tail, a segment header and a chunk always fit. */
#define WRITER_OUT (WRITER_CHUNK + 2 * WRITER_ALIGN)
/* A source's ring of encoded bytes, and of chunk descriptors. */
#define WRITER_RING   (4 * 1024 * 1024)
#define WRITER_CHUNKS 64
/* A segment's name: the log's, ".N" and ".lz4" */
#define WRITER_NAME_MAX (PATH_MAX + 32)
/* Room kept free for one record: a larger one goes to a new chunk. */
#define WRITER_ROOM TEXT_EVENT_MAX

extern char **environ;

/*
 * Whole records of one batch, contiguous in its source's ring (a binary block
 * may span two chunks).  Positions count bytes since the ring was made.
 */
struct wchunk {
	uint64_t pos;	  /* of its first byte */
	size_t len;	  /* its bytes */
	size_t release;	  /* ring bytes freed once it is written: len, and padding before it */
	uint64_t records; /* records whose last byte is in it */
	uint64_t ticket;  /* the batch's place in the log */
	int last;	  /* the batch's last chunk */
	int flush;	  /* the batch asks for a sync */
	struct wchunk *next;
};

/*
 * A source encodes into a ring of its own; the writer thread copies its chunks
 * out in their turn, which frees their bytes in the ring's order.
 */
struct writer_source {
	struct writer *w;
	struct text_opts opts;
	struct bin_encoder *bin;
	uint64_t bin_records;	    /* records in the binary encoder's open block */
	int bin_priming;	    /* the encoder's segment header is being dropped */
	struct wchunk *bin_counted; /* where the block bin_encode() closed was counted */
	char *ring;		    /* WRITER_RING bytes */
	uint64_t head;		    /* where the next byte goes */
	uint64_t room_end;	    /* the ring is known to be free up to here */
	struct wchunk *cur;	    /* being filled; NULL between batches */
	uint64_t ticket;
	uint64_t serial, serial_end; /* the next serial given, and the end of the batch's */
	struct wchunk chunks[WRITER_CHUNKS];
	/* under writer.lock */
	uint64_t tail; /* bytes before it are free */
	struct wchunk *free;
	struct wchunk *queue, **queue_tail; /* handed to the writer thread, in order */
	struct writer_source *next;
};

/* A rotation waiting for its place in the log. */
struct wmark {
	uint64_t ticket;
	uint64_t serial; /* of the DAEMON_ROTATE that opens the new log; 0: none */
	struct wmark *next;
};

struct writer {
	struct conf conf;
	struct text_opts opts;
	char *rotate_fields; /* DAEMON_ROTATE's, or NULL: none is written */
	int fd;		     /* buffered: the tail, or everything without O_DIRECT */
	int dfd;	     /* O_DIRECT, or -1 */

	/* Writer thread only: the bytes going to the file next */
	int dio;		 /* out is laid out for O_DIRECT */
	char *out;		 /* WRITER_ALIGN-aligned, WRITER_OUT bytes */
	size_t out_len;		 /* bytes in out */
	size_t out_carried;	 /* leading bytes already written (and counted) */
	off_t out_off;		 /* file offset of out[0] (block-aligned with O_DIRECT) */
	uint64_t out_records;	 /* records whose last byte is in out, not yet written */
	int out_flush;		 /* sync at the next write */
	struct bin_encoder *bin; /* log_format = BINARY: DAEMON_ROTATE's encoder */
	uint8_t *seg_hdr;	 /* the segment header every file starts with */
	size_t seg_hdr_len;
	int need_header;   /* BINARY: the next block starts a segment */
	off_t header_end;  /* where the latest segment header ends in the file */
	int size_warned;   /* max_log_file_action SYSLOG said so */
	uint64_t unsynced; /* records since the last sync */
	int space_state;   /* 0 fine, 1 below space_left, 2 below admin_space_left */
	int rotate_req;	   /* a disk action asks for a rotation (atomic) */

	pthread_t thread, cthread;
	int started, cstarted;
	pthread_mutex_t lock;
	pthread_cond_t cond;  /* a free buffer, or the writer thread's progress */
	pthread_cond_t wcond; /* work for the writer thread */
	pthread_cond_t ccond; /* work for the compression thread */
	struct writer_source *sources;
	struct wmark *marks, **marks_tail;
	uint64_t tickets;     /* places in the log given so far (batches and rotations) */
	uint64_t next_ticket; /* the one the writer thread takes next */
	uint64_t serial;      /* the last serial given */
	uint64_t layout_end;  /* the writer thread's end of the log (out_off + out_len) */
	uint64_t handed;      /* bytes handed to the writer thread, not taken yet */
	uint64_t young;	      /* of those, the bytes after the last rotation waiting */
	uint64_t last_mark;   /* the ticket of the last rotation given one */
	int idle;	      /* the writer thread waits for work (out may hold bytes) */
	int flush_req;	      /* writer_flush() asks for a write and a sync */
	int resume_req;	      /* writer_resume(): lay out anew from the file's end */
	int closing;
	int compress_due;	  /* closed segments wait for compression */
	pthread_mutex_t seg_lock; /* held while segment files are renamed or compressed */
	struct writer_stats st;
};

/* mkdir -p of @path's directory, 0700 for what it creates. */
static int writer_mkdirs(const char *path)
{
	char dir[PATH_MAX];
	char *p;

	if (strlen(path) >= sizeof(dir))
		return -ENAMETOOLONG;
	strcpy(dir, path);
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = 0;
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(dir, 0700) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

/* Open the log file; the size it has already is returned in @size. */
static int writer_open_file(struct writer *w, off_t *size)
{
	struct stat sb;
	int err;

	err = writer_mkdirs(w->conf.log_file);
	if (err)
		return err;
	w->fd = open(w->conf.log_file, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (w->fd < 0)
		return -errno;
	if (fstat(w->fd, &sb))
		return -errno;
	if (!S_ISREG(sb.st_mode))
		return -EINVAL;
	w->dfd = open(w->conf.log_file, O_WRONLY | O_DIRECT | O_CLOEXEC);
	*size = sb.st_size;
	return 0;
}

static void writer_close_file(struct writer *w)
{
	if (w->fd >= 0) {
		if (w->conf.flush != CONF_FLUSH_NONE && fsync(w->fd))
			log_warn("syncing %s", w->conf.log_file);
		close(w->fd);
	}
	if (w->dfd >= 0)
		close(w->dfd);
	w->fd = w->dfd = -1;
}

/* "PATH.N" or "PATH.N.lz4", whichever exists; 0 when neither does. */
static int writer_segment_name(const struct writer *w, unsigned int n, char *out, size_t len)
{
	snprintf(out, len, "%s.%u", w->conf.log_file, n);
	if (!access(out, F_OK))
		return 1;
	snprintf(out, len, "%s.%u.lz4", w->conf.log_file, n);
	return !access(out, F_OK);
}

/* Shift PATH.N(.lz4) to PATH.N+1(.lz4), keeping the suffix. */
static void writer_shift(const struct writer *w, unsigned int n)
{
	char from[WRITER_NAME_MAX], to[WRITER_NAME_MAX];
	int lz4;

	if (!writer_segment_name(w, n, from, sizeof(from)))
		return;
	lz4 = strlen(from) > 4 && !strcmp(from + strlen(from) - 4, ".lz4");
	snprintf(to, sizeof(to), "%s.%u%s", w->conf.log_file, n + 1, lz4 ? ".lz4" : "");
	if (rename(from, to))
		log_warn("rotating %s to %s", from, to);
}

/*
 * auditd's rotation: PATH becomes PATH.1, PATH.N becomes PATH.N+1; with ROTATE
 * the oldest (PATH.num_logs-1) goes, with KEEP_LOGS none does.  Writer thread.
 */
static int writer_rotate_files(struct writer *w)
{
	char name[WRITER_NAME_MAX];
	unsigned int n, last;
	off_t size;
	int err;

	pthread_mutex_lock(&w->seg_lock);
	writer_close_file(w);
	if (w->conf.max_log_file_action != CONF_ROT_KEEP_LOGS && w->conf.num_logs < 2) {
		/* only the current log is kept: auditd starts it anew */
		if (unlink(w->conf.log_file))
			log_warn("removing %s", w->conf.log_file);
	} else {
		last = 1;
		while (writer_segment_name(w, last, name, sizeof(name)))
			last++;
		if (w->conf.max_log_file_action != CONF_ROT_KEEP_LOGS) {
			for (n = w->conf.num_logs - 1; n < last; n++)
				if (writer_segment_name(w, n, name, sizeof(name)) && unlink(name))
					log_warn("removing %s", name);
			if (last > w->conf.num_logs - 1)
				last = w->conf.num_logs - 1;
		}
		for (n = last; n >= 1; n--)
			writer_shift(w, n);
		snprintf(name, sizeof(name), "%s.1", w->conf.log_file);
		if (rename(w->conf.log_file, name))
			log_warn("rotating %s", w->conf.log_file);
	}
	err = writer_open_file(w, &size);
	if (!err && size) {
		/* someone made a file of that name meanwhile: never write over it */
		writer_close_file(w);
		err = -EEXIST;
	}
	pthread_mutex_unlock(&w->seg_lock);
	pthread_mutex_lock(&w->lock);
	w->st.rotations++;
	if (w->conf.compress_logs) {
		w->compress_due = 1;
		pthread_cond_broadcast(&w->ccond);
	}
	pthread_mutex_unlock(&w->lock);
	return err;
}

/* Compress every closed segment not compressed yet, oldest first. */
static void writer_compress_all(struct writer *w)
{
	char name[WRITER_NAME_MAX];
	unsigned int n, last = 1;
	int err;

	while (writer_segment_name(w, last, name, sizeof(name)))
		last++;
	for (n = last - 1; n >= 1; n--) {
		pthread_mutex_lock(&w->seg_lock);
		snprintf(name, sizeof(name), "%s.%u", w->conf.log_file, n);
		err = access(name, F_OK) ? 0 : compress_file(name);
		pthread_mutex_unlock(&w->seg_lock);
		if (err)
			log_warnx("compressing %s: %s", name, strerror(-err));
	}
}

static void *writer_compress_thread(void *arg)
{
	struct writer *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->compress_due && !w->closing)
			pthread_cond_wait(&w->ccond, &w->lock);
		if (!w->compress_due)
			break;
		w->compress_due = 0;
		pthread_mutex_unlock(&w->lock);
		writer_compress_all(w);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/*
 * Run an action's program, as auditd does: not waited for.  It starts with no
 * signal blocked or ignored (the daemon's threads block theirs).
 */
static void writer_exec(char *const argv[])
{
	posix_spawnattr_t attr;
	sigset_t none, pipe;
	pid_t pid;
	int err;

	sigemptyset(&none);
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &pipe);
	err = posix_spawn(&pid, argv[0], NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (err) {
		errno = err;
		log_warn("running %s", argv[0]);
		return;
	}
	waitpid(pid, NULL, WNOHANG);
}

/*
 * Carry out a disk action.  @what names the condition for the messages.
 * Return: nonzero when writing must stop (SUSPEND, and SINGLE and HALT, which
 * also take the system down as auditd does).
 */
static int writer_action(struct writer *w, const struct conf_action *a, const char *what)
{
	switch (a->action) {
	case CONF_DISK_IGNORE:
		return 0;
	case CONF_DISK_SYSLOG:
		log_warnx("%s: %s", w->conf.log_file, what);
		return 0;
	case CONF_DISK_EMAIL:
		log_warnx("%s: %s (EMAIL: no mail is sent, the warning is logged)",
			  w->conf.log_file, what);
		return 0;
	case CONF_DISK_ROTATE:
		/* the writer thread switches files after the batch in hand */
		log_warnx("%s: %s, rotating", w->conf.log_file, what);
		__atomic_store_n(&w->rotate_req, 1, __ATOMIC_RELEASE);
		return 0;
	case CONF_DISK_EXEC: {
		char *argv[] = {(char *)a->exec, NULL};

		log_warnx("%s: %s, running %s", w->conf.log_file, what, a->exec);
		writer_exec(argv);
		return 0;
	}
	case CONF_DISK_SUSPEND:
		log_warnx("%s: %s, writing suspended (SIGUSR2 resumes)", w->conf.log_file, what);
		return 1;
	case CONF_DISK_SINGLE: {
		char *argv[] = {"/sbin/init", "1", NULL};

		log_warnx("%s: %s, switching to single user mode", w->conf.log_file, what);
		writer_exec(argv);
		return 1;
	}
	case CONF_DISK_HALT: {
		char *argv[] = {"/sbin/init", "0", NULL};

		log_warnx("%s: %s, halting the system", w->conf.log_file, what);
		writer_exec(argv);
		return 1;
	}
	}
	return 0;
}

static uint64_t writer_threshold(unsigned int value, int percent, const struct statvfs *sv)
{
	if (percent)
		return (uint64_t)sv->f_blocks * sv->f_frsize / 100 * value;
	return (uint64_t)value * 1024 * 1024;
}

/* space_left and admin_space_left, each acted on once as free space falls past it. */
static int writer_check_space(struct writer *w)
{
	struct statvfs sv;
	uint64_t avail;
	int state = 0, stop = 0;

	if (fstatvfs(w->fd, &sv))
		return 0;
	avail = (uint64_t)sv.f_bavail * sv.f_frsize;
	if (avail <
	    writer_threshold(w->conf.admin_space_left, w->conf.admin_space_left_percent, &sv))
		state = 2;
	else if (avail < writer_threshold(w->conf.space_left, w->conf.space_left_percent, &sv))
		state = 1;
	if (state > w->space_state) {
		if (state == 1)
			stop = writer_action(w, &w->conf.space_left_action,
					     "free space below space_left");
		else
			stop = writer_action(w, &w->conf.admin_space_left_action,
					     "free space below admin_space_left");
	}
	w->space_state = state;
	return stop;
}

static int writer_sync(struct writer *w, uint64_t records)
{
	int rc = 0;

	w->unsynced += records;
	switch (w->conf.flush) {
	case CONF_FLUSH_NONE:
		return 0;
	case CONF_FLUSH_INCREMENTAL:
	case CONF_FLUSH_INCREMENTAL_ASYNC:
		if (w->unsynced < w->conf.freq)
			return 0;
		rc = fdatasync(w->fd);
		break;
	case CONF_FLUSH_DATA:
		rc = fdatasync(w->fd);
		break;
	case CONF_FLUSH_SYNC:
		rc = fsync(w->fd);
		break;
	}
	w->unsynced = 0;
	return rc ? -errno : 0;
}

/* --------------------------------------------------------------- writer thread */

static off_t writer_cut_torn_line(struct writer *w, off_t size, int quiet);

/*
 * Lay out what comes next from file offset @off: with O_DIRECT, from the block
 * that holds @off, its head read back from the file.  Writer thread.
 */
static void writer_restart(struct writer *w, off_t off)
{
	ssize_t n = 0;

	w->out_records = 0;
	w->out_flush = 0;
	w->out_off = off;
	if (w->dio) {
		w->out_off = off & ~(off_t)(WRITER_ALIGN - 1);
		n = off > w->out_off ? pread(w->fd, w->out, off - w->out_off, w->out_off) : 0;
		if (n != off - w->out_off) {
			/* cannot rebuild the partial block: write buffered from here on */
			w->out_off = off;
			n = 0;
			w->dio = 0;
		}
	}
	w->out_len = w->out_carried = n;
}

/* Whether out holds bytes or records not written yet. */
static int writer_dirty(const struct writer *w)
{
	return w->out_len > w->out_carried || w->out_records;
}

/*
 * Write out: its full blocks direct, the rest buffered, then sync when @sync and
 * the flush setting say so.  @full: set to the bytes written direct (all of
 * them without O_DIRECT).  Return: 0 or a negative errno.
 */
static int writer_write(struct writer *w, int sync, size_t *full)
{
	int err = 0;

	*full = w->out_len;
	if (w->fd < 0)
		return -EBADF;
	if (w->dio && w->dfd >= 0) {
		*full = w->out_len & ~(size_t)(WRITER_ALIGN - 1);
		if (*full)
			err = io_pwrite_all(w->dfd, w->out, *full, w->out_off);
	}
	if (!err && w->out_len > *full && w->out_len > w->out_carried)
		err = io_pwrite_all(w->fd, w->out + *full, w->out_len - *full, w->out_off + *full);
	if (!err && sync)
		err = writer_sync(w, w->out_records);
	else if (!err)
		w->unsynced += w->out_records;
	return err;
}

/*
 * A write failed: cut the file back to its last whole record (text) or to where
 * the failed write started (binary: readers skip a torn block), and lay out
 * anew from there.  Writer thread.
 */
static void writer_fail(struct writer *w)
{
	off_t good = w->out_off + (off_t)w->out_carried, cut;
	struct stat sb;

	if (w->fd >= 0 && !fstat(w->fd, &sb)) {
		if (sb.st_size < good)
			good = sb.st_size;
		if (good < sb.st_size && ftruncate(w->fd, good))
			log_warn("cutting %s back to its last record", w->conf.log_file);
		if (!w->bin) {
			cut = writer_cut_torn_line(w, good, 1);
			if (cut >= 0)
				good = cut;
		}
	}
	if (w->bin && good < w->header_end)
		w->need_header = 1;
	writer_restart(w, good);
}

/*
 * Write what out holds (@sync: and sync as the flush setting says).  Records
 * that cannot be written are counted; a failure cuts the file back and carries
 * out the disk action.  Writer thread, @w->lock not held.
 */
static void writer_flush_out(struct writer *w, int sync)
{
	uint64_t records = w->out_records;
	size_t bytes = w->out_len - w->out_carried, full = 0, tail;
	int err, stop = 0, suspended;

	if (!writer_dirty(w))
		return;
	pthread_mutex_lock(&w->lock);
	suspended = w->st.suspended;
	pthread_mutex_unlock(&w->lock);
	if (suspended) {
		/* nothing goes to the file: SIGUSR2 lays out anew from its end */
		w->out_len = w->out_carried;
		err = -ESHUTDOWN;
	} else {
		err = writer_write(w, sync || w->out_flush, &full);
	}
	if (!err) {
		/* the partial last block stays, to be written direct once filled */
		tail = w->out_len - full;
		memmove(w->out, w->out + full, tail);
		w->out_off += full;
		w->out_len = w->out_carried = tail;
		stop = writer_check_space(w);
	} else if (err != -ESHUTDOWN) {
		writer_fail(w);
		if (err == -ENOSPC)
			stop = writer_action(w, &w->conf.disk_full_action, "disk full");
		else
			stop = writer_action(w, &w->conf.disk_error_action, strerror(-err));
	}
	w->out_records = 0;
	w->out_flush = 0;
	pthread_mutex_lock(&w->lock);
	if (err) {
		if (!w->st.error && err != -ESHUTDOWN)
			w->st.error = err;
		w->st.write_lost += records;
	} else {
		w->st.records += records;
		w->st.bytes += bytes;
	}
	if (stop)
		w->st.suspended = 1;
	pthread_mutex_unlock(&w->lock);
}

/*
 * Append @len bytes holding @records whole records to out, after the segment
 * header when the file needs one; out is written first when they do not fit.
 * @len is at most WRITER_CHUNK.  Writer thread.
 */
static void writer_add(struct writer *w, const void *p, size_t len, uint64_t records, int flush)
{
	size_t hdr = w->need_header ? w->seg_hdr_len : 0;

	if (len && w->out_len + hdr + len > WRITER_OUT)
		writer_flush_out(w, 0);
	w->out_flush |= flush;
	if (!len)
		return;
	if (w->need_header) {
		memcpy(w->out + w->out_len, w->seg_hdr, w->seg_hdr_len);
		w->out_len += w->seg_hdr_len;
		w->header_end = w->out_off + (off_t)w->out_len;
		w->need_header = 0;
	}
	memcpy(w->out + w->out_len, p, len);
	w->out_len += len;
	w->out_records += records;
}

/*
 * The writer's own binary encoder (DAEMON_ROTATE): its first output, the
 * segment header, is kept to start every file with; blocks go into out.
 */
static int writer_bin_out(void *arg, const void *buf, size_t len)
{
	struct writer *w = arg;

	if (!w->seg_hdr) {
		w->seg_hdr = malloc(len);
		if (!w->seg_hdr)
			return -ENOMEM;
		memcpy(w->seg_hdr, buf, len);
		w->seg_hdr_len = len;
		return 0;
	}
	if (len > WRITER_CHUNK)
		return -E2BIG;
	writer_add(w, buf, len, 0, 1);
	return 0;
}

/* The record that opens a new log, with the serial its rotation was given.  Writer thread. */
static void writer_put_rotate(struct writer *w, uint64_t serial)
{
	struct log_record r = {.kind = LOG_REC_DAEMON, .type = "DAEMON_ROTATE"};
	struct timespec ts;
	char buf[4096];
	int n;

	r.fields = w->rotate_fields;
	clock_gettime(CLOCK_REALTIME, &ts);
	r.stamp.sec = ts.tv_sec;
	r.stamp.msec = ts.tv_nsec / 1000000;
	r.stamp.serial = serial;
	if (w->bin) {
		n = bin_encode(w->bin, &r);
		if (!n)
			n = bin_flush(w->bin);
		if (!n)
			w->out_records++;
	} else {
		n = text_encode_daemon(buf, sizeof(buf), r.type, &r.stamp, r.fields, &w->opts);
		if (n >= 0)
			writer_add(w, buf, n, 1, 1);
	}
	if (n < 0) {
		log_warnx("%s: could not log DAEMON_ROTATE: %s", w->conf.log_file, strerror(-n));
		pthread_mutex_lock(&w->lock);
		w->st.write_lost++;
		pthread_mutex_unlock(&w->lock);
	}
}

/*
 * Give a rotation the next place in the log (and a serial for its
 * DAEMON_ROTATE).  @w->lock held.  Return: 0 or -ENOMEM.
 */
static int writer_mark(struct writer *w)
{
	struct wmark *m = calloc(1, sizeof(*m));

	if (!m) {
		log_warnx("%s: cannot rotate: out of memory", w->conf.log_file);
		return -ENOMEM;
	}
	m->ticket = w->tickets++;
	m->serial = w->rotate_fields ? ++w->serial : 0;
	w->last_mark = m->ticket;
	w->young = 0;
	*w->marks_tail = m;
	w->marks_tail = &m->next;
	pthread_cond_signal(&w->wcond);
	return 0;
}

/*
 * Whether the log that the next batch would go to reaches max_log_file, with
 * what the writer thread has been handed for it.  @w->lock held.
 */
static int writer_size_reached(const struct writer *w)
{
	uint64_t size = w->marks ? w->young : w->layout_end + w->handed;

	return w->conf.max_log_file && size >= (uint64_t)w->conf.max_log_file * 1024 * 1024;
}

/* A rotation's turn: everything before it to the old file, then a new one.  Writer thread. */
static void writer_do_rotate(struct writer *w, const struct wmark *m)
{
	int stop = 0, suspended;

	writer_flush_out(w, 1);
	pthread_mutex_lock(&w->lock);
	suspended = w->st.suspended;
	if (suspended && m->serial)
		w->st.write_lost++;
	pthread_mutex_unlock(&w->lock);
	if (suspended)
		return;
	if (writer_rotate_files(w))
		stop = writer_action(w, &w->conf.disk_error_action, "cannot open a new log");
	w->dio = w->dfd >= 0;
	writer_restart(w, 0);
	w->need_header = w->bin != NULL;
	w->header_end = 0;
	if (stop) {
		pthread_mutex_lock(&w->lock);
		w->st.suspended = 1;
		pthread_mutex_unlock(&w->lock);
	}
	if (m->serial)
		writer_put_rotate(w, m->serial);
}

/* After each batch: past max_log_file, act as max_log_file_action says.  Writer thread. */
static void writer_check_size(struct writer *w)
{
	uint64_t size = (uint64_t)w->out_off + w->out_len;

	if (__atomic_exchange_n(&w->rotate_req, 0, __ATOMIC_ACQ_REL)) {
		pthread_mutex_lock(&w->lock);
		writer_mark(w);
		pthread_mutex_unlock(&w->lock);
		return;
	}
	if (!w->conf.max_log_file || size < (uint64_t)w->conf.max_log_file * 1024 * 1024)
		return;
	switch (w->conf.max_log_file_action) {
	case CONF_ROT_ROTATE:
	case CONF_ROT_KEEP_LOGS:
		pthread_mutex_lock(&w->lock);
		/* unless a rotation waits: then the sources' check is the one */
		if (!w->marks)
			writer_mark(w);
		pthread_mutex_unlock(&w->lock);
		break;
	case CONF_ROT_SYSLOG:
		if (!w->size_warned)
			log_warnx("%s has reached max_log_file", w->conf.log_file);
		w->size_warned = 1;
		break;
	case CONF_ROT_SUSPEND:
		writer_flush_out(w, 1);
		pthread_mutex_lock(&w->lock);
		if (!w->st.suspended)
			log_warnx("%s has reached max_log_file: writing suspended",
				  w->conf.log_file);
		w->st.suspended = 1;
		pthread_mutex_unlock(&w->lock);
		break;
	case CONF_ROT_IGNORE:
		break;
	}
}

/* SIGUSR2: lay out anew from where the file ends.  Writer thread. */
static void writer_relayout(struct writer *w)
{
	struct stat sb;
	off_t size = 0;

	writer_flush_out(w, 0);
	if (w->fd >= 0 && !fstat(w->fd, &sb))
		size = sb.st_size;
	w->space_state = 0;
	w->dio = w->dfd >= 0;
	writer_restart(w, size);
	if (w->bin && size < w->header_end)
		w->need_header = 1;
}

/*
 * The next thing in the log's order: a rotation, or a chunk of the batch whose
 * turn it is (*@src set to its source).  @w->lock held.
 */
static int writer_next(struct writer *w, struct wmark **m, struct wchunk **b,
		       struct writer_source **src)
{
	struct writer_source *s;

	if (w->marks && w->marks->ticket == w->next_ticket) {
		*m = w->marks;
		w->marks = (*m)->next;
		if (!w->marks)
			w->marks_tail = &w->marks;
		/* what comes next goes to the new log */
		w->layout_end = 0;
		return 1;
	}
	for (s = w->sources; s; s = s->next) {
		if (!s->queue || s->queue->ticket != w->next_ticket)
			continue;
		*b = s->queue;
		s->queue = (*b)->next;
		if (!s->queue)
			s->queue_tail = &s->queue;
		*src = s;
		return 1;
	}
	return 0;
}

static void *writer_thread(void *arg)
{
	struct writer *w = arg;
	struct writer_source *s = NULL;
	struct wmark *m;
	struct wchunk *b;
	int suspended, flush;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		if (w->resume_req) {
			w->resume_req = 0;
			pthread_mutex_unlock(&w->lock);
			writer_relayout(w);
			pthread_mutex_lock(&w->lock);
			w->layout_end = (uint64_t)w->out_off + w->out_len;
			continue;
		}
		m = NULL;
		b = NULL;
		if (!writer_next(w, &m, &b, &s)) {
			/* nothing whose turn it is: write what a flush asks for */
			if ((writer_dirty(w) && w->out_flush) || w->flush_req) {
				flush = w->flush_req;
				w->flush_req = 0;
				pthread_mutex_unlock(&w->lock);
				writer_flush_out(w, flush);
				pthread_mutex_lock(&w->lock);
				continue;
			}
			w->idle = 1;
			pthread_cond_broadcast(&w->cond);
			if (w->closing)
				break;
			pthread_cond_wait(&w->wcond, &w->lock);
			w->idle = 0;
			continue;
		}
		suspended = w->st.suspended;
		pthread_mutex_unlock(&w->lock);

		if (m)
			writer_do_rotate(w, m);
		else if (!suspended)
			writer_add(w, s->ring + b->pos % WRITER_RING, b->len, b->records, b->flush);
		if (m || b->last)
			writer_check_size(w);

		pthread_mutex_lock(&w->lock);
		w->layout_end = (uint64_t)w->out_off + w->out_len;
		if (b) {
			if (suspended)
				w->st.write_lost += b->records;
			w->handed -= b->len;
			s->tail += b->release;
			b->next = s->free;
			s->free = b;
		}
		if (m || b->last)
			w->next_ticket++;
		free(m);
		pthread_cond_broadcast(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* -------------------------------------------------------------------- sources */

/* A chunk descriptor of @s for its batch, starting at the ring's head.  @w->lock held. */
static struct wchunk *writer_take_chunk(struct writer_source *s)
{
	struct wchunk *c;

	while (!s->free)
		pthread_cond_wait(&s->w->cond, &s->w->lock);
	c = s->free;
	s->free = c->next;
	memset(c, 0, sizeof(*c));
	c->pos = s->head;
	c->ticket = s->ticket;
	return c;
}

/* Hand the current chunk to the writer thread; unless it ends the batch, start another. */
static void writer_hand(struct writer_source *s, int last, int flush)
{
	struct writer *w = s->w;
	struct wchunk *c = s->cur;

	c->last = last;
	c->flush = flush;
	pthread_mutex_lock(&w->lock);
	w->handed += c->len;
	/* after the last rotation waiting: the batch's ticket is larger */
	if (w->marks && c->ticket > w->last_mark)
		w->young += c->len;
	*s->queue_tail = c;
	s->queue_tail = &c->next;
	pthread_cond_signal(&w->wcond);
	s->cur = last ? NULL : writer_take_chunk(s);
	pthread_mutex_unlock(&w->lock);
}

/*
 * Make @need contiguous free bytes (at most WRITER_ROOM) at the ring's head for
 * the current chunk: a full chunk is handed on, the head wraps to the ring's
 * start when its end is too near, and the source waits while the writer thread
 * has not yet copied out what the room needs.
 */
static void writer_room(struct writer_source *s, size_t need)
{
	struct writer *w = s->w;
	size_t contig = WRITER_RING - s->head % WRITER_RING;

	if (s->cur->len + need > WRITER_CHUNK)
		writer_hand(s, 0, 0);
	if (contig < need) {
		if (s->cur->len)
			writer_hand(s, 0, 0);
		/* the padding is freed with the chunk that follows it */
		s->head += contig;
		s->cur->pos = s->head;
		s->cur->release += contig;
	}
	if (s->head + need <= s->room_end)
		return;
	/* the writer thread can free nothing of the chunk in hand: hand it on */
	if (s->cur->len)
		writer_hand(s, 0, 0);
	pthread_mutex_lock(&w->lock);
	while (s->head + need > s->tail + WRITER_RING)
		pthread_cond_wait(&w->cond, &w->lock);
	s->room_end = s->tail + WRITER_RING;
	pthread_mutex_unlock(&w->lock);
}

/* @n bytes were written at the ring's head: they belong to the current chunk. */
static void writer_grow(struct writer_source *s, size_t n)
{
	s->head += n;
	s->cur->len += n;
	s->cur->release += n;
}

/*
 * A source's binary encoder writes blocks into the source's ring, contiguous
 * when they fit in a chunk's room.  Its segment header is dropped: the writer
 * thread starts every file with its own.
 */
static int writer_source_bin_out(void *arg, const void *buf, size_t len)
{
	struct writer_source *s = arg;
	const char *p = buf;
	size_t n, contig;

	if (s->bin_priming)
		return 0;
	while (len) {
		writer_room(s, len < WRITER_ROOM ? len : WRITER_ROOM);
		contig = WRITER_RING - s->head % WRITER_RING;
		n = s->room_end - s->head;
		n = n < contig ? n : contig;
		n = n < WRITER_CHUNK - s->cur->len ? n : WRITER_CHUNK - s->cur->len;
		n = n < len ? n : len;
		memcpy(s->ring + s->head % WRITER_RING, p, n);
		writer_grow(s, n);
		p += n;
		len -= n;
	}
	s->cur->records += s->bin_records;
	s->bin_records = 0;
	s->bin_counted = s->cur;
	return 0;
}

static void writer_source_free(struct writer_source *s)
{
	if (!s)
		return;
	bin_encoder_free(s->bin);
	free(s->ring);
	free(s);
}

struct writer_source *writer_source_new(struct writer *w, void *id_arg)
{
	struct bin_encoder_opts bo = {.write = writer_source_bin_out};
	struct writer_source *s;
	int i, err = -ENOMEM;

	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->w = w;
	s->opts = w->opts;
	if (id_arg)
		s->opts.id_arg = id_arg;
	s->queue_tail = &s->queue;
	s->ring = malloc(WRITER_RING);
	if (!s->ring)
		goto fail;
	s->room_end = WRITER_RING;
	for (i = 0; i < WRITER_CHUNKS; i++) {
		s->chunks[i].next = s->free;
		s->free = &s->chunks[i];
	}
	if (w->bin) {
		bo.write_arg = s;
		s->bin = bin_encoder_new(&bo);
		if (!s->bin) {
			err = -errno;
			goto fail;
		}
		/* its segment header is written now, and dropped */
		s->bin_priming = 1;
		err = bin_segment(s->bin);
		s->bin_priming = 0;
		if (err)
			goto fail;
	}
	pthread_mutex_lock(&w->lock);
	s->next = w->sources;
	w->sources = s;
	pthread_mutex_unlock(&w->lock);
	return s;
fail:
	writer_source_free(s);
	errno = -err;
	return NULL;
}

int writer_begin(struct writer_source *s, unsigned int n)
{
	struct writer *w = s->w;

	if (s->cur)
		return -EBUSY;
	pthread_mutex_lock(&w->lock);
	/* a descriptor first: the batches after this one need not wait for it */
	s->cur = writer_take_chunk(s);
	/*
	 * The writer thread rotates only in the log's order, once it has written
	 * what was begun before; the sources run ahead of it by up to their rings,
	 * so max_log_file is checked here too, on what it has been handed.
	 */
	if (writer_size_reached(w) && (w->conf.max_log_file_action == CONF_ROT_ROTATE ||
				       w->conf.max_log_file_action == CONF_ROT_KEEP_LOGS))
		writer_mark(w);
	s->ticket = w->tickets++;
	s->cur->ticket = s->ticket;
	s->serial = w->serial + 1;
	w->serial += n;
	s->serial_end = w->serial + 1;
	pthread_mutex_unlock(&w->lock);
	return 0;
}

int writer_put(struct writer_source *s, const struct log_record *r)
{
	struct log_record lr = *r;
	char *p;
	int n;

	if (!s->cur || s->serial == s->serial_end) {
		n = s->cur ? -ERANGE : -EINVAL;
		goto lost;
	}
	lr.stamp.serial = s->serial++;
	if (s->bin) {
		/* counted with the block it closes, if it closes one */
		s->bin_records++;
		s->bin_counted = NULL;
		n = bin_encode(s->bin, &lr);
		if (!n)
			return 0;
		if (s->bin_counted)
			s->bin_counted->records--;
		else
			s->bin_records--;
		goto lost;
	}
	writer_room(s, WRITER_ROOM);
	p = s->ring + s->head % WRITER_RING;
	if (lr.kind == LOG_REC_EVENT)
		n = text_encode_event(p, WRITER_ROOM, lr.ev, &lr.stamp, &lr.ident, lr.key,
				      &s->opts);
	else
		n = text_encode_daemon(p, WRITER_ROOM, lr.type, &lr.stamp, lr.fields, &s->opts);
	if (n < 0)
		goto lost;
	writer_grow(s, n);
	s->cur->records++;
	return 0;
lost:
	pthread_mutex_lock(&s->w->lock);
	s->w->st.write_lost++;
	pthread_mutex_unlock(&s->w->lock);
	return n;
}

void writer_end(struct writer_source *s, int flush)
{
	if (!s->cur)
		return;
	/* the block's records belong to this batch: its writes cannot fail */
	if (s->bin)
		bin_flush(s->bin);
	writer_hand(s, 1, flush);
}

/* ---------------------------------------------------------------- the writer */

static void writer_read_line(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "re");

	out[0] = 0;
	if (f) {
		if (fgets(out, len, f))
			out[strcspn(out, "\n")] = 0;
		fclose(f);
	}
}

static int writer_bin_open(struct writer *w)
{
	struct bin_encoder_opts bo = {.write = writer_bin_out, .write_arg = w};
	char host[256], boot[64];
	struct utsname u;

	if (gethostname(host, sizeof(host)))
		host[0] = 0;
	host[sizeof(host) - 1] = 0;
	writer_read_line("/proc/sys/kernel/random/boot_id", boot, sizeof(boot));
	uname(&u);
	bo.host = host;
	bo.boot_id = boot;
	bo.kernel = u.release;
	w->bin = bin_encoder_new(&bo);
	if (!w->bin)
		return -errno;
	/* the header goes to w->seg_hdr (see writer_bin_out()) */
	return bin_segment(w->bin);
}

/*
 * After a crash the text log can end inside a record that was never completely
 * written: cut it off, so that what follows starts on a line of its own.
 * Return: the new size, or a negative errno.
 */
static off_t writer_cut_torn_line(struct writer *w, off_t size, int quiet)
{
	char buf[4096];
	off_t end = size, cut;
	ssize_t n, i;

	while (end > 0) {
		cut = end > (off_t)sizeof(buf) ? end - (off_t)sizeof(buf) : 0;
		n = pread(w->fd, buf, end - cut, cut);
		if (n != end - cut)
			return n < 0 ? -errno : -EIO;
		for (i = n - 1; i >= 0; i--) {
			if (buf[i] != '\n')
				continue;
			if (cut + i + 1 == size)
				return size;
			if (!quiet)
				log_warnx("%s ends inside a record (a crash?): its last %lld bytes "
					  "are cut off",
					  w->conf.log_file, (long long)(size - (cut + i + 1)));
			if (ftruncate(w->fd, cut + i + 1))
				return -errno;
			return cut + i + 1;
		}
		end = cut;
	}
	log_warnx("%s holds no complete record: it is started anew", w->conf.log_file);
	if (ftruncate(w->fd, 0))
		return -errno;
	return 0;
}

struct writer *writer_open(const struct conf *c, const struct text_opts *o)
{
	struct writer *w;
	off_t size;
	int err;

	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->fd = w->dfd = -1;
	w->conf = *c;
	w->opts = *o;
	pthread_mutex_init(&w->lock, NULL);
	pthread_mutex_init(&w->seg_lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	pthread_cond_init(&w->wcond, NULL);
	pthread_cond_init(&w->ccond, NULL);
	w->marks_tail = &w->marks;
	if (posix_memalign((void **)&w->out, WRITER_ALIGN, WRITER_OUT)) {
		err = -ENOMEM;
		goto fail;
	}
	err = writer_open_file(w, &size);
	if (err)
		goto fail;
	if (size && c->log_format != CONF_FMT_BINARY) {
		size = writer_cut_torn_line(w, size, 0);
		if (size < 0) {
			err = size;
			goto fail;
		}
	}
	w->dio = w->dfd >= 0;
	writer_restart(w, size);
	w->layout_end = size;
	if (c->log_format == CONF_FMT_BINARY) {
		err = writer_bin_open(w);
		if (err)
			goto fail;
		/* appended to, a file gets a segment of its own */
		w->need_header = 1;
	}
	err = -pthread_create(&w->thread, NULL, writer_thread, w);
	if (err)
		goto fail;
	w->started = 1;
	/* segments a previous run left uncompressed are compressed now */
	w->compress_due = c->compress_logs;
	err = -pthread_create(&w->cthread, NULL, writer_compress_thread, w);
	if (err)
		goto fail;
	w->cstarted = 1;
	return w;
fail:
	writer_close(w);
	errno = -err;
	return NULL;
}

int writer_set_rotate_record(struct writer *w, const char *fields)
{
	char *f = NULL;

	if (fields) {
		f = strdup(fields);
		if (!f)
			return -ENOMEM;
	}
	pthread_mutex_lock(&w->lock);
	free(w->rotate_fields);
	w->rotate_fields = f;
	pthread_mutex_unlock(&w->lock);
	return 0;
}

void writer_set_serial(struct writer *w, uint64_t last)
{
	pthread_mutex_lock(&w->lock);
	w->serial = last;
	pthread_mutex_unlock(&w->lock);
}

void writer_rotate(struct writer *w)
{
	pthread_mutex_lock(&w->lock);
	writer_mark(w);
	pthread_mutex_unlock(&w->lock);
}

/*
 * Until the writer thread has taken every batch begun so far and waits for more;
 * @flush: and has written what it holds, synced as the flush setting says.
 * Return: the first write error, or 0.
 */
static int writer_wait_all(struct writer *w, int flush)
{
	uint64_t target;
	int err;

	pthread_mutex_lock(&w->lock);
	target = w->tickets;
	if (flush) {
		w->flush_req = 1;
		pthread_cond_signal(&w->wcond);
	}
	while (w->started && (w->next_ticket < target || w->flush_req || !w->idle))
		pthread_cond_wait(&w->cond, &w->lock);
	err = w->st.error;
	pthread_mutex_unlock(&w->lock);
	return err;
}

int writer_flush(struct writer *w)
{
	return writer_wait_all(w, 1);
}

void writer_resume(struct writer *w)
{
	writer_wait_all(w, 0);
	pthread_mutex_lock(&w->lock);
	if (w->st.suspended)
		log_info("%s: writing resumed", w->conf.log_file);
	w->st.suspended = 0;
	/* what was dropped meanwhile leaves the layout to be redone */
	w->resume_req = 1;
	pthread_cond_signal(&w->wcond);
	pthread_mutex_unlock(&w->lock);
}

void writer_stats(const struct writer *w, struct writer_stats *out)
{
	pthread_mutex_lock((pthread_mutex_t *)&w->lock);
	*out = w->st;
	out->serial = w->serial;
	pthread_mutex_unlock((pthread_mutex_t *)&w->lock);
}

void writer_close(struct writer *w)
{
	struct writer_source *s;
	struct wmark *m;

	if (!w)
		return;
	if (w->started)
		writer_wait_all(w, 1);
	pthread_mutex_lock(&w->lock);
	w->closing = 1;
	pthread_cond_signal(&w->wcond);
	pthread_cond_broadcast(&w->ccond);
	pthread_mutex_unlock(&w->lock);
	if (w->started)
		pthread_join(w->thread, NULL);
	if (w->cstarted)
		pthread_join(w->cthread, NULL);
	writer_close_file(w);
	while ((s = w->sources)) {
		w->sources = s->next;
		writer_source_free(s);
	}
	while ((m = w->marks)) {
		w->marks = m->next;
		free(m);
	}
	bin_encoder_free(w->bin);
	free(w->seg_hdr);
	free(w->rotate_fields);
	free(w->out);
	pthread_mutex_destroy(&w->lock);
	pthread_mutex_destroy(&w->seg_lock);
	pthread_cond_destroy(&w->cond);
	pthread_cond_destroy(&w->wcond);
	pthread_cond_destroy(&w->ccond);
	free(w);
}
