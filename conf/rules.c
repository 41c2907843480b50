// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * audit.rules parser: the lines of a rule file read as `auditctl -R` (audit 3.0.9) reads
 * them, each turned into the struct audit_rule_data auditctl would send, then checked and
 * applied as the kernel would (kernel/auditfilter.c: audit_data_to_entry, audit_field_valid,
 * audit_add_rule, audit_del_rule).
 *
 * A line is split on spaces ("\ " keeps a space in a word), then read as getopt_long reads
 * auditctl's arguments: options may be clustered (-ic) or carry their value attached
 * (-Fauid>=1000), words that are no option's value are out of place. Names (syscalls,
 * fields, errnos, message types, file and file system types, machines) are libaudit's.
 *
 * Pure: nothing here touches the file system or the user database; struct rules_env
 * answers for the machine.
 */
#include "conf/rules.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <libaudit.h>

/* auditctl reads a file with fgets into a buffer of this size: longer lines are cut */
#define LINE_SIZE 6144
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

/* How libaudit words each error: the option's text before (1) or after (2) the reason */
static const struct {
	int code;
	int position;
	const char *text;
} eau_msgs[] = {
	{EAU_OPMISSING, 2, "-F missing operation for"},
	{EAU_FIELDUNKNOWN, 2, "-F unknown field:"},
	{EAU_ARCHMISPLACED, 1, "must be before -S"},
	{EAU_ELFUNKNOWN, 1, "elf mapping not found"},
	{EAU_EXITONLY, 1, "can only be used with exit filter list"},
	{EAU_MSGTYPEUNKNOWN, 2, "-F unknown message type -"},
	{EAU_MSGTYPEEXCLUDEUSER, 0,
	 "msgtype field can only be used with exclude or user filter list"},
	{EAU_STRTOOLONG, 0, "String value too long"},
	{EAU_MSGTYPECREDEXCLUDE, 0,
	 "Only msgtype, *uid, *gid, pid, and subj* fields can be used with exclude filter"},
	{EAU_OPEQNOTEQ, 1, "only takes = or != operators"},
	{EAU_PERMRWXA, 0, "Permission can only contain  'rwxa'"},
	{EAU_ERRUNKNOWN, 2, "-F unknown errno -"},
	{EAU_FILETYPEUNKNOWN, 2, "-F unknown file type - "},
	{EAU_KEYDEP, 0, "Key field needs a watch, syscall or exe path given prior to it"},
	{EAU_FIELDVALMISSING, 2, "-F missing value after operation for"},
	{EAU_FIELDVALNUM, 2, "-F value should be number for"},
	{EAU_FIELDNAME, 2, "-F missing field name before operator for"},
	{EAU_COMPFIELDNAME, 2, "-C missing field name before operator for"},
	{EAU_COMPVAL, 2, "-C missing value after operation for "},
	{EAU_COMPFIELDUNKNOWN, 2, "-C unknown field:"},
	{EAU_COMPVALUNKNOWN, 2, "-C unknown right hand value for comparison with:"},
	{EAU_FIELDTOOMANY, 2, "Too many fields in rule:"},
	{EAU_OPEQ, 1, "only takes = operator"},
	{EAU_FIELDNOFILTER, 1, "must be used with exclude, user, or exit filter"},
	{EAU_COMPINCOMPAT, 2, "-C incompatible comparison"},
	{EAU_FIELDUNAVAIL, 1, "field is not valid for the filter"},
	{EAU_FSTYPEUNKNOWN, 2, "file system type is unknown for field:"},
	{EAU_FIELDVALTOOBIG, 2, "value is too large for field:"},
};

