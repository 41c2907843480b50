/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A workload that makes at least one syscall of each of the 25 families, for
 * the parity test: the real auditd and lauditd log it at the same time and the
 * two logs are compared event by event.  File names carry spaces, quotes,
 * newlines and non-ASCII bytes; connect is refused; a child is killed and
 * traced; execve gets a tricky argv.
 *
 * usage: families DIR    (an empty directory to work in; prints its pid)
 *
 * It closes every inherited descriptor above 2 first, so that its fd numbers (openat2
 * returns 3) do not depend on what started it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(x)                                                                             \
	do {                                                                                 \
		if (!(x)) {                                                                  \
			fprintf(stderr, "families: %s:%d: %s: %s\n", __FILE__, __LINE__, #x, \
				strerror(errno));                                            \
			exit(1);                                                             \
		}                                                                            \
	} while (0)

static void files(void)
{
	char buf[64];
	struct iovec iov = {buf, sizeof(buf)};
	struct open_how how = {.flags = O_RDONLY};
	int fd, fd2;

	fd = open("plain", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK(write(fd, "0123456789abcdef0123456789abcdef", 32) == 32);
	CHECK(writev(fd, &iov, 1) == sizeof(buf));
	CHECK(pwrite(fd, "x", 1, 3) == 1);
	CHECK(pwritev(fd, &iov, 1, 0) == sizeof(buf));
	CHECK(pwritev2(fd, &iov, 1, 0, 0) == sizeof(buf));
	CHECK(close(fd) == 0);

	fd = openat(AT_FDCWD, "plain", O_RDONLY);
	CHECK(fd >= 0);
	CHECK(read(fd, buf, 8) == 8);
	CHECK(readv(fd, &iov, 1) > 0);
	CHECK(pread(fd, buf, 4, 0) == 4);
	CHECK(preadv(fd, &iov, 1, 0) > 0);
	CHECK(preadv2(fd, &iov, 1, 0, 0) > 0);
	fd2 = dup(fd);
	CHECK(fd2 >= 0);
	CHECK(dup2(fd, 20) == 20);
	CHECK(dup3(fd, 21, O_CLOEXEC) == 21);
	CHECK(fcntl(fd, F_DUPFD, 30) >= 30);
	CHECK(fcntl(fd, F_DUPFD_CLOEXEC, 40) >= 40);
	CHECK(ftruncate(fd, 0) < 0); /* read-only: EINVAL */
	close(fd2);
	close(20);
	close(21);
	close(fd);

	/* names auditd must hex-encode */
	fd = syscall(SYS_open, "with space", O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0);
	close(fd);
	fd = open("quote\"d", O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0);
	close(fd);
	fd = open("new\nline", O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0);
	close(fd);
	fd = open("caf\xc3\xa9", O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0);
	close(fd);
	fd = syscall(SYS_creat, "created", 0640);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, 100) == 0);
	close(fd);
	fd = syscall(SYS_openat2, AT_FDCWD, "created", &how, sizeof(how));
	CHECK(fd >= 0);
	close(fd);
	CHECK(open("does-not-exist", O_RDONLY) < 0);
	CHECK(open("/nonexistent-dir/x", O_RDONLY) < 0);
	fd = open("/etc/hostname", O_RDONLY);
	if (fd >= 0)
		close(fd);

	CHECK(truncate("created", 10) == 0);
	CHECK(chmod("created", 0600) == 0);
	fd = open("created", O_RDONLY);
	CHECK(fd >= 0);
	CHECK(fchmod(fd, 0644) == 0);
	CHECK(fchown(fd, 0, 0) == 0);
	close(fd);
	CHECK(fchmodat(AT_FDCWD, "created", 0640, 0) == 0);
	CHECK(chown("created", 0, 0) == 0);
	CHECK(lchown("created", 0, 0) == 0);
	CHECK(fchownat(AT_FDCWD, "created", 0, 0, 0) == 0);
	CHECK(chmod("does-not-exist", 0600) < 0);

	/* O_CREAT on a file that exists, with and without O_EXCL; in a missing directory */
	fd = open("plain", O_CREAT | O_RDONLY, 0600);
	CHECK(fd >= 0);
	close(fd);
	CHECK(open("plain", O_CREAT | O_EXCL | O_RDONLY, 0600) < 0 && errno == EEXIST);
	CHECK(open("missing/x", O_CREAT | O_WRONLY, 0600) < 0 && errno == ENOENT);

	CHECK(mkdir("dir", 0755) == 0);
	fd = open("dir/inner", O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0);
	close(fd);
	CHECK(rmdir("dir") < 0 && errno == ENOTEMPTY);
	CHECK(unlink("dir/inner") == 0);
	CHECK(rename("does-not-exist", "x") < 0 && errno == ENOENT);
	CHECK(rename("created", "dir/renamed") == 0);
	CHECK(renameat(AT_FDCWD, "dir/renamed", AT_FDCWD, "renamed2") == 0);
	CHECK(syscall(SYS_renameat2, AT_FDCWD, "renamed2", AT_FDCWD, "plain", 0) == 0);
	CHECK(unlink("with space") == 0);
	CHECK(unlinkat(AT_FDCWD, "quote\"d", 0) == 0);
	CHECK(unlink("does-not-exist") < 0);
	CHECK(rmdir("dir") == 0);
}

