/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * logger/service.c: the pid file is written with this process's pid, not through
 * a symlink, and removed only while it holds that pid; READY=1 reaches the socket
 * NOTIFY_SOCKET names, and nothing is sent without one; the check before loading
 * names the capabilities missing from the effective set (dropped here with capset
 * and raised again from the permitted set).
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "logger/service.c"
#include "tests/unit/unit.h"

static char g_dir[] = "/tmp/service_test.XXXXXX";

static const char *path(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", g_dir, name);
	return buf;
}

static void put_file(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static void test_pidfile(void)
{
	char want[32], buf[64] = "";
	const char *p = path("lauditd.pid");

	CU_ASSERT_EQUAL(service_pidfile_write(p), 0);
	snprintf(want, sizeof(want), "%d\n", (int)getpid());
	CU_ASSERT_EQUAL(read_small(p, buf, sizeof(buf)), (ssize_t)strlen(want));
	CU_ASSERT_STRING_EQUAL(buf, want);
	/* a second start over a stale file replaces it */
	put_file(p, "1\n");
	CU_ASSERT_EQUAL(service_pidfile_write(p), 0);
	CU_ASSERT_EQUAL(read_small(p, buf, sizeof(buf)), (ssize_t)strlen(want));
	CU_ASSERT_STRING_EQUAL(buf, want);
	service_pidfile_remove(p);
	CU_ASSERT_EQUAL(access(p, F_OK), -1);

	/* another daemon's pid file stays */
	put_file(p, "1\n");
	service_pidfile_remove(p);
	CU_ASSERT_EQUAL(access(p, F_OK), 0);
	unlink(p);

	/* never written through a symlink */
	CU_ASSERT_EQUAL_FATAL(symlink(path("target"), p), 0);
	CU_ASSERT_EQUAL(service_pidfile_write(p), -ELOOP);
	CU_ASSERT_EQUAL(access(path("target"), F_OK), -1);
	unlink(p);

	CU_ASSERT_EQUAL(service_pidfile_write(path("no/such/dir")), -ENOENT);
}

static void test_notify(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = 5};
	char buf[64];
	ssize_t n;
	int fd;

	unsetenv("NOTIFY_SOCKET");
	service_notify("READY=1"); /* no service manager: nothing to do */

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(strlen(path("notify")) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, path("notify"), strlen(path("notify")) + 1);
	CU_ASSERT_EQUAL_FATAL(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setenv("NOTIFY_SOCKET", sa.sun_path, 1);
	service_notify("READY=1");
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	CU_ASSERT_EQUAL(n, 7);
	buf[n > 0 ? n : 0] = '\0';
	CU_ASSERT_STRING_EQUAL(buf, "READY=1");
	unsetenv("NOTIFY_SOCKET");
	close(fd);
	unlink(sa.sun_path);
}

/* The effective set as two 32-bit words, read or written with capget/capset. */
static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};

	return (int)syscall(SYS_capget, &h, d);
}

static int caps_set_effective(uint64_t eff)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2];

	if (caps_get(d))
		return -1;
	d[0].effective = (uint32_t)eff;
	d[1].effective = (uint32_t)(eff >> 32);
	return (int)syscall(SYS_capset, &h, d);
}

#define BIT(n) (1ULL << (n))

static void test_check_bpf(void)
{
	struct __user_cap_data_struct d[2];
	uint64_t perm, admin = BIT(SVC_CAP_SYS_ADMIN);
	uint64_t bpf = BIT(SVC_CAP_BPF), perfmon = BIT(SVC_CAP_PERFMON);
	char why[256];

	/* the checks before the capabilities' (kernel, BTF, lockdown) depend on the machine */
	why[0] = '\0';
	if (service_check_bpf(why, sizeof(why)) == -ENOSYS || strstr(why, "locked down")) {
		printf("(%s: the capabilities are not checked) ", why);
		return;
	}
	CU_ASSERT_EQUAL_FATAL(caps_get(d), 0);
	perm = (uint64_t)d[1].permitted << 32 | d[0].permitted;

	CU_ASSERT_EQUAL(caps_set_effective(perm & ~(admin | bpf | perfmon)), 0);
	CU_ASSERT_EQUAL(service_check_bpf(why, sizeof(why)), -EPERM);
	CU_ASSERT_STRING_EQUAL(why, "missing capabilities: CAP_BPF and CAP_PERFMON "
				    "(or CAP_SYS_ADMIN)");
	if ((perm & (bpf | perfmon)) == (bpf | perfmon)) {
		CU_ASSERT_EQUAL(caps_set_effective(perm & ~(admin | perfmon)), 0);
		CU_ASSERT_EQUAL(service_check_bpf(why, sizeof(why)), -EPERM);
		CU_ASSERT_STRING_EQUAL(why, "missing capabilities: CAP_PERFMON (or CAP_SYS_ADMIN)");
		CU_ASSERT_EQUAL(caps_set_effective(perm & ~(admin | bpf)), 0);
		CU_ASSERT_EQUAL(service_check_bpf(why, sizeof(why)), -EPERM);
		CU_ASSERT_STRING_EQUAL(why, "missing capabilities: CAP_BPF (or CAP_SYS_ADMIN)");
		/* CAP_BPF and CAP_PERFMON without CAP_SYS_ADMIN, where tracefs is mounted */
		if (!access("/sys/kernel/tracing/events", F_OK)) {
			CU_ASSERT_EQUAL(caps_set_effective(perm & ~admin), 0);
			CU_ASSERT_EQUAL(service_check_bpf(why, sizeof(why)), 0);
		}
	}
	CU_ASSERT_EQUAL(caps_set_effective(perm), 0);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"pid file", test_pidfile},
		{"notify", test_notify},
		{"check before loading", test_check_bpf},
	};
	int rc;

	if (!mkdtemp(g_dir)) {
		perror("mkdtemp");
		return 1;
	}
	rc = UNIT_RUN("service", tests);
	rmdir(g_dir);
	return rc;
}
