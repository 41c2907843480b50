/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The writer is a pipeline: the caller's thread encodes records into one of a
 * few buffers; a writer thread writes full buffers to the file, syncs as the
 * flush setting says, rotates, and watches disk space; a third thread compresses
 * closed segments.  Neither encoding nor the disk waits for the other.
 *
 * Full 4 KiB blocks go to the file with O_DIRECT, the unaligned tail with a
 * buffered write that a later direct write of that block replaces: on a fresh
 * machine, filling new page-cache pages costs more than the text encoding itself
 * (measured: 0.4-0.5 GB/s buffered, 1.9 GB/s direct, ext4 on virtio).  File
 * systems without O_DIRECT (tmpfs) get buffered writes throughout.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "formats/binary.h"
#include "logger/compress.h"
#include "logger/io.h"
#include "logger/log.h"
#include "logger/writer.h"

#define WRITER_ALIGN 4096
#define WRITER_BUF   (1024 * 1024)
#define WRITER_NBUF  8
/* Record ends remembered per buffer: more than fit in a carried tail (< 4 KiB). */
#define WRITER_ENDS 128
/* A segment's name: the log's, ".N" and ".lz4" */
#define WRITER_NAME_MAX (PATH_MAX + 32)
/* Room kept free in a buffer for one record: a larger one goes to a new buffer. */
#define WRITER_ROOM TEXT_EVENT_MAX

extern char **environ;

struct wbuf {
	char *data; /* WRITER_ALIGN-aligned, WRITER_BUF bytes */
	size_t len;
	off_t off;	/* file offset of data[0] (block-aligned with O_DIRECT) */
	size_t carried; /* leading bytes already counted and written buffered */
	/*
	 * Records whose last byte is in this buffer: they are written when it is.
	 * ends[] keeps the end offsets of the latest ones (text only), to move
	 * those in a carried tail to the next buffer.
	 */
	uint64_t records;
	uint32_t ends_n;
	uint32_t ends[WRITER_ENDS];
	int sync;	  /* sync after writing (a flush) */
	int rotate;	  /* switch files after writing */
	unsigned int gen; /* layout generation: see writer.live_gen */
	struct wbuf *next;
};

struct writer {
	struct conf conf;
	struct text_opts opts;
	struct bin_encoder *bin; /* log_format = BINARY */
	int fd;			 /* buffered: the tail, or everything without O_DIRECT */
	int dfd;		 /* O_DIRECT, or -1 */
	int dio;		 /* buffers are laid out for O_DIRECT: fixed at open */
	struct wbuf bufs[WRITER_NBUF];
	struct wbuf *cur; /* being filled by the caller's thread */
	int size_warned;  /* max_log_file_action SYSLOG said so */
	int rotate_req;	  /* a disk action asks for a rotation (atomic) */
	writer_rotate_fn on_rotate;
	void *rotate_arg;

