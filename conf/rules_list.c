// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The rule list printed as `auditctl -l` (audit 3.0.9) prints the kernel's list: watches as
 * "-w PATH -p PERM -k KEY", other rules as "-a ACTION,LIST" with the arch, the syscalls and
 * the fields in the order given, keys as "-F key=". Names are libaudit's.
 *
 * auditctl remembers the arch of the last rule that had one while it prints the list, and
 * names the syscalls of a later rule without arch in that arch's table; so does this.
 */
#include "conf/rules_int.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <libaudit.h>

/* -C comparisons as auditctl names them */
static const struct {
	unsigned int value;
	const char *left, *right;
} comparisons[] = {
	{AUDIT_COMPARE_UID_TO_OBJ_UID, "uid", "obj_uid"},
	{AUDIT_COMPARE_GID_TO_OBJ_GID, "gid", "obj_gid"},
	{AUDIT_COMPARE_EUID_TO_OBJ_UID, "euid", "obj_uid"},
	{AUDIT_COMPARE_EGID_TO_OBJ_GID, "egid", "obj_gid"},
	{AUDIT_COMPARE_AUID_TO_OBJ_UID, "auid", "obj_uid"},
	{AUDIT_COMPARE_SUID_TO_OBJ_UID, "suid", "obj_uid"},
	{AUDIT_COMPARE_SGID_TO_OBJ_GID, "sgid", "obj_gid"},
	{AUDIT_COMPARE_FSUID_TO_OBJ_UID, "fsuid", "obj_uid"},
	{AUDIT_COMPARE_FSGID_TO_OBJ_GID, "fsgid", "obj_gid"},
	{AUDIT_COMPARE_UID_TO_AUID, "uid", "auid"},
	{AUDIT_COMPARE_UID_TO_EUID, "uid", "euid"},
	{AUDIT_COMPARE_UID_TO_FSUID, "uid", "fsuid"},
	{AUDIT_COMPARE_UID_TO_SUID, "uid", "suid"},
	{AUDIT_COMPARE_AUID_TO_FSUID, "auid", "fsuid"},
	{AUDIT_COMPARE_AUID_TO_SUID, "auid", "suid"},
	{AUDIT_COMPARE_AUID_TO_EUID, "auid", "euid"},
	{AUDIT_COMPARE_EUID_TO_SUID, "euid", "suid"},
	{AUDIT_COMPARE_EUID_TO_FSUID, "euid", "fsuid"},
	{AUDIT_COMPARE_SUID_TO_FSUID, "suid", "fsuid"},
	{AUDIT_COMPARE_GID_TO_EGID, "gid", "egid"},
	{AUDIT_COMPARE_GID_TO_FSGID, "gid", "fsgid"},
	{AUDIT_COMPARE_GID_TO_SGID, "gid", "sgid"},
	{AUDIT_COMPARE_EGID_TO_FSGID, "egid", "fsgid"},
	{AUDIT_COMPARE_EGID_TO_SGID, "egid", "sgid"},
	{AUDIT_COMPARE_SGID_TO_FSGID, "sgid", "fsgid"},
};

static bool mask_all(const struct audit_rule_data *r)
{
	int i;

	for (i = 0; i < AUDIT_BITMASK_SIZE - 1; i++)
		if (r->mask[i] != ~0U)
			return false;
	return true;
}

static bool syscall_list(unsigned int list)
{
	return list != AUDIT_FILTER_USER && list != AUDIT_FILTER_TASK &&
	       list != AUDIT_FILTER_EXCLUDE && list != AUDIT_FILTER_FS;
}

/* A watch: path, dir, perm and key fields only, a perm among them, every syscall */
static bool is_watch(const struct audit_rule_data *r)
{
	bool perm = false;
	unsigned int i;

	for (i = 0; i < r->field_count; i++) {
		unsigned int f = r->fields[i];

		if (f == AUDIT_PERM)
			perm = true;
		if (f != AUDIT_PERM && f != AUDIT_FILTERKEY && f != AUDIT_DIR && f != AUDIT_WATCH)
			return false;
	}
	return perm && (!syscall_list(r->flags) || mask_all(r));
}

static void print_syscalls(FILE *out, const struct audit_rule_data *r, unsigned int elf)
{
	int machine = audit_detect_machine(), count = 0, i;

	if (!syscall_list(r->flags))
		return;
	if (mask_all(r)) {
		fputs(" -S all", out);
		return;
	}
	if (elf)
		machine = audit_elf_to_machine(elf);
	for (i = 0; i < AUDIT_BITMASK_SIZE * 32; i++) {
		const char *name;

		if (!(r->mask[i / 32] & (1U << (i % 32))))
			continue;
		name = machine < 0 ? NULL : audit_syscall_to_name(i, machine);
		fputs(count ? "," : " -S ", out);
		if (name)
			fputs(name, out);
		else
			fprintf(out, "%d", i);
		count++;
	}
}

