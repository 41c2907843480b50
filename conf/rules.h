/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * audit.rules: auditctl's rule language (as auditctl 3.0.9 reads a file with -R), the rule
 * list it leaves in the kernel, and that list printed as `auditctl -l` prints it.
 *
 * Pure: a buffer in, a rule list out. What depends on the machine at load time (what a
 * watched path is, user and group names) is asked through struct rules_env. Rules are kept
 * in the kernel's own form, struct audit_rule_data of <linux/audit.h>, as auditctl sends
 * them; the checks the kernel makes when it receives a rule (kernel/auditfilter.c) are made
 * here too, so that a line is accepted exactly when auditctl and the kernel accept it.
 */
#ifndef LAUDITD_CONF_RULES_H
#define LAUDITD_CONF_RULES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/audit.h>

/* What a path names at load time, as stat(2) says (symbolic links followed) */
enum rules_path_kind {
	RULES_PATH_MISSING,
	RULES_PATH_FILE, /* anything but a directory */
	RULES_PATH_DIR,
};

/*
 * The machine, as the rules see it when they load. Every callback may be NULL: paths are
 * then missing and names unknown.
 */
struct rules_env {
	/* what @path is: an enum rules_path_kind */
	int (*path_kind)(const char *path, void *arg);
	/* a user's or group's id by name: 0, or -ENOENT */
	int (*user_id)(const char *name, uint32_t *uid, void *arg);
	int (*group_id)(const char *name, uint32_t *gid, void *arg);
	void *arg;
};

/* Where a line of the parsed buffer comes from (rule files read as one stream) */
struct rules_origin {
	const char *file;
	unsigned int line;
};

struct rules_error {
	const char *file;
	unsigned int line;   /* 1-based */
	unsigned int column; /* 1-based, in bytes, of the option or word at fault */
	int warning;	     /* 1: a warning auditctl prints; the line still loads */
	char message[256];   /* auditctl's (or the kernel's, as auditctl reports it) reason */
};

struct rules_rule {
	/*
	 * The rule as auditctl sends it and the kernel lists it back: flags holds the list
	 * (AUDIT_FILTER_EXIT, ...; the prepend flag is cleared once added, as the kernel
	 * does), action AUDIT_ALWAYS or AUDIT_NEVER, mask the syscalls (all ones for
	 * "-S all" and for rules without -S outside the task list), fields[] / fieldflags[]
	 * (the operator, AUDIT_EQUAL ...) / values[] in the order given, the key last
	 * (several keys joined by AUDIT_KEY_SEPARATOR), and the strings of the string fields
	 * (path, dir, exe, key, subj_*, obj_* ...) one after the other in buf, values[i]
	 * being the length. auid=-1 (unset) is kept as AUDIT_LOGINUID with 4294967295.
	 */
	struct audit_rule_data *data;
	const char *file; /* where it was defined */
	unsigned int line;
};

/* Control lines. Unset values are -1. */
struct rules_control {
	int enabled;		   /* -e 0|1|2 */
	int failure;		   /* -f 0|1|2 */
	int64_t backlog_limit;	   /* -b */
	int64_t rate_limit;	   /* -r */
	int64_t backlog_wait_time; /* --backlog_wait_time */
	int loginuid_immutable;	   /* --loginuid-immutable: 1 */
	int ignore_errors;	   /* -i or -c given: go on past a refused line */
	int continue_errors;	   /* -c given: go on, but the load fails at the end */
};

struct rules_set {
	/* grouped by list in the kernel's order (user, task, exit, exclude, filesystem) */
	struct rules_rule *rule;
	size_t count;
	size_t cap;
	struct rules_control ctl;
	unsigned int refused; /* lines refused */
	int stopped;	      /* 1: a refused line stopped the load (no -i or -c before it) */
};

/* rules_set_init() - an empty set, every control unset. */
void rules_set_init(struct rules_set *s);

/* rules_set_free() - free the rules of @s (which may be NULL) and empty it. */
void rules_set_free(struct rules_set *s);

/*
 * rules_parse() - read rule lines as `auditctl -R` does and apply them to @s: -a/-A add a
 * rule, -d and -W delete one, -D deletes all, control lines set @s->ctl.
 * @s: the set, which holds what earlier calls loaded (rule files are one stream).
 * @buf, @len: the lines (need not end in NUL; a NUL ends its line, as for auditctl).
 * @file: the name errors carry, when @origin is NULL.
 * @origin, @norigin: where each line of @buf comes from (line i + 1 is @origin[i]), or NULL.
 * @env: the machine at load time; may be NULL.
 * @report: called for each refused line and each warning; may be NULL.
 * @arg: passed to @report.
 *
 * A refused line stops the load unless -i or -c was given before it (@s->stopped).
 *
 * Return: 0 if every line was accepted, -EINVAL if some were refused (@s->refused counts
 * them), -ENOMEM.
 */
int rules_parse(struct rules_set *s, const char *buf, size_t len, const char *file,
		const struct rules_origin *origin, size_t norigin, const struct rules_env *env,
		void (*report)(const struct rules_error *e, void *arg), void *arg);

/*
 * rules_verdict() - what `auditctl -R` would exit with after the lines given to @s.
 *
 * Return: 0, or -EINVAL if a line was refused and neither -i alone made errors harmless.
 */
int rules_verdict(const struct rules_set *s);

/*
 * rules_list() - print the rules of @s as `auditctl -l` prints them once they are loaded,
 * one a line ("No rules" when there are none).
 *
 * Return: 0, or -EIO if @out failed.
 */
int rules_list(const struct rules_set *s, FILE *out);

#endif /* LAUDITD_CONF_RULES_H */
