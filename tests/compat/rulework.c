/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A workload for the rules parity test: what audit rule sets select, done by a
 * user's session.  It takes a login uid of 1000 (a new session), prints its
 * session id and pid, and forks the worker, which, in DIR:
 *   - writes, reads and chmods DIR/watched (a watched file);
 *   - creates and deletes a file in DIR/wdir (a watched directory);
 *   - replaces DIR/replaced by a rename over it, then writes to it;
 *   - in a child that becomes uid 1000: opens DIR/secret (mode 0600, root's),
 *     which fails with EACCES, truncates it (EACCES), kills itself with signal 0;
 *   - in a child that becomes uid 1001: chmods a file (a never rule's process);
 *   - makes syscalls outside lauditd's families: mkdir, symlink, setxattr,
 *     removexattr, adjtimex (a query), init_module and delete_module (failing),
 *     mount (failing: no such file system type), sethostname (failing: a name too
 *     long), mknod of a fifo;
 *   - chown and unlink and rename of its own files, which STIG rules on auid
 *     select;
 *   - execve of /bin/true in a child.
 *
 * The write to /proc/self/loginuid is an event of its own in the kernel's audit
 * (a LOGIN record with its SYSCALL record, whatever the rules), so the first
 * process only does that and waits: the test leaves its pid out.
 *
 * usage: rulework DIR    (prints "SESSION PID"; exits 0 when every step went as
 *                         planned)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#define CHECK(x)                                                                             \
	do {                                                                                 \
		if (!(x)) {                                                                  \
			fprintf(stderr, "rulework: %s:%d: %s: %s\n", __FILE__, __LINE__, #x, \
				strerror(errno));                                            \
			exit(1);                                                             \
		}                                                                            \
	} while (0)

/* fails, with errno e */
#define FAILS(x, e) CHECK((x) == -1 && errno == (e))

static void put(const char *path, int flags)
{
	int fd = open(path, O_WRONLY | flags, 0644);

	CHECK(fd >= 0);
	CHECK(write(fd, "data\n", 5) == 5);
	CHECK(close(fd) == 0);
}

static void wait_child(pid_t pid)
{
	int st;

	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void as_user(uid_t uid, const char *dir)
{
	pid_t pid = fork();
	char secret[4096], mine[4096];

	CHECK(pid >= 0);
	if (pid > 0) {
		wait_child(pid);
		return;
	}
	snprintf(secret, sizeof(secret), "%s/secret", dir);
	snprintf(mine, sizeof(mine), "%s/mine-%u", dir, (unsigned)uid);
	CHECK(setgid(uid) == 0);
	CHECK(setuid(uid) == 0);
	if (uid == 1000) {
		FAILS(open(secret, O_RDONLY), EACCES);
		FAILS(truncate(secret, 0), EACCES);
		CHECK(kill(getpid(), 0) == 0);
	}
	CHECK(chmod(mine, 0600) == 0);
	_exit(0);
}

static void work(const char *dir)
{
	char p[4096], q[4096], buf[16];
	struct timex tx = {0};
	char name[300];
	pid_t pid;
	int fd, i;

	CHECK(chdir(dir) == 0);

	/* a watched file: written, read, chmod-ed */
	put("watched", O_APPEND);
	fd = open("watched", O_RDONLY);
	CHECK(fd >= 0);
	CHECK(read(fd, buf, sizeof(buf)) > 0);
	CHECK(close(fd) == 0);
	CHECK(chmod("watched", 0640) == 0);

	/* a file created and deleted in a watched directory */
	put("wdir/f", O_CREAT | O_TRUNC);
	CHECK(unlink("wdir/f") == 0);

	/* a watched name replaced by another file, then written through the name */
	put("replacement", O_CREAT | O_TRUNC);
	CHECK(rename("replacement", "replaced") == 0);
	put("replaced", O_APPEND);

	/* other users: EACCES for uid 1000, a never rule's uid 1001 */
	snprintf(p, sizeof(p), "%s/mine-1000", dir);
	put(p, O_CREAT | O_TRUNC);
	CHECK(chown(p, 1000, 1000) == 0);
	snprintf(p, sizeof(p), "%s/mine-1001", dir);
	put(p, O_CREAT | O_TRUNC);
	CHECK(chown(p, 1001, 1001) == 0);
	as_user(1000, dir);
	as_user(1001, dir);

	/* outside lauditd's 25 families */
	CHECK(mkdir("made", 0755) == 0);
	CHECK(symlink("watched", "link") == 0);
	put("attrs", O_CREAT | O_TRUNC);
	CHECK(setxattr("attrs", "user.lauditd", "v", 1, 0) == 0);
	CHECK(removexattr("attrs", "user.lauditd") == 0);
	CHECK(adjtimex(&tx) >= 0);
	/* EFAULT, or ENOSYS on a kernel without modules */
	CHECK(syscall(SYS_init_module, NULL, 0, "") == -1);
	CHECK(syscall(SYS_delete_module, "lauditd_no_such_module", 0) == -1);
	snprintf(p, sizeof(p), "%s/made", dir);
	FAILS(mount("none", p, "lauditd_no_such_fs", 0, NULL), ENODEV);
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	FAILS(sethostname(name, strlen(name)), EINVAL);
	CHECK(mknod("fifo", S_IFIFO | 0600, 0) == 0);

	/* what STIG selects for a login uid: ownership, deletion, renames */
	CHECK(chown("attrs", 0, 0) == 0);
	CHECK(rename("attrs", "attrs2") == 0);
	CHECK(unlink("attrs2") == 0);

	/* execve */
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	wait_child(pid);

	/* the watched file read a few more times: one event each */
	for (i = 0; i < 3; i++) {
		snprintf(q, sizeof(q), "%s/watched", dir);
		fd = open(q, O_RDONLY);
		CHECK(fd >= 0);
		CHECK(close(fd) == 0);
	}
}

int main(int argc, char **argv)
{
	char buf[16];
	FILE *f;
	pid_t pid;

	if (argc != 2) {
		fprintf(stderr, "usage: rulework DIR\n");
		return 2;
	}
	f = fopen("/proc/self/loginuid", "w");
	CHECK(f != NULL);
	CHECK(fprintf(f, "1000") == 4);
	CHECK(fclose(f) == 0);
	f = fopen("/proc/self/sessionid", "r");
	CHECK(f != NULL);
	CHECK(fgets(buf, sizeof(buf), f) != NULL);
	fclose(f);
	printf("%s %d\n", buf, (int)getpid());
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		work(argv[1]);
		_exit(0);
	}
	wait_child(pid);
	return 0;
}
