/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Running as the machine's audit daemon: the pid file, the readiness
 * notification to systemd, and the check that this kernel and these
 * privileges can load the eBPF programs, done before loading them.
 */
#ifndef LAUDITD_LOGGER_SERVICE_H
#define LAUDITD_LOGGER_SERVICE_H

#include <stddef.h>

#define SERVICE_PIDFILE "/run/lauditd.pid"

/*
 * service_check_bpf() - whether the programs can be loaded here: a kernel of 5.8 or
 * later, its BTF in /sys/kernel/btf/vmlinux, no lockdown in confidentiality mode,
 * CAP_BPF with CAP_PERFMON (or CAP_SYS_ADMIN) in the effective set, and tracefs
 * mounted or CAP_SYS_ADMIN to mount it.
 * @why, @size: filled with what is missing when it cannot.
 *
 * Return: 0, or -ENOSYS (kernel, BTF), -EPERM (lockdown, capabilities).
 */
int service_check_bpf(char *why, size_t size);

/*
 * service_pidfile_write() - write this process's pid to @path.
 *
 * Return: 0, or a negative errno.
 */
int service_pidfile_write(const char *path);

/*
 * service_pidfile_remove() - remove @path if it holds this process's pid.
 */
void service_pidfile_remove(const char *path);

/*
 * service_notify() - tell the service manager @state ("READY=1", "STOPPING=1")
 * when it started lauditd with Type=notify; nothing otherwise.
 */
void service_notify(const char *state);

#endif /* LAUDITD_LOGGER_SERVICE_H */
