/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "logger/service.h"

/* <linux/capability.h>'s numbers; CAP_BPF and CAP_PERFMON are 5.8's. */
#define SVC_CAP_SYS_ADMIN 21
#define SVC_CAP_PERFMON	  38
#define SVC_CAP_BPF	  39

/* Read at most @size - 1 bytes of @path into @buf.  Return: the length, or -1. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* The effective capabilities, from /proc/self/status; all of them if it cannot be read. */
static uint64_t effective_caps(void)
{
	char buf[4096], *p;

	if (read_small("/proc/self/status", buf, sizeof(buf)) <= 0)
		return UINT64_MAX;
	p = strstr(buf, "\nCapEff:");
	if (!p)
		return UINT64_MAX;
	return strtoull(p + 8, NULL, 16);
}

int service_check_bpf(char *why, size_t size)
{
	char lockdown[256];
	unsigned int major = 0, minor = 0;
	struct utsname u;
	uint64_t caps;

	if (!uname(&u) && sscanf(u.release, "%u.%u", &major, &minor) == 2 &&
	    (major < 5 || (major == 5 && minor < 8))) {
		snprintf(why, size,
			 "kernel %s is older than 5.8: it has no BPF ring buffer and no CAP_BPF",
			 u.release);
		return -ENOSYS;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(why, size,
			 "no BTF: /sys/kernel/btf/vmlinux: %s (a kernel built with "
			 "CONFIG_DEBUG_INFO_BTF=y is needed)",
			 strerror(errno));
		return -ENOSYS;
	}
	if (read_small("/sys/kernel/security/lockdown", lockdown, sizeof(lockdown)) > 0 &&
	    strstr(lockdown, "[confidentiality]")) {
		snprintf(why, size,
			 "the kernel is locked down (/sys/kernel/security/lockdown: "
			 "confidentiality): BPF programs cannot read kernel memory");
		return -EPERM;
	}
	caps = effective_caps();
	if (!(caps >> SVC_CAP_SYS_ADMIN & 1) &&
	    (!(caps >> SVC_CAP_BPF & 1) || !(caps >> SVC_CAP_PERFMON & 1))) {
		snprintf(why, size, "missing capabilities: %s%s%s (or CAP_SYS_ADMIN)",
			 caps >> SVC_CAP_BPF & 1 ? "" : "CAP_BPF",
			 !(caps >> SVC_CAP_BPF & 1) && !(caps >> SVC_CAP_PERFMON & 1) ? " and "
										      : "",
			 caps >> SVC_CAP_PERFMON & 1 ? "" : "CAP_PERFMON");
		return -EPERM;
	}
	if (access("/sys/kernel/tracing/events", F_OK) &&
	    access("/sys/kernel/debug/tracing/events", F_OK) && !(caps >> SVC_CAP_SYS_ADMIN & 1)) {
		snprintf(why, size,
			 "tracefs is not mounted on /sys/kernel/tracing, and mounting it needs "
			 "CAP_SYS_ADMIN");
		return -EPERM;
	}
	return 0;
}

int service_pidfile_write(const char *path)
{
	char buf[32];
	int fd, len, err = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write(fd, buf, len) != len)
		err = errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

void service_pidfile_remove(const char *path)
{
	char buf[32];

	if (read_small(path, buf, sizeof(buf)) > 0 && atoi(buf) == (int)getpid())
		unlink(path);
}

void service_notify(const char *state)
{
	/* 0 without NOTIFY_SOCKET; a failure only costs systemd's view of the start */
	sd_notify(0, state);
}
