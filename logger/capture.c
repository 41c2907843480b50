/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <libaudit.h>

#include "conf/rules_bpf.h"
#include "conf/rules_watch.h"
#include "ebpf/wire.h"
#include "logger/capture.h"
#include "logger/log.h"
#include "lauditd.skel.h"

struct capture_ring_arg {
	capture_record_fn fn;
	void *arg;
};

/*
 * Compiled rule sets kept for their keys: a record carries the revision and the rule
 * that selected it, and may be encoded after the rules changed again.
 */
#define CAPTURE_RULES_KEPT 8

struct capture_rules {
	uint32_t rev; /* 0: slot unused */
	struct rules_bpf b;
	struct rules_watch *w; /* the objects' fields and the exclude list */
};

struct capture {
	struct lauditd_bpf *skel;
	pthread_mutex_t rules_lock; /* rules[], for capture_rule_key(), capture_rule_decide() */
	struct capture_rules rules[CAPTURE_RULES_KEPT];
	struct rules_bpf *cur; /* the rules in force; NULL: none */
	uint32_t last_rev;     /* the last revision given */
	uint64_t published_ns; /* when it was published (CLOCK_MONOTONIC) */
	int attached;
	/* 1: syscall nr has programs of its own; la_*_other capture the others */
	uint8_t family[LA_RULES_NR_MAX];
	/* syscall nr has tracepoints of its own: 0 not known yet, 1 yes, 2 no */
	uint8_t tp[LA_RULES_NR_MAX];
	/* 1: syscall nr has none and the kernel does not implement it (la_unimpl_nrs) */
	uint8_t unimpl[LA_RULES_NR_MAX];
	/* la_enter_other, la_exit_other on syscall nr's tracepoints */
	struct bpf_link *other[LA_RULES_NR_MAX][2];
	struct capture_ring_arg ring_arg;
	struct ring_buffer *rb; /* every ring, for @fn; NULL when @fn is */
	int ncpus;
	size_t ring_bytes;
	int *ring_fds;
	struct la_counts *percpu; /* ncpus entries: one lookup of la_counters */
};

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !log_verbose())
		return 0;
	if (level == LIBBPF_INFO && !log_verbose())
		return 0;
	vlog(level == LIBBPF_WARN ? 4 : 7, fmt, ap);
	return 0;
}

static int capture_on_record(void *ctx, void *data, size_t size)
{
	struct capture_ring_arg *ra = ctx;

	return ra->fn(ra->arg, data, size);
}

/*
 * libbpf finds a tracepoint's id under tracefs (or debugfs/tracing); a machine
 * that has not mounted it yet gets it mounted where the kernel expects it.
 */
static void capture_mount_tracefs(void)
{
	struct stat sb;

	if (!stat("/sys/kernel/tracing/events", &sb) ||
	    !stat("/sys/kernel/debug/tracing/events", &sb))
		return;
	if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL))
		log_warn("mounting tracefs on /sys/kernel/tracing");
}

static int capture_prog_nr(const struct bpf_program *p);
static void capture_raw_nrs(struct capture *c);

/* Whether file @path has a line holding @word (a whole word), or -1 if it cannot be read */
static int capture_file_has_word(const char *path, const char *word)
{
	size_t n = strlen(word);
	char line[512], *p;
	int found = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f))
		for (p = line; !found && (p = strstr(p, word)); p += n)
			found = (p == line || p[-1] == ' ' || p[-1] == '\t') &&
				(p[n] == ' ' || p[n] == '\n' || p[n] == '\0' || p[n] == '\t');
	fclose(f);
	return found;
}

/*
 * Whether the kernel runs 32-bit syscalls (int 0x80, sysenter, an ia32 compat call):
 * built with CONFIG_IA32_EMULATION (its i386 table, ia32_sys_call since 6.9,
 * ia32_sys_call_table before, in /proc/kallsyms) and not turned off at boot (since 6.7,
 * ia32_emulation= on the command line, which kstrtobool() reads; off by default with
 * CONFIG_IA32_EMULATION_DEFAULT_DISABLED, read from /boot/config-RELEASE where it is).
 */
