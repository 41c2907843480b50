#!/usr/bin/env bash
# The Debian package: `make deb` builds it, lintian finds nothing the overrides
# do not explain; dpkg -i installs the programs, the man pages, the unit and the
# configuration as conffiles, the rules as Debian's auditd ships them; lauditd -t
# passes on the installed configuration; systemd-analyze verifies the unit and
# rates it as the README says.  The installed daemon, started as the unit's
# ExecStart line starts it (with the unit's capability bounding set and a
# NOTIFY_SOCKET), tells READY=1, writes its pid file, answers lauditctl, logs,
# reloads on the unit's ExecReload line, rotates on SIGUSR1 and stops; without
# CAP_BPF it exits 1 naming what is missing, on stderr and to syslog.  dpkg -r
# keeps the conffiles, dpkg -P removes them and keeps the logs, and the machine
# is left as it was found.  The log directory the daemon and dpkg -P see is one
# of the test's, bound over /var/log/lauditd in mount namespaces of their own,
# so that the machine's logs are never written; so is the /dev with a /dev/log
# that the daemon without CAP_BPF sees.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
O=${1:-build}
t_skip_unless_root "package_test"
for c in dpkg-buildpackage dh unshare setpriv perl lz4cat; do
	if ! command -v "$c" >/dev/null; then
		echo "SKIPPED: package_test needs $c (make deps)"
		exit 0
	fi
done
if dpkg-query -W -f='${Status}' lauditd 2>/dev/null | grep -q installed; then
	echo "SKIPPED: package_test: the lauditd package is installed on this machine"
	exit 0
fi
for f in /etc/lauditd /run/lauditd.pid /run/lauditd.sock; do
	if [ -e "$f" ]; then
		echo "SKIPPED: package_test: $f exists (the package would take it over)"
		exit 0
	fi
done

