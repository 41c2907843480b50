/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lausearch --checkpoint FILE and -ts checkpoint, as ausearch 3.0.9 keeps them.
 *
 * The file names the log last read (its device and inode) and the last event
 * ausearch took out of it, complete, whether it matched or not:
 *
 *     dev=0xFE00
 *     inode=5440571
 *     output=- 1700000000.131:7009 0x514
 *
 * (the node, "-" for none; the stamp; the type of the event's first record).  The
 * next search with the same file prints the matching events after that one: a
 * matching event before it is left out, and one more than 2 s younger than it
 * means the file does not belong to this log (exit 10, then 12).  -ts checkpoint
 * prints the matching events from the checkpoint's time instead.  Events not
 * complete at the end of the log are left for the next search.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "logger/search.h"

/* ausearch's MAX_EVENT_DELTA_SECS */
#define MAX_DELTA_SECS 2

static int load_output(struct search_checkpt *c, char *line)
{
	char *v = line + 7, *rest = strchr(v, ' ');
	unsigned long long sec, serial;
	unsigned int msec, type;

	if (!rest) {
		fprintf(stderr, "Malformed output/event checkpoint line near node - [%s]\n", line);
		return -EINVAL;
	}
	*rest++ = 0;
	c->has_node = *v != '-';
	snprintf(c->node, sizeof(c->node), "%.255s", v);
	if (sscanf(rest, "%llu.%03u:%llu 0x%X", &sec, &msec, &serial, &type) != 4) {
		fprintf(stderr, "Malformed output/event checkpoint line after node - [%s]\n", line);
		return -EINVAL;
	}
	c->sec = sec;
	c->msec = msec;
	c->serial = serial;
	c->type = type;
	return 0;
}

static int bad_number(const char *what, const char *line)
{
	fprintf(stderr, "Malformed %s checkpoint line - [%s]\n", what, line);
	return -EINVAL;
}

int search_checkpt_load(struct search_checkpt *c, const char *path)
{
	char line[1023];
	int rc = 0;
	FILE *f;

	c->path = path;
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0; /* the first search: everything */
		fprintf(stderr, "Cannot open checkpoint file - %s: %s\n", path, strerror(errno));
		return -errno;
	}
	while (!rc && fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);

		if (len && line[len - 1] == '\n')
			line[len - 1] = 0;
		errno = 0;
		if (!strncmp(line, "dev=", 4)) {
			c->in_dev = strtoull(line + 4, NULL, 16);
			if (errno)
				rc = bad_number("dev", line);
		} else if (!strncmp(line, "inode=", 6)) {
			c->in_ino = strtoull(line + 6, NULL, 0);
			if (errno)
				rc = bad_number("inode", line);
		} else if (!strncmp(line, "output=", 7)) {
			rc = load_output(c, line);
		} else {
			fprintf(stderr, "Unknown checkpoint line - [%s]\n", line);
			rc = -EINVAL;
		}
	}
	if (!c->in_dev || !c->in_ino) {
		fprintf(stderr, "Missing dev/inode lines from checkpoint file %s\n", path);
		rc = -EINVAL;
	}
	fclose(f);
	if (!rc)
		c->loaded = 1;
	return rc;
}

int search_checkpt_is_file(const struct search_checkpt *c, const char *path)
{
	struct stat sb;

	return !stat(path, &sb) && sb.st_dev == c->in_dev && sb.st_ino == c->in_ino;
}

int search_checkpt_decide(struct search_checkpt *c, uint64_t sec, uint32_t msec, uint64_t serial,
			  int type)
{
	if (c->can_output || !c->loaded || !c->sec) {
		c->can_output = 1;
		return SEARCH_CK_PRINT;
	}
	if (c->timeonly && (c->sec < sec || (c->sec == sec && c->msec <= msec))) {
		c->can_output = 1;
		return SEARCH_CK_PRINT;
	}
	/* lauditd's records carry no node name */
	if (c->sec == sec && c->msec == msec && c->serial == serial && c->type == type &&
	    !c->has_node) {
		c->can_output = 1;
		return SEARCH_CK_AFTER;
	}
	if (c->sec < sec && sec - c->sec > MAX_DELTA_SECS) {
		fprintf(stderr,
			"Corrupted checkpoint file. Inode match, but newer complete event "
			"(%" PRIu64 ".%03u:%" PRIu64 ") found before loaded checkpoint "
			"%" PRIu64 ".%03u:%" PRIu64 "\n",
			sec, msec, serial, c->sec, c->msec, c->serial);
		c->corrupted = 1;
		return SEARCH_CK_CORRUPT;
	}
	return SEARCH_CK_SKIP;
}

void search_checkpt_seen(struct search_checkpt *c, uint64_t sec, uint32_t msec, uint64_t serial,
			 int type)
{
	c->last_sec = sec;
	c->last_msec = msec;
	c->last_serial = serial;
	c->last_type = type;
}

int search_checkpt_file(struct search_checkpt *c, const char *path)
{
	struct stat sb;

	if (stat(path, &sb)) {
		fprintf(stderr, "Cannot stat audit file for checkpoint details - %s: %s\n", path,
			strerror(errno));
		c->failed = 1;
		return -errno;
	}
	c->dev = sb.st_dev;
	c->ino = sb.st_ino;
	return 0;
}

int search_checkpt_save(struct search_checkpt *c)
{
	FILE *f = fopen(c->path, "w");

	if (!f) {
		fprintf(stderr, "Cannot open checkpoint file - %s: %s\n", c->path, strerror(errno));
		c->failed = 1;
		return -errno;
	}
	fprintf(f, "dev=0x%" PRIX64 "\ninode=%" PRIu64 "\n", (uint64_t)c->dev, (uint64_t)c->ino);
	fprintf(f, "output=- %" PRIu64 ".%03u:%" PRIu64 " 0x%X\n", c->last_sec, c->last_msec,
		c->last_serial, (unsigned int)c->last_type);
	if (fclose(f)) {
		c->failed = 1;
		return -EIO;
	}
	return 0;
}
