/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Rotation and retention, as auditd does them: a rotation takes its place in
 * the log's order (a ticket, as a batch does), so that the records begun
 * before it end the old file and the ones after start the new one with a
 * DAEMON_ROTATE; PATH becomes PATH.1 and so on, num_logs kept; a thread of its
 * own compresses closed segments with lz4.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "logger/compress.h"
#include "logger/log.h"
#include "logger/writer_impl.h"

/* "PATH.N" or "PATH.N.lz4", whichever exists; 0 when neither does. */
static int rotate_segment_name(const struct writer *w, unsigned int n, char *out, size_t len)
{
	snprintf(out, len, "%s.%u", w->conf.log_file, n);
	if (!access(out, F_OK))
		return 1;
	snprintf(out, len, "%s.%u.lz4", w->conf.log_file, n);
	return !access(out, F_OK);
}

/* Shift PATH.N(.lz4) to PATH.N+1(.lz4), keeping the suffix. */
static void rotate_shift(const struct writer *w, unsigned int n)
{
	char from[WRITER_NAME_MAX], to[WRITER_NAME_MAX];
	int lz4;

	if (!rotate_segment_name(w, n, from, sizeof(from)))
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
static int rotate_files(struct writer *w)
{
	char name[WRITER_NAME_MAX];
	unsigned int n, last;
	off_t size;
	int err;

	pthread_mutex_lock(&w->rot.seg_lock);
	logfile_close(w);
	if (w->conf.max_log_file_action != CONF_ROT_KEEP_LOGS && w->conf.num_logs < 2) {
		/* only the current log is kept: auditd starts it anew */
		if (unlink(w->conf.log_file))
			log_warn("removing %s", w->conf.log_file);
	} else {
		last = 1;
		while (rotate_segment_name(w, last, name, sizeof(name)))
			last++;
		if (w->conf.max_log_file_action != CONF_ROT_KEEP_LOGS) {
			for (n = w->conf.num_logs - 1; n < last; n++)
				if (rotate_segment_name(w, n, name, sizeof(name)) && unlink(name))
					log_warn("removing %s", name);
			if (last > w->conf.num_logs - 1)
				last = w->conf.num_logs - 1;
		}
		for (n = last; n >= 1; n--)
			rotate_shift(w, n);
		snprintf(name, sizeof(name), "%s.1", w->conf.log_file);
		if (rename(w->conf.log_file, name))
			log_warn("rotating %s", w->conf.log_file);
	}
	err = logfile_open(w, &size);
	if (!err && size) {
		/* someone made a file of that name meanwhile: never write over it */
		logfile_close(w);
		err = -EEXIST;
	}
	pthread_mutex_unlock(&w->rot.seg_lock);
	pthread_mutex_lock(&w->lock);
	w->st.rotations++;
	if (w->conf.compress_logs) {
		w->rot.compress_due = 1;
		pthread_cond_broadcast(&w->rot.ccond);
	}
	pthread_mutex_unlock(&w->lock);
	return err;
}

/*
 * The newest closed segment not compressed yet, opened: its fd (-1 when there is
 * none) and its inode, by which its name is found again once compressed.  The
 * newest first: when rotations come faster than compression (at full load, a
 * rotation every few milliseconds), the oldest is the next to be removed, and
 * compressing it would be work thrown away.  @w->rot.seg_lock held.
 */
static int rotate_newest_plain(const struct writer *w, struct stat *st)
{
	char name[WRITER_NAME_MAX];
	unsigned int n;
	int fd;

	for (n = 1; rotate_segment_name(w, n, name, sizeof(name)); n++) {
		snprintf(name, sizeof(name), "%s.%u", w->conf.log_file, n);
		fd = open(name, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!fstat(fd, st))
			return fd;
		close(fd);
	}
	return -1;
}

/*
 * Put a segment's compressed copy @tmp in its place: under the segment's name
 * now (rotations may have shifted it meanwhile), found by its inode, as
 * NAME.lz4, and NAME removed; @tmp dropped if the segment is gone (rotated
 * out).  @w->rot.seg_lock held.  Return: 0 or a negative errno.
 */
static int rotate_compressed(const struct writer *w, const struct stat *st, const char *tmp)
{
	char name[WRITER_NAME_MAX], dst[WRITER_NAME_MAX + 4];
	struct stat now;
	unsigned int n;

	for (n = 1; rotate_segment_name(w, n, name, sizeof(name)); n++) {
		snprintf(name, sizeof(name), "%s.%u", w->conf.log_file, n);
		if (stat(name, &now) || now.st_ino != st->st_ino || now.st_dev != st->st_dev)
			continue;
		snprintf(dst, sizeof(dst), "%s.lz4", name);
		if (rename(tmp, dst))
			return -errno;
		return unlink(name) ? -errno : 0;
	}
	unlink(tmp);
	return 0;
}

/*
 * Compress every closed segment not compressed yet, newest first.  The segment
 * lock is held only to find a segment and to put its copy in place, not while
 * it is compressed: the writer thread rotates meanwhile.
 */
static void rotate_compress_all(struct writer *w)
{
	char tmp[WRITER_NAME_MAX + 8];
	struct stat st;
	int fd, err;

	snprintf(tmp, sizeof(tmp), "%s.lz4.tmp", w->conf.log_file);
	for (;;) {
		pthread_mutex_lock(&w->rot.seg_lock);
		fd = rotate_newest_plain(w, &st);
		pthread_mutex_unlock(&w->rot.seg_lock);
		if (fd < 0)
			return;
		err = compress_fd(fd, tmp);
		close(fd);
		if (!err) {
			pthread_mutex_lock(&w->rot.seg_lock);
			err = rotate_compressed(w, &st, tmp);
			pthread_mutex_unlock(&w->rot.seg_lock);
		}
		if (err) {
			log_warnx("compressing %s's segments: %s", w->conf.log_file,
				  strerror(-err));
			return;
		}
	}
}

void *rotate_compress_thread(void *arg)
{
	struct writer *w = arg;

	/*
	 * Not boosted: at full load it took more CPU than the consumer (lz4 over
	 * every closed segment), and at SCHED_FIFO that CPU was the consumer's and
	 * the writer's.  A segment rotated out before its turn is simply removed;
	 * the writer thread waits for seg_lock only while a name is found or put,
	 * and lends it its priority then (a priority-inheriting mutex).
	 */
	/*
	 * Below every process it competes with: at full load the CPUs go to the
	 * audited processes and the stages, and the segments rotated out
	 * meanwhile stay as they are (read back from the disk, they took the
	 * bandwidth the writer needed too).  0: this thread only.
	 */
	if (w->conf.priority_boost && setpriority(PRIO_PROCESS, 0, 19))
		log_warn("compression thread: nice 19");
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->rot.compress_due && !w->closing)
			pthread_cond_wait(&w->rot.ccond, &w->lock);
		if (!w->rot.compress_due)
			break;
		w->rot.compress_due = 0;
		pthread_mutex_unlock(&w->lock);
		rotate_compress_all(w);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* The record that opens a new log, with the serial its rotation was given.  Writer thread. */
static void rotate_put_record(struct writer *w, uint64_t serial)
{
	struct log_record r = {.kind = LOG_REC_DAEMON, .type = "DAEMON_ROTATE"};
	struct timespec ts;
	char buf[4096];
	int n;

	r.fields = w->rot.fields;
	clock_gettime(CLOCK_REALTIME, &ts);
	r.stamp.sec = ts.tv_sec;
	r.stamp.msec = ts.tv_nsec / 1000000;
	r.stamp.serial = serial;
	if (w->file.bin) {
		n = bin_encode(w->file.bin, &r);
		if (!n)
			n = bin_flush(w->file.bin);
		if (!n)
			w->file.out_records++;
	} else {
		n = text_encode_daemon(buf, sizeof(buf), r.type, &r.stamp, r.fields, &w->opts);
		if (n >= 0)
			logfile_add(w, buf, n, 1, 1);
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
int rotate_mark(struct writer *w)
{
	struct wmark *m = calloc(1, sizeof(*m));

	if (!m) {
		log_warnx("%s: cannot rotate: out of memory", w->conf.log_file);
		return -ENOMEM;
	}
	m->ticket = w->tickets++;
	m->serial = w->rot.fields ? ++w->serial : 0;
	w->rot.last_mark = m->ticket;
	w->rot.young = 0;
	*w->rot.marks_tail = m;
	w->rot.marks_tail = &m->next;
	pthread_cond_signal(&w->wcond);
	return 0;
}

/*
 * Whether the log that the next batch would go to reaches max_log_file, with
 * what the writer thread has been handed for it.  @w->lock held.
 */
int rotate_size_reached(const struct writer *w)
{
	uint64_t size = w->rot.marks ? w->rot.young : w->layout_end + w->handed;

	return w->conf.max_log_file && size >= (uint64_t)w->conf.max_log_file * 1024 * 1024;
}

/* A rotation's turn: everything before it to the old file, then a new one.  Writer thread. */
void rotate_do(struct writer *w, const struct wmark *m)
{
	int stop = 0, suspended;

	logfile_seal(w);
	logfile_flush_out(w, 1);
	pthread_mutex_lock(&w->lock);
	suspended = w->st.suspended;
	if (suspended && m->serial)
		w->st.write_lost++;
	pthread_mutex_unlock(&w->lock);
	if (suspended)
		return;
	if (rotate_files(w))
		stop = disk_action(w, &w->conf.disk_error_action, "cannot open a new log");
	w->file.dio = w->file.dfd >= 0;
	logfile_restart(w, 0);
	w->file.need_header = w->file.bin != NULL;
	w->file.header_end = 0;
	if (stop) {
		pthread_mutex_lock(&w->lock);
		w->st.suspended = 1;
		pthread_mutex_unlock(&w->lock);
	}
	if (m->serial)
		rotate_put_record(w, m->serial);
}

/* After each batch: past max_log_file, act as max_log_file_action says.  Writer thread. */
void rotate_check_size(struct writer *w)
{
	uint64_t size = (uint64_t)w->file.out_off + w->file.out_len;

	if (__atomic_exchange_n(&w->rot.req, 0, __ATOMIC_ACQ_REL)) {
		pthread_mutex_lock(&w->lock);
		rotate_mark(w);
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
		if (!w->rot.marks)
			rotate_mark(w);
		pthread_mutex_unlock(&w->lock);
		break;
	case CONF_ROT_SYSLOG:
		if (!w->rot.size_warned)
			log_warnx("%s has reached max_log_file", w->conf.log_file);
		w->rot.size_warned = 1;
		break;
	case CONF_ROT_SUSPEND:
		logfile_flush_out(w, 1);
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

int writer_set_rotate_record(struct writer *w, const char *fields)
{
	char *f = NULL;

	if (fields) {
		f = strdup(fields);
		if (!f)
			return -ENOMEM;
	}
	pthread_mutex_lock(&w->lock);
	free(w->rot.fields);
	w->rot.fields = f;
	pthread_mutex_unlock(&w->lock);
	return 0;
}

void writer_rotate(struct writer *w)
{
	pthread_mutex_lock(&w->lock);
	rotate_mark(w);
	pthread_mutex_unlock(&w->lock);
}
