/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A workload of syscalls outside the 25 families, for the rules' parity test:
 * directories, links, device nodes, extended attributes, the clock, modules,
 * mounts and namespaces, each succeeding and failing; a child that drops to
 * uid 65534 gets EPERM for the privileged ones; 32-bit syscalls (int 0x80) where
 * the kernel runs them.
 *
 * usage: others DIR    (an empty directory to work in; prints its pid)
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#define CHECK(x)                                                                           \
	do {                                                                               \
		if (!(x)) {                                                                \
			fprintf(stderr, "others: %s:%d: %s: %s\n", __FILE__, __LINE__, #x, \
				strerror(errno));                                          \
			exit(1);                                                           \
		}                                                                          \
	} while (0)

/* What a syscall that must fail did: -1 with @err */
#define FAILS(x, err) CHECK((x) == -1 && errno == (err))

static const char junk[64] = "not an ELF module";

static void files(void)
{
	int dfd, fd;

	CHECK(mkdir("d1", 0755) == 0);
	FAILS(mkdir("d1", 0755), EEXIST);
	FAILS(mkdir("none/d", 0755), ENOENT);
	CHECK(mkdir("d1/sub dir", 0700) == 0);
	dfd = open("d1", O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0);
	CHECK(mkdirat(dfd, "d2", 0750) == 0);
	CHECK(mkdirat(AT_FDCWD, "d1/d3", 0755) == 0);
	CHECK(rmdir("d1/d3") == 0);
	CHECK(symlink("target of link", "ln1") == 0);
	FAILS(symlink("x", "ln1"), EEXIST);
	CHECK(symlinkat("../ln1", dfd, "ln2") == 0);
	fd = open("f", O_CREAT | O_WRONLY, 0640);
	CHECK(fd >= 0);
	CHECK(link("f", "f-hard") == 0);
	FAILS(link("missing", "f-hard2"), ENOENT);
	CHECK(linkat(AT_FDCWD, "f", dfd, "f-hard3", 0) == 0);
	CHECK(mknod("fifo", S_IFIFO | 0600, 0) == 0);
	CHECK(mknodat(dfd, "null", S_IFCHR | 0600, makedev(1, 3)) == 0);
	CHECK(setxattr("f", "user.lauditd", "v1", 2, 0) == 0);
	FAILS(setxattr("f", "user.lauditd", "v2", 2, XATTR_CREATE), EEXIST);
	FAILS(lsetxattr("ln1", "user.lauditd", "v", 1, 0), EPERM);
	CHECK(fsetxattr(fd, "user.other", "v3", 2, 0) == 0);
	CHECK(removexattr("f", "user.lauditd") == 0);
	FAILS(removexattr("f", "user.lauditd"), ENODATA);
	CHECK(close(fd) == 0);
	CHECK(close(dfd) == 0);
}

static void system_calls(void)
{
	struct timex tx = {.modes = 0};
	int fd;

	CHECK(syscall(SYS_adjtimex, &tx) >= 0);
	CHECK(syscall(SYS_init_module, junk, sizeof(junk), "") == -1);
	fd = open("f", O_RDONLY);
	CHECK(fd >= 0);
	CHECK(syscall(SYS_finit_module, fd, "", 0) == -1);
	CHECK(close(fd) == 0);
	CHECK(syscall(SYS_delete_module, "lauditd_no_such_module", O_NONBLOCK) == -1);
	FAILS(mount("none", "d1", "lauditd-nofs", 0, NULL), ENODEV);
	FAILS(mount("/lauditd-missing", "d1", NULL, MS_BIND, NULL), ENOENT);
	FAILS(umount2("d1", 0), EINVAL);
	CHECK(unshare(0) == 0);
	CHECK(syscall(SYS_personality, 0xffffffffUL) >= 0);
}

/* A 32-bit syscall from this 64-bit process: int 0x80, i386's number and registers */
static long int80(long nr, long bx)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(bx), "c"(0), "d"(0), "S"(0)
			 : "memory");
	return ret;
}

/*
 * i386's getpid (20), close (6) and umask (60): x86-64's writev, lstat and exit, which
 * an arch=b32 rule on them must not take.  Tried in a child first: a kernel without
 * IA32 emulation ends the process.
 */
static void compat32(void)
{
	pid_t pid = fork();
	int st;

	CHECK(pid >= 0);
	if (pid == 0)
		_exit(int80(20, 0) == getpid() ? 0 : 1);
	CHECK(waitpid(pid, &st, 0) == pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return;
	CHECK(int80(20, 0) == getpid());
	CHECK(int80(6, 1501) == -EBADF);
	CHECK(int80(60, 022) >= 0);
}

/* A process with no privilege: EPERM, and a mkdir the never rule leaves out */
static void unprivileged(void)
{
	struct timex tx = {.modes = ADJ_OFFSET, .offset = 0};

	CHECK(setgid(65534) == 0 && setuid(65534) == 0);
	FAILS(mkdir("d-nobody", 0755), EACCES);
	FAILS(sethostname("lauditd-test", 12), EPERM);
	/* EPERM, or ENOSYS on a kernel without modules */
	CHECK(syscall(SYS_init_module, junk, sizeof(junk), "") == -1);
	FAILS(mount("none", "d1", "tmpfs", 0, NULL), EPERM);
	FAILS(syscall(SYS_adjtimex, &tx), EPERM);
	FAILS(symlink("x", "ln-nobody"), EACCES);
}

int main(int argc, char **argv)
{
	pid_t pid;
	int st;

	CHECK(argc == 2 && chdir(argv[1]) == 0);
	printf("%d\n", (int)getpid());
	fflush(stdout);
	files();
	system_calls();
	compat32();
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		unprivileged();
		_exit(0);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return 0;
}