static int capture_kernel_runs_compat(void)
{
	static const char *const off[] = {"ia32_emulation=0", "ia32_emulation=n",
					  "ia32_emulation=N", "ia32_emulation=off"};
	static const char *const on[] = {"ia32_emulation=1", "ia32_emulation=y", "ia32_emulation=Y",
					 "ia32_emulation=on"};
	char config[320];
	struct utsname u;
	size_t i;

	if (capture_file_has_word("/proc/kallsyms", "ia32_sys_call") != 1 &&
	    capture_file_has_word("/proc/kallsyms", "ia32_sys_call_table") != 1)
		return 0;
	for (i = 0; i < sizeof(off) / sizeof(off[0]); i++)
		if (capture_file_has_word("/proc/cmdline", off[i]) == 1)
			return 0;
	for (i = 0; i < sizeof(on) / sizeof(on[0]); i++)
		if (capture_file_has_word("/proc/cmdline", on[i]) == 1)
			return 1;
	if (uname(&u))
		return 1;
	snprintf(config, sizeof(config), "/boot/config-%s", u.release);
	return capture_file_has_word(config, "CONFIG_IA32_EMULATION_DEFAULT_DISABLED=y") != 1;
}

struct capture *capture_open(const struct capture_opts *o, capture_record_fn fn, void *arg)
{
	struct capture *c;
	int err, i;

	libbpf_set_print(libbpf_print);
	capture_mount_tracefs();
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->ring_bytes = o->ring_bytes;
	pthread_mutex_init(&c->rules_lock, NULL);
	c->ncpus = libbpf_num_possible_cpus();
	if (c->ncpus <= 0) {
		err = c->ncpus ? c->ncpus : -EINVAL;
		goto fail;
	}
	c->ring_fds = calloc(c->ncpus, sizeof(int));
	c->percpu = calloc(c->ncpus, sizeof(struct la_counts));
	if (!c->ring_fds || !c->percpu) {
		err = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < c->ncpus; i++)
		c->ring_fds[i] = -1;
	c->ring_bytes = o->ring_bytes;
	c->skel = lauditd_bpf__open();
	if (!c->skel) {
		err = -errno;
		goto fail;
	}
	for (i = 0; i < c->ncpus; i++) {
		c->ring_fds[i] =
			bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0, o->ring_bytes, NULL);
		if (c->ring_fds[i] < 0) {
			err = -errno;
			goto fail;
		}
	}
	/* Fixed for the programs' life: the verifier knows them. */
	c->skel->rodata->la_self_tgid = getpid();
	c->skel->rodata->la_wakeup_bytes = (__u32)((__u64)o->ring_bytes * o->wakeup_percent / 100);
	c->skel->rodata->la_argv_bytes =
		o->argv_bytes && o->argv_bytes < LA_ARGV_MAX ? o->argv_bytes : LA_ARGV_MAX;
	c->skel->rodata->la_cache_on = o->cache_size != 0;
	c->skel->rodata->la_raw_compat = capture_kernel_runs_compat();
	c->skel->rodata->la_cache_interval_ns = o->cache_interval_ns;
	if (o->cache_exempt)
		memcpy((void *)c->skel->rodata->la_cache_exempt, o->cache_exempt,
		       sizeof(c->skel->rodata->la_cache_exempt));
	/* The rings' size is the configuration's: the first ring is the template. */
	err = bpf_map__set_max_entries(c->skel->maps.la_rings, c->ncpus);
	if (!err && o->cache_size)
		err = bpf_map__set_max_entries(c->skel->maps.la_cache, o->cache_size);
	if (!err && o->cache_size)
		err = bpf_map__set_max_entries(c->skel->maps.la_pending, o->cache_size);
	if (!err)
		err = bpf_map__set_inner_map_fd(c->skel->maps.la_rings, c->ring_fds[0]);
	for (i = 0; i < c->skel->skeleton->prog_cnt; i++) {
		int nr = capture_prog_nr(*c->skel->skeleton->progs[i].prog);

		if (nr >= 0 && nr < LA_RULES_NR_MAX)
			c->family[nr] = 1;
	}
	capture_raw_nrs(c);
	if (!err)
		err = lauditd_bpf__load(c->skel);
	if (err)
		goto fail;
	c->ring_arg.fn = fn;
	c->ring_arg.arg = arg;
	for (i = 0; i < c->ncpus; i++) {
		__u32 cpu = i;

		if (bpf_map_update_elem(bpf_map__fd(c->skel->maps.la_rings), &cpu, &c->ring_fds[i],
					BPF_ANY)) {
			err = -errno;
			goto fail;
		}
		if (!fn)
			continue;
		if (!c->rb)
			c->rb = ring_buffer__new(c->ring_fds[i], capture_on_record, &c->ring_arg,
						 NULL);
		else if (ring_buffer__add(c->rb, c->ring_fds[i], capture_on_record, &c->ring_arg))
			c->rb = NULL;
		if (!c->rb) {
			err = -errno;
			goto fail;
		}
	}
	return c;