tmp=$(mktemp -d)
policy=/usr/sbin/policy-rc.d
made_policy=
made_logdir=
logdir=/var/log/lauditd
listeners=
cleanup() {
	local pid
	pid=$(cat "$tmp/daemon.pid" 2>/dev/null)
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	for pid in $listeners; do kill "$pid" 2>/dev/null; done
	dpkg-query -W lauditd >/dev/null 2>&1 && dpkg -P lauditd >/dev/null 2>&1
	[ -n "$made_policy" ] && rm -f "$policy"
	[ -n "$made_logdir" ] && rmdir "$logdir" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# What the package may touch, listed before and after.
snapshot() {
	find /etc/lauditd /etc/systemd/system /var/lib/systemd/deb-systemd-helper-enabled \
		/var/lib/systemd/deb-systemd-helper-masked /lib/systemd/system/lauditd.service \
		/usr/sbin /usr/share/man/man5 /usr/share/man/man8 /usr/share/doc/lauditd \
		/usr/share/lintian/overrides/lauditd "$logdir" /run/lauditd.pid \
		/run/lauditd.sock 2>/dev/null | sort
}

# listen SOCKET FILE: each datagram to SOCKET (syslog's, systemd's notification)
# appended to FILE as a line, until the listener is killed.
listen() {
	rm -f "$1" && : > "$2"
	perl -MSocket -e '
		socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die "socket: $!";
		bind($s, pack_sockaddr_un($ARGV[0])) or die "bind $ARGV[0]: $!";
		open(my $o, ">>", $ARGV[1]) or die "$ARGV[1]: $!";
		select((select($o), $| = 1)[0]);
		while (defined(recv($s, my $m, 65536, 0))) { print $o "$m\n"; }
	' "$1" "$2" &
	listeners="$listeners $!"
	for _ in $(seq 1 50); do
		[ -S "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# wait_for COMMAND...: until it succeeds, 30 s at most.
wait_for() {
	for _ in $(seq 1 300); do
		"$@" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

if ! make --no-print-directory O="$O" deb > "$tmp/build.log" 2>&1; then
	tail -30 "$tmp/build.log"
	assert_eq "make deb" 0 1
	t_done
fi
deb=$(ls "$O"/deb/lauditd_*.deb 2>/dev/null | head -1)
assert_eq "make deb: a package" yes "$([ -f "$deb" ] && echo yes)"
if command -v lintian >/dev/null; then
	out=$(lintian --fail-on warning,error "$deb" 2>&1)
	rc=$?
	out=$(printf '%s\n' "$out" | grep -v '^running with root privileges')
	assert_eq "lintian: nothing but the overrides" "0 " "$rc $out"
else
	echo "package_test: no lintian: the package is not checked (make deps)"
fi

snapshot > "$tmp/before"
# Where systemd runs, the postinst would start the service (and stop auditd):
# a policy-rc.d that refuses, unless the machine has its own.
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && made_policy=1
fi

dpkg -i "$deb" > "$tmp/dpkg.log" 2>&1
assert_eq "dpkg -i" 0 "$?"
missing=
for f in /usr/sbin/lauditd /usr/sbin/lauditctl /usr/sbin/lausearch /usr/sbin/laureport \
	/usr/share/man/man8/lauditd.8.gz /usr/share/man/man8/lauditctl.8.gz \
	/usr/share/man/man8/lausearch.8.gz /usr/share/man/man8/laureport.8.gz \
	/usr/share/man/man5/lauditd.conf.5.gz /usr/share/man/man5/lauditd.rules.5.gz \
	/etc/lauditd/lauditd.conf /etc/lauditd/rules.d/audit.rules \
	/lib/systemd/system/lauditd.service; do
	[ -f "$f" ] || missing="$missing $f"
done
assert_eq "installed files" "" "$missing"
assert_eq "configuration modes" "640 640" \
	"$(stat -c %a /etc/lauditd/lauditd.conf /etc/lauditd/rules.d/audit.rules | xargs)"
conffiles=$(dpkg-query -W -f='${Conffiles}\n' lauditd | awk 'NF { print $1 }' | xargs)
assert_eq "conffiles" "/etc/lauditd/lauditd.conf /etc/lauditd/rules.d/audit.rules" "$conffiles"
# Debian's auditd rules, read where the machine still has them as shipped
au=/etc/audit/rules.d/audit.rules
au_md5=$(dpkg-query -W -f='${Conffiles}\n' auditd 2>/dev/null | awk -v f="$au" '$1 == f { print $2 }')
if [ -n "$au_md5" ] && [ "$(md5sum < "$au" 2>/dev/null | cut -d' ' -f1)" = "$au_md5" ]; then
	assert_eq "rules.d/audit.rules: the lines of Debian auditd's default" \
		"$(grep -v '^#' "$au" | grep .)" \
		"$(grep -v '^#' /etc/lauditd/rules.d/audit.rules | grep .)"
fi
out=$(/usr/sbin/lauditd -t 2>&1)
assert_eq "lauditd -t on the installed configuration: exit" 0 "$?"
assert_eq "lauditd -t on the installed configuration: no rules, as Debian's auditd" \
	"No rules" "$out"
unit=/lib/systemd/system/lauditd.service
if command -v systemd-analyze >/dev/null; then
	out=$(systemd-analyze verify --man=no "$unit" 2>&1)
	assert_eq "systemd-analyze verify lauditd.service" "0 " "$? $out"
	score=$(systemd-analyze security --offline=true "$unit" 2>/dev/null |
		sed -n 's/.*Overall exposure level for lauditd.service: \([0-9.]*\) .*/\1/p')
	assert_eq "systemd-analyze security lauditd.service: the README's score" 3.2 "$score"
else
	echo "package_test: no systemd-analyze: the unit is not verified (make deps)"
fi
unit_key() { sed -n "s/^$1=//p" "$unit"; }
assert_eq "the unit's pid file" /run/lauditd.pid "$(unit_key PIDFile)"
assert_eq "the unit: started as auditd's is, in its place" \
	"notify|no|sysinit.target shutdown.target|auditd.service shutdown.target" \
	"$(unit_key Type)|$(unit_key DefaultDependencies)|$(unit_key Before)|$(unit_key Conflicts)"

# The unit's ExecStart line, with its CapabilityBoundingSet and NoNewPrivileges,
# and a NOTIFY_SOCKET as systemd gives it.
exec_start=$(unit_key ExecStart)
exec_reload=$(unit_key ExecReload)
caps=$(unit_key CapabilityBoundingSet | tr '[:upper:]' '[:lower:]' | sed -e 's/cap_/+/g' -e 's/ /,/g')
log_file=$(sed -n 's/^log_file[[:space:]]*=[[:space:]]*//p' /etc/lauditd/lauditd.conf)
assert_eq "the installed log directory" "$logdir" "$(dirname "$log_file")"
if [ ! -d "$logdir" ]; then
	mkdir "$logdir" && made_logdir=1
fi
mkdir "$tmp/log"
listen "$tmp/notify.sock" "$tmp/notify"
# shellcheck disable=SC2016
unshare -m --propagation private bash -c '
	t=$1 logdir=$2
	mount --bind "$t/log" "$logdir" || exit 1
	NOTIFY_SOCKET=$t/notify.sock setpriv --no-new-privs --bounding-set=-all,"$3" $4 \
		2> "$t/daemon.stderr" &
	d=$!
	echo $d > "$t/daemon.pid"
	up() { grep -q "^lauditd: capturing" "$t/daemon.stderr" && grep -qx READY=1 "$t/notify"; }
	for i in $(seq 1 300); do
		up 2>/dev/null && break
		kill -0 $d 2>/dev/null || break
		sleep 0.1
	done
	cat /run/lauditd.pid > "$t/pidfile" 2>/dev/null
	grep CapEff /proc/$d/status > "$t/capeff" 2>/dev/null
	/usr/sbin/lauditctl -l > "$t/lauditctl" 2>&1
	cat /etc/lauditd/lauditd.conf > /dev/null
	# systemctl reload: the unit'\''s ExecReload line
	${5//\$MAINPID/$d}
	for i in $(seq 1 300); do
		grep -q "^lauditd: configuration reloaded" "$t/daemon.stderr" && break
		sleep 0.1
	done
	# systemctl kill -s USR1 lauditd (the machine'\''s load may rotate on size as well)
	segments() { ls "$logdir" | grep -c "^audit\.log\.[0-9]"; }
	n=$(segments)
	kill -USR1 $d
	for i in $(seq 1 300); do
		[ "$(segments)" -gt "$n" ] && break
		sleep 0.1
	done
	[ "$(segments)" -gt "$n" ] && echo yes > "$t/rotated"
	sleep 0.5
	kill -TERM $d
	wait $d
	echo $? > "$t/daemon.rc"
	ls "$logdir" > "$t/logs"
' _ "$tmp" "$logdir" "$caps" "$exec_start" "$exec_reload"
pid=$(cat "$tmp/daemon.pid" 2>/dev/null)
assert_eq "READY=1, then STOPPING=1, to NOTIFY_SOCKET" "READY=1 STOPPING=1" \
	"$(xargs < "$tmp/notify")"
assert_eq "the daemon wrote its pid file" "$pid" "$(cat "$tmp/pidfile" 2>/dev/null)"
assert_eq "the daemon's capabilities: the unit's bounding set" \
	"$(setpriv --bounding-set=-all,"$caps" grep CapEff /proc/self/status)" \
	"$(cat "$tmp/capeff" 2>/dev/null)"
assert_eq "lauditctl -l: the installed rules" "No rules" "$(cat "$tmp/lauditctl")"
assert_eq "the installed daemon stopped on SIGTERM: exit" 0 \
	"$(cat "$tmp/daemon.rc" 2>/dev/null)"
assert_eq "SIGUSR1 rotated the log" yes "$(cat "$tmp/rotated" 2>/dev/null)"
# the segments, oldest first: audit.log.K (lz4-compressed once closed) .. audit.log.1, audit.log
k=$(grep -c '^audit\.log\.[0-9]' "$tmp/logs")
: > "$tmp/all.log"
for i in $(seq "$k" -1 1); do
	f=$tmp/log/audit.log.$i
	if [ -f "$f.lz4" ]; then lz4cat "$f.lz4"; else cat "$f"; fi >> "$tmp/all.log" 2>/dev/null
done
cat "$tmp/log/audit.log" >> "$tmp/all.log" 2>/dev/null
assert_eq "a DAEMON_ROTATE for each closed segment" "$k" \
	"$(grep -c '^type=DAEMON_ROTATE ' "$tmp/all.log")"
assert_eq "the daemon's records: start, reload, end" "DAEMON_START DAEMON_CONFIG DAEMON_END" \
	"$(sed -n 's/^type=\(DAEMON_[A-Z]*\) .*/\1/p' "$tmp/all.log" | grep -v ROTATE | xargs)"
assert_eq "it logged the syscalls of others" yes \
	"$(grep -q '^type=SYSCALL .* comm="cat" exe="/usr/bin/cat"' "$tmp/all.log" && echo yes)"
assert_eq "no daemon left" gone "$(kill -0 "$pid" 2>/dev/null || echo gone)"
assert_eq "no pid file or socket left" "gone gone" \
	"$([ -e /run/lauditd.pid ] || echo gone) $([ -e /run/lauditd.sock ] || echo gone)"
[ "$T_FAIL" = 0 ] || cat "$tmp/daemon.stderr"

# Without CAP_BPF and CAP_PERFMON: exit 1, the reason on stderr and to syslog
# (stderr is neither a terminal nor the journal).
nobpf=$(echo "$caps" | sed -e 's/+bpf,\?//' -e 's/+perfmon,\?//' -e 's/,$//')
listen "$tmp/syslog.sock" "$tmp/syslog"
# shellcheck disable=SC2016
unshare -m --propagation private bash -c '
	mount -t tmpfs -o mode=0755 lauditd-test /dev || exit 2
	ln -s "$1/syslog.sock" /dev/log
	exec setpriv --no-new-privs --bounding-set=-all,"$2" /usr/sbin/lauditd -f 2> "$1/nobpf"
' _ "$tmp" "$nobpf"
rc=$?
why="cannot load the eBPF programs: missing capabilities: CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)"
assert_eq "without CAP_BPF: exit" 1 "$rc"
assert_eq "without CAP_BPF: on stderr" "lauditd: $why" "$(cat "$tmp/nobpf")"
wait_for grep -q . "$tmp/syslog"
assert_eq "without CAP_BPF: to syslog, critical" yes \
	"$(grep -qE "^<26>.* lauditd\[[0-9]+\]: $(printf '%s' "$why" | sed 's/[()]/\\&/g')\$" \
		"$tmp/syslog" && echo yes)"
assert_eq "without CAP_BPF: no pid file or socket left" "gone gone" \
	"$([ -e /run/lauditd.pid ] || echo gone) $([ -e /run/lauditd.sock ] || echo gone)"

dpkg -r lauditd > "$tmp/dpkg.log" 2>&1
assert_eq "dpkg -r" 0 "$?"
assert_eq "dpkg -r: the programs gone, the conffiles kept" "gone kept" \
	"$([ -e /usr/sbin/lauditd ] || echo gone) $([ -f /etc/lauditd/lauditd.conf ] && echo kept)"
# dpkg -P sees the daemon's logs where the daemon wrote them
# shellcheck disable=SC2016
unshare -m --propagation private bash -c '
	mount --bind "$1" "$2" && dpkg -P lauditd
' _ "$tmp/log" "$logdir" > "$tmp/dpkg.log" 2>&1
assert_eq "dpkg -P" 0 "$?"
assert_eq "dpkg -P: the logs kept, as auditd's package keeps /var/log/audit" \
	"$(xargs < "$tmp/logs")" "$(cd "$tmp/log" && echo *)"
[ -n "$made_policy" ] && rm -f "$policy" && made_policy=
[ -n "$made_logdir" ] && rmdir "$logdir" && made_logdir=
snapshot > "$tmp/after"
assert_eq "the machine as it was found" "" "$(diff "$tmp/before" "$tmp/after")"
t_done
