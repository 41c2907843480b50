// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The options of audit.rules, each as auditctl 3.0.9's setopt() handles it: -a/-A/-d set
 * the line's list and action, -S its syscalls, -w/-W make a watch rule, -p and -k add
 * to it, -D deletes rules, -e/-f/-b/-r/--backlog_wait_time set the set's controls, and
 * the queries (-l, -s, -m ...) are checked and done.
 */
#include "conf/rules_int.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <libaudit.h>

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

/* The list auditctl passes to the field parsers: the rule's, or "unset" */
int rules_list_flags(const struct line *l)
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
int rules_opt_perms(struct line *l, unsigned int col, const char *opt)
{
	struct audit_rule_data *r = l->rule;
	uint32_t val;
	unsigned int i;
	bool done = false;

	if (strlen(opt) > 4)
		return rules_fail(l, col, "permission %s is too long", opt);
	if (rules_perm_bits(opt, &val)) {
		const char *p = opt;

		while (strchr("rwxaRWXA", *p))
			p++;
		return rules_fail(l, col, "Permission %c isn't supported", *p);
	}
	if (r->field_count < 1)
		return rules_fail(l, col, "Permissions should be preceeded by other fields");
	for (i = 0; i < r->field_count; i++) {
		if (r->fields[i] == AUDIT_PERM) {
			r->values[i] = val;
			done = true;
		}
	}
	if (!done) {
		if (r->field_count >= AUDIT_MAX_FIELDS - 1)
			return rules_fail(l, col, "Too many fields when adding permissions");
		r->fields[r->field_count] = AUDIT_PERM;
		r->fieldflags[r->field_count] = AUDIT_EQUAL;
		r->values[r->field_count] = val;
		r->field_count++;
	}
	l->perm_added = true;
	return V_RULE;
}

