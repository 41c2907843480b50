/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logger/log.h"
#include "logger/writer.h"

#define WRITER_BUF (4 * 1024 * 1024)

struct writer {
	int fd;
	enum conf_flush flush;
	unsigned int freq;
	struct text_opts opts;
	char *buf;
	size_t len;
	uint64_t buffered;	/* records in buf */
	uint64_t unsynced;	/* records written since the last sync */
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

struct writer *writer_open(const struct conf *c, const struct text_opts *o)
{
	struct writer *w;
	int err;

	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->fd = -1;
	w->buf = malloc(WRITER_BUF);
	if (!w->buf) {
		err = -ENOMEM;
		goto fail;
	}
	err = writer_mkdirs(c->log_file);
	if (err)
		goto fail;
	w->fd = open(c->log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (w->fd < 0) {
		err = -errno;
		goto fail;
	}
	w->flush = c->flush;
	w->freq = c->freq;
	w->opts = *o;
	return w;
fail:
	writer_close(w);
	errno = -err;
	return NULL;
}

static int writer_sync(struct writer *w)
{
	int rc = 0;

	switch (w->flush) {
	case CONF_FLUSH_NONE:
		return 0;
	case CONF_FLUSH_INCREMENTAL:
	case CONF_FLUSH_INCREMENTAL_ASYNC:
		if (w->unsynced < w->freq)
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

/* Write the buffer out; on failure its records are counted as lost, never retried blindly. */
static int writer_drain(struct writer *w)
{
	size_t off = 0;
	ssize_t n;
	int err = 0;

	while (off < w->len) {
		n = write(w->fd, w->buf + off, w->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			break;
		}
		off += n;
	}
	w->st.bytes += off;
	if (err) {
		if (!w->st.error)
			w->st.error = err;
		w->st.write_lost += w->buffered;
	} else {
		w->st.records += w->buffered;
		w->unsynced += w->buffered;
	}
	w->len = 0;
	w->buffered = 0;
	return err;
}

int writer_put(struct writer *w, const struct log_record *r)
{
	int n, err;

	if (WRITER_BUF - w->len < TEXT_EVENT_MAX) {
		err = writer_drain(w);
		if (err)
			log_warnx("writing %s failed: %s", "the log", strerror(-err));
	}
	if (r->kind == LOG_REC_EVENT)
		n = text_encode_event(w->buf + w->len, WRITER_BUF - w->len, r->ev, &r->stamp,
				      &r->ident, r->key, &w->opts);
	else
		n = text_encode_daemon(w->buf + w->len, WRITER_BUF - w->len, r->type, &r->stamp,
				       r->fields, &w->opts);
	if (n < 0) {
		w->st.write_lost++;
		return n;
	}
	w->len += n;
	w->buffered++;
	return 0;
}

int writer_flush(struct writer *w)
{
	int err = writer_drain(w);

	if (!err)
		err = writer_sync(w);
	return err;
}

void writer_stats(const struct writer *w, struct writer_stats *out)
{
	*out = w->st;
}

void writer_close(struct writer *w)
{
	if (!w)
		return;
	if (w->fd >= 0) {
		writer_drain(w);
		if (w->flush != CONF_FLUSH_NONE)
			fsync(w->fd);
		close(w->fd);
	}
	free(w->buf);
	free(w);
}
