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

static struct name_slot slots[2][NAMES_SLOTS];

const char *names_lookup(void *arg, uint32_t id, int group)
{
	struct name_slot *s = &slots[!!group][id % NAMES_SLOTS];
	char buf[4096];
	int rc;

	(void)arg;
	if (s->state && s->id == id)
		return s->state == 1 ? s->name : NULL;
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
	return s->state == 1 ? s->name : NULL;
}

void names_clear(void)
{
	memset(slots, 0, sizeof(slots));
}
