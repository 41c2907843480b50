/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "logger/names.h"

#define NAMES_SLOTS 1024
#define NAMES_LEN   64

struct name_slot {
	uint32_t id;
	int state; /* 0: empty, 1: name known, 2: no such id */
	char name[NAMES_LEN];
};

struct names {
	struct name_slot slots[2][NAMES_SLOTS];
};

struct names *names_new(void)
{
	return calloc(1, sizeof(struct names));
}

/* Fill @s with the name of @id from the system's databases. */
static void names_fill(struct name_slot *s, uint32_t id, int group)
{
	char buf[4096];
	int rc;

	s->id = id;
	s->state = 2;
	if (group) {
		struct group gr, *res = NULL;

		rc = getgrgid_r(id, &gr, buf, sizeof(buf), &res);
		if (!rc && res && strlen(res->gr_name) < NAMES_LEN) {
			strcpy(s->name, res->gr_name);
			s->state = 1;
		}
	} else {
		struct passwd pw, *res = NULL;

		rc = getpwuid_r(id, &pw, buf, sizeof(buf), &res);
		if (!rc && res && strlen(res->pw_name) < NAMES_LEN) {
			strcpy(s->name, res->pw_name);
			s->state = 1;
		}
	}
}

const char *names_lookup(void *arg, uint32_t id, int group)
{
	static __thread struct name_slot uncached;
	struct names *n = arg;
	struct name_slot *s = n ? &n->slots[!!group][id % NAMES_SLOTS] : &uncached;

	if (!n || !s->state || s->id != id)
		names_fill(s, id, group);
	return s->state == 1 ? s->name : NULL;
}

void names_free(struct names *n)
{
	free(n);
}
