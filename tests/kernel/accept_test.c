// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 11, accept: accept, accept4; the peer address the kernel returned. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "formats/wire.h"
#include "tests/kernel/ktest.h"

/* sh->buf: listener address at 0, the clients' addresses at 64 + 32 * i, peers at 512 + 32 * i */
#define CLIENT(b, i) ((b) + 64 + 32 * (i))
#define PEER(b, i)   ((b) + 512 + 32 * (i))
#define LEN(b, i)    ((b) + 1024 + 8 * (i))
#define NCLIENTS     4

static void *connector(void *arg)
{
	struct kt_shm *sh = arg;
	int i, fd;

	for (i = 0; i < NCLIENTS; i++) {
		socklen_t len = sizeof(struct sockaddr_in);

		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || connect(fd, (void *)sh->buf, sizeof(struct sockaddr_in)) ||
		    getsockname(fd, (void *)CLIENT(sh->buf, i), &len)) {
			kt_child_fail(sh, "client %d: %s", i, strerror(errno));
			return NULL;
		}
	}
	return NULL;
}

static void body_accept(struct kt_shm *sh, void *arg)
{
	int l, i, plain;
	pthread_t t;

	/* fds: 3 the listener, 4 not listening, 5..8 the clients (same process), then accepted */
	(void)arg;
	l = kt_bound(SOCK_STREAM, (void *)sh->buf);
	plain = socket(AF_INET, SOCK_STREAM, 0);
	if (l != 3 || plain != 4) {
		kt_child_fail(sh, "setup: %s", strerror(errno));
		return;
	}
	for (i = 0; i < NCLIENTS; i++)
		*(int *)LEN(sh->buf, i) = sizeof(struct sockaddr_in);
	/* the short buffer: 4 bytes, the rest of it is the test's pattern */
	*(int *)LEN(sh->buf, 3) = 4;
	memset(PEER(sh->buf, 3), 0xa5, 16);
	if (pthread_create(&t, NULL, connector, sh)) {
		kt_child_fail(sh, "pthread_create");
		return;
	}
	pthread_join(t, NULL);
	sh->v[10] = sh->t_begin;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_accept, l, (long)PEER(sh->buf, 0), (long)LEN(sh->buf, 0), 0, 0, 0);
	sh->v[1] = kt_sys(SYS_accept4, l, (long)PEER(sh->buf, 1), (long)LEN(sh->buf, 1),
			  SOCK_CLOEXEC | SOCK_NONBLOCK, 0, 0);
	sh->v[2] = kt_sys(SYS_accept, l, 0, 0, 0, 0, 0);
	sh->v[3] =
		kt_sys(SYS_accept, plain, (long)PEER(sh->buf, 2), (long)LEN(sh->buf, 2), 0, 0, 0);
	sh->v[4] =
		kt_sys(SYS_accept4, l, (long)PEER(sh->buf, 2), (long)LEN(sh->buf, 2), 0x7f, 0, 0);
	sh->v[5] = kt_sys(SYS_accept4, l, (long)PEER(sh->buf, 3), (long)LEN(sh->buf, 3), 0, 0, 0);
	/* F_SETFL is not audited */
	fcntl(l, F_SETFL, O_NONBLOCK);
	sh->v[6] = kt_sys(SYS_accept4, l, 0, 0, SOCK_CLOEXEC, 0, 0);
	kt_end(sh);
}