/* -w/-W PATH: a path rule, or a dir rule if PATH is a directory now */
int rules_opt_watch(struct line *l, unsigned int col, char *path)
{
	size_t len = strlen(path);
	const char *base;
	int type = AUDIT_WATCH;
	char *end;

	if (len >= PATH_MAX)
		return rules_fail(l, col, "The path passed for the watch is too big");
	if (path[0] != '/')
		return rules_fail(l, col, "The path must start with '/'");
	/* basename(3) of libgen: the last component, trailing slashes dropped */
	end = path + len;
	while (end > path + 1 && end[-1] == '/')
		end--;
	base = end;
	while (base > path && base[-1] != '/')
		base--;
	if (end - base > NAME_MAX)
		return rules_fail(l, col, "The base name of the path is too big");
	if (strstr(path, ".."))
		rules_warn(l, col, "Warning - relative path notation is not supported");
	if (strchr(path, '*') || strchr(path, '?'))
		rules_warn(l, col, "Warning - wildcard notation is not supported");
	if (len > 2 && path[len - 1] == '/') {
		while (len > 1 && path[len - 1] == '/')
			path[--len] = 0;
	}
	if (l->env && l->env->path_kind && l->env->path_kind(path, l->env->arg) == RULES_PATH_DIR)
		type = AUDIT_DIR;
	if (l->rule->field_count)
		return rules_fail(l, col, "Rule is not empty");
	l->rule->buflen = 0;
	if (rules_reserve(l, len))
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
int rules_add_key(struct line *l, unsigned int col, const char *k)
{
	size_t have = strlen(l->key);

	if (strlen(k) + have + (have != 0) > AUDIT_MAX_KEY_LEN)
		return rules_fail(l, col, "key option exceeds size limit");
	if (strchr(k, AUDIT_KEY_SEPARATOR))
		rules_warn(l, col, "key %s has illegal character", k);
	if (have) {
		strcat(l->key, "\x01");
		l->keylen--;
	}
	strncat(l->key, k, l->keylen);
	l->keylen = AUDIT_MAX_KEY_LEN - strlen(l->key);
	return 0;
}

/* -S LIST: names or numbers, comma-separated */
int rules_opt_syscall(struct line *l, unsigned int col, const char *optarg)
{
	bool unknown_arch = !l->elf;
	char *tmp, *p, *save = NULL;
	int rc = 0;

	if ((l->add & (AUDIT_FILTER_MASK | AUDIT_FILTER_UNSET)) == AUDIT_FILTER_TASK ||
	    (l->del & (AUDIT_FILTER_MASK | AUDIT_FILTER_UNSET)) == AUDIT_FILTER_TASK)
		return rules_fail(l, col, "Error: syscall auditing being added to task list");
	if ((l->add & (AUDIT_FILTER_MASK | AUDIT_FILTER_UNSET)) == AUDIT_FILTER_USER ||
	    (l->del & (AUDIT_FILTER_MASK | AUDIT_FILTER_UNSET)) == AUDIT_FILTER_USER)
		return rules_fail(l, col, "Error: syscall auditing being added to user list");
	if ((l->add & (AUDIT_FILTER_MASK | AUDIT_FILTER_UNSET)) == AUDIT_FILTER_FS ||
	    (l->del & (AUDIT_FILTER_MASK | AUDIT_FILTER_UNSET)) == AUDIT_FILTER_FS)
		return rules_fail(l, col, "Error: syscall auditing being added to filesystem list");
	if (l->exclude)
		return rules_fail(l, col, "Error: syscall auditing cannot be put on exclude list");
	if (unknown_arch) {
		int machine = audit_detect_machine();

		if (machine < 0)
			return rules_fail(l, col, "Error detecting machine type");
		l->elf = audit_machine_to_elf(machine);
		if (l->elf == 0)
			return rules_fail(l, col, "Error looking up elf type %d", machine);
	}
	if (!strchr(optarg, ',')) {
		rc = add_syscall(l, optarg);
		if (rc == -1)
			return rules_fail(l, col, "Syscall name unknown: %s", optarg);
	} else {
		tmp = strdup(optarg);
		if (!tmp) {
			l->nomem = 1;
			return V_ERROR;
		}
		for (p = strtok_r(tmp, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
			rc = add_syscall(l, p);
			if (rc == -1) {
				rules_fail(l, col, "Syscall name unknown: %s", p);
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
		return rules_fail(l, col, "Elf type unknown: 0x%x", l->elf);
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
				rules_warn(l, col,
					   "WARNING - 32/64 bit syscall mismatch in line %d, you "
					   "should "
					   "specify an arch",
					   l->lineno);
			memcpy(l->rule->mask, saved, sizeof(saved));
		}
	}
	return V_REPLY;
}

/* -b, -r, --backlog_wait_time: a number as strtoul reads it */
static int control_number(struct line *l, unsigned int col, const char *v, const char *what,
			  const char *conv, int64_t *out)
{
	unsigned long n;

	if (!isdigit((unsigned char)v[0]))
		return rules_fail(l, col, "%s must be a numeric value was %s", what, v);
	errno = 0;
	n = strtoul(v, NULL, 0);
	if (errno)
		return rules_fail(l, col, "Error converting %s", conv);
	*out = (uint32_t)n;
	return V_REPLY;
}

/* -e, -f: 0, 1 or 2 */
static int control_012(struct line *l, unsigned int col, const char *v, const char *what, int *out)
{
	if (strcmp(v, "0") && strcmp(v, "1") && strcmp(v, "2"))
		return rules_fail(l, col, "%s must be 0, 1, or 2 was %s", what, v);
	*out = v[0] - '0';
	return V_REPLY;
}

int rules_opt_add(struct line *l, unsigned int col, int c, char *optarg)
{
	const char *what = c == 'a' ? "Append" : c == 'A' ? "Add" : "Delete";
	int *list = c == 'd' ? &l->del : &l->add;
	int rc;

	if (c != 'd' && strstr(optarg, "task") && l->syscall_added)
		return rules_fail(l, col,
				  c == 'a' ? "Syscall auditing requested for task list"
					   : "Error: syscall auditing requested for task list");
	rc = rule_setup(l, optarg, list);
	if (rc == 3)
		return rules_fail(l, col, "Multiple rule insert/delete operations are not allowed");
	if (rc == 2)
		return rules_fail(l, col, "%s rule - bad keyword %s", what, optarg);
	if (rc == 1) {
		rules_warn(l, col, "%s rule - possible is deprecated",
			   c == 'd' ? "Delete" : "Append");
		return V_DEPRECATED;
	}
	if (c == 'A')
		l->add |= AUDIT_FILTER_PREPEND;
	return V_RULE;
}

int rules_opt_field(struct line *l, unsigned int col, int c, char *optarg)
{
	int flags = rules_list_flags(l), rc;

	if (c == 'F' && flags == AUDIT_FILTER_UNSET)
		return rules_fail(l, col, "List must be given before field");
	if (c == 'F' && strncmp(optarg, "key=", 4) == 0)
		return rules_add_key(l, col, optarg + 4) ? V_ERROR : V_REPLY;
	rc = c == 'F' ? rules_field_pair(l, optarg, flags) : rules_compare_pair(l, optarg, flags);
	if (rc == -EAU_NOMEM)
		return V_ERROR;
	if (rc) {
		if (rc == -EAU_PRINT_NOTHING) {
			l->col = col;
			return V_ERROR;
		}
		return rules_fail_eau(l, col, -rc, optarg);
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

	if (rules_locked(l, col, "delete all"))
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
			if (rules_is_string_field(r->fields[f]))
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

/* -e, -f, -r, -b, --backlog_wait_time, --loginuid-immutable: the set's controls */
static int opt_control(struct line *l, unsigned int col, int c, char *optarg)
{
	switch (c) {
	case 'e':
		if (control_012(l, col, optarg, "Enable", &c) == V_ERROR ||
		    rules_locked(l, col, "enable"))
			return V_ERROR;
		l->s->ctl.enabled = c;
		return V_REPLY;
	case 'f':
		if (control_012(l, col, optarg, "Failure", &c) == V_ERROR ||
		    rules_locked(l, col, "failure mode"))
			return V_ERROR;
		l->s->ctl.failure = c;
		return V_REPLY;
	case 'r':
		if (control_number(l, col, optarg, "Rate", "rate", &l->s->ctl.rate_limit) ==
			    V_ERROR ||
		    rules_locked(l, col, "rate limit"))
			return V_ERROR;
		return V_REPLY;
	case 'b':
		if (control_number(l, col, optarg, "Backlog", "backlog",
				   &l->s->ctl.backlog_limit) == V_ERROR ||
		    rules_locked(l, col, "backlog limit"))
			return V_ERROR;
		return V_REPLY;
	case OPT_BACKLOG_WAIT_TIME:
		if (control_number(l, col, optarg, "Backlog_wait_time", "backlog_wait_time",
				   &l->s->ctl.backlog_wait_time) == V_ERROR ||
		    rules_locked(l, col, "backlog wait time"))
			return V_ERROR;
		return V_REPLY;
	case OPT_LOGINUID_IMMUTABLE:
		if (rules_locked(l, col, "feature set"))
			return V_ERROR;
		l->s->ctl.loginuid_immutable = 1;
		return V_DONE;
	}
	return V_REPLY;
}

/* Every other option (queries, -i, -c, -D, ...), and '?' for what is no option */
int rules_opt_other(struct line *l, unsigned int col, int c, char *optarg, struct opts *g)
{
	int argc = l->argc;

	switch (c) {
	case 'h':
		return rules_fail(l, col, "Option -h prints the usage");
	case 'i':
		l->s->ctl.ignore_errors = 1;
		return V_DONE;
	case 'c':
		l->s->ctl.ignore_errors = 1;
		l->s->ctl.continue_errors = 1;
		return V_DONE;
	case 's':
		if (argc > 3)
			return rules_fail(l, col, "Too many options for status command");
		if (g->optind == 2 && argc == 3 && strcmp(l->argv[2].s, "-i"))
			return rules_fail(l, col, "Only -i option is allowed");
		return V_DONE;
	case 'l':
		if (argc > 4)
			return rules_fail(l, col, "Wrong number of options for list request");
		if ((argc == 3 && strcmp(l->argv[g->optind].s, "-i")) ||
		    (argc == 4 && strcmp(l->argv[g->optind].s, "-k")))
			return rules_fail(l, col, "Only -k or -i options are allowed");
		l->list_requested = 1;
		if (argc == 3)
			l->argc--;
		else if (argc == 4)
			l->argc -= 2;
		return V_DONE;
	case 'D':
		if (argc > 4 || argc == 3)
			return rules_fail(l, col, "Wrong number of options for Delete all request");
		if (argc == 4) {
			if (strcmp(l->argv[g->optind].s, "-k"))
				return rules_fail(l, col, "Only the -k option is allowed");
			strncat(l->key, l->argv[3].s, l->keylen);
			l->argc -= 2;
		}
		l->list_requested = 1;
		c = delete_all(l, col, l->key);
		l->key[0] = 0;
		return c;
	case 'e':
	case 'f':
	case 'r':
	case 'b':
	case OPT_BACKLOG_WAIT_TIME:
	case OPT_LOGINUID_IMMUTABLE:
		return opt_control(l, col, c, optarg);
	case 'm':
		if (argc > 3)
			return rules_fail(l, col,
					  "The -m option must be only the only option and takes 1 "
					  "parameter");
		for (; *optarg; optarg++)
			if ((signed char)*optarg < 32)
				return rules_fail(l, col, "Illegal character in audit event");
		return V_DONE;
	case 'R':
		return rules_fail(l, col, "Error - nested rule files not supported");
	case 'q': {
		char *comma = strchr(optarg, ',');

		if (l->syscall_added)
			return rules_fail(l, col, "Syscall auditing requested for make equivalent");
		if (!comma || !comma[1] || strchr(comma + 1, ','))
			return rules_fail(l, col, "Error parsing equivalent parts");
		return V_DONE;
	}
	case OPT_SIGNAL:
		if (strcasecmp(optarg, "TERM") && strcasecmp(optarg, "HUP") &&
		    strcasecmp(optarg, "USR1") && strcasecmp(optarg, "USR2") &&
		    strcasecmp(optarg, "CONT"))
			return rules_fail(l, col, "%s is an unsupported signal", optarg);
		return V_DONE;
	case 't':
	case 'v':
	case OPT_RESET_LOST:
	case OPT_RESET_BACKLOG_WAIT_TIME_ACTUAL:
		return V_DONE;
	default:
		return rules_fail(l, col, "Option %s is invalid",
				  g->optind >= 2 ? l->argv[g->optind - 1].s : " ");
	}
}
