// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The daemon's rule set applied to the programs' maps: at start once the programs are
 * loaded, then after every lauditctl change, on the main thread.
 */
#include "logger/rules_apply.h"

#include <errno.h>
#include <string.h>

#include "logger/capture.h"
#include "logger/log.h"
#include "logger/ruleset.h"

/* The capture the rules go to: none until the programs are loaded */
static struct capture *target;
static int last_err;

void rules_changed(const struct rules_set *s)
{
	if (!target)
		return;
	last_err = capture_set_rules(target, s);
	if (last_err)
		log_warnx("applying the audit rules to the eBPF maps: %s", strerror(-last_err));
}

int rules_apply_to(struct capture *c)
{
	target = c;
	last_err = 0;
	if (c)
		ruleset_changed();
	return last_err;
}
