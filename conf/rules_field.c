// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * -F and -C of audit.rules: a field's name, operator and value read as libaudit 3.0.9's
 * audit_rule_fieldpair_data and audit_rule_interfield_comp_data read them, into the line's
 * struct audit_rule_data, and the messages libaudit gives when they refuse one.
 */
#include "conf/rules_int.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libaudit.h>

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

/* libaudit's message for a rule builder error; @opt is what is left of the option's text */
int rules_fail_eau(struct line *l, unsigned int col, int code, const char *opt)
{
	size_t i;

	for (i = 0; i < sizeof(eau_msgs) / sizeof(eau_msgs[0]); i++) {
		if (eau_msgs[i].code != code)
			continue;
		if (eau_msgs[i].position == 1)
			return rules_fail(l, col, "%s %s", opt, eau_msgs[i].text);
		if (eau_msgs[i].position == 2)
			return rules_fail(l, col, "%s %s", eau_msgs[i].text, opt);
		return rules_fail(l, col, "%s", eau_msgs[i].text);
	}
	return rules_fail(l, col, "%s: invalid", opt);
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
		rules_fail(l, 0, "Unknown user: %s", v);
		return -EAU_PRINT_NOTHING;
	}
	return 0;
}

static int gid_value(struct line *l, const char *v, uint32_t *out)
{
	if (isdigit((unsigned char)v[0]))
		*out = number(v, false);
	else if (!l->env || !l->env->group_id || l->env->group_id(v, out, l->env->arg) != 0) {
		rules_fail(l, 0, "Unknown group: %s", v);
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

int rules_perm_bits(const char *v, uint32_t *out)
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
	if (rules_reserve(l, vlen))
		return -EAU_NOMEM;
	memcpy(l->rule->buf + l->rule->buflen, v, vlen);
	l->rule->buflen += vlen;
	l->rule->values[l->rule->field_count] = (uint32_t)vlen;
	return 0;
}

/* -F arch=: a machine name or an ELF number, before any -S */
static int arch_value(struct line *l, int op, const char *v, uint32_t *val)
{
	int machine;

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
}

/* The fields whose value is a number, and those that must be on a given list */
static int number_value(int field, int op, const char *v, int flags, uint32_t *val)
{
	switch (field) {
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

/* The value of the field @field, as audit_rule_fieldpair_data reads it */
static int field_value(struct line *l, int field, int op, const char *v, int flags)
{
	struct audit_rule_data *r = l->rule;
	uint32_t *val = &r->values[r->field_count];

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
		return arch_value(l, op, v, val);
	case AUDIT_PERM:
		if (flags != AUDIT_FILTER_EXIT)
			return -EAU_EXITONLY;
		if (op != AUDIT_EQUAL)
			return -EAU_OPEQ;
		if (strlen(v) > 4)
			return -EAU_STRTOOLONG;
		if (rules_perm_bits(v, val))
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
	default:
		return number_value(field, op, v, flags, val);
	}
}

/* -F PAIR: audit_rule_fieldpair_data. @pair is cut at its operator, as libaudit cuts it. */
int rules_field_pair(struct line *l, char *pair, int flags)
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
int rules_compare_pair(struct line *l, char *pair, int flags)
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