static void memory(void)
{
	void *p;
	int fd;

	fd = open("plain", O_RDONLY);
	CHECK(fd >= 0);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK(munmap(p, 4096) == 0);
	close(fd);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK(mprotect(p, 4096, PROT_READ) == 0);
	munmap(p, 4096);
}

static void network(void)
{
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	struct sockaddr_in peer;
	socklen_t len = sizeof(in);
	char buf[16] = "ping";
	struct iovec iov = {buf, 4};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	struct mmsghdr mm = {.msg_hdr = {.msg_iov = &iov, .msg_iovlen = 1}};
	int l, c, a, u, v, sv[2], p[2];

	/* a refused connect: bind a port, close it, connect to it */
	l = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(l >= 0);
	CHECK(bind(l, (struct sockaddr *)&in, sizeof(in)) == 0);
	CHECK(getsockname(l, (struct sockaddr *)&in, &len) == 0);
	close(l);
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(c >= 0);
	CHECK(connect(c, (struct sockaddr *)&in, sizeof(in)) < 0 && errno == ECONNREFUSED);
	close(c);

	/* accept and accept4 on a listener */
	in.sin_port = 0;
	l = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(l >= 0);
	CHECK(bind(l, (struct sockaddr *)&in, sizeof(in)) == 0);
	len = sizeof(in);
	CHECK(getsockname(l, (struct sockaddr *)&in, &len) == 0);
	CHECK(listen(l, 4) == 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(connect(c, (struct sockaddr *)&in, sizeof(in)) == 0);
	len = sizeof(peer);
	a = accept(l, (struct sockaddr *)&peer, &len);
	CHECK(a >= 0);
	close(a);
	close(c);
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(connect(c, (struct sockaddr *)&in, sizeof(in)) == 0);
	a = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	CHECK(a >= 0);
	close(a);
	close(c);
	close(l);

	/* UDP: sendto, recvfrom, sendmsg, recvmsg, sendmmsg, recvmmsg */
	in.sin_port = 0;
	u = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(u >= 0);
	CHECK(bind(u, (struct sockaddr *)&in, sizeof(in)) == 0);
	len = sizeof(in);
	CHECK(getsockname(u, (struct sockaddr *)&in, &len) == 0);
	v = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(sendto(v, buf, 4, 0, (struct sockaddr *)&in, sizeof(in)) == 4);
	len = sizeof(peer);
	CHECK(recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &len) == 4);
	mh.msg_name = &in;
	mh.msg_namelen = sizeof(in);
	CHECK(sendmsg(v, &mh, 0) == 4);
	mh.msg_name = &peer;
	mh.msg_namelen = sizeof(peer);
	CHECK(recvmsg(u, &mh, 0) == 4);
	mm.msg_hdr.msg_name = &in;
	mm.msg_hdr.msg_namelen = sizeof(in);
	CHECK(sendmmsg(v, &mm, 1, 0) == 1);
	mm.msg_hdr.msg_name = NULL;
	mm.msg_hdr.msg_namelen = 0;
	CHECK(recvmmsg(u, &mm, 1, 0, NULL) == 1);
	close(u);
	close(v);

	/* a unix socket bound to a path, and a pair */
	u = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(u >= 0);
	strcpy(un.sun_path, "sock");
	CHECK(bind(u, (struct sockaddr *)&un, sizeof(un)) == 0);
	close(u);
	CHECK(unlink("sock") == 0);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	close(sv[0]);
	close(sv[1]);
	CHECK(pipe(p) == 0);
	close(p[0]);
	close(p[1]);
	CHECK(pipe2(p, O_CLOEXEC) == 0);
	close(p[0]);
	close(p[1]);
}