	pthread_t thread, cthread;
	int started, cstarted;
	pthread_mutex_t lock;
	pthread_cond_t cond;		  /* queue, free list or compression work changed */
	struct wbuf *queue, **queue_tail; /* full, for the writer thread */
	struct wbuf *free;
	int busy; /* the writer thread holds a buffer */
	int closing;
	int compress_due; /* closed segments wait for compression */
	/*
	 * After a failed write (or writing suspended) the buffers' file offsets no
	 * longer hold: the writer thread cuts the file back to its last whole record,
	 * drops the buffers of older generations (their records counted lost), and
	 * asks the encoding thread to lay out the next ones from resync_off.
	 */
	unsigned int live_gen;
	int resync_req;
	off_t resync_off;
	unsigned int gen;	  /* encoding thread: generation of new buffers */
	pthread_mutex_t seg_lock; /* held while segment files are renamed or compressed */
	uint64_t unsynced;	  /* writer thread: records since the last sync */
	int space_state;	  /* writer thread: 0 fine, 1 below space_left, 2 below admin */
	struct writer_stats st;	  /* under lock */
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
		pthread_cond_broadcast(&w->cond);
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
			pthread_cond_wait(&w->cond, &w->lock);
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

/* Run an action's program, as auditd does: not waited for. */
static void writer_exec(char *const argv[])
{
	pid_t pid;

	if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ)) {
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
		/* the encoding thread switches files at its next record */
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

static off_t writer_cut_torn_line(struct writer *w, off_t size, int quiet);

/*
 * A write failed: cut the file back to its last whole record (text) or to where
 * this buffer's own bytes start (binary: readers skip a torn block), and start
 * a new layout generation there.  Writer thread, @w->lock not held.
 */
static void writer_fail(struct writer *w, struct wbuf *b)
{
	struct stat sb;
	off_t good = b->off + (off_t)b->carried;

	/*
	 * What this buffer wrote before failing goes (its records are counted lost),
	 * and so does the head of a record that ends in it (counted here too).
	 */
	if (w->fd >= 0 && !fstat(w->fd, &sb)) {
		if (sb.st_size < good)
			good = sb.st_size;
		if (good < sb.st_size && ftruncate(w->fd, good))
			log_warn("cutting %s back to its last record", w->conf.log_file);
		if (!w->bin)
			good = writer_cut_torn_line(w, good, 1);
	}
	pthread_mutex_lock(&w->lock);
	w->live_gen = b->gen + 1;
	w->resync_off = good < 0 ? 0 : good;
	w->resync_req = 1;
	pthread_mutex_unlock(&w->lock);
}

/* Write one buffer: its aligned part direct, the rest (a flush's tail) buffered. */
static int writer_write(struct writer *w, struct wbuf *b)
{
	size_t full = b->len;
	int err = 0;

	if (w->fd < 0)
		return -EBADF;
	/* without O_DIRECT on a new segment, the same bytes go through the page cache */
	if (w->dio && w->dfd >= 0) {
		full = b->len & ~(size_t)(WRITER_ALIGN - 1);
		if (full)
			err = io_pwrite_all(w->dfd, b->data, full, b->off);
	}
	if (!err && b->len > full && b->len > b->carried)
		err = io_pwrite_all(w->fd, b->data + full, b->len - full, b->off + full);
	if (!err && (b->sync || b->rotate))
		err = writer_sync(w, b->records);
	else if (!err)
		w->unsynced += b->records;
	return err;
}

static void *writer_thread(void *arg)
{
	struct writer *w = arg;
	struct wbuf *b;
	int err, stop, suspended;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->queue && !w->closing)
			pthread_cond_wait(&w->cond, &w->lock);
		b = w->queue;
		if (!b)
			break;
		w->queue = b->next;
		if (!w->queue)
			w->queue_tail = &w->queue;
		w->busy = 1;
		suspended = w->st.suspended;
		pthread_mutex_unlock(&w->lock);

		if (b->gen != w->live_gen)
			err = -ECANCELED; /* laid out for offsets that no longer hold */
		else if (suspended)
			err = -ESHUTDOWN;
		else
			err = writer_write(w, b);
		stop = 0;
		if (err && err != -ECANCELED && err != -ESHUTDOWN)
			writer_fail(w, b);
		if (err == -ENOSPC)
			stop = writer_action(w, &w->conf.disk_full_action, "disk full");
		else if (err && err != -ESHUTDOWN && err != -ECANCELED)
			stop = writer_action(w, &w->conf.disk_error_action, strerror(-err));
		if (!err && b->rotate && writer_rotate_files(w))
			stop = writer_action(w, &w->conf.disk_error_action,
					     "cannot open a new log");
		if (!err && !stop)
			stop = writer_check_space(w);

		pthread_mutex_lock(&w->lock);
		if (err) {
			if (!w->st.error && err != -ESHUTDOWN && err != -ECANCELED)
				w->st.error = err;
			w->st.write_lost += b->records;
		} else {
			w->st.records += b->records;
			w->st.bytes += b->len - b->carried;
		}
		if (stop)
			w->st.suspended = 1;
		b->next = w->free;
		w->free = b;
		w->busy = 0;
		pthread_cond_broadcast(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/*
 * Hand the current buffer to the writer thread and take a free one.  The
 * unaligned tail is carried over so that every direct write starts on a block;
 * after a rotation the next buffer starts the new file.
 */
static void writer_handoff(struct writer *w, int sync, int rotate)
{
	struct wbuf *b = w->cur, *nb;
	size_t keep = 0;

	if (w->dio && !rotate)
		keep = b->len & (WRITER_ALIGN - 1);
	pthread_mutex_lock(&w->lock);
	while (!w->free)
		pthread_cond_wait(&w->cond, &w->lock);
	nb = w->free;
	w->free = nb->next;
	b->sync = sync;
	b->rotate = rotate;
	b->next = NULL;
	memcpy(nb->data, b->data + b->len - keep, keep);
	nb->records = 0;
	nb->ends_n = 0;
	if (!sync && keep) {
		/* the records that end in the tail are written with @nb: count them there */
		uint32_t i, n = b->ends_n < WRITER_ENDS ? b->ends_n : WRITER_ENDS;

		for (i = 1; i <= n; i++) {
			uint32_t end = b->ends[(b->ends_n - i) % WRITER_ENDS];

			if (end <= b->len - keep)
				break;
			b->records--;
			nb->records++;
		}
		for (; i > 1; i--) {
			uint32_t end = b->ends[(b->ends_n - i + 1) % WRITER_ENDS];

			nb->ends[nb->ends_n++ % WRITER_ENDS] = end - (b->len - keep);
		}
		b->len -= keep;
	}
	nb->len = keep;
	nb->off = rotate ? 0 : b->off + (off_t)(sync ? b->len - keep : b->len);
	/* the tail is written with @b when @b is a flush; else @nb writes it first */
	nb->carried = sync ? keep : 0;
	nb->gen = w->gen;
	*w->queue_tail = b;
	w->queue_tail = &b->next;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	w->cur = nb;
}

/* The binary encoder's output: appended to the current buffer, across buffers if need be. */
static int writer_bin_out(void *arg, const void *buf, size_t len)
{
	struct writer *w = arg;
	const char *p = buf;

	while (len) {
		size_t room = WRITER_BUF - w->cur->len, n = len < room ? len : room;

		memcpy(w->cur->data + w->cur->len, p, n);
		w->cur->len += n;
		p += n;
		len -= n;
		if (len)
			writer_handoff(w, 0, 0);
	}
	return 0;
}

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
	return w->bin ? 0 : -errno;
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
	ssize_t n;
	int err, i;

	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->fd = w->dfd = -1;
	w->conf = *c;
	w->opts = *o;
	pthread_mutex_init(&w->lock, NULL);
	pthread_mutex_init(&w->seg_lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->queue_tail = &w->queue;
	for (i = 0; i < WRITER_NBUF; i++) {
		if (posix_memalign((void **)&w->bufs[i].data, WRITER_ALIGN, WRITER_BUF)) {
			err = -ENOMEM;
			goto fail;
		}
		if (i) {
			w->bufs[i].next = w->free;
			w->free = &w->bufs[i];
		}
	}
	w->cur = &w->bufs[0];
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
	w->cur->off = size;
	w->dio = w->dfd >= 0;
	if (w->dio) {
		/* start at the last block boundary, with the partial block in the buffer */
		w->cur->off = size & ~(off_t)(WRITER_ALIGN - 1);
		w->cur->len = size - w->cur->off;
		n = w->cur->len ? pread(w->fd, w->cur->data, w->cur->len, w->cur->off) : 0;
		if (n != (ssize_t)w->cur->len) {
			err = n < 0 ? -errno : -EIO;
			goto fail;
		}
		w->cur->carried = w->cur->len;
	}
	if (c->log_format == CONF_FMT_BINARY) {
		err = writer_bin_open(w);
		if (err)
			goto fail;
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

void writer_set_rotate_fn(struct writer *w, writer_rotate_fn fn, void *arg)
{
	w->on_rotate = fn;
	w->rotate_arg = arg;
}

void writer_rotate(struct writer *w)
{
	if (w->bin)
		bin_flush(w->bin);
	writer_handoff(w, 1, 1);
	if (w->bin)
		bin_segment(w->bin);
	if (w->on_rotate)
		w->on_rotate(w->rotate_arg);
}

/*
 * Start the current buffer anew at the offset the writer thread gave, after a
 * failed write or a suspension: its records were laid out for offsets that no
 * longer hold, and are counted as lost.  Encoding thread.
 */
static void writer_resync(struct writer *w)
{
	struct wbuf *b = w->cur;
	off_t off;
	ssize_t n;

	pthread_mutex_lock(&w->lock);
	w->resync_req = 0;
	off = w->resync_off;
	w->gen = w->live_gen;
	w->st.write_lost += b->records;
	pthread_mutex_unlock(&w->lock);
	b->records = 0;
	b->ends_n = 0;
	b->len = b->carried = 0;
	b->off = off;
	b->gen = w->gen;
	if (w->dio) {
		b->off = off & ~(off_t)(WRITER_ALIGN - 1);
		n = off > b->off ? pread(w->fd, b->data, off - b->off, b->off) : 0;
		if (n != off - b->off) {
			/* cannot rebuild the partial block: write buffered from here on */
			b->off = off;
			n = 0;
			w->dio = 0;
		}
		b->len = b->carried = n;
	}
	if (w->bin)
		bin_segment(w->bin);
}

/* Past max_log_file: act as max_log_file_action says, at a record boundary. */
static void writer_check_size(struct writer *w)
{
	uint64_t size = (uint64_t)w->cur->off + w->cur->len;

	if (__atomic_exchange_n(&w->rotate_req, 0, __ATOMIC_ACQ_REL)) {
		writer_rotate(w);
		return;
	}
	if (!w->conf.max_log_file || size < (uint64_t)w->conf.max_log_file * 1024 * 1024)
		return;
	switch (w->conf.max_log_file_action) {
	case CONF_ROT_ROTATE:
	case CONF_ROT_KEEP_LOGS:
		writer_rotate(w);
		break;
	case CONF_ROT_SYSLOG:
		if (!w->size_warned)
			log_warnx("%s has reached max_log_file", w->conf.log_file);
		w->size_warned = 1;
		break;
	case CONF_ROT_SUSPEND:
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

int writer_put(struct writer *w, const struct log_record *r)
{
	struct wbuf *b;
	int n;

	if (__atomic_load_n(&w->resync_req, __ATOMIC_ACQUIRE))
		writer_resync(w);
	b = w->cur;
	if (WRITER_BUF - b->len < WRITER_ROOM) {
		writer_handoff(w, 0, 0);
		b = w->cur;
	}
	if (w->bin)
		n = bin_encode(w->bin, r);
	else if (r->kind == LOG_REC_EVENT)
		n = text_encode_event(b->data + b->len, WRITER_BUF - b->len, r->ev, &r->stamp,
				      &r->ident, r->key, &w->opts);
	else
		n = text_encode_daemon(b->data + b->len, WRITER_BUF - b->len, r->type, &r->stamp,
				       r->fields, &w->opts);
	if (n < 0) {
		pthread_mutex_lock(&w->lock);
		w->st.write_lost++;
		pthread_mutex_unlock(&w->lock);
		return n;
	}
	/* the binary encoder appends through writer_bin_out(); w->cur may have changed */
	if (!w->bin) {
		b->len += n;
		b->ends[b->ends_n++ % WRITER_ENDS] = b->len;
	}
	w->cur->records++;
	/* after the record: DAEMON_ROTATE, next in serial order, opens the new log */
	writer_check_size(w);
	return 0;
}

int writer_flush(struct writer *w)
{
	int err;

	if (__atomic_load_n(&w->resync_req, __ATOMIC_ACQUIRE))
		writer_resync(w);
	if (w->bin)
		bin_flush(w->bin);
	if (w->cur->records || w->cur->len > w->cur->carried)
		writer_handoff(w, 1, 0);
	pthread_mutex_lock(&w->lock);
	err = w->st.error;
	pthread_mutex_unlock(&w->lock);
	return err;
}

/* Until the writer thread has written everything handed to it. */
static void writer_wait(struct writer *w)
{
	pthread_mutex_lock(&w->lock);
	while (w->queue || w->busy)
		pthread_cond_wait(&w->cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

void writer_resume(struct writer *w)
{
	struct stat sb;

	writer_wait(w);
	pthread_mutex_lock(&w->lock);
	if (w->st.suspended) {
		log_info("%s: writing resumed", w->conf.log_file);
		/* the buffers dropped meanwhile leave the layout to be redone */
		w->live_gen++;
		w->resync_off = w->fd >= 0 && !fstat(w->fd, &sb) ? sb.st_size : 0;
		w->resync_req = 1;
	}
	w->st.suspended = 0;
	w->space_state = 0;
	pthread_mutex_unlock(&w->lock);
}

void writer_stats(const struct writer *w, struct writer_stats *out)
{
	pthread_mutex_lock((pthread_mutex_t *)&w->lock);
	*out = w->st;
	pthread_mutex_unlock((pthread_mutex_t *)&w->lock);
}

void writer_close(struct writer *w)
{
	int i;

	if (!w)
		return;
	if (w->started) {
		writer_flush(w);
		writer_wait(w);
	}
	pthread_mutex_lock(&w->lock);
	w->closing = 1;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	if (w->started)
		pthread_join(w->thread, NULL);
	if (w->cstarted)
		pthread_join(w->cthread, NULL);
	writer_close_file(w);
	bin_encoder_free(w->bin);
	for (i = 0; i < WRITER_NBUF; i++)
		free(w->bufs[i].data);
	pthread_mutex_destroy(&w->lock);
	pthread_mutex_destroy(&w->seg_lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}
