/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The log file: opened (its directory made), the writer thread's bytes laid
 * out and written, synced as the flush setting says, and cut back to its last
 * whole record after a failed write or a crash.
 *
 * The writer thread copies the batches into one block-aligned buffer: its full
 * 4 KiB blocks go to the file with O_DIRECT, the unaligned tail with a buffered
 * write that a later direct write of that block replaces, only when a flush
 * asks for it: when the buffer is merely full, the tail waits in it for the
 * next direct write (a buffered tail makes that write wait for the page's
 * writeback first).  On a fresh machine,
 * filling new page-cache pages costs more than the text encoding itself
 * (measured: 0.4-0.5 GB/s buffered, 1.9 GB/s direct, ext4 on virtio); the copy
 * costs a small part of that.  File systems without O_DIRECT (tmpfs) get
 * buffered writes throughout.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "logger/bin_chain.h"
#include "logger/io.h"
#include "logger/log.h"
#include "logger/priority.h"
#include "logger/writer_impl.h"

/* mkdir -p of @path's directory, 0700 for what it creates. */
static int logfile_mkdirs(const char *path)
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
int logfile_open(struct writer *w, off_t *size)
{
	struct stat sb;
	int err;

	err = logfile_mkdirs(w->conf.log_file);
	if (err)
		return err;
	w->file.fd = open(w->conf.log_file, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (w->file.fd < 0)
		return -errno;
	if (fstat(w->file.fd, &sb))
		return -errno;
	if (!S_ISREG(sb.st_mode))
		return -EINVAL;
	w->file.dfd = open(w->conf.log_file, O_WRONLY | O_DIRECT | O_CLOEXEC);
	*size = sb.st_size;
	return 0;
}

void logfile_close(struct writer *w)
{
	/* the sync thread's fdatasync must not outlive the descriptor; this fsync replaces it */
	pthread_mutex_lock(&w->lock);
	w->file.sync_req = 0;
	while (w->file.syncing)
		pthread_cond_wait(&w->file.scond, &w->lock);
	pthread_mutex_unlock(&w->lock);
	if (w->file.fd >= 0) {
		if (w->conf.flush != CONF_FLUSH_NONE && fsync(w->file.fd))
			log_warn("syncing %s", w->conf.log_file);
		close(w->file.fd);
	}
	if (w->file.dfd >= 0)
		close(w->file.dfd);
	w->file.fd = w->file.dfd = -1;
}

static int logfile_sync(struct writer *w, uint64_t records)
{
	int rc = 0;

	w->file.unsynced += records;
	switch (w->conf.flush) {
	case CONF_FLUSH_NONE:
		return 0;
	case CONF_FLUSH_INCREMENTAL:
		if (w->file.unsynced < w->conf.freq)
			return 0;
		rc = fdatasync(w->file.fd);
		break;
	case CONF_FLUSH_INCREMENTAL_ASYNC:
		if (w->file.unsynced < w->conf.freq)
			return 0;
		if (!w->file.sstarted) {
			rc = fdatasync(w->file.fd);
			break;
		}
		/* as auditd's: the sync thread syncs, the writer goes on writing */
		pthread_mutex_lock(&w->lock);
		w->file.sync_req = 1;
		pthread_cond_signal(&w->file.scond);
		pthread_mutex_unlock(&w->lock);
		break;
	case CONF_FLUSH_DATA:
		rc = fdatasync(w->file.fd);
		break;
	case CONF_FLUSH_SYNC:
		rc = fsync(w->file.fd);
		break;
	}
	w->file.unsynced = 0;
	return rc ? -errno : 0;
}

/*
 * flush = INCREMENTAL_ASYNC: fdatasync the log whenever the writer thread asks
 * (every freq records); requests made while a sync runs are served by one more.
 */
static void *logfile_sync_thread(void *arg)
{
	struct writer *w = arg;
	int fd, warned = 0;

	/* it holds no one up, but a sync delayed is durability delayed */
	priority_stage(w->conf.priority_boost, NULL, "sync thread");
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->file.sync_req && !w->closing)
			pthread_cond_wait(&w->file.scond, &w->lock);
		if (!w->file.sync_req)
			break;
		w->file.sync_req = 0;
		w->file.syncing = 1;
		fd = w->file.fd;
		pthread_mutex_unlock(&w->lock);
		if (fd >= 0 && fdatasync(fd) && !warned) {
			log_warn("syncing %s", w->conf.log_file);
			warned = 1;
		}
		pthread_mutex_lock(&w->lock);
		w->file.syncing = 0;
		pthread_cond_broadcast(&w->file.scond);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int logfile_sync_start(struct writer *w)
{
	int err;

	if (w->conf.flush != CONF_FLUSH_INCREMENTAL_ASYNC || !w->conf.write_logs)
		return 0;
	err = -pthread_create(&w->file.sthread, NULL, logfile_sync_thread, w);
	if (!err)
		w->file.sstarted = 1;
	return err;
}

void logfile_sync_stop(struct writer *w)
{
	if (!w->file.sstarted)
		return;
	pthread_mutex_lock(&w->lock);
	pthread_cond_broadcast(&w->file.scond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->file.sthread, NULL);
	w->file.sstarted = 0;
}

/*
 * Lay out what comes next from file offset @off: with O_DIRECT, from the block
 * that holds @off, its head read back from the file.  Writer thread.
 */
void logfile_restart(struct writer *w, off_t off)
{
	ssize_t n = 0;

	w->file.out_records = 0;
	w->file.out_flush = 0;
	w->file.add_start = SIZE_MAX; /* no batch in out: nothing to carry */
	w->file.add_records = 0;
	w->file.out_off = off;
	if (w->file.dio) {
		w->file.out_off = off & ~(off_t)(WRITER_ALIGN - 1);
		n = off > w->file.out_off
			    ? pread(w->file.fd, w->file.out, off - w->file.out_off, w->file.out_off)
			    : 0;
		if (n != off - w->file.out_off) {
			/* cannot rebuild the partial block: write buffered from here on */
			w->file.out_off = off;
			n = 0;
			w->file.dio = 0;
		}
	}
	w->file.out_len = w->file.out_carried = n;
}

/* Whether out holds bytes or records not written yet. */
int logfile_dirty(const struct writer *w)
{
	return w->file.out_len > w->file.out_carried || w->file.out_records;
}

/*
 * Write out: its full blocks direct, the rest buffered (@carry: not written,
 * it stays in out), then sync when @sync and the flush setting say so.  @full:
 * set to the bytes written direct (all of them without O_DIRECT).  Return: 0
 * or a negative errno.
 */
static int logfile_write(struct writer *w, int sync, int carry, size_t *full)
{
	size_t from = w->file.out_carried; /* buffered: what was not written yet */
	int err = 0;

	*full = w->file.out_len;
	if (w->file.fd < 0)
		return -EBADF;
	if (w->file.dio && w->file.dfd >= 0) {
		*full = w->file.out_len & ~(size_t)(WRITER_ALIGN - 1);
		if (*full)
			err = io_pwrite_all(w->file.dfd, w->file.out, *full, w->file.out_off);
		from = *full;
	}
	if (!err && !carry && w->file.out_len > from && w->file.out_len > w->file.out_carried)
		err = io_pwrite_all(w->file.fd, w->file.out + from, w->file.out_len - from,
				    w->file.out_off + from);
	if (!err && sync)
		err = logfile_sync(w, w->file.out_records);
	else if (!err)
		w->file.unsynced += w->file.out_records;
	return err;
}

/*
 * A write failed: cut the file back to its last whole record (text) or to where
 * the failed write started (binary: readers skip a torn block), and lay out
 * anew from there.  Writer thread.
 */
static void logfile_fail(struct writer *w)
{
	off_t good = w->file.out_off + (off_t)w->file.out_carried, cut;
	struct stat sb;

	if (w->file.fd >= 0 && !fstat(w->file.fd, &sb)) {
		if (sb.st_size < good)
			good = sb.st_size;
		if (good < sb.st_size && ftruncate(w->file.fd, good))
			log_warn("cutting %s back to its last record", w->conf.log_file);
		if (!w->file.bin) {
			cut = logfile_cut_torn_line(w, good, 1);
			if (cut >= 0)
				good = cut;
		}
	}
	if (w->file.bin && good < w->file.header_end)
		w->file.need_header = 1;
	logfile_restart(w, good);
}

/*
 * Write what out holds (@sync: and sync as the flush setting says; @carry:
 * out is full and more follows at once, see logfile_add()).  Records that
 * cannot be written are counted; a failure cuts the file back and carries out
 * the disk action.  Writer thread, @w->lock not held.
 */
static void logfile_flush(struct writer *w, int sync, int carry)
{
	uint64_t records = w->file.out_records, kept = 0;
	size_t bytes = w->file.out_len - w->file.out_carried, full = 0, tail;
	int err, stop = 0, suspended;

	if (!logfile_dirty(w))
		return;
	/*
	 * Only the full blocks are written, and the tail waits in out for the
	 * next write, direct too: written buffered now, it would make that write
	 * wait for the page's writeback first.  The last batch's records end in
	 * the tail or before: they are counted with the next write.
	 */
	carry = carry && !sync && !w->file.out_flush && w->file.dio && w->file.dfd >= 0 &&
		w->file.add_start < (w->file.out_len & ~(size_t)(WRITER_ALIGN - 1)) &&
		w->file.add_start >= w->file.out_carried;
	if (carry) {
		kept = w->file.add_records;
		records -= kept;
		bytes = (w->file.out_len & ~(size_t)(WRITER_ALIGN - 1)) - w->file.out_carried;
	}
	pthread_mutex_lock(&w->lock);
	suspended = w->st.suspended;
	pthread_mutex_unlock(&w->lock);
	if (suspended) {
		/* nothing goes to the file: SIGUSR2 lays out anew from its end */
		w->file.out_len = w->file.out_carried;
		err = -ESHUTDOWN;
	} else {
		err = logfile_write(w, sync || w->file.out_flush, carry, &full);
	}
	if (!err) {
		/* the partial last block stays, to be written direct once filled */
		tail = w->file.out_len - full;
		memmove(w->file.out, w->file.out + full, tail);
		w->file.out_off += full;
		w->file.out_len = tail;
		w->file.out_carried = carry ? 0 : tail;
		stop = disk_check_space(w);
	} else if (err != -ESHUTDOWN) {
		logfile_fail(w);
		if (err == -ENOSPC)
			stop = disk_action(w, &w->conf.disk_full_action, "disk full");
		else
			stop = disk_action(w, &w->conf.disk_error_action, strerror(-err));
	}
	w->file.out_flush = 0;
	if (err) {
		/* laid out anew: the kept records are lost with the rest */
		records += kept;
		kept = 0;
	}
	w->file.out_records = kept;
	w->file.add_start = kept ? 0 : SIZE_MAX;
	w->file.add_records = kept;
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

void logfile_flush_out(struct writer *w, int sync)
{
	logfile_flush(w, sync, 0);
}

/* Copy @len bytes to out, written first when they do not fit. */
static void logfile_put(struct writer *w, const void *p, size_t len)
{
	if (w->file.out_len + len > WRITER_OUT)
		logfile_flush_out(w, 0);
	memcpy(w->file.out + w->file.out_len, p, len);
	w->file.out_len += len;
}

/* Bytes of the log to out; in a chained binary log, each unit followed by its link. */
static void logfile_put_units(struct writer *w, const uint8_t *p, size_t len)
{
	uint8_t link[BIN_CHAIN_LINK_MAX];
	size_t n, l;

	if (!w->file.chain) {
		logfile_put(w, p, len);
		return;
	}
	while (len) {
		n = bin_chain_feed(w->file.chain, p, len, link, &l);
		logfile_put(w, p, n);
		if (l)
			logfile_put(w, link, l);
		p += n;
		len -= n;
	}
}

/*
 * Append @len bytes holding @records whole records to out, after the segment
 * header when the file needs one; out is written first when they do not fit.
 * @len is at most WRITER_CHUNK.  Writer thread.
 */
void logfile_add(struct writer *w, const void *p, size_t len, uint64_t records, int flush)
{
	size_t hdr = w->file.need_header ? w->file.seg_hdr_len : 0;

	if (len && w->file.out_len + hdr + len > WRITER_OUT)
		logfile_flush(w, 0, 1);
	w->file.out_flush |= flush;
	if (!len)
		return;
	if (w->file.need_header) {
		logfile_put_units(w, w->file.seg_hdr, w->file.seg_hdr_len);
		w->file.header_end = w->file.out_off + (off_t)w->file.out_len;
		w->file.need_header = 0;
	}
	w->file.add_start = w->file.out_len;
	logfile_put_units(w, p, len);
	w->file.out_records += records;
	w->file.add_records = records;
}

void logfile_seal(struct writer *w)
{
	uint8_t seal[BIN_CHAIN_SEAL];
	struct timespec ts;
	int err;

	if (!w->file.chain)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	err = bin_chain_seal(w->file.chain, (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec, seal);
	if (err == -ENODATA)
		return;
	if (err) {
		log_warnx("%s: cannot seal the segment: %s", w->conf.log_file, strerror(-err));
		return;
	}
	logfile_put(w, seal, sizeof(seal));
	w->file.out_flush = 1;
}

/*
 * The writer's own binary encoder (DAEMON_ROTATE): its first output, the
 * segment header, is kept to start every file with; blocks go into out.
 */
static int logfile_bin_out(void *arg, const void *buf, size_t len)
{
	struct writer *w = arg;

	if (!w->file.seg_hdr) {
		w->file.seg_hdr = malloc(len);
		if (!w->file.seg_hdr)
			return -ENOMEM;
		memcpy(w->file.seg_hdr, buf, len);
		w->file.seg_hdr_len = len;
		return 0;
	}
	if (len > WRITER_CHUNK)
		return -E2BIG;
	logfile_add(w, buf, len, 0, 1);
	return 0;
}

static void logfile_read_line(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "re");

	out[0] = 0;
	if (f) {
		if (fgets(out, len, f))
			out[strcspn(out, "\n")] = 0;
		fclose(f);
	}
}

/* signing_key: an Ed25519 private key in PEM, its 32 bytes in @key. */
static int logfile_load_key(const char *path, uint8_t *key)
{
	size_t n = BIN_CHAIN_KEY;
	EVP_PKEY *k = NULL;
	FILE *f;
	int err = -EINVAL;

	f = fopen(path, "re");
	if (!f) {
		err = -errno;
		log_warn("signing_key %s", path);
		return err;
	}
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!k || EVP_PKEY_id(k) != EVP_PKEY_ED25519 ||
	    EVP_PKEY_get_raw_private_key(k, key, &n) != 1 || n != BIN_CHAIN_KEY)
		log_warnx("signing_key %s: not an Ed25519 private key in PEM "
			  "(openssl genpkey -algorithm ed25519)",
			  path);
	else
		err = 0;
	EVP_PKEY_free(k);
	return err;
}

/* The hash chain, going on from the last link or seal the log file holds. */
static int logfile_chain_open(struct writer *w)
{
	uint8_t key[BIN_CHAIN_KEY], head[BIN_CHAIN_HASH];
	uint64_t seq = 0;
	struct stat sb;
	void *m;
	int err, found = 0;

	if (w->conf.signing_key[0]) {
		err = logfile_load_key(w->conf.signing_key, key);
		if (err)
			return err;
	}
	if (w->file.fd >= 0 && !fstat(w->file.fd, &sb) && sb.st_size > 0) {
		m = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, w->file.fd, 0);
		if (m != MAP_FAILED) {
			found = bin_chain_resume(m, sb.st_size, head, &seq);
			munmap(m, sb.st_size);
		}
	}
	w->file.chain =
		bin_chain_new(found ? head : NULL, seq, w->conf.signing_key[0] ? key : NULL);
	err = w->file.chain ? 0 : -errno;
	OPENSSL_cleanse(key, sizeof(key));
	return err;
}

