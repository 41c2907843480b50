#!/usr/bin/env bash
# Debian's real audisp-syslog (package audispd-plugins) as a lauditd plugin:
# the events of a workload arrive as syslog lines, each of its reads once, and
# nothing loops.  lauditd runs in a private mount namespace with a tmpfs over
# /dev, whose /dev/log is a unix datagram socket bound by a second plugin
# written for the test (logread): as lauditd's plugin it is left out of capture
# as audisp-syslog is, so that what it receives is what audisp-syslog sent,
# and nothing it does makes events.  The machine's /dev is never touched.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
O=${1:-build}
t_skip_unless_root "syslog_test"
for t in unshare python3 mknod; do
	command -v $t > /dev/null || {
		echo "FAIL: $t is not installed"
		exit 1
	}
done
[ -x /sbin/audisp-syslog ] || {
	echo "FAIL: /sbin/audisp-syslog is not installed (make deps: audispd-plugins)"
	exit 1
}

dir=$(mktemp -d)
cleanup() {
	[ -n "${LA_PID:-}" ] && kill -9 "$LA_PID" 2> /dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

# the syslog reader, tests/compat/logread.py (binds /dev/log; OUT READY)
install -m 0750 "$here/logread.py" "$dir/logread"
run=$dir/run
mkdir -p "$run/plugins.d"
# started in the order of their names: the socket is bound first
cat > "$run/plugins.d/00-logread.conf" <<- EOF2
	active = yes
	direction = out
	path = $dir/logread
	type = always
	args = $run/syslog $run/ready
	format = string
EOF2
# Debian's /etc/audit/plugins.d/syslog.conf, made active
sed 's/^active = .*/active = yes/' /etc/audit/plugins.d/syslog.conf > "$run/plugins.d/syslog.conf" 2> /dev/null ||
	printf 'active = yes\ndirection = out\npath = /sbin/audisp-syslog\ntype = always\nargs = LOG_INFO\nformat = string\n' > "$run/plugins.d/syslog.conf"
chmod 0640 "$run/plugins.d/"*.conf
assert_eq "the syslog plugin file runs /sbin/audisp-syslog" 1 \
	"$(grep -c '^path = /sbin/audisp-syslog' "$run/plugins.d/syslog.conf")"
cat > "$dir/ns-lauditd" <<- EOF2
	#!/bin/sh
	exec unshare -m --propagation private sh -c 'mount -t tmpfs -o mode=0755 tmpfs /dev &&
		mknod -m 0666 /dev/null c 1 3 && mknod -m 0666 /dev/zero c 1 5 &&
		mknod -m 0666 /dev/urandom c 1 9 && exec "\$0" "\$@"' "$(cd "$(dirname "$O/lauditd")" && pwd)/lauditd" "\$@"
EOF2
chmod 0755 "$dir/ns-lauditd"
LAUDITD=$dir/ns-lauditd
la_start "$run" "max_log_file = 0" "disp_qos = lossless" || exit 1
for _ in $(seq 1 100); do
	[ -e "$run/ready" ] && break
	sleep 0.1
done
assert_eq "logread bound the namespace's /dev/log" yes "$([ -e "$run/ready" ] && echo yes || echo no)"
assert_eq "the machine's /dev/log is not the namespace's" no \
	"$([ -S /dev/log ] && [ "$(stat -c %i /dev/log)" = "$(nsenter -t "$LA_PID" -m stat -c %i /dev/log 2> /dev/null)" ] && echo yes || echo no)"
sleep 0.5

# the workload's syslog lines: its reads (syscall 0), one line each (at most 30 s)
lines() { # PID SYSCALL
	grep -ac "audisp-syslog.*type=SYSCALL msg=audit([0-9.:]*): arch=c000003e syscall=$2 .* pid=$1 " "$run/syslog"
}
wait_lines() { # PID SYSCALL EXPECTED
	local n=0 _
	for _ in $(seq 1 300); do
		n=$(lines "$1" "$2")
		[ "$n" -ge "$3" ] && break
		sleep 0.1
	done
	echo "$n"
}
pid=$("$O/tests/compat/workload" 3000 20 5)
assert_eq "the workload's 3000 reads, as syslog lines" 3000 "$(wait_lines "$pid" 0 3000)"
sleep 1
assert_eq "and in lauditd's log" 3000 \
	"$(grep -ac "^type=SYSCALL msg=audit([0-9.:]*): arch=c000003e syscall=0 .* pid=$pid " "$run/log/audit.log")"
assert_eq "its openat calls: the log's, each once" \
	"$(grep -ac "^type=SYSCALL .* syscall=257 .* pid=$pid " "$run/log/audit.log")" "$(lines "$pid" 257)"
assert_eq "its records, each once: the log's lines of it" \
	"$(grep -ac " pid=$pid " "$run/log/audit.log")" \
	"$(grep -a "audisp-syslog" "$run/syslog" | grep -ac " pid=$pid ")"

# no loop: the plugins' own syscalls make no event, so no line comes back to
# them; what other processes of the machine do meanwhile is logged, and sent,
# once (their lines are the log's records)
plugins=$(pgrep -P "$LA_PID" | tr '\n' ' ')
assert_eq "two plugins run" 2 "$(echo $plugins | wc -w)"
n=0
m=0
for p in $plugins; do
	n=$((n + $(grep -ac "^type=SYSCALL .* pid=$p " "$run/log/audit.log")))
	m=$((m + $(grep -ac "type=SYSCALL .* pid=$p " "$run/syslog")))
done
assert_eq "none of the plugins' syscalls in the log ($plugins)" 0 "$n"
assert_eq "none of them in the syslog lines" 0 "$m"
assert_eq "no syslog line of audisp-syslog's syscalls (any instance)" 0 \
	"$(grep -ac 'exe="\(/usr\)\?/sbin/audisp-syslog"' "$run/syslog")"
l0=$(grep -avc 'type=EOE ' "$run/syslog")
r0=$(grep -ac '^type=' "$run/log/audit.log")
sleep 2
echo "syslog: $(wc -l < "$run/syslog") lines; in 2 idle seconds, the machine's other processes:" \
	"$(($(grep -avc 'type=EOE ' "$run/syslog") - l0)) lines (EOE left out), $(($(grep -ac '^type=' "$run/log/audit.log") - r0)) records in the log"
la_stop
assert_eq "lauditd exits 0" 0 "$LA_RC"
t_done