/* -C: the comparisons the kernel knows, each an unordered pair of fields */
static const struct {
	int a, b;
	unsigned int value;
} comparisons[] = {
	{AUDIT_UID, AUDIT_OBJ_UID, AUDIT_COMPARE_UID_TO_OBJ_UID},
	{AUDIT_GID, AUDIT_OBJ_GID, AUDIT_COMPARE_GID_TO_OBJ_GID},
	{AUDIT_EUID, AUDIT_OBJ_UID, AUDIT_COMPARE_EUID_TO_OBJ_UID},
	{AUDIT_EGID, AUDIT_OBJ_GID, AUDIT_COMPARE_EGID_TO_OBJ_GID},
	{AUDIT_LOGINUID, AUDIT_OBJ_UID, AUDIT_COMPARE_AUID_TO_OBJ_UID},
	{AUDIT_SUID, AUDIT_OBJ_UID, AUDIT_COMPARE_SUID_TO_OBJ_UID},
	{AUDIT_SGID, AUDIT_OBJ_GID, AUDIT_COMPARE_SGID_TO_OBJ_GID},
	{AUDIT_FSUID, AUDIT_OBJ_UID, AUDIT_COMPARE_FSUID_TO_OBJ_UID},
	{AUDIT_FSGID, AUDIT_OBJ_GID, AUDIT_COMPARE_FSGID_TO_OBJ_GID},
	{AUDIT_UID, AUDIT_LOGINUID, AUDIT_COMPARE_UID_TO_AUID},
	{AUDIT_UID, AUDIT_EUID, AUDIT_COMPARE_UID_TO_EUID},
	{AUDIT_UID, AUDIT_FSUID, AUDIT_COMPARE_UID_TO_FSUID},
	{AUDIT_UID, AUDIT_SUID, AUDIT_COMPARE_UID_TO_SUID},
	{AUDIT_LOGINUID, AUDIT_FSUID, AUDIT_COMPARE_AUID_TO_FSUID},
	{AUDIT_LOGINUID, AUDIT_SUID, AUDIT_COMPARE_AUID_TO_SUID},
	{AUDIT_LOGINUID, AUDIT_EUID, AUDIT_COMPARE_AUID_TO_EUID},
	{AUDIT_EUID, AUDIT_SUID, AUDIT_COMPARE_EUID_TO_SUID},
	{AUDIT_EUID, AUDIT_FSUID, AUDIT_COMPARE_EUID_TO_FSUID},
	{AUDIT_SUID, AUDIT_FSUID, AUDIT_COMPARE_SUID_TO_FSUID},
	{AUDIT_GID, AUDIT_EGID, AUDIT_COMPARE_GID_TO_EGID},
	{AUDIT_GID, AUDIT_FSGID, AUDIT_COMPARE_GID_TO_FSGID},
	{AUDIT_GID, AUDIT_SGID, AUDIT_COMPARE_GID_TO_SGID},
	{AUDIT_EGID, AUDIT_FSGID, AUDIT_COMPARE_EGID_TO_FSGID},
	{AUDIT_EGID, AUDIT_SGID, AUDIT_COMPARE_EGID_TO_SGID},
	{AUDIT_SGID, AUDIT_FSGID, AUDIT_COMPARE_SGID_TO_FSGID},
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

static int fail(struct line *l, unsigned int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void warn(struct line *l, unsigned int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record the line's first error; returns V_ERROR */
static int fail(struct line *l, unsigned int col, const char *fmt, ...)
{
	va_list ap;

	if (l->failed)
		return V_ERROR;
	l->failed = true;
	l->col = col;
	va_start(ap, fmt);
	vsnprintf(l->msg, sizeof(l->msg), fmt, ap);
	va_end(ap);
	return V_ERROR;
}

static void warn(struct line *l, unsigned int col, const char *fmt, ...)
{
	struct rules_error e = {.file = l->file, .line = l->lineno, .column = col, .warning = 1};
	va_list ap;

	if (!l->report)
		return;
	va_start(ap, fmt);
	vsnprintf(e.message, sizeof(e.message), fmt, ap);
	va_end(ap);
	l->report(&e, l->arg);
}

/* libaudit's message for a rule builder error; @opt is what is left of the option's text */
static int fail_eau(struct line *l, unsigned int col, int code, const char *opt)
{
	size_t i;

	for (i = 0; i < sizeof(eau_msgs) / sizeof(eau_msgs[0]); i++) {
		if (eau_msgs[i].code != code)
			continue;
		if (eau_msgs[i].position == 1)
			return fail(l, col, "%s %s", opt, eau_msgs[i].text);
		if (eau_msgs[i].position == 2)
			return fail(l, col, "%s %s", eau_msgs[i].text, opt);
		return fail(l, col, "%s", eau_msgs[i].text);
	}
	return fail(l, col, "%s: invalid", opt);
}

static bool is_string_field(unsigned int f)
{
	return (f >= AUDIT_SUBJ_USER && f <= AUDIT_OBJ_LEV_HIGH && f != AUDIT_PPID) ||
	       f == AUDIT_WATCH || f == AUDIT_DIR || f == AUDIT_FILTERKEY || f == AUDIT_EXE;
}

static int rule_reserve(struct line *l, size_t extra)
{
	size_t need = sizeof(*l->rule) + l->rule->buflen + extra;
	struct audit_rule_data *r;

	if (need <= l->rule_cap)
		return 0;
	r = realloc(l->rule, need);
	if (!r) {
		l->nomem = 1;
		return -ENOMEM;
	}
	l->rule = r;
	l->rule_cap = need;
	return 0;
}

/* A syscall by name or number, in the line's arch (the machine's until -F arch) */
static int add_syscall(struct line *l, const char *name)
{
	int machine, nr, i;

	if (strcmp(name, "all") == 0) {
		for (i = 0; i < AUDIT_BITMASK_SIZE; i++)
			l->rule->mask[i] = ~0U;
		return 0;
	}
	machine = l->elf ? audit_elf_to_machine(l->elf) : audit_detect_machine();
	if (machine < 0)
		return -2;
	nr = audit_name_to_syscall(name, machine);
	if (nr < 0 && isdigit((unsigned char)name[0]))
		nr = (int)strtol(name, NULL, 0);
	if (nr < 0 || nr / 32 >= AUDIT_BITMASK_SIZE)
		return -1;
	l->rule->mask[nr / 32] |= 1U << (nr % 32);
	return 0;
}

/* Split "field OP value" at its operator, libaudit's way: two-character operators first */
static int split_op(char *pair, bool comparison, char **v)
{
	static const struct {
		const char *s;
		int op;
	} ops[] = {
		{"!=", AUDIT_NOT_EQUAL},
		{">=", AUDIT_GREATER_THAN_OR_EQUAL},
		{"<=", AUDIT_LESS_THAN_OR_EQUAL},
		{"&=", AUDIT_BIT_TEST},
		{"=", AUDIT_EQUAL},
		{">", AUDIT_GREATER_THAN},
		{"<", AUDIT_LESS_THAN},
		{"&", AUDIT_BIT_MASK},
	};
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		char *p;

		/* -C knows = and != only */
		if (comparison && ops[i].op != AUDIT_NOT_EQUAL && ops[i].op != AUDIT_EQUAL)
			continue;
		p = strstr(pair, ops[i].s);
		if (!p)
			continue;
		memset(p, 0, strlen(ops[i].s));
		*v = p + strlen(ops[i].s);
		return ops[i].op;
	}
	return -1;
}

static uint32_t number(const char *v, bool is_unsigned)
{
	return is_unsigned ? (uint32_t)strtoul(v, NULL, 0) : (uint32_t)strtol(v, NULL, 0);
}

/* A uid field's value: a number, "unset" or a user name; -EAU on error */
static int uid_value(struct line *l, const char *v, uint32_t *out)
{
	if (isdigit((unsigned char)v[0]))
		*out = number(v, true);
	else if (v[0] == '-' && isdigit((unsigned char)v[1]))
		*out = number(v, false);
	else if (strcmp(v, "unset") == 0)
		*out = 4294967295U;
	else if (!l->env || !l->env->user_id || l->env->user_id(v, out, l->env->arg) != 0) {
		fail(l, 0, "Unknown user: %s", v);
		return -EAU_PRINT_NOTHING;
	}
	return 0;
}

static int gid_value(struct line *l, const char *v, uint32_t *out)
{
	if (isdigit((unsigned char)v[0]))
		*out = number(v, false);
	else if (!l->env || !l->env->group_id || l->env->group_id(v, out, l->env->arg) != 0) {
		fail(l, 0, "Unknown group: %s", v);
		return -EAU_PRINT_NOTHING;
	}
	return 0;
}

/* Fields the exclude list takes (the kernel's exclude-extend feature) */
static bool exclude_field(int field)
{
	switch (field) {
	case AUDIT_PID:
	case AUDIT_UID:
	case AUDIT_GID:
	case AUDIT_LOGINUID:
	case AUDIT_MSGTYPE:
	case AUDIT_SUBJ_USER:
	case AUDIT_SUBJ_ROLE:
	case AUDIT_SUBJ_TYPE:
	case AUDIT_SUBJ_SEN:
	case AUDIT_SUBJ_CLR:
	case AUDIT_EXE:
		return true;
	}
	return false;
}

static int perm_bits(const char *v, uint32_t *out)
{
	uint32_t val = 0;

	for (; *v; v++) {
		switch (tolower((unsigned char)*v)) {
		case 'r':
			val |= AUDIT_PERM_READ;
			break;
		case 'w':
			val |= AUDIT_PERM_WRITE;
			break;
		case 'x':
			val |= AUDIT_PERM_EXEC;
			break;
		case 'a':
			val |= AUDIT_PERM_ATTR;
			break;
		default:
			return -1;
		}
	}
	*out = val;
	return 0;
}

/* The value of a string field, appended to the rule's buffer */
static int string_value(struct line *l, int field, const char *v, int op)
{
	size_t vlen = strlen(v);

	if (field == AUDIT_EXE) {
		if (op != AUDIT_NOT_EQUAL && op != AUDIT_EQUAL)
			return -EAU_OPEQNOTEQ;
		l->exe_added = true;
	}
	if (field == AUDIT_FILTERKEY &&
	    !(l->syscall_added || l->perm_added || l->exe_added || l->fs_added))
		return -EAU_KEYDEP;
	if ((field == AUDIT_FILTERKEY && vlen > AUDIT_MAX_KEY_LEN) || vlen > PATH_MAX)
		return -EAU_STRTOOLONG;
	if (rule_reserve(l, vlen))
		return -EAU_NOMEM;
	memcpy(l->rule->buf + l->rule->buflen, v, vlen);
	l->rule->buflen += vlen;
	l->rule->values[l->rule->field_count] = (uint32_t)vlen;
	return 0;
}

/* The value of the field @field, as audit_rule_fieldpair_data reads it */
static int field_value(struct line *l, int field, int op, const char *v, int flags)
{
	struct audit_rule_data *r = l->rule;
	uint32_t *val = &r->values[r->field_count];
	int machine;

	switch (field) {
	case AUDIT_UID:
	case AUDIT_EUID:
	case AUDIT_SUID:
	case AUDIT_FSUID:
	case AUDIT_LOGINUID:
	case AUDIT_OBJ_UID:
		return uid_value(l, v, val);
	case AUDIT_GID:
	case AUDIT_EGID:
	case AUDIT_SGID:
	case AUDIT_FSGID:
	case AUDIT_OBJ_GID:
		return gid_value(l, v, val);
	case AUDIT_EXIT:
		if (flags != AUDIT_FILTER_EXIT)
			return -EAU_EXITONLY;
		if (isdigit((unsigned char)v[0]) || (v[0] == '-' && isdigit((unsigned char)v[1])))
			*val = number(v, false);
		else if ((*val = (uint32_t)audit_name_to_errno(v)) == 0)
			return -EAU_ERRUNKNOWN;
		return 0;
	case AUDIT_MSGTYPE:
		if (flags != AUDIT_FILTER_EXCLUDE && flags != AUDIT_FILTER_USER)
			return -EAU_MSGTYPEEXCLUDEUSER;
		if (isdigit((unsigned char)v[0]))
			*val = number(v, false);
		else if (audit_name_to_msg_type(v) > 0)
			*val = (uint32_t)audit_name_to_msg_type(v);
		else
			return -EAU_MSGTYPEUNKNOWN;
		return 0;
	case AUDIT_OBJ_USER:
	case AUDIT_OBJ_ROLE:
	case AUDIT_OBJ_TYPE:
	case AUDIT_OBJ_LEV_LOW:
	case AUDIT_OBJ_LEV_HIGH:
	case AUDIT_WATCH:
	case AUDIT_DIR:
		if (flags != AUDIT_FILTER_EXIT)
			return -EAU_EXITONLY;
		if (field == AUDIT_WATCH || field == AUDIT_DIR)
			l->perm_added = true;
		return string_value(l, field, v, op);
	case AUDIT_SUBJ_USER:
	case AUDIT_SUBJ_ROLE:
	case AUDIT_SUBJ_TYPE:
	case AUDIT_SUBJ_SEN:
	case AUDIT_SUBJ_CLR:
	case AUDIT_FILTERKEY:
	case AUDIT_EXE:
		return string_value(l, field, v, op);
	case AUDIT_ARCH:
		if (l->syscall_added)
			return -EAU_ARCHMISPLACED;
		if (op != AUDIT_NOT_EQUAL && op != AUDIT_EQUAL)
			return -EAU_OPEQNOTEQ;
		if (isdigit((unsigned char)v[0])) {
			unsigned long elf;

			errno = 0;
			elf = strtoul(v, NULL, 0);
			if (errno || audit_elf_to_machine((unsigned int)elf) < 0)
				return -EAU_ELFUNKNOWN;
			l->elf = (unsigned int)elf;
		} else {
			machine = audit_determine_machine(v);
			if (machine < 0 || audit_machine_to_elf(machine) == 0)
				return -EAU_ELFUNKNOWN;
			l->elf = audit_machine_to_elf(machine);
		}
		*val = l->elf;
		return 0;
	case AUDIT_PERM:
		if (flags != AUDIT_FILTER_EXIT)
			return -EAU_EXITONLY;
		if (op != AUDIT_EQUAL)
			return -EAU_OPEQ;
		if (strlen(v) > 4)
			return -EAU_STRTOOLONG;
		if (perm_bits(v, val))
			return -EAU_PERMRWXA;
		return 0;
	case AUDIT_FILETYPE:
		if (flags != AUDIT_FILTER_EXIT)
			return -EAU_EXITONLY;
		*val = (uint32_t)audit_name_to_ftype(v);
		if ((int)*val < 0)
			return -EAU_FILETYPEUNKNOWN;
		return 0;
	case AUDIT_FSTYPE:
		if (flags != AUDIT_FILTER_FS)
			return -EAU_FIELDUNAVAIL;
		if (op != AUDIT_NOT_EQUAL && op != AUDIT_EQUAL)
			return -EAU_OPEQNOTEQ;
		*val = isdigit((unsigned char)v[0]) ? number(v, true)
						    : (uint32_t)audit_name_to_fstype(v);
		if ((int)*val == -1)
			return -EAU_FSTYPEUNKNOWN;
		l->fs_added = true;
		return 0;
	case AUDIT_ARG0:
	case AUDIT_ARG1:
	case AUDIT_ARG2:
	case AUDIT_ARG3:
		if (isdigit((unsigned char)v[0]))
			*val = number(v, true);
		else if (v[0] == '-' && isdigit((unsigned char)v[1]))
			*val = number(v, false);
		else
			return -EAU_FIELDVALNUM;
		return 0;
	case AUDIT_SESSIONID:
		if (flags != AUDIT_FILTER_EXCLUDE && flags != AUDIT_FILTER_USER &&
		    flags != AUDIT_FILTER_EXIT)
			return -EAU_FIELDNOFILTER;
		if (isdigit((unsigned char)v[0]))
			*val = number(v, true);
		else if (v[0] == '-' && isdigit((unsigned char)v[1]))
			*val = number(v, false);
		else if (strcmp(v, "unset") == 0)
			*val = 4294967295U;
		else
			*val = 0; /* libaudit leaves the value as it was: zero */
		return 0;
	case AUDIT_SADDR_FAM:
		*val = number(v, true);
		if (*val >= AF_MAX)
			return -EAU_FIELDVALTOOBIG;
		return 0;
	case AUDIT_DEVMAJOR:
	case AUDIT_DEVMINOR:
	case AUDIT_INODE:
	case AUDIT_SUCCESS:
		if (flags != AUDIT_FILTER_EXIT)
			return -EAU_EXITONLY;
		/* fallthrough */
	default:
		if (field == AUDIT_INODE && op != AUDIT_NOT_EQUAL && op != AUDIT_EQUAL)
			return -EAU_OPEQNOTEQ;
		if (field == AUDIT_PPID && flags != AUDIT_FILTER_EXIT)
			return -EAU_EXITONLY;
		if (!isdigit((unsigned char)v[0]))
			return -EAU_FIELDVALNUM;
		*val = number(v, field == AUDIT_INODE);
		return 0;
	}
}

/* -F PAIR: audit_rule_fieldpair_data. @pair is cut at its operator, as libaudit cuts it. */
static int field_pair(struct line *l, char *pair, int flags)
{
	struct audit_rule_data *r = l->rule;
	char *v = NULL;
	int op, field, rc;

	if (r->field_count >= AUDIT_MAX_FIELDS - 1)
		return -EAU_FIELDTOOMANY;
	op = split_op(pair, false, &v);
	if (op < 0)
		return -EAU_OPMISSING;
	if (*pair == 0)
		return -EAU_FIELDNAME;
	if (*v == 0)
		return -EAU_FIELDVALMISSING;
	field = audit_name_to_field(pair);
	if (field < 0)
		return -EAU_FIELDUNKNOWN;
	if (flags == AUDIT_FILTER_EXCLUDE && !exclude_field(field))
		return -EAU_MSGTYPECREDEXCLUDE;
	r = l->rule;
	r->fields[r->field_count] = (uint32_t)field;
	r->fieldflags[r->field_count] = (uint32_t)op;
	r->values[r->field_count] = 0;
	rc = field_value(l, field, op, v, flags);
	if (rc)
		return rc;
	l->rule->field_count++;
	return 0;
}

/* -C PAIR: audit_rule_interfield_comp_data */
static int compare_pair(struct line *l, char *pair, int flags)
{
	struct audit_rule_data *r = l->rule;
	char *v = NULL;
	int op, f1, f2;
	size_t i;

	if (r->field_count >= AUDIT_MAX_FIELDS - 1)
		return -EAU_FIELDTOOMANY;
	op = split_op(pair, true, &v);
	if (op < 0)
		return -EAU_OPEQNOTEQ;
	if (*pair == 0)
		return -EAU_COMPFIELDNAME;
	if (*v == 0)
		return -EAU_COMPVAL;
	f1 = audit_name_to_field(pair);
	if (f1 < 0)
		return -EAU_COMPFIELDUNKNOWN;
	f2 = audit_name_to_field(v);
	if (f2 < 0)
		return -EAU_COMPVALUNKNOWN;
	if (flags != AUDIT_FILTER_EXIT)
		return -EAU_EXITONLY;
	for (i = 0; i < sizeof(comparisons) / sizeof(comparisons[0]); i++) {
		if ((comparisons[i].a == f1 && comparisons[i].b == f2) ||
		    (comparisons[i].a == f2 && comparisons[i].b == f1)) {
			r->fields[r->field_count] = AUDIT_FIELD_COMPARE;
			r->fieldflags[r->field_count] = (uint32_t)op;
			r->values[r->field_count] = comparisons[i].value;
			r->field_count++;
			return 0;
		}
	}
	return -EAU_COMPINCOMPAT;
}

/* The list auditctl passes to the field parsers: the rule's, or "unset" */
static int list_flags(const struct line *l)
{
	if (l->add != AUDIT_FILTER_UNSET)
		return l->add & AUDIT_FILTER_MASK;
	if (l->del != AUDIT_FILTER_UNSET)
		return l->del & AUDIT_FILTER_MASK;
	return AUDIT_FILTER_UNSET;
}

static int lookup_list(struct line *l, const char *s, int *list)
{
	static const struct {
		const char *name;
		int list;
	} lists[] = {
		{"exit", AUDIT_FILTER_EXIT},	 {"task", AUDIT_FILTER_TASK},
		{"user", AUDIT_FILTER_USER},	 {"exclude", AUDIT_FILTER_EXCLUDE},
		{"filesystem", AUDIT_FILTER_FS},
	};
	size_t i;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		if (strcmp(s, lists[i].name) == 0) {
			*list = lists[i].list;
			if (lists[i].list == AUDIT_FILTER_EXCLUDE)
				l->exclude = 1;
			return 0;
		}
	}
	return 2;
}

/* 0, 1 for "possible" (deprecated), 2 unknown */
static int lookup_action(const char *s, int *action)
{
	if (strcmp(s, "always") == 0)
		*action = AUDIT_ALWAYS;
	else if (strcmp(s, "never") == 0)
		*action = AUDIT_NEVER;
	else if (strcmp(s, "possible") == 0)
		return 1;
	else
		return 2;
	return 0;
}

/* "list,action" or "action,list": 0, 1 deprecated, 2 bad, 3 a second -a/-A/-d */
static int rule_setup(struct line *l, const char *opt, int *list)
{
	char first[64];
	const char *comma, *second;
	size_t n;
	int rc;

	if (++l->multiple != 1)
		return 3;
	comma = strchr(opt, ',');
	if (!comma || strchr(comma + 1, ','))
		return 2;
	n = (size_t)(comma - opt);
	if (n >= sizeof(first))
		return 2;
	memcpy(first, opt, n);
	first[n] = 0;
	second = comma + 1;
	if (lookup_action(first, &l->action) == 2) {
		rc = lookup_list(l, first, list);
		if (rc)
			return rc;
	}
	if (*list == AUDIT_FILTER_UNSET) {
		lookup_list(l, second, list);
	} else {
		rc = lookup_action(second, &l->action);
		if (rc)
			return rc;
	}
	if (*list == AUDIT_FILTER_UNSET || l->action == -1)
		return 2;
	return 0;
}

/* -p: perm on a watch or an exit rule (audit_update_watch_perms) */
static int setup_perms(struct line *l, unsigned int col, const char *opt)
{
	struct audit_rule_data *r = l->rule;
	uint32_t val;
	unsigned int i;
	bool done = false;

	if (strlen(opt) > 4)
		return fail(l, col, "permission %s is too long", opt);
	if (perm_bits(opt, &val)) {
		const char *p = opt;

		while (strchr("rwxaRWXA", *p))
			p++;
		return fail(l, col, "Permission %c isn't supported", *p);
	}
	if (r->field_count < 1)
		return fail(l, col, "Permissions should be preceeded by other fields");
	for (i = 0; i < r->field_count; i++) {
		if (r->fields[i] == AUDIT_PERM) {
			r->values[i] = val;
			done = true;
		}
	}
	if (!done) {
		if (r->field_count >= AUDIT_MAX_FIELDS - 1)
			return fail(l, col, "Too many fields when adding permissions");
		r->fields[r->field_count] = AUDIT_PERM;
		r->fieldflags[r->field_count] = AUDIT_EQUAL;
		r->values[r->field_count] = val;
		r->field_count++;
	}
	l->perm_added = true;
	return V_RULE;
}

/* -w/-W PATH: a path rule, or a dir rule if PATH is a directory now */
static int setup_watch(struct line *l, unsigned int col, char *path)
{
	size_t len = strlen(path);
	const char *base;
	int type = AUDIT_WATCH;
	char *end;

	if (len >= PATH_MAX)
		return fail(l, col, "The path passed for the watch is too big");
	if (path[0] != '/')
		return fail(l, col, "The path must start with '/'");
	/* basename(3) of libgen: the last component, trailing slashes dropped */
	end = path + len;
	while (end > path + 1 && end[-1] == '/')
		end--;
	base = end;
	while (base > path && base[-1] != '/')
		base--;
	if (end - base > NAME_MAX)
		return fail(l, col, "The base name of the path is too big");
	if (strstr(path, ".."))
		warn(l, col, "Warning - relative path notation is not supported");
	if (strchr(path, '*') || strchr(path, '?'))
		warn(l, col, "Warning - wildcard notation is not supported");
	if (len > 2 && path[len - 1] == '/') {
		while (len > 1 && path[len - 1] == '/')
			path[--len] = 0;
	}
	if (l->env && l->env->path_kind && l->env->path_kind(path, l->env->arg) == RULES_PATH_DIR)
		type = AUDIT_DIR;
	if (l->rule->field_count)
		return fail(l, col, "Rule is not empty");
	l->rule->buflen = 0;
	if (rule_reserve(l, len))
		return V_ERROR;
	memset(l->rule, 0, sizeof(*l->rule) + len);
	memset(l->rule->mask, 0xff, sizeof(l->rule->mask));
	l->rule->flags = AUDIT_FILTER_EXIT;
	l->rule->action = AUDIT_ALWAYS;
	l->rule->field_count = 2;
	l->rule->fields[0] = (uint32_t)type;
	l->rule->fieldflags[0] = AUDIT_EQUAL;
	l->rule->values[0] = (uint32_t)len;
	l->rule->fields[1] = AUDIT_PERM;
	l->rule->fieldflags[1] = AUDIT_EQUAL;
	l->rule->values[1] = AUDIT_PERM_READ | AUDIT_PERM_WRITE | AUDIT_PERM_EXEC | AUDIT_PERM_ATTR;
	l->rule->buflen = (uint32_t)len;
	memcpy(l->rule->buf, path, len);
	l->perm_added = true;
	return V_RULE;
}

/* -k KEY (and -F key=KEY): keys are joined with \x01 */
static int add_key(struct line *l, unsigned int col, const char *k)
{
	size_t have = strlen(l->key);

	if (strlen(k) + have + (have != 0) > AUDIT_MAX_KEY_LEN)
		return fail(l, col, "key option exceeds size limit");
	if (strchr(k, AUDIT_KEY_SEPARATOR))
		warn(l, col, "key %s has illegal character", k);
	if (have) {
		strcat(l->key, "\x01");
		l->keylen--;
	}
	strncat(l->key, k, l->keylen);
	l->keylen = AUDIT_MAX_KEY_LEN - strlen(l->key);
	return 0;
}

/* -S LIST: names or numbers, comma-separated */
static int opt_syscall(struct line *l, unsigned int col, const char *optarg)
{
	bool unknown_arch = !l->elf;
	char *tmp, *p, *save = NULL;
	int rc = 0;

	if ((l->add & (AUDIT_FILTER_MASK | AUDIT_FILTER_UNSET)) == AUDIT_FILTER_TASK ||
	    (l->del & (AUDIT_FILTER_MASK | AUDIT_FILTER_UNSET)) == AUDIT_FILTER_TASK)
		return fail(l, col, "Error: syscall auditing being added to task list");
	if ((l->add & (AUDIT_FILTER_MASK | AUDIT_FILTER_UNSET)) == AUDIT_FILTER_USER ||
	    (l->del & (AUDIT_FILTER_MASK | AUDIT_FILTER_UNSET)) == AUDIT_FILTER_USER)
		return fail(l, col, "Error: syscall auditing being added to user list");
	if ((l->add & (AUDIT_FILTER_MASK | AUDIT_FILTER_UNSET)) == AUDIT_FILTER_FS ||
	    (l->del & (AUDIT_FILTER_MASK | AUDIT_FILTER_UNSET)) == AUDIT_FILTER_FS)
		return fail(l, col, "Error: syscall auditing being added to filesystem list");
	if (l->exclude)
		return fail(l, col, "Error: syscall auditing cannot be put on exclude list");
	if (unknown_arch) {
		int machine = audit_detect_machine();

		if (machine < 0)
			return fail(l, col, "Error detecting machine type");
		l->elf = audit_machine_to_elf(machine);
		if (l->elf == 0)
			return fail(l, col, "Error looking up elf type %d", machine);
	}
	if (!strchr(optarg, ',')) {
		rc = add_syscall(l, optarg);
		if (rc == -1)
			return fail(l, col, "Syscall name unknown: %s", optarg);
	} else {
		tmp = strdup(optarg);
		if (!tmp) {
			l->nomem = 1;
			return V_ERROR;
		}
		for (p = strtok_r(tmp, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
			rc = add_syscall(l, p);
			if (rc == -1) {
				fail(l, col, "Syscall name unknown: %s", p);
				break;
			}
			if (rc)
				break;
		}
		free(tmp);
		if (rc == -1)
			return V_ERROR;
	}
	if (rc == -2)
		return fail(l, col, "Elf type unknown: 0x%x", l->elf);
	l->syscall_added = true;
	if (unknown_arch && l->add != AUDIT_FILTER_UNSET) {
		/* auditctl warns when the 32-bit table gives other numbers */
		struct line alt = *l;
		uint32_t saved[AUDIT_BITMASK_SIZE];
		unsigned int elf32 = 0;

		switch (l->elf) {
		case AUDIT_ARCH_X86_64:
			elf32 = AUDIT_ARCH_I386;
			break;
		case AUDIT_ARCH_PPC64:
			elf32 = AUDIT_ARCH_PPC;
			break;
		case AUDIT_ARCH_S390X:
			elf32 = AUDIT_ARCH_S390;
			break;
		}
		if (elf32) {
			memcpy(saved, l->rule->mask, sizeof(saved));
			memset(l->rule->mask, 0, sizeof(saved));
			alt.elf = elf32;
			tmp = strdup(optarg);
			if (!tmp) {
				l->nomem = 1;
				return V_ERROR;
			}
			for (p = strtok_r(tmp, ",", &save); p; p = strtok_r(NULL, ",", &save))
				add_syscall(&alt, p);
			free(tmp);
			if (memcmp(saved, l->rule->mask, sizeof(saved)))
				warn(l, col,
				     "WARNING - 32/64 bit syscall mismatch in line %d, you should "
				     "specify an arch",
				     l->lineno);
			memcpy(l->rule->mask, saved, sizeof(saved));
		}
	}
	return V_REPLY;
}

/* auditctl's long options */
enum {
	OPT_LOGINUID_IMMUTABLE = 1,
	OPT_BACKLOG_WAIT_TIME,
	OPT_RESET_LOST,
	OPT_RESET_BACKLOG_WAIT_TIME_ACTUAL,
	OPT_SIGNAL,
};

static const struct {
	const char *name;
	bool has_arg;
	int val;
} long_opts[] = {
	{"loginuid-immutable", false, OPT_LOGINUID_IMMUTABLE},
	{"backlog_wait_time", true, OPT_BACKLOG_WAIT_TIME},
	{"reset-lost", false, OPT_RESET_LOST},
	{"reset_backlog_wait_time_actual", false, OPT_RESET_BACKLOG_WAIT_TIME_ACTUAL},
	{"signal", true, OPT_SIGNAL},
};

/* auditctl's short options; a ':' after a letter: it takes a value */
static const char short_opts[] = "hicslDvtC:e:f:r:b:a:A:d:S:F:m:R:w:W:k:p:q:";

/* getopt_long over a line's words, GNU's way (words that are no option are skipped) */
struct opts {
	int optind;   /* the next word to read */
	int word;     /* the word of the option being read */
	int nextchar; /* in a cluster (-ic): the next letter, or 0 */
	char *optarg;
	int nonopt; /* the first word skipped that is no option, or 0 */
	bool any;   /* an option was found */
};

static int long_opt(struct line *l, struct opts *g, char *w)
{
	char *eq = strchr(w, '=');
	size_t n = eq ? (size_t)(eq - w) : strlen(w);
	int found = -1, matches = 0;
	size_t i;

	for (i = 0; i < sizeof(long_opts) / sizeof(long_opts[0]); i++) {
		if (strncmp(long_opts[i].name, w, n))
			continue;
		if (strlen(long_opts[i].name) == n) {
			found = (int)i;
			matches = 1;
			break;
		}
		found = (int)i;
		matches++;
	}
	g->optind = g->word + 1;
	if (matches != 1)
		return '?';
	if (long_opts[found].has_arg) {
		if (eq) {
			g->optarg = eq + 1;
		} else if (g->optind < l->argc) {
			g->optarg = l->argv[g->optind++].s;
		} else {
			return '?';
		}
	} else if (eq) {
		return '?';
	}
	return long_opts[found].val;
}

/* The next option, '?' for one not known or lacking its value, -1 at the end */
static int next_opt(struct line *l, struct opts *g)
{
	const char *spec;
	char *w;
	int c;

	g->optarg = NULL;
	if (!g->nextchar) {
		while (g->optind < l->argc) {
			w = l->argv[g->optind].s;
			if (strcmp(w, "--") == 0) {
				if (++g->optind < l->argc && !g->nonopt)
					g->nonopt = g->optind;
				return -1;
			}
			if (w[0] == '-' && w[1])
				break;
			if (!g->nonopt)
				g->nonopt = g->optind;
			g->optind++;
		}
		if (g->optind >= l->argc)
			return -1;
		g->any = true;
		g->word = g->optind;
		w = l->argv[g->word].s;
		if (w[1] == '-')
			return long_opt(l, g, w + 2);
		g->nextchar = 1;
	}
	w = l->argv[g->word].s;
	c = (unsigned char)w[g->nextchar++];
	if (!w[g->nextchar]) {
		g->nextchar = 0;
		g->optind = g->word + 1;
	}
	spec = c == ':' ? NULL : strchr(short_opts, c);
	if (!spec)
		return '?';
	if (spec[1] != ':')
		return c;
	if (g->nextchar) {
		g->optarg = w + g->nextchar;
		g->nextchar = 0;
		g->optind = g->word + 1;
	} else if (g->optind < l->argc) {
		g->optarg = l->argv[g->optind++].s;
	} else {
		return '?';
	}
	return c;
}

/* -b, -r, --backlog_wait_time: a number as strtoul reads it */
static int control_number(struct line *l, unsigned int col, const char *v, const char *what,
			  const char *conv, int64_t *out)
{
	unsigned long n;

	if (!isdigit((unsigned char)v[0]))
		return fail(l, col, "%s must be a numeric value was %s", what, v);
	errno = 0;
	n = strtoul(v, NULL, 0);
	if (errno)
		return fail(l, col, "Error converting %s", conv);
	*out = (uint32_t)n;
	return V_REPLY;
}

/* -e, -f: 0, 1 or 2 */
static int control_012(struct line *l, unsigned int col, const char *v, const char *what, int *out)
{
	if (strcmp(v, "0") && strcmp(v, "1") && strcmp(v, "2"))
		return fail(l, col, "%s must be 0, 1, or 2 was %s", what, v);
	*out = v[0] - '0';
	return V_REPLY;
}

/* The kernel refuses every configuration change once enabled is 2 */
static int locked(struct line *l, unsigned int col, const char *request)
{
	if (l->s->ctl.enabled != 2)
		return 0;
	fail(l, col, "Error sending %s request (%s)", request, strerror(EPERM));
	return 1;
}

static int opt_add(struct line *l, unsigned int col, int c, char *optarg)
{
	const char *what = c == 'a' ? "Append" : c == 'A' ? "Add" : "Delete";
	int *list = c == 'd' ? &l->del : &l->add;
	int rc;

	if (c != 'd' && strstr(optarg, "task") && l->syscall_added)
		return fail(l, col,
			    c == 'a' ? "Syscall auditing requested for task list"
				     : "Error: syscall auditing requested for task list");
	rc = rule_setup(l, optarg, list);
	if (rc == 3)
		return fail(l, col, "Multiple rule insert/delete operations are not allowed");
	if (rc == 2)
		return fail(l, col, "%s rule - bad keyword %s", what, optarg);
	if (rc == 1) {
		warn(l, col, "%s rule - possible is deprecated", c == 'd' ? "Delete" : "Append");
		return V_DEPRECATED;
	}
	if (c == 'A')
		l->add |= AUDIT_FILTER_PREPEND;
	return V_RULE;
}

static int opt_field(struct line *l, unsigned int col, int c, char *optarg)
{
	int flags = list_flags(l), rc;

	if (c == 'F' && flags == AUDIT_FILTER_UNSET)
		return fail(l, col, "List must be given before field");
	if (c == 'F' && strncmp(optarg, "key=", 4) == 0)
		return add_key(l, col, optarg + 4) ? V_ERROR : V_REPLY;
	rc = c == 'F' ? field_pair(l, optarg, flags) : compare_pair(l, optarg, flags);
	if (rc == -EAU_NOMEM)
		return V_ERROR;
	if (rc) {
		if (rc == -EAU_PRINT_NOTHING) {
			l->col = col;
			return V_ERROR;
		}
		return fail_eau(l, col, -rc, optarg);
	}
	if (l->rule->fields[l->rule->field_count - 1] == AUDIT_PERM)
		l->perm_added = true;
	return V_REPLY;
}

/* -D [-k KEY]: delete every rule (whose key holds KEY) */
static int delete_all(struct line *l, unsigned int col, const char *key)
{
	struct rules_set *s = l->s;
	size_t i, j;

	if (locked(l, col, "delete all"))
		return V_ERROR;
	for (i = j = 0; i < s->count; i++) {
		const struct audit_rule_data *r = s->rule[i].data;
		bool match = !key[0];
		size_t off = 0;
		unsigned int f;

		for (f = 0; f < r->field_count && !match; f++) {
			if (r->fields[f] == AUDIT_FILTERKEY &&
			    memmem(r->buf + off, r->values[f], key, strlen(key)))
				match = true;
			if (is_string_field(r->fields[f]))
				off += r->values[f];
		}
		if (match)
			free(s->rule[i].data);
		else
			s->rule[j++] = s->rule[i];
	}
	s->count = j;
	return V_DONE;
}

static int opt_other(struct line *l, unsigned int col, int c, char *optarg, struct opts *g)
{
	int argc = l->argc;

	switch (c) {
	case 'h':
		return fail(l, col, "Option -h prints the usage");
	case 'i':
		l->s->ctl.ignore_errors = 1;
		return V_DONE;
	case 'c':
		l->s->ctl.ignore_errors = 1;
		l->s->ctl.continue_errors = 1;
		return V_DONE;
	case 's':
		if (argc > 3)
			return fail(l, col, "Too many options for status command");
		if (g->optind == 2 && argc == 3 && strcmp(l->argv[2].s, "-i"))
			return fail(l, col, "Only -i option is allowed");
		return V_DONE;
	case 'l':
		if (argc > 4)
			return fail(l, col, "Wrong number of options for list request");
		if ((argc == 3 && strcmp(l->argv[g->optind].s, "-i")) ||
		    (argc == 4 && strcmp(l->argv[g->optind].s, "-k")))
			return fail(l, col, "Only -k or -i options are allowed");
		l->list_requested = 1;
		if (argc == 3)
			l->argc--;
		else if (argc == 4)
			l->argc -= 2;
		return V_DONE;
	case 'D':
		if (argc > 4 || argc == 3)
			return fail(l, col, "Wrong number of options for Delete all request");
		if (argc == 4) {
			if (strcmp(l->argv[g->optind].s, "-k"))
				return fail(l, col, "Only the -k option is allowed");
			strncat(l->key, l->argv[3].s, l->keylen);
			l->argc -= 2;
		}
		l->list_requested = 1;
		c = delete_all(l, col, l->key);
		l->key[0] = 0;
		return c;
	case 'e':
		if (control_012(l, col, optarg, "Enable", &c) == V_ERROR ||
		    locked(l, col, "enable"))
			return V_ERROR;
		l->s->ctl.enabled = c;
		return V_REPLY;
	case 'f':
		if (control_012(l, col, optarg, "Failure", &c) == V_ERROR ||
		    locked(l, col, "failure mode"))
			return V_ERROR;
		l->s->ctl.failure = c;
		return V_REPLY;
	case 'r':
		if (control_number(l, col, optarg, "Rate", "rate", &l->s->ctl.rate_limit) ==
			    V_ERROR ||
		    locked(l, col, "rate limit"))
			return V_ERROR;
		return V_REPLY;
	case 'b':
		if (control_number(l, col, optarg, "Backlog", "backlog",
				   &l->s->ctl.backlog_limit) == V_ERROR ||
		    locked(l, col, "backlog limit"))
			return V_ERROR;
		return V_REPLY;
	case OPT_BACKLOG_WAIT_TIME:
		if (control_number(l, col, optarg, "Backlog_wait_time", "backlog_wait_time",
				   &l->s->ctl.backlog_wait_time) == V_ERROR ||
		    locked(l, col, "backlog wait time"))
			return V_ERROR;
		return V_REPLY;
	case OPT_LOGINUID_IMMUTABLE:
		if (locked(l, col, "feature set"))
			return V_ERROR;
		l->s->ctl.loginuid_immutable = 1;
		return V_DONE;
	case 'm':
		if (argc > 3)
			return fail(l, col,
				    "The -m option must be only the only option and takes 1 "
				    "parameter");
		for (; *optarg; optarg++)
			if ((signed char)*optarg < 32)
				return fail(l, col, "Illegal character in audit event");
		return V_DONE;
	case 'R':
		return fail(l, col, "Error - nested rule files not supported");
	case 'q': {
		char *comma = strchr(optarg, ',');

		if (l->syscall_added)
			return fail(l, col, "Syscall auditing requested for make equivalent");
		if (!comma || !comma[1] || strchr(comma + 1, ','))
			return fail(l, col, "Error parsing equivalent parts");
		return V_DONE;
	}
	case OPT_SIGNAL:
		if (strcasecmp(optarg, "TERM") && strcasecmp(optarg, "HUP") &&
		    strcasecmp(optarg, "USR1") && strcasecmp(optarg, "USR2") &&
		    strcasecmp(optarg, "CONT"))
			return fail(l, col, "%s is an unsupported signal", optarg);
		return V_DONE;
	case 't':
	case 'v':
	case OPT_RESET_LOST:
	case OPT_RESET_BACKLOG_WAIT_TIME_ACTUAL:
		return V_DONE;
	default:
		return fail(l, col, "Option %s is invalid",
			    g->optind >= 2 ? l->argv[g->optind - 1].s : " ");
	}
}

/* auditctl's setopt(): the line's options, in order, until one fails or is final */
static int setopt(struct line *l)
{
	struct opts g = {.optind = 1};
	int rc = V_REPLY, c = 0;

	while (rc >= 0 && (c = next_opt(l, &g)) != -1) {
		unsigned int col = l->argv[g.word].col;
		char *optarg = g.optarg;
		int prev = rc;

		switch (c) {
		case 'a':
		case 'A':
		case 'd':
			rc = opt_add(l, col, c, optarg);
			break;
		case 'S':
			rc = opt_syscall(l, col, optarg);
			break;
		case 'F':
		case 'C':
			rc = opt_field(l, col, c, optarg);
			break;
		case 'w':
		case 'W':
			if (c == 'w' &&
			    (l->add != AUDIT_FILTER_UNSET || l->del != AUDIT_FILTER_UNSET)) {
				rc = fail(l, col, "watch option can't be given with a syscall");
				break;
			}
			if (c == 'w')
				l->add = AUDIT_FILTER_EXIT;
			else
				l->del = AUDIT_FILTER_EXIT;
			l->action = AUDIT_ALWAYS;
			l->syscall_added = true;
			rc = setup_watch(l, col, optarg);
			break;
		case 'k':
			if (!(l->syscall_added || l->perm_added || l->exe_added || l->fs_added) ||
			    (l->add == AUDIT_FILTER_UNSET && l->del == AUDIT_FILTER_UNSET)) {
				rc = fail(l, col,
					  "key option needs a watch or syscall given prior to it");
				break;
			}
			if (add_key(l, col, optarg))
				rc = V_ERROR;
			break;
		case 'p':
			if (l->add == AUDIT_FILTER_UNSET && l->del == AUDIT_FILTER_UNSET)
				rc = fail(l, col,
					  "permission option needs a watch given prior to it");
			else
				rc = setup_perms(l, col, optarg);
			break;
		default:
			rc = opt_other(l, col, c, optarg, &g);
			break;
		}
		/* as in auditctl, an option that needs no answer leaves the verdict as it was */
		if (rc == V_REPLY)
			rc = prev;
		if (rc == V_DEPRECATED)
			return rc;
		if (l->nomem)
			return V_ERROR;
	}
	if (!g.any && g.nonopt && rc != V_ERROR) {
		rc = fail(l, l->argv[1].col, "A rule line must start with an option");
	} else if (rc != V_ERROR && c == -1 && g.nonopt) {
		rc = fail(l, l->argv[g.nonopt].col, "parameter passed without an option given");
	} else if (rc != V_ERROR && c != -1 && g.optind < l->argc) {
		rc = fail(l, l->argv[g.optind].col, "parameter passed without an option given");
	}
	if (l->key[0] && !l->list_requested) {
		char pair[sizeof("key=") + AUDIT_MAX_KEY_LEN];
		int flags = list_flags(l), r;

		snprintf(pair, sizeof(pair), "key=%s", l->key);
		r = field_pair(l, pair, flags == AUDIT_FILTER_UNSET ? 0 : flags);
		if (r == -EAU_NOMEM)
			return V_ERROR;
		if (r && r != -EAU_PRINT_NOTHING)
			rc = fail_eau(l, l->argv[1].col, -r, pair);
		else if (r)
			rc = V_ERROR;
	}
	return rc;
}

/* The kernel's operator classes (audit_field_valid): 2 = and != only, 1 no bit operators */
static int field_ops(unsigned int type)
{
	switch (type) {
	case AUDIT_ARG0:
	case AUDIT_ARG1:
	case AUDIT_ARG2:
	case AUDIT_ARG3:
	case AUDIT_PERS:
	case AUDIT_DEVMINOR:
		return 0;
	case AUDIT_UID:
	case AUDIT_EUID:
	case AUDIT_SUID:
	case AUDIT_FSUID:
	case AUDIT_LOGINUID:
	case AUDIT_OBJ_UID:
	case AUDIT_GID:
	case AUDIT_EGID:
	case AUDIT_SGID:
	case AUDIT_FSGID:
	case AUDIT_OBJ_GID:
	case AUDIT_PID:
	case AUDIT_MSGTYPE:
	case AUDIT_PPID:
	case AUDIT_DEVMAJOR:
	case AUDIT_EXIT:
	case AUDIT_SUCCESS:
	case AUDIT_INODE:
	case AUDIT_SESSIONID:
	case AUDIT_SUBJ_SEN:
	case AUDIT_SUBJ_CLR:
	case AUDIT_OBJ_LEV_LOW:
	case AUDIT_OBJ_LEV_HIGH:
	case AUDIT_SADDR_FAM:
		return 1;
	case AUDIT_SUBJ_USER:
	case AUDIT_SUBJ_ROLE:
	case AUDIT_SUBJ_TYPE:
	case AUDIT_OBJ_USER:
	case AUDIT_OBJ_ROLE:
	case AUDIT_OBJ_TYPE:
	case AUDIT_WATCH:
	case AUDIT_DIR:
	case AUDIT_FILTERKEY:
	case AUDIT_LOGINUID_SET:
	case AUDIT_ARCH:
	case AUDIT_FSTYPE:
	case AUDIT_PERM:
	case AUDIT_FILETYPE:
	case AUDIT_FIELD_COMPARE:
	case AUDIT_EXE:
		return 2;
	}
	return -1;
}

static bool valid_op(uint32_t op)
{
	switch (op) {
	case AUDIT_EQUAL:
	case AUDIT_NOT_EQUAL:
	case AUDIT_LESS_THAN:
	case AUDIT_GREATER_THAN:
	case AUDIT_LESS_THAN_OR_EQUAL:
	case AUDIT_GREATER_THAN_OR_EQUAL:
	case AUDIT_BIT_MASK:
	case AUDIT_BIT_TEST:
		return true;
	}
	return false;
}

static int path_kind(const struct rules_env *env, const char *path)
{
	if (!env || !env->path_kind)
		return RULES_PATH_MISSING;
	return env->path_kind(path, env->arg);
}

/*
 * The directory a watch or an exe path hangs on must exist when the rule is added
 * (kern_path_locked): 0, -ENOENT, -ENOTDIR, or -EINVAL for a last component "." or "..".
 */
static int parent_check(const struct rules_env *env, const char *path, size_t len)
{
	char parent[PATH_MAX + 1];
	size_t end = len, slash;
	int kind;

	while (end > 0 && path[end - 1] != '/')
		end--;
	if ((len - end == 1 && path[end] == '.') ||
	    (len - end == 2 && path[end] == '.' && path[end + 1] == '.'))
		return -EINVAL;
	slash = end;
	while (slash > 1 && path[slash - 1] == '/')
		slash--;
	if (slash > PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(parent, path, slash);
	parent[slash] = 0;
	kind = path_kind(env, parent);
	if (kind == RULES_PATH_MISSING)
		return -ENOENT;
	return kind == RULES_PATH_DIR ? 0 : -ENOTDIR;
}

/*
 * What the kernel says of a rule it receives (audit_rule_to_entry): 0 or -EINVAL, or an
 * error of the exe path's lookup. Watch and dir paths are checked later, once the rule is
 * known to be new (see tree_check).
 */
static int entry_check(const struct audit_rule_data *r, const struct rules_env *env)
{
	unsigned int listnr = r->flags & ~AUDIT_FILTER_PREPEND, i;
	bool watch = false, key = false, exe = false, inode = false;
	size_t off = 0;
	int rc;

	switch (listnr) {
	case AUDIT_FILTER_EXIT:
	case AUDIT_FILTER_TASK:
	case AUDIT_FILTER_USER:
	case AUDIT_FILTER_EXCLUDE:
	case AUDIT_FILTER_FS:
		break;
	default:
		return -EINVAL;
	}
	if (r->action != AUDIT_NEVER && r->action != AUDIT_ALWAYS)
		return -EINVAL;
	if (r->field_count > AUDIT_MAX_FIELDS)
		return -EINVAL;
	for (i = 0; i < r->field_count; i++) {
		uint32_t type = r->fields[i], val = r->values[i], op = r->fieldflags[i];
		const char *str = r->buf + off;

		if (is_string_field(type))
			off += val;
		if (!valid_op(op))
			return -EINVAL;
		/* auid=-1: the legacy spelling of loginuid_set */
		if (type == AUDIT_LOGINUID && val == 4294967295U) {
			type = AUDIT_LOGINUID_SET;
			val = 0;
		}
		if (type == AUDIT_MSGTYPE && listnr != AUDIT_FILTER_EXCLUDE &&
		    listnr != AUDIT_FILTER_USER)
			return -EINVAL;
		if (type == AUDIT_FSTYPE && listnr != AUDIT_FILTER_FS)
			return -EINVAL;
		if (listnr == AUDIT_FILTER_FS && type != AUDIT_FSTYPE && type != AUDIT_FILTERKEY)
			return -EINVAL;
		switch (field_ops(type)) {
		case -1:
			return -EINVAL;
		case 1:
			if (op == AUDIT_BIT_MASK || op == AUDIT_BIT_TEST)
				return -EINVAL;
			break;
		case 2:
			if (op != AUDIT_EQUAL && op != AUDIT_NOT_EQUAL)
				return -EINVAL;
			break;
		}
		switch (type) {
		case AUDIT_LOGINUID_SET:
			if (val > 1)
				return -EINVAL;
			break;
		case AUDIT_PERM:
			if (val & ~15U)
				return -EINVAL;
			break;
		case AUDIT_FILETYPE:
			if (val & ~(uint32_t)S_IFMT)
				return -EINVAL;
			break;
		case AUDIT_FIELD_COMPARE:
			if (val > AUDIT_MAX_FIELD_COMPARE)
				return -EINVAL;
			break;
		case AUDIT_SADDR_FAM:
			if (val >= AF_MAX)
				return -EINVAL;
			break;
		case AUDIT_UID:
		case AUDIT_EUID:
		case AUDIT_SUID:
		case AUDIT_FSUID:
		case AUDIT_LOGINUID:
		case AUDIT_OBJ_UID:
		case AUDIT_GID:
		case AUDIT_EGID:
		case AUDIT_SGID:
		case AUDIT_FSGID:
		case AUDIT_OBJ_GID:
			/* make_kuid: -1 is no id */
			if (val == 4294967295U)
				return -EINVAL;
			break;
		case AUDIT_WATCH:
			if (val == 0 || str[0] != '/' || str[val - 1] == '/' ||
			    listnr != AUDIT_FILTER_EXIT || op != AUDIT_EQUAL || inode || watch)
				return -EINVAL;
			watch = true;
			break;
		case AUDIT_DIR:
			if (val == 0 || str[0] != '/' || listnr != AUDIT_FILTER_EXIT ||
			    op != AUDIT_EQUAL || inode || watch)
				return -EINVAL;
			watch = true;
			break;
		case AUDIT_INODE:
			inode = true;
			break;
		case AUDIT_FILTERKEY:
			if (key || val > AUDIT_MAX_KEY_LEN)
				return -EINVAL;
			key = true;
			break;
		case AUDIT_EXE:
			if (exe || val > PATH_MAX || val == 0 || str[0] != '/' ||
			    str[val - 1] == '/')
				return -EINVAL;
			exe = true;
			rc = parent_check(env, str, val);
			if (rc)
				return rc;
			break;
		}
	}
	return 0;
}

/* A new watch's directory, or a dir rule's tree, must be there (audit_add_watch, _tree) */
static int tree_check(const struct audit_rule_data *r, const struct rules_env *env)
{
	char path[PATH_MAX + 1];
	size_t off = 0;
	unsigned int i;

	for (i = 0; i < r->field_count; i++) {
		const char *str = r->buf + off;

		if (r->fields[i] == AUDIT_WATCH)
			return parent_check(env, str, r->values[i]);
		if (r->fields[i] == AUDIT_DIR) {
			memcpy(path, str, r->values[i]);
			path[r->values[i]] = 0;
			return path_kind(env, path) == RULES_PATH_MISSING ? -ENOENT : 0;
		}
		if (is_string_field(r->fields[i]))
			off += r->values[i];
	}
	return 0;
}

static size_t rule_size(const struct audit_rule_data *r)
{
	return sizeof(*r) + r->buflen;
}

/* audit_compare_rule: the same list, action, fields, values, strings and syscalls */
static bool same_rule(const struct audit_rule_data *a, const struct audit_rule_data *b)
{
	return rule_size(a) == rule_size(b) && memcmp(a, b, rule_size(a)) == 0;
}

/* The set's index where a rule of @list goes: first (@prepend) or last of its list */
static size_t insert_at(const struct rules_set *s, unsigned int list, bool prepend)
{
	static const unsigned int order[] = {AUDIT_FILTER_USER, AUDIT_FILTER_TASK,
					     AUDIT_FILTER_EXIT, AUDIT_FILTER_EXCLUDE,
					     AUDIT_FILTER_FS};
	unsigned int rank = 0, k;
	size_t i;

	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		if (order[k] == list)
			rank = k;
	for (i = 0; i < s->count; i++) {
		unsigned int other = s->rule[i].data->flags, r = 0;

		for (k = 0; k < sizeof(order) / sizeof(order[0]); k++)
			if (order[k] == other)
				r = k;
		if (prepend ? r >= rank : r > rank)
			break;
	}
	return i;
}

/* auditctl's handle_request() for a rule, and the kernel's answer */
static int send_rule(struct line *l, const char *file, unsigned int lineno)
{
	struct rules_set *s = l->s;
	struct audit_rule_data *r = l->rule;
	bool add = l->add != AUDIT_FILTER_UNSET;
	int list = add ? l->add : l->del;
	size_t i, at;
	int rc;

	if ((list & AUDIT_FILTER_MASK) != AUDIT_FILTER_TASK && !l->syscall_added)
		memset(r->mask, 0xff, sizeof(r->mask));
	r->flags = (uint32_t)list;
	r->action = (uint32_t)l->action;
	if (add && locked(l, 1, "add rule data"))
		return V_ERROR;
	if (!add && locked(l, 1, "delete rule data"))
		return V_ERROR;
	rc = entry_check(r, l->env);
	/* the kernel keeps the prepend flag out of the rule once it is in the list */
	r->flags &= ~AUDIT_FILTER_PREPEND;
	if (!rc && !add) {
		for (i = 0; i < s->count; i++) {
			if (same_rule(s->rule[i].data, r)) {
				free(s->rule[i].data);
				memmove(&s->rule[i], &s->rule[i + 1],
					(s->count - i - 1) * sizeof(s->rule[0]));
				s->count--;
				return V_RULE;
			}
		}
		return fail(l, 1, "Error sending delete rule request (No rule matches)");
	}
	if (!rc && !(list & AUDIT_FILTER_PREPEND)) {
		for (i = 0; i < s->count && !rc; i++)
			if (same_rule(s->rule[i].data, r))
				rc = -EEXIST;
	}
	if (!rc)
		rc = tree_check(r, l->env);
	if (rc)
		return fail(l, 1, "Error sending %s rule data request (%s)", add ? "add" : "delete",
			    rc == -EEXIST ? "Rule exists" : strerror(-rc));
	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct rules_rule *n = realloc(s->rule, cap * sizeof(*n));

		if (!n) {
			l->nomem = 1;
			return V_ERROR;
		}
		s->rule = n;
		s->cap = cap;
	}
	at = insert_at(s, r->flags, list & AUDIT_FILTER_PREPEND);
	memmove(&s->rule[at + 1], &s->rule[at], (s->count - at) * sizeof(s->rule[0]));
	s->rule[at] = (struct rules_rule){.data = r, .file = file, .line = lineno};
	s->count++;
	/* the set owns it now */
	l->rule = NULL;
	l->rule_cap = 0;
	return V_RULE;
}

static int handle_request(struct line *l, int status, const char *file, unsigned int lineno)
{
	switch (status) {
	case V_REPLY:
		if (l->syscall_added)
			return fail(l, l->argv[1].col, "Error - no list specified");
		return V_DONE;
	case V_DONE:
	case V_DEPRECATED:
		return V_DONE;
	case V_RULE:
		return send_rule(l, file, lineno);
	default:
		return V_ERROR;
	}
}

/* preprocess(): "\ " and "\\" become markers that the split leaves alone */
static void mark_escapes(char *buf)
{
	bool esc = false;
	size_t i;

	for (i = 0; buf[i]; i++) {
		if (buf[i] == '\\' && !esc) {
			esc = true;
			continue;
		}
		if (esc && buf[i] == ' ')
			buf[i] = buf[i - 1] = 0x07;
		else if (esc && buf[i] == '\\')
			buf[i] = buf[i - 1] = 0x04;
		esc = false;
	}
}

/* postprocess(): each marker pair back to the character it stands for */
static void unmark_escapes(char *s)
{
	char *in = s, *out = s;

	while (*in) {
		if (*in == 0x07 || *in == 0x04) {
			*out++ = *in == 0x07 ? ' ' : '\\';
			in += in[1] ? 2 : 1;
			continue;
		}
		*out++ = *in++;
	}
	*out = 0;
}

/* One line (NUL-terminated, writable): 0 accepted or skipped, 1 refused */
static int parse_line(struct line *l, char *buf)
{
	size_t idx = 0, nf = strlen(buf) / 3 + 3;
	char *p;
	int rc, i;

	while (buf[idx] == ' ')
		idx++;
	if (!buf[idx])
		return 0;
	mark_escapes(buf);
	l->argc = 0;
	l->argv[l->argc++] = (struct word){.s = (char *)"auditctl", .col = 1};
	for (p = buf;;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (l->argc == 1 && *p == '#')
			return 0;
		if ((size_t)l->argc >= nf - 1)
			break;
		l->argv[l->argc].s = p;
		l->argv[l->argc].col = (unsigned int)(p - buf) + 1;
		l->argc++;
		p += strcspn(p, " ");
		if (*p)
			*p++ = 0;
	}
	for (i = 2; i < l->argc; i++)
		unmark_escapes(l->argv[i].s);
	l->rule = calloc(1, sizeof(*l->rule));
	if (!l->rule) {
		l->nomem = 1;
		return 1;
	}
	l->rule_cap = sizeof(*l->rule);
	l->add = l->del = AUDIT_FILTER_UNSET;
	l->action = -1;
	l->keylen = AUDIT_MAX_KEY_LEN;
	rc = setopt(l);
	if (rc != V_DEPRECATED)
		rc = handle_request(l, rc, l->file, l->lineno);
	free(l->rule);
	l->rule = NULL;
	return rc == V_ERROR;
}

void rules_set_init(struct rules_set *s)
{
	memset(s, 0, sizeof(*s));
	s->ctl.enabled = -1;
	s->ctl.failure = -1;
	s->ctl.backlog_limit = -1;
	s->ctl.rate_limit = -1;
	s->ctl.backlog_wait_time = -1;
}

void rules_set_free(struct rules_set *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->count; i++)
		free(s->rule[i].data);
	free(s->rule);
	rules_set_init(s);
}

int rules_parse(struct rules_set *s, const char *buf, size_t len, const char *file,
		const struct rules_origin *origin, size_t norigin, const struct rules_env *env,
		void (*report)(const struct rules_error *e, void *arg), void *arg)
{
	char line[LINE_SIZE];
	struct word *argv;
	size_t pos = 0;
	unsigned int lineno = 0;
	int rc = 0;

	argv = malloc((LINE_SIZE / 3 + 4) * sizeof(*argv));
	if (!argv)
		return -ENOMEM;
	while (pos < len && !s->stopped) {
		/* fgets: up to a newline or LINE_SIZE - 1 bytes */
		size_t n = 0, cut;
		struct line l = {.s = s, .env = env, .argv = argv, .report = report, .arg = arg};

		while (pos + n < len && n < LINE_SIZE - 1) {
			if (buf[pos + n++] == '\n')
				break;
		}
		memcpy(line, buf + pos, n);
		line[n] = 0;
		pos += n;
		lineno++;
		cut = strcspn(line, "\n");
		line[cut] = 0;
		l.file = file;
		l.lineno = lineno;
		if (origin && lineno <= norigin) {
			l.file = origin[lineno - 1].file;
			l.lineno = origin[lineno - 1].line;
		}
		if (!parse_line(&l, line))
			continue;
		if (l.nomem) {
			rc = -ENOMEM;
			break;
		}
		s->refused++;
		rc = -EINVAL;
		if (report) {
			struct rules_error e = {
				.file = l.file, .line = l.lineno, .column = l.col ? l.col : 1};

			snprintf(e.message, sizeof(e.message), "%s",
				 l.failed ? l.msg : "There was an error in this line");
			report(&e, arg);
		}
		if (!s->ctl.ignore_errors)
			s->stopped = 1;
	}
	free(argv);
	return rc;
}

int rules_verdict(const struct rules_set *s)
{
	if (s->refused && (!s->ctl.ignore_errors || s->ctl.continue_errors || s->stopped))
		return -EINVAL;
	return 0;
}
