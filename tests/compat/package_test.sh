#!/usr/bin/env bash
# The Debian package: `make deb` builds it; dpkg -i installs the programs, the
# man pages, the unit and the configuration as conffiles; lauditd -t passes on
# the installed configuration; the installed daemon, started as the unit's
# ExecStart line starts it (with the unit's capability bounding set), logs and
# stops; dpkg -r keeps the conffiles, dpkg -P removes them, and the machine is
# left as it was found.  The daemon's log directory is a tmpfs in a mount
# namespace of its own, so that the machine's /var/log is never written.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
O=${1:-build}
t_skip_unless_root "package_test"
for c in dpkg-buildpackage dh unshare setpriv; do
	if ! command -v "$c" >/dev/null; then
		echo "SKIPPED: package_test needs $c (make deps)"
		exit 0
	fi
done
if dpkg-query -W -f='${Status}' lauditd 2>/dev/null | grep -q installed; then
	echo "SKIPPED: package_test: the lauditd package is installed on this machine"
	exit 0
fi
for f in /etc/lauditd /run/lauditd.pid; do
	if [ -e "$f" ]; then
		echo "SKIPPED: package_test: $f exists (the package would take it over)"
		exit 0
	fi
done

tmp=$(mktemp -d)
policy=/usr/sbin/policy-rc.d
made_policy=
cleanup() {
	local pid
	pid=$(cat "$tmp/daemon.pid" 2>/dev/null)
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	dpkg-query -W lauditd >/dev/null 2>&1 && dpkg -P lauditd >/dev/null 2>&1
	[ -n "$made_policy" ] && rm -f "$policy"
	rm -rf "$tmp"
}
trap cleanup EXIT

# What the package may touch, listed before and after.
snapshot() {
	find /etc/lauditd /etc/systemd/system /var/lib/systemd/deb-systemd-helper-enabled \
		/var/lib/systemd/deb-systemd-helper-masked /lib/systemd/system/lauditd.service \
		/usr/sbin /usr/share/man/man5 /usr/share/man/man8 /usr/share/doc/lauditd \
		/var/log/lauditd /run/lauditd.pid 2>/dev/null | sort
}

if ! make --no-print-directory O="$O" deb > "$tmp/build.log" 2>&1; then
	tail -30 "$tmp/build.log"
	assert_eq "make deb" 0 1
	t_done
fi
deb=$(ls "$O"/deb/lauditd_*.deb 2>/dev/null | head -1)
assert_eq "make deb: a package" yes "$([ -f "$deb" ] && echo yes)"

snapshot > "$tmp/before"
# Where systemd runs, the postinst would start the service (and stop auditd):
# a policy-rc.d that refuses, unless the machine has its own.
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && made_policy=1
fi

dpkg -i "$deb" > "$tmp/dpkg.log" 2>&1
assert_eq "dpkg -i" 0 "$?"
missing=
for f in /usr/sbin/lauditd /usr/sbin/lausearch /usr/share/man/man8/lauditd.8.gz \
	/usr/share/man/man8/lausearch.8.gz /usr/share/man/man5/lauditd.conf.5.gz \
	/usr/share/man/man5/lauditd.rules.5.gz /etc/lauditd/lauditd.conf \
	/etc/lauditd/rules.d/audit.rules /lib/systemd/system/lauditd.service; do
	[ -f "$f" ] || missing="$missing $f"
done
assert_eq "installed files" "" "$missing"
assert_eq "configuration modes" "640 640" \
	"$(stat -c %a /etc/lauditd/lauditd.conf /etc/lauditd/rules.d/audit.rules | xargs)"
conffiles=$(dpkg-query -W -f='${Conffiles}\n' lauditd | awk 'NF { print $1 }' | xargs)
assert_eq "conffiles" "/etc/lauditd/lauditd.conf /etc/lauditd/rules.d/audit.rules" "$conffiles"
out=$(/usr/sbin/lauditd -t 2>&1)
assert_eq "lauditd -t on the installed configuration: exit" 0 "$?"
assert_eq "lauditd -t on the installed configuration: no rules, as Debian's auditd" \
	"No rules" "$out"
unit=/lib/systemd/system/lauditd.service
if command -v systemd-analyze >/dev/null; then
	out=$(systemd-analyze verify --man=no "$unit" 2>&1)
	assert_eq "systemd-analyze verify lauditd.service" "0 " "$? $out"
fi

# The unit's ExecStart line, with its CapabilityBoundingSet and NoNewPrivileges.
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit" | tr 'A-Z' 'a-z' |
	sed -e 's/cap_/+/g' -e 's/ /,/g')
log_file=$(sed -n 's/^log_file[[:space:]]*=[[:space:]]*//p' /etc/lauditd/lauditd.conf)
top=$(dirname "$log_file")
while [ ! -d "$top" ]; do top=$(dirname "$top"); done
# shellcheck disable=SC2016
unshare -m --propagation private bash -c '
	mount -t tmpfs -o mode=0755 lauditd-test "$1" || exit 1
	setpriv --no-new-privs --bounding-set=-all,"$3" $4 2> "$2/daemon.stderr" &
	d=$!
	echo $d > "$2/daemon.pid"
	for i in $(seq 1 300); do
		grep -q DAEMON_START "$5" 2>/dev/null && break
		kill -0 $d 2>/dev/null || break
		sleep 0.1
	done
	cat /run/lauditd.pid > "$2/pidfile" 2>/dev/null
	grep CapEff /proc/$d/status > "$2/capeff" 2>/dev/null
	cat /etc/lauditd/lauditd.conf > /dev/null
	sleep 0.5
	kill -TERM $d
	wait $d
	echo $? > "$2/daemon.rc"
	cp "$5" "$2/audit.log"
' _ "$top" "$tmp" "$caps" "$exec_start" "$log_file"
pid=$(cat "$tmp/daemon.pid" 2>/dev/null)
assert_eq "the daemon wrote its pid file" "$pid" "$(cat "$tmp/pidfile" 2>/dev/null)"
assert_eq "the installed daemon stopped on SIGTERM: exit" 0 \
	"$(cat "$tmp/daemon.rc" 2>/dev/null)"
assert_eq "it logged DAEMON_START" 1 "$(grep -c '^type=DAEMON_START ' "$tmp/audit.log" 2>/dev/null)"
assert_eq "it logged the syscalls of others" yes \
	"$(grep -q '^type=SYSCALL .* comm="cat" exe="/usr/bin/cat"' "$tmp/audit.log" && echo yes)"
assert_eq "it logged DAEMON_END" 1 "$(grep -c '^type=DAEMON_END ' "$tmp/audit.log" 2>/dev/null)"
assert_eq "no daemon left" gone "$(kill -0 "$pid" 2>/dev/null || echo gone)"
assert_eq "no pid file left" gone "$([ -e /run/lauditd.pid ] || echo gone)"
[ "$T_FAIL" = 0 ] || cat "$tmp/daemon.stderr"

dpkg -r lauditd > "$tmp/dpkg.log" 2>&1
assert_eq "dpkg -r" 0 "$?"
assert_eq "dpkg -r: the programs gone, the conffiles kept" "gone kept" \
	"$([ -e /usr/sbin/lauditd ] || echo gone) $([ -f /etc/lauditd/lauditd.conf ] && echo kept)"
dpkg -P lauditd > "$tmp/dpkg.log" 2>&1
assert_eq "dpkg -P" 0 "$?"
[ -n "$made_policy" ] && rm -f "$policy" && made_policy=
snapshot > "$tmp/after"
assert_eq "the machine as it was found" "" "$(diff "$tmp/before" "$tmp/after")"
t_done
