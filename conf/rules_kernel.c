// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What the kernel does with a rule auditctl sends (kernel/auditfilter.c): the checks of
 * audit_data_to_entry and audit_field_valid, the lookups of the paths a rule hangs on
 * (audit_add_watch, audit_add_tree_rule, the exe path), and audit_add_rule and
 * audit_del_rule on the set's list: a rule already there is refused, -A puts it first
 * in its list.
 */
#include "conf/rules_int.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <libaudit.h>

/* The kernel refuses every configuration change once enabled is 2 */
int rules_locked(struct line *l, unsigned int col, const char *request)
{
	if (l->s->ctl.enabled != 2)
		return 0;
	rules_fail(l, col, "Error sending %s request (%s)", request, strerror(EPERM));
	return 1;
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

/* The fields a rule may hold once, and a watch's companions: what the rule has so far */
struct seen {
	bool watch, key, exe, inode;
};

/*
 * One field of a rule the kernel receives, in the rule's list @listnr (the loop of
 * audit_data_to_entry and audit_field_valid): 0 or -EINVAL, or an error of the exe path's
 * lookup. @str is the field's string when it has one.
 */
static int field_check(uint32_t type, uint32_t val, uint32_t op, const char *str,
		       unsigned int listnr, struct seen *seen, const struct rules_env *env)
{
	if (!valid_op(op))
		return -EINVAL;
	/* auid=-1: the legacy spelling of loginuid_set */
	if (type == AUDIT_LOGINUID && val == 4294967295U) {
		type = AUDIT_LOGINUID_SET;
		val = 0;
	}
	if (type == AUDIT_MSGTYPE && listnr != AUDIT_FILTER_EXCLUDE && listnr != AUDIT_FILTER_USER)
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
		return val > 1 ? -EINVAL : 0;
	case AUDIT_PERM:
		return val & ~15U ? -EINVAL : 0;
	case AUDIT_FILETYPE:
		return val & ~(uint32_t)S_IFMT ? -EINVAL : 0;
	case AUDIT_FIELD_COMPARE:
		return val > AUDIT_MAX_FIELD_COMPARE ? -EINVAL : 0;
	case AUDIT_SADDR_FAM:
		return val >= AF_MAX ? -EINVAL : 0;
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
		return val == 4294967295U ? -EINVAL : 0;
	case AUDIT_WATCH:
		if (val == 0 || str[0] != '/' || str[val - 1] == '/' ||
		    listnr != AUDIT_FILTER_EXIT || op != AUDIT_EQUAL || seen->inode || seen->watch)
			return -EINVAL;
		seen->watch = true;
		return 0;
	case AUDIT_DIR:
		if (val == 0 || str[0] != '/' || listnr != AUDIT_FILTER_EXIT || op != AUDIT_EQUAL ||
		    seen->inode || seen->watch)
			return -EINVAL;
		seen->watch = true;
		return 0;
	case AUDIT_INODE:
		seen->inode = true;
		return 0;
	case AUDIT_FILTERKEY:
		if (seen->key || val > AUDIT_MAX_KEY_LEN)
			return -EINVAL;
		seen->key = true;
		return 0;
	case AUDIT_EXE:
		if (seen->exe || val > PATH_MAX || val == 0 || str[0] != '/' || str[val - 1] == '/')
			return -EINVAL;
		seen->exe = true;
		return parent_check(env, str, val);
	}
	return 0;
}

/*
 * What the kernel says of a rule it receives (audit_rule_to_entry): 0 or -EINVAL, or an
 * error of the exe path's lookup. Watch and dir paths are checked later, once the rule is
 * known to be new (see tree_check).
 */
static int entry_check(const struct audit_rule_data *r, const struct rules_env *env)
{
	unsigned int listnr = r->flags & ~AUDIT_FILTER_PREPEND, i;
	struct seen seen = {0};
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
		const char *str = r->buf + off;

		if (rules_is_string_field(r->fields[i]))
			off += r->values[i];
		rc = field_check(r->fields[i], r->values[i], r->fieldflags[i], str, listnr, &seen,
				 env);
		if (rc)
			return rc;
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
		if (rules_is_string_field(r->fields[i]))
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
int rules_send(struct line *l, const char *file, unsigned int lineno)
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
	if (add && rules_locked(l, 1, "add rule data"))
		return V_ERROR;
	if (!add && rules_locked(l, 1, "delete rule data"))
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
		return rules_fail(l, 1, "Error sending delete rule request (No rule matches)");
	}
	if (!rc && !(list & AUDIT_FILTER_PREPEND)) {
		for (i = 0; i < s->count && !rc; i++)
			if (same_rule(s->rule[i].data, r))
				rc = -EEXIST;
	}
	if (!rc)
		rc = tree_check(r, l->env);
	if (rc)
		return rules_fail(l, 1, "Error sending %s rule data request (%s)",
				  add ? "add" : "delete",
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