fail:
	capture_close(c);
	errno = -err;
	return NULL;
}

int capture_stop(struct capture *c)
{
	/* .bss is mapped into this process: the store reaches the programs */
	__atomic_store_n(&c->skel->bss->la_stopped, 1, __ATOMIC_SEQ_CST);
	/*
	 * A program that read the flag before the update finishes its record within
	 * microseconds; no syscall waits for it, so allow it ample time.
	 */
	usleep(50 * 1000);
	return 0;
}

int capture_cache_on(const struct capture *c)
{
	return c->skel->rodata->la_cache_on != 0;
}

int capture_compat(const struct capture *c)
{
	return c->skel->rodata->la_raw_compat != 0;
}

int capture_cache_flush(struct capture *c, uint64_t until)
{
	__u64 args[1] = {until};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args, .ctx_size_in = sizeof(args));

	if (!c->skel->rodata->la_cache_on)
		return 0;
	if (bpf_prog_test_run_opts(bpf_program__fd(c->skel->progs.la_cache_flush), &opts))
		return -errno;
	return 0;
}

/*
 * The syscall number of a program named la_enter_NAME or la_exit_NAME, as libaudit
 * names them (the kernel's pread64 and pwrite64 are its pread and pwrite); -1 for the
 * others: the generic programs (la_enter_other, la_exit_other) and those always
 * attached.
 */
static int capture_prog_nr(const struct bpf_program *p)
{
	const char *name = bpf_program__name(p);

	if (!strncmp(name, "la_enter_", 9))
		name += 9;
	else if (!strncmp(name, "la_exit_", 8))
		name += 8;
	else
		return -1;
	if (!strcmp(name, "pread64"))
		name = "pread";
	else if (!strcmp(name, "pwrite64"))
		name = "pwrite";
	return audit_name_to_syscall(name, MACH_86_64);
}

/* The programs of the syscalls outside the families, attached by capture_attach_others() */
static int capture_prog_other(const struct capture *c, const struct bpf_program *p)
{
	return p == c->skel->progs.la_enter_other || p == c->skel->progs.la_exit_other ||
	       p == c->skel->progs.la_enter_other_raw || p == c->skel->progs.la_exit_other_raw;
}

/*
 * The kernel's tracepoint of a syscall is named after its SYSCALL_DEFINE, which a few
 * of libaudit's names are not.
 */
static const char *const capture_tp_names[][2] = {
	{"umount2", "umount"},	{"stat", "newstat"},	    {"lstat", "newlstat"},
	{"fstat", "newfstat"},	{"uname", "newuname"},	    {"pread", "pread64"},
	{"pwrite", "pwrite64"}, {"sendfile", "sendfile64"},
};

/* The name of syscall @nr's tracepoints (after sys_enter_), or NULL. */
static const char *capture_tp_name(int nr)
{
	const char *name = audit_syscall_to_name(nr, MACH_86_64);
	size_t i;

	for (i = 0; name && i < sizeof(capture_tp_names) / sizeof(capture_tp_names[0]); i++)
		if (!strcmp(name, capture_tp_names[i][0]))
			return capture_tp_names[i][1];
	return name;
}

/* Whether syscall @nr has tracepoints of its own (the kernel may be built without it). */
static int capture_has_tp(struct capture *c, int nr)
{
	static const char *const roots[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};
	const char *name;
	char path[256];
	size_t i;

	if (!c->tp[nr]) {
		c->tp[nr] = 2;
		name = capture_tp_name(nr);
		for (i = 0; name && i < sizeof(roots) / sizeof(roots[0]); i++) {
			snprintf(path, sizeof(path), "%s/events/syscalls/sys_enter_%s", roots[i],
				 name);
			if (!access(path, F_OK)) {
				c->tp[nr] = 1;
				break;
			}
		}
	}
	return c->tp[nr] == 1;
}

