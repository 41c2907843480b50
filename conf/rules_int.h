/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the files of the audit.rules parser share: a line's parse state (auditctl's
 * per-line variables), the verdicts of its options, libaudit's rule builder errors, and
 * the functions one file calls in another. Private to conf/rules*.c:
 *   rules.c         the line reader: words, getopt_long over them, setopt(), the public API
 *   rules_opt.c     what each option does to the line's rule or to the set's controls
 *   rules_field.c   -F and -C: a field's operator and value, libaudit's way
 *   rules_kernel.c  the kernel's checks when a rule is added or deleted (auditfilter.c)
 */
#ifndef LAUDITD_CONF_RULES_INT_H
#define LAUDITD_CONF_RULES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/rules.h"

/* Errors of libaudit's rule builders (lib/errormsg.h) */
enum eau {
	EAU_OPMISSING = 1,
	EAU_FIELDUNKNOWN = 2,
	EAU_ARCHMISPLACED = 3,
	EAU_ELFUNKNOWN = 5,
	EAU_EXITONLY = 7,
	EAU_MSGTYPEUNKNOWN = 8,
	EAU_MSGTYPEEXCLUDEUSER = 9,
	EAU_STRTOOLONG = 11,
	EAU_MSGTYPECREDEXCLUDE = 12,
	EAU_OPEQNOTEQ = 13,
	EAU_PERMRWXA = 14,
	EAU_ERRUNKNOWN = 15,
	EAU_FILETYPEUNKNOWN = 16,
	EAU_KEYDEP = 19,
	EAU_FIELDVALMISSING = 20,
	EAU_FIELDVALNUM = 21,
	EAU_FIELDNAME = 22,
	EAU_COMPFIELDNAME = 24,
	EAU_COMPVAL = 25,
	EAU_COMPFIELDUNKNOWN = 26,
	EAU_COMPVALUNKNOWN = 27,
	EAU_FIELDTOOMANY = 28,
	EAU_OPEQ = 29,
	EAU_FIELDNOFILTER = 31,
	EAU_COMPINCOMPAT = 33,
	EAU_FIELDUNAVAIL = 34,
	EAU_FSTYPEUNKNOWN = 36,
	EAU_FIELDVALTOOBIG = 37,
	EAU_PRINT_NOTHING = 38,
	EAU_NOMEM = 1000, /* ours: out of memory */
};

/* What setopt() returns in auditctl, and so what the line asks for */
enum verdict {
	V_DEPRECATED = -3, /* "possible": the line is dropped without error */
	V_DONE = -2,	   /* a control or query option, done */
	V_ERROR = -1,
	V_REPLY = 0, /* a control option; a lone -S is then an error */
	V_RULE = 1,  /* a rule to add or delete */
};

struct word {
	char *s;
	unsigned int col;
};

/* One line's parse: auditctl's per-line state (reset_vars) */
struct line {
	struct rules_set *s;
	const struct rules_env *env;
	struct word *argv; /* argv[0] is auditctl's name */
	int argc;
	struct audit_rule_data *rule;
	size_t rule_cap; /* bytes allocated for rule */
	int add, del, action;
	int exclude, multiple, list_requested;
	unsigned int elf;
	bool syscall_added, perm_added, exe_added, fs_added;
	char key[AUDIT_MAX_KEY_LEN + 1];
	size_t keylen; /* room left in key */
	/* the first error, and where */
	bool failed;
	unsigned int col;
	char msg[256];
	int nomem;
	/* warnings go straight out */
	void (*report)(const struct rules_error *e, void *arg);
	void *arg;
	const char *file;
	unsigned int lineno;
};

/* auditctl's long options */
enum {
	OPT_LOGINUID_IMMUTABLE = 1,
	OPT_BACKLOG_WAIT_TIME,
	OPT_RESET_LOST,
	OPT_RESET_BACKLOG_WAIT_TIME_ACTUAL,
	OPT_SIGNAL,
};

/* getopt_long over a line's words, GNU's way (words that are no option are skipped) */
struct opts {
	int optind;   /* the next word to read */
	int word;     /* the word of the option being read */
	int nextchar; /* in a cluster (-ic): the next letter, or 0 */
	char *optarg;
	int nonopt; /* the first word skipped that is no option, or 0 */
	bool any;   /* an option was found */
};

/* The fields whose value is a string in the rule's buf, values[i] being its length */
static inline bool rules_is_string_field(unsigned int f)
{
	return (f >= AUDIT_SUBJ_USER && f <= AUDIT_OBJ_LEV_HIGH && f != AUDIT_PPID) ||
	       f == AUDIT_WATCH || f == AUDIT_DIR || f == AUDIT_FILTERKEY || f == AUDIT_EXE;
}

/* rules.c */

/* rules_fail() - record the line's first error at column @col. Return: V_ERROR. */
int rules_fail(struct line *l, unsigned int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* rules_warn() - report a warning at column @col now; the line goes on. */
void rules_warn(struct line *l, unsigned int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* rules_reserve() - room for @extra more bytes in the line's rule. Return: 0, -ENOMEM. */
int rules_reserve(struct line *l, size_t extra);

/* rules_opt.c: each returns an enum verdict */

/* rules_list_flags() - the list auditctl passes to the field parsers: the rule's, or unset */
int rules_list_flags(const struct line *l);
/* -a, -A, -d LIST,ACTION */
int rules_opt_add(struct line *l, unsigned int col, int c, char *optarg);
/* -S LIST */
int rules_opt_syscall(struct line *l, unsigned int col, const char *optarg);
/* -F PAIR, -C PAIR */
int rules_opt_field(struct line *l, unsigned int col, int c, char *optarg);
/* -w, -W PATH, once the line is set to add or delete a watch */
int rules_opt_watch(struct line *l, unsigned int col, char *path);
/* -p PERM */
int rules_opt_perms(struct line *l, unsigned int col, const char *opt);
/* -k KEY (and -F key=KEY): 0, or V_ERROR */
int rules_add_key(struct line *l, unsigned int col, const char *k);
/* every other option: controls, queries, and those that are no option (?) */
int rules_opt_other(struct line *l, unsigned int col, int c, char *optarg, struct opts *g);

/* rules_field.c */

/* rules_fail_eau() - libaudit's message for the builder error @code about the text @opt */
int rules_fail_eau(struct line *l, unsigned int col, int code, const char *opt);
/* rules_field_pair() - -F PAIR (cut at its operator): 0 or -EAU_* */
int rules_field_pair(struct line *l, char *pair, int flags);
/* rules_compare_pair() - -C PAIR (cut at its operator): 0 or -EAU_* */
int rules_compare_pair(struct line *l, char *pair, int flags);
/* rules_perm_bits() - "rwxa" letters to AUDIT_PERM_* bits: 0, or -1 for another letter */
int rules_perm_bits(const char *v, uint32_t *out);

/* rules_kernel.c */

/* rules_locked() - 1 (the line failed) if enabled is 2: the kernel refuses @request */
int rules_locked(struct line *l, unsigned int col, const char *request);
/* rules_send() - the line's rule to the kernel's list: V_RULE, or V_ERROR */
int rules_send(struct line *l, const char *file, unsigned int lineno);

#endif /* LAUDITD_CONF_RULES_INT_H */