static void processes(void)
{
	static char long_arg[10000];
	char *argv[] = {
		"/bin/true",   "two words", "a\"quote", "new\nline",
		"caf\xc3\xa9", "",	    long_arg,	NULL,
	};
	char *envp[] = {NULL};
	pid_t pid;
	int st, fd;

	memset(long_arg, 'x', sizeof(long_arg) - 1);

	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		execve(argv[0], argv, envp);
		_exit(127);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);

	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char *sh[] = {"/bin/sh", "-c", "exit 0", NULL};

		syscall(SYS_execveat, AT_FDCWD, sh[0], sh, envp, 0);
		_exit(127);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);

	/* a script: its interpreter runs it */
	fd = open("script.sh", O_CREAT | O_WRONLY | O_TRUNC, 0755);
	CHECK(fd >= 0);
	CHECK(write(fd, "#!/bin/sh\nexit 0\n", 17) == 17);
	close(fd);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char *sc[] = {"./script.sh", NULL};

		execve(sc[0], sc, envp);
		_exit(127);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(unlink("script.sh") == 0);

	pid = vfork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(0);
	CHECK(waitpid(pid, &st, 0) == pid);
	pid = syscall(SYS_fork);
	CHECK(pid >= 0);
	if (pid == 0)
		syscall(SYS_exit, 0);
	CHECK(waitpid(pid, &st, 0) == pid);

	/* a child killed, one traced */
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK(ptrace(PTRACE_ATTACH, pid, 0, 0) == 0);
	CHECK(waitpid(pid, &st, 0) == pid && WIFSTOPPED(st));
	CHECK(ptrace(PTRACE_DETACH, pid, 0, 0) == 0);
	CHECK(kill(pid, SIGKILL) == 0);
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st));
	CHECK(kill(pid, 0) < 0 && errno == ESRCH);
	CHECK(syscall(SYS_tkill, (pid_t)syscall(SYS_gettid), 0) == 0);
	CHECK(syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), 0) == 0);

	CHECK(setuid(0) == 0);
	CHECK(setgid(0) == 0);
	CHECK(setreuid(-1, 0) == 0);
	CHECK(setregid(-1, 0) == 0);
	CHECK(setresuid(-1, -1, -1) == 0);
	CHECK(setresgid(-1, -1, -1) == 0);
	setfsuid(0);
	setfsgid(0);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: families DIR\n");
		return 2;
	}
	/*
	 * Only the standard descriptors: whatever started it (flock FILE cmd leaves its
	 * lock open), the fds the workload gets are then the numbers the tests expect.
	 * close_range is in none of the families, so no logger records it.
	 */
	CHECK(close_range(3, ~0U, 0) == 0);
	CHECK(chdir(argv[1]) == 0);
	printf("%d\n", getpid());
	fflush(stdout);
	files();
	memory();
	network();
	processes();
	return 0;
}