/*
 * Mark in c->unimpl those of the syscalls @want (no family, no tracepoints) that the
 * kernel does not implement, as /proc/kallsyms shows: a syscall's entry point
 * __x64_sys_NAME (since 4.17) is a text symbol when the kernel has it, a weak one when
 * it is COND_SYSCALL's stub returning ENOSYS (init_module without CONFIG_MODULES), none
 * when it was never defined (create_module).  Where kallsyms cannot be read or names
 * no __x64_sys_ entry point, every syscall is taken as implemented.  One that is
 * implemented for another ABI only (set_thread_area: i386's) is taken as implemented:
 * the raw pair, which captures it as well.
 */
static void capture_find_unimplemented(struct capture *c, const uint8_t *want)
{
	static const char prefix[] = "__x64_sys_";
	uint8_t strong[LA_RULES_NR_MAX] = {0};
	char line[512], type, name[256];
	int nr, seen = 0;
	FILE *f = fopen("/proc/kallsyms", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, prefix) || sscanf(line, "%*s %c %255s", &type, name) != 2 ||
		    strncmp(name, prefix, sizeof(prefix) - 1))
			continue;
		if (type != 'T' && type != 't')
			continue;
		seen = 1;
		for (nr = 0; nr < LA_RULES_NR_MAX; nr++)
			if (want[nr] && !strcmp(name + sizeof(prefix) - 1, capture_tp_name(nr)))
				strong[nr] = 1;
	}
	fclose(f);
	for (nr = 0; seen && nr < LA_RULES_NR_MAX; nr++)
		c->unimpl[nr] = want[nr] && !strong[nr];
}

/*
 * The syscalls the raw programs may capture (la_raw_nrs, fixed at load): those of
 * libaudit's table that no family has and that have no tracepoints on this kernel;
 * of those, the ones the kernel does not implement (la_unimpl_nrs) are captured at
 * exit alone.
 */
static void capture_raw_nrs(struct capture *c)
{
	volatile __u64 *raw = c->skel->rodata->la_raw_nrs;
	volatile __u64 *unimpl = c->skel->rodata->la_unimpl_nrs;
	uint8_t want[LA_RULES_NR_MAX] = {0};
	int nr;

	for (nr = 0; nr < LA_RULES_NR_MAX; nr++)
		want[nr] = !c->family[nr] && audit_syscall_to_name(nr, MACH_86_64) &&
			   !capture_has_tp(c, nr);
	capture_find_unimplemented(c, want);
	for (nr = 0; nr < LA_RULES_NR_MAX; nr++) {
		if (want[nr])
			raw[nr / 64] |= 1ULL << (nr % 64);
		if (c->unimpl[nr])
			unimpl[nr / 64] |= 1ULL << (nr % 64);
	}
}

int capture_unimplemented(const struct capture *c, int nr)
{
	return nr >= 0 && nr < LA_RULES_NR_MAX && c->unimpl[nr];
}

unsigned int capture_raw_links(const struct capture *c)
{
	return (c->skel->links.la_enter_other_raw ? CAPTURE_RAW_ENTER : 0) |
	       (c->skel->links.la_exit_other_raw ? CAPTURE_RAW_EXIT : 0);
}

/* Whether the rules in force name syscall @nr, which no family has. */
static int capture_other_named(const struct capture *c, int nr)
{
	return c->cur && !c->family[nr] && rules_bpf_selects(c->cur, nr);
}

/* Attach program @p as link @l if @want, else detach @l. */
static int capture_attach_one(struct bpf_program *p, struct bpf_link **l, int want)
{
	if (!want && *l) {
		bpf_link__destroy(*l);
		*l = NULL;
	}
	if (!want || *l)
		return 0;
	*l = bpf_program__attach(p);
	return *l ? 0 : -errno;
}