int logfile_bin_open(struct writer *w)
{
	struct bin_encoder_opts bo = {.write = logfile_bin_out, .write_arg = w};
	char host[256], boot[64];
	struct utsname u;
	int err;

	if (gethostname(host, sizeof(host)))
		host[0] = 0;
	host[sizeof(host) - 1] = 0;
	logfile_read_line("/proc/sys/kernel/random/boot_id", boot, sizeof(boot));
	uname(&u);
	bo.host = host;
	bo.boot_id = boot;
	bo.kernel = u.release;
	w->file.bin = bin_encoder_new(&bo);
	if (!w->file.bin)
		return -errno;
	bin_encoder_chained(w->file.bin);
	err = logfile_chain_open(w);
	if (err)
		return err;
	/* the header goes to w->file.seg_hdr (see logfile_bin_out()) */
	return bin_segment(w->file.bin);
}

/*
 * After a crash the text log can end inside a record that was never completely
 * written: cut it off, so that what follows starts on a line of its own.
 * Return: the new size, or a negative errno.
 */
off_t logfile_cut_torn_line(struct writer *w, off_t size, int quiet)
{
	char buf[4096];
	off_t end = size, cut;
	ssize_t n, i;

	while (end > 0) {
		cut = end > (off_t)sizeof(buf) ? end - (off_t)sizeof(buf) : 0;
		n = pread(w->file.fd, buf, end - cut, cut);
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
			if (ftruncate(w->file.fd, cut + i + 1))
				return -errno;
			return cut + i + 1;
		}
		end = cut;
	}
	log_warnx("%s holds no complete record: it is started anew", w->conf.log_file);
	if (ftruncate(w->file.fd, 0))
		return -errno;
	return 0;
}

/* SIGUSR2: lay out anew from where the file ends.  Writer thread. */
void logfile_relayout(struct writer *w)
{
	struct stat sb;
	off_t size = 0;

	logfile_flush_out(w, 0);
	if (w->file.fd >= 0 && !fstat(w->file.fd, &sb))
		size = sb.st_size;
	w->space_state = 0;
	w->file.dio = w->file.dfd >= 0;
	logfile_restart(w, size);
	if (w->file.bin && size < w->file.header_end)
		w->file.need_header = 1;
}