static void print_keys(FILE *out, const char *s, size_t len, bool watch)
{
	size_t i = 0, j;

	while (i < len) {
		for (j = i; j < len && s[j] != AUDIT_KEY_SEPARATOR; j++)
			;
		/* strtok_r: empty keys vanish */
		if (j > i)
			fprintf(out, watch ? " -k %.*s" : " -F key=%.*s", (int)(j - i), s + i);
		i = j + 1;
	}
}

static void print_field(FILE *out, const struct audit_rule_data *r, unsigned int i, const char *str,
			bool watch)
{
	unsigned int field = r->fields[i], v = r->values[i];
	const char *name = audit_field_to_name((int)field);
	const char *op = audit_operator_to_symbol((int)r->fieldflags[i]);
	const char *s;
	size_t k;

	if (!op)
		op = "";
	if (!name) {
		fprintf(out, " f%u%s%d", field, op, (int)v);
		return;
	}
	if (field == AUDIT_MSGTYPE && (s = audit_msg_type_to_name((int)v))) {
		fprintf(out, " -F %s%s%s", name, op, s);
	} else if (rules_is_string_field(field) && field != AUDIT_WATCH && field != AUDIT_DIR &&
		   field != AUDIT_FILTERKEY && field != AUDIT_EXE) {
		fprintf(out, " -F %s%s%.*s", name, op, (int)v, str);
	} else if (field == AUDIT_WATCH || field == AUDIT_DIR) {
		if (watch)
			fprintf(out, "-w %.*s", (int)v, str);
		else
			fprintf(out, " -F %s=%.*s", field == AUDIT_WATCH ? "path" : "dir", (int)v,
				str);
	} else if (field == AUDIT_EXE) {
		fprintf(out, " -F exe=%.*s", (int)v, str);
	} else if (field == AUDIT_FILTERKEY) {
		print_keys(out, str, v, watch);
	} else if (field == AUDIT_PERM) {
		fprintf(out, watch ? " -p %s%s%s%s" : " -F perm=%s%s%s%s",
			v & AUDIT_PERM_READ ? "r" : "", v & AUDIT_PERM_WRITE ? "w" : "",
			v & AUDIT_PERM_EXEC ? "x" : "", v & AUDIT_PERM_ATTR ? "a" : "");
	} else if (field == AUDIT_INODE) {
		fprintf(out, " -F %s%s%u", name, op, v);
	} else if (field == AUDIT_FIELD_COMPARE) {
		for (k = 0; k < sizeof(comparisons) / sizeof(comparisons[0]); k++)
			if (comparisons[k].value == v)
				fprintf(out, " -C %s%s%s", comparisons[k].left, op,
					comparisons[k].right);
	} else if (field >= AUDIT_ARG0 && field <= AUDIT_ARG3) {
		fprintf(out, " -F %s%s0x%X", name, op, v);
	} else if (field == AUDIT_EXIT) {
		int e = abs((int)v);

		s = audit_errno_to_name(e);
		if ((int)v < 0 && s)
			fprintf(out, " -F %s%s-%s", name, op, s);
		else
			fprintf(out, " -F %s%s%d", name, op, (int)v);
	} else if (field == AUDIT_FSTYPE && (s = audit_fstype_to_name((int)v))) {
		fprintf(out, " -F %s%s%s", name, op, s);
	} else {
		fprintf(out, " -F %s%s%d", name, op, (int)v);
	}
}

static void print_rule(FILE *out, const struct audit_rule_data *r, unsigned int *elf)
{
	bool watch = is_watch(r);
	size_t off = 0;
	unsigned int i;

	if (!watch) {
		const char *action = audit_action_to_name((int)r->action);
		const char *list = audit_flag_to_name((int)r->flags);

		fprintf(out, "-a %s,%s", action ? action : "(null)", list ? list : "(null)");
		for (i = 0; i < r->field_count; i++) {
			const char *op = audit_operator_to_symbol((int)r->fieldflags[i]);

			if (r->fields[i] != AUDIT_ARCH)
				continue;
			*elf = r->values[i];
			if (audit_elf_to_machine(*elf) < 0)
				fprintf(out, " -F arch%s0x%X", op ? op : "", *elf);
			else
				fprintf(out, " -F arch%s%s", op ? op : "",
					*elf & __AUDIT_ARCH_64BIT ? "b64" : "b32");
		}
		print_syscalls(out, r, *elf);
	}
	for (i = 0; i < r->field_count; i++) {
		if (r->fields[i] != AUDIT_ARCH)
			print_field(out, r, i, r->buf + off, watch);
		if (rules_is_string_field(r->fields[i]))
			off += r->values[i];
	}
	fputc('\n', out);
}

int rules_list(const struct rules_set *s, FILE *out)
{
	unsigned int elf = 0;
	size_t i;

	if (!s->count)
		fputs("No rules\n", out);
	for (i = 0; i < s->count; i++)
		print_rule(out, s->rule[i].data, &elf);
	return ferror(out) ? -EIO : 0;
}