/*
 * Attach la_enter_other and la_exit_other to the tracepoints of each syscall outside
 * the families that the rules in force name; when one of those has no tracepoints,
 * la_exit_other_raw, and la_enter_other_raw too unless the kernel does not implement
 * it (la_exit_other_raw captures those alone) or for the 32-bit syscalls a rule may
 * select; detach them from the others.  A syscall stashed by a program that is
 * detached before its exit is not logged, as it would not be after the change.
 */
static int capture_attach_others(struct capture *c)
{
	struct bpf_program *progs[2] = {c->skel->progs.la_enter_other,
					c->skel->progs.la_exit_other};
	static const char *const kind[2] = {"sys_enter_", "sys_exit_"};
	int nr, k, want, want_raw, want_exit = 0, err;
	char tp[128];

	/* the 32-bit syscalls a rule may select reach the raw pair only */
	want_raw = c->cur && capture_compat(c) && rules_bpf_selects_compat(c->cur);

	for (nr = 0; nr < LA_RULES_NR_MAX; nr++) {
		want = capture_other_named(c, nr);
		if (want && !capture_has_tp(c, nr)) {
			if (c->unimpl[nr])
				want_exit = 1;
			else
				want_raw = 1;
			want = 0;
		}
		for (k = 0; k < 2; k++) {
			if (!want && c->other[nr][k]) {
				bpf_link__destroy(c->other[nr][k]);
				c->other[nr][k] = NULL;
			}
			if (!want || c->other[nr][k])
				continue;
			snprintf(tp, sizeof(tp), "%s%s", kind[k], capture_tp_name(nr));
			c->other[nr][k] = bpf_program__attach_tracepoint(progs[k], "syscalls", tp);
			if (!c->other[nr][k])
				return -errno;
		}
	}
	err = capture_attach_one(c->skel->progs.la_enter_other_raw,
				 &c->skel->links.la_enter_other_raw, want_raw);
	if (!err)
		err = capture_attach_one(c->skel->progs.la_exit_other_raw,
					 &c->skel->links.la_exit_other_raw, want_raw || want_exit);
	return err;
}

/* Whether program @p is needed by the rules in force. */
static int capture_prog_needed(struct capture *c, const struct bpf_program *p)
{
	int nr = capture_prog_nr(p);

	if (capture_prog_other(c, p))
		return 0;
	if (nr < 0 || !c->cur || rules_bpf_selects(c->cur, nr))
		return 1;
	/* the cache filter sends a process's records at its exit_group, which rules or not */
	if (nr == SYS_exit_group && capture_cache_on(c) && p == c->skel->progs.la_enter_exit_group)
		return 1;
	/* execveat returns through execve's exit tracepoint */
	return nr == SYS_execve && !strncmp(bpf_program__name(p), "la_exit_", 8) &&
	       rules_bpf_selects(c->cur, SYS_execveat);
}

int capture_attach(struct capture *c)
{
	struct bpf_object_skeleton *s = c->skel->skeleton;
	int i, err;

	for (i = 0; i < s->prog_cnt; i++)
		bpf_program__set_autoattach(*s->progs[i].prog,
					    capture_prog_needed(c, *s->progs[i].prog));
	err = lauditd_bpf__attach(c->skel);
	if (!err)
		err = capture_attach_others(c);
	if (!err)
		c->attached = 1;
	return err;
}

/*
 * Attach the programs the rules in force need that are not attached yet, and those of
 * the syscalls outside the families (capture_attach_others()).
 */
static int capture_attach_more(struct capture *c)
{
	struct bpf_object_skeleton *s = c->skel->skeleton;
	struct bpf_program *p;
	struct bpf_link *link;
	int i;

	for (i = 0; i < s->prog_cnt; i++) {
		p = *s->progs[i].prog;
		/* the others (every process's hooks, a flush run by hand) are never detached */
		if (*s->progs[i].link || capture_prog_nr(p) < 0 || !capture_prog_needed(c, p))
			continue;
		link = bpf_program__attach(p);
		if (!link)
			return -errno;
		*s->progs[i].link = link;
	}
	return capture_attach_others(c);
}

static uint64_t capture_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* rules_watch_stat_fn: a watched path as the kernel's watch finds it (no symlink followed) */
static int capture_stat(const char *path, uint32_t *dev, uint64_t *ino)
{
	struct stat st;

	if (lstat(path, &st))
		return -errno;
	*dev = major(st.st_dev) << 20 | minor(st.st_dev);
	*ino = st.st_ino;
	return 0;
}

