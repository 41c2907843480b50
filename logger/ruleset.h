/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The daemon's audit rules: the set loaded from the configuration directory at start,
 * changed at run time by lauditctl's requests (control.c), each change logged as the
 * kernel logs it (CONFIG_CHANGE), and the control settings that mean something to
 * lauditd: -b sizes the rings, -f says what a loss does, -e 2 locks the rules.
 *
 * The set is changed by the daemon's main thread only, under a mutex that readers on
 * other threads take too; after every change rules_changed() is called with it held.
 */
#ifndef LAUDITD_LOGGER_RULESET_H
#define LAUDITD_LOGGER_RULESET_H

#include <stdint.h>
#include <sys/types.h>

#include "conf/rules.h"
#include "logger/ctlproto.h"

struct daemon;

/* Record bytes a backlog of -b N records stands for in a ring: see ruleset_ring_kb() */
#define RULESET_RECORD_BYTES 2048

/* Who sent a request: from SO_PEERCRED and /proc/PID/loginuid, sessionid */
struct ctl_peer {
	pid_t pid;
	uid_t uid;
	uint32_t auid;
	uint32_t ses;
};

/*
 * ruleset_load() - load the rules of @d->conf_dir (rules_load()) as the daemon's set, and
 * decide as `auditctl -R` would whether the daemon starts: a refused file, or a refused
 * line without -i (or with -c), stops it.  Each message goes to the daemon's log
 * ("FILE:LINE:COLUMN: message").  Sets @d->failure from -f.
 *
 * Return: 0, or -1 if the daemon must not start.
 */
int ruleset_load(struct daemon *d);

/* ruleset_free() - free the daemon's set. */
void ruleset_free(void);

/*
 * ruleset_ring_kb() - the per-CPU ring size, KiB, that the rules' backlog limit (-b N)
 * asks for: N records of RULESET_RECORD_BYTES, rounded up to a power of two, from 64 KiB
 * to 1 GiB; @dflt when the rules set no backlog limit (or -b 0, no limit).  Debian's
 * `-b 8192` is 16 MiB, lauditd's default ring.
 */
unsigned int ruleset_ring_kb(unsigned int dflt);

/*
 * ruleset_request() - carry out one lauditctl request (its arguments @argv) from @peer:
 * -l, -s, -R FILE TEXT (TEXT being the file's lines, read by lauditctl), or a rule or
 * control line (-a, -A, -d, -w, -W, -D, -e, -f, -b, -r, ...).  Main thread.
 * @reply: the text lauditctl prints and its exit status (ctlproto.h).
 *
 * Return: 0, or -ENOMEM / -E2BIG if the reply could not be built.
 */
int ruleset_request(struct daemon *d, const struct ctl_peer *peer, int argc, char **argv,
		    struct ctl_buf *reply);

/*
 * ruleset_lost() - @lost records were just reported lost: with -f 2 the machine is halted
 * (init 0, once), as the kernel's failure flag 2 would panic it.  Main thread.
 */
void ruleset_lost(struct daemon *d, uint64_t lost);

/*
 * ruleset_changed() - calls rules_changed() with the set of the moment, as after a change:
 * for a consumer of the set that appears after the set was loaded.  Main thread.
 */
void ruleset_changed(void);

/*
 * rules_changed() - called after every change of the daemon's set, with its mutex held,
 * from the main thread; the rules compiler applies the set to the kernel's maps here.
 * A weak no-op unless something defines it.
 */
void rules_changed(const struct rules_set *s);

#endif /* LAUDITD_LOGGER_RULESET_H */