static void test_accept(void)
{
	const struct la_event *ev;
	struct kt_run r;
	const char *b;
	int i;

	if (kt_run(&r, "kt-accept", body_accept, NULL))
		return;
	KT_CHILD_OK(&r);
	b = r.sh->buf;
	KT_EQ(r.sh->v[0], 9);
	KT_EQ(r.sh->v[1], 10);
	KT_EQ(r.sh->v[2], 11);
	KT_EQ(r.sh->v[3], -EINVAL);
	KT_EQ(r.sh->v[4], -EINVAL);
	KT_EQ(r.sh->v[5], 12);
	KT_EQ(r.sh->v[6], -EAGAIN);
	/* the peers the kernel returned are the clients */
	KT_EQ(*(const int *)LEN(b, 0), 16);
	KT_ASSERT(!memcmp(PEER(b, 0), CLIENT(b, 0), 16));
	KT_ASSERT(!memcmp(PEER(b, 1), CLIENT(b, 1), 16));
	KT_NRS(&r, r.pid, SYS_accept, SYS_accept4, SYS_accept, SYS_accept, SYS_accept4, SYS_accept4,
	       SYS_accept4);

	KT_REC(ev, &r, r.pid, SYS_accept, 0);
	KT_SYS(ev, SYS_accept, 3, PEER(b, 0), LEN(b, 0), 0, 0, 0, 9);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_PEER, 1, 0, CLIENT(b, 0), 16));
	KT_REC(ev, &r, r.pid, SYS_accept4, 0);
	KT_SYS(ev, SYS_accept4, 3, PEER(b, 1), LEN(b, 1), SOCK_CLOEXEC | SOCK_NONBLOCK, 0, 0, 10);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_PEER, 1, 0, CLIENT(b, 1), 16));
	/* no address asked for: none recorded */
	KT_REC(ev, &r, r.pid, SYS_accept, 1);
	KT_SYS(ev, SYS_accept, 3, 0, 0, 0, 0, 0, 11);
	KT_NO_ITEMS(ev, 0);
	/* failures: none either */
	KT_REC(ev, &r, r.pid, SYS_accept, 2);
	KT_SYS(ev, SYS_accept, 4, PEER(b, 2), LEN(b, 2), 0, 0, 0, -EINVAL);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_accept4, 1);
	KT_SYS(ev, SYS_accept4, 3, PEER(b, 2), LEN(b, 2), 0x7f, 0, 0, -EINVAL);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_accept4, 3);
	KT_SYS(ev, SYS_accept4, 3, 0, 0, SOCK_CLOEXEC, 0, 0, -EAGAIN);
	KT_NO_ITEMS(ev, 0);
	for (i = 0; i < 7; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
	}
}

/*
 * A buffer shorter than the address: the kernel writes 4 bytes and sets the
 * length to the full 16.  The record must hold only bytes the kernel wrote (the
 * first 4, flagged as cut), not the 12 bytes of the process's memory after them.
 */
static void test_accept_short(void)
{
	const struct la_event *ev;
	const struct la_item *it;
	struct kt_run r;
	const char *b;

	if (kt_run(&r, "kt-accept-short", body_accept, NULL))
		return;
	KT_CHILD_OK(&r);
	b = r.sh->buf;
	KT_EQ(r.sh->v[5], 12);
	KT_EQ(*(const int *)LEN(b, 3), 16);
	KT_ASSERT(!memcmp(PEER(b, 3), CLIENT(b, 3), 4));
	KT_REC(ev, &r, r.pid, SYS_accept4, 2);
	KT_SYS(ev, SYS_accept4, 3, PEER(b, 3), LEN(b, 3), 0, 0, 0, 12);
	it = kt_item(ev, LA_IT_PEER);
	KT_ASSERT_FATAL(it != NULL);
	KT_ASSERT(it->len <= 4 || memcmp(wire_payload(it) + 4, PEER(b, 3) + 4, it->len - 4));
	KT_ITEMS(ev, LA_F_TRUNC, KT_IT(LA_IT_PEER, 1, LA_IF_TRUNC, CLIENT(b, 3), 4));
}

void ktest_register_accept(void)
{
	CU_pSuite s = kt_suite("accept");

	kt_test(s, "accept, accept4: the peer address, none on failure", test_accept);
	kt_test(s, "accept4 into a buffer shorter than the address", test_accept_short);
}