/* Write the compiled rules @b into slot @slot of the maps. */
static int capture_write_rules(struct capture *c, const struct rules_bpf *b, uint32_t slot)
{
	int rfd = bpf_map__fd(c->skel->maps.la_rules);
	int lfd = bpf_map__fd(c->skel->maps.la_rule_lists);
	struct la_rule_list list;
	uint32_t i, key;

	/* the exit list's rules, then the task list's */
	for (i = 0; i < b->nrules + b->ntask && i < LA_RULES_MAX; i++) {
		key = slot * LA_RULES_MAX + i;
		if (bpf_map_update_elem(rfd, &key, &b->rule[i], BPF_ANY))
			return -errno;
	}
	key = LA_RULES_TASK_KEY + slot;
	if (bpf_map_update_elem(lfd, &key, &b->task, BPF_ANY))
		return -errno;
	for (i = 0; i < LA_RULES_NR_MAX; i++) {
		key = la_rule_list_key(slot, i);
		list = b->list[i];
		if (!c->family[i] && (list.n || (list.flags & LA_RL_OVERFLOW) || b->task_record) &&
		    !capture_has_tp(c, i))
			list.flags |= LA_RL_OTHER;
		if (bpf_map_update_elem(lfd, &key, &list, BPF_ANY))
			return -errno;
		/* the 32-bit syscalls: all the raw pair's */
		key = la_rule_list_key(slot, i | LA_NR_COMPAT);
		list = b->lists[RULES_BPF_I386][i];
		if (list.n || (list.flags & LA_RL_OVERFLOW))
			list.flags |= LA_RL_OTHER;
		if (bpf_map_update_elem(lfd, &key, &list, BPF_ANY))
			return -errno;
	}
	return 0;
}

/*
 * The filesystem list's never rules of @b (none: NULL), in force at once: an inode
 * collected meanwhile is judged by the old rules or the new ones.
 */
static void capture_set_fs_rules(struct capture *c, const struct rules_bpf *b)
{
	size_t i, n = b ? b->nfs : 0;

	__atomic_store_n(&c->skel->bss->la_fs_never_n, 0, __ATOMIC_SEQ_CST);
	for (i = 0; i < n; i++) {
		c->skel->bss->la_fs_never[i].op = b->fs[i].op;
		c->skel->bss->la_fs_never[i].magic = b->fs[i].magic;
	}
	__atomic_store_n(&c->skel->bss->la_fs_never_n, (__u32)n, __ATOMIC_SEQ_CST);
}

/*
 * A program reads the revision once per syscall and keeps to its slot until the
 * syscall's record is made (microseconds): a slot is written again only once the
 * revision that used it has been out of force this long.
 */
#define CAPTURE_SLOT_QUIET_NS (50 * 1000 * 1000ULL)

/*
 * The rules in force changed: the cache filter's records that older rules decided go
 * out now, with the keys those gave them, rather than wait for their interval (and a
 * record merges only with the same rules' records).  One that a syscall still on the
 * old rules makes meanwhile goes at the next flush, whatever its age.  Should the run
 * fail, the next flush sends them too.
 */
static void capture_cache_rules_changed(struct capture *c)
{
	(void)capture_cache_flush(c, 0);
}

int capture_set_rules(struct capture *c, const struct rules_set *s)
{
	struct capture_rules *kept = NULL;
	struct rules_watch *w = NULL;
	struct rules_bpf b = {0};
	uint32_t rev, i;
	uint64_t since;
	int err = 0;

	if (s) {
		err = rules_bpf_compile(s, &b);
		if (err)
			return err;
		/* a syscall the kernel does not implement names no object */
		for (i = 0; i < LA_RULES_NR_MAX; i++)
			if (c->unimpl[i])
				rules_bpf_unimplemented(&b, s, i);
	}
	if (b.active) {
		w = rules_watch_compile(s, capture_stat);
		if (!w) {
			rules_bpf_free(&b);
			return -ENOMEM;
		}
	}
	if (!b.active) {
		rules_bpf_free(&b);
		capture_set_fs_rules(c, NULL);
		__atomic_store_n(&c->skel->bss->la_rules_rev, 0, __ATOMIC_SEQ_CST);
		capture_cache_rules_changed(c);
		c->cur = NULL;
		c->published_ns = capture_mono_ns();
		return c->attached ? capture_attach_more(c) : 0;
	}
	rev = c->last_rev + 1;
	since = capture_mono_ns() - c->published_ns;
	if (c->last_rev && since < CAPTURE_SLOT_QUIET_NS)
		usleep((CAPTURE_SLOT_QUIET_NS - since) / 1000);
	err = capture_write_rules(c, &b, rev & 1);
	if (err) {
		rules_bpf_free(&b);
		rules_watch_free(w);
		return err;
	}
	/* the oldest set kept makes room; its records were encoded long ago */
	pthread_mutex_lock(&c->rules_lock);
	for (i = 0; i < CAPTURE_RULES_KEPT; i++)
		if (!kept || c->rules[i].rev < kept->rev)
			kept = &c->rules[i];
	rules_bpf_free(&kept->b);
	rules_watch_free(kept->w);
	kept->b = b;
	kept->w = w;
	kept->rev = rev;
	pthread_mutex_unlock(&c->rules_lock);
	c->cur = &kept->b;
	c->last_rev = rev;
	c->published_ns = capture_mono_ns();
	capture_set_fs_rules(c, &kept->b);
	/* before the revision: a task its task rules select at its fork is then looked at */
	if (kept->b.task_never || kept->b.task_record)
		__atomic_store_n(&c->skel->bss->la_task_seen, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&c->skel->bss->la_rules_rev, rev, __ATOMIC_SEQ_CST);
	capture_cache_rules_changed(c);
	return c->attached ? capture_attach_more(c) : 0;
}

const char *capture_rule_key(struct capture *c, const struct la_event *ev)
{
	const char *key = NULL;
	int i;

	if (!ev->rule)
		return NULL;
	pthread_mutex_lock(&c->rules_lock);
	for (i = 0; i < CAPTURE_RULES_KEPT; i++)
		if (c->rules[i].rev == ev->rules_rev && ev->rule <= c->rules[i].b.nrules)
			key = c->rules[i].b.key[ev->rule - 1];
	pthread_mutex_unlock(&c->rules_lock);
	return key;
}

int capture_rule_decide(struct capture *c, const struct la_event *ev, const struct text_ident *id,
			const char **key, uint32_t *drop)
{
	int i, log = 1;

	*key = NULL;
	*drop = 0;
	if (!ev->rules_rev)
		return 1;
	pthread_mutex_lock(&c->rules_lock);
	for (i = 0; i < CAPTURE_RULES_KEPT; i++) {
		if (c->rules[i].rev != ev->rules_rev)
			continue;
		log = rules_watch_decide(c->rules[i].w, &c->rules[i].b, ev, id, key);
		if (log)
			*drop = rules_watch_excluded(c->rules[i].w, ev, id);
	}
	pthread_mutex_unlock(&c->rules_lock);
	return log;
}

#define CAPTURE_DETACH_THREADS 32

struct capture_detach_job {
	struct bpf_link **links[CAPTURE_DETACH_THREADS * 8];
	int n;
};

static void *capture_detach_thread(void *arg)
{
	struct capture_detach_job *job = arg;
	int i;

	for (i = 0; i < job->n; i++) {
		bpf_link__destroy(*job->links[i]);
		*job->links[i] = NULL;
	}
	return NULL;
}

/*
 * Each tracepoint detach waits for a grace period of its own (syscall
 * tracepoints are faultable since 6.14, and their probes are freed after an RCU
 * tasks-trace grace period): one after another they take seconds, side by side
 * the grace periods are shared.
 */
void capture_detach(struct capture *c)
{
	static struct capture_detach_job jobs[CAPTURE_DETACH_THREADS];
	pthread_t tids[CAPTURE_DETACH_THREADS];
	int started[CAPTURE_DETACH_THREADS] = {0};
	struct bpf_object_skeleton *s = c->skel->skeleton;
	int i, j;

	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < s->prog_cnt + 2 * LA_RULES_NR_MAX; i++) {
		struct capture_detach_job *job = &jobs[i % CAPTURE_DETACH_THREADS];
		struct bpf_link **l =
			i < s->prog_cnt ? s->progs[i].link
					: &c->other[(i - s->prog_cnt) / 2][(i - s->prog_cnt) % 2];

		if (*l && job->n < (int)(sizeof(job->links) / sizeof(job->links[0])))
			job->links[job->n++] = l;
	}
	for (j = 0; j < CAPTURE_DETACH_THREADS; j++)
		started[j] = jobs[j].n &&
			     !pthread_create(&tids[j], NULL, capture_detach_thread, &jobs[j]);
	for (j = 0; j < CAPTURE_DETACH_THREADS; j++) {
		if (started[j])
			pthread_join(tids[j], NULL);
		else
			capture_detach_thread(&jobs[j]);
	}
	lauditd_bpf__detach(c->skel);
}

int capture_poll(struct capture *c, int timeout_ms)
{
	int n, m;

	if (!c->rb)
		return -EINVAL;
	n = ring_buffer__poll(c->rb, timeout_ms);
	if (n < 0)
		return n;
	m = ring_buffer__consume(c->rb);
	if (m < 0)
		return m;
	return n + m;
}

int capture_drain(struct capture *c)
{
	int total = 0, n;

	if (!c->rb)
		return -EINVAL;
	do {
		n = ring_buffer__consume(c->rb);
		if (n < 0)
			return n;
		total += n;
	} while (n > 0);
	return total;
}

unsigned int capture_rings(const struct capture *c)
{
	return c->ncpus;
}

int capture_ring_fd(const struct capture *c, unsigned int i)
{
	return i < (unsigned int)c->ncpus ? c->ring_fds[i] : -1;
}

size_t capture_ring_bytes(const struct capture *c)
{
	return c->ring_bytes;
}

int capture_exclude(struct capture *c, pid_t id)
{
	__u32 key = (__u32)id;
	__u8 one = 1;

	if (bpf_map_update_elem(bpf_map__fd(c->skel->maps.la_excluded), &key, &one, BPF_ANY))
		return -errno;
	/* after the update: a thread that sees the new generation finds the entry */
	__atomic_add_fetch(&c->skel->bss->la_excluded_gen, 1, __ATOMIC_SEQ_CST);
	return 0;
}

int capture_include(struct capture *c, pid_t id)
{
	__u32 key = (__u32)id;

	if (bpf_map_delete_elem(bpf_map__fd(c->skel->maps.la_excluded), &key) && errno != ENOENT)
		return -errno;
	return 0;
}

int capture_is_excluded(struct capture *c, pid_t id)
{
	__u32 key = (__u32)id;
	__u8 v;

	if (!bpf_map_lookup_elem(bpf_map__fd(c->skel->maps.la_excluded), &key, &v))
		return 1;
	return errno == ENOENT ? 0 : -errno;
}

int capture_counts(struct capture *c, struct la_counts *out)
{
	int fd = bpf_map__fd(c->skel->maps.la_counters);
	__u32 nr;
	int i, k;

	memset(out, 0, sizeof(*out) * LA_NR_MAX);
	for (nr = 0; nr < LA_NR_MAX; nr++) {
		if (bpf_map_lookup_elem(fd, &nr, c->percpu))
			return -errno;
		for (i = 0; i < c->ncpus; i++)
			for (k = 0; k < LA_CNT__MAX; k++)
				out[nr].n[k] += c->percpu[i].n[k];
	}
	return 0;
}

void capture_close(struct capture *c)
{
	int i;

	if (!c)
		return;
	ring_buffer__free(c->rb);
	/* detach side by side first: the skeleton's destroy detaches one by one */
	if (c->skel)
		capture_detach(c);
	lauditd_bpf__destroy(c->skel);
	for (i = 0; c->ring_fds && i < c->ncpus; i++)
		if (c->ring_fds[i] >= 0)
			close(c->ring_fds[i]);
	free(c->ring_fds);
	free(c->percpu);
	for (i = 0; i < CAPTURE_RULES_KEPT; i++) {
		rules_bpf_free(&c->rules[i].b);
		rules_watch_free(c->rules[i].w);
	}
	pthread_mutex_destroy(&c->rules_lock);
	free(c);
}
