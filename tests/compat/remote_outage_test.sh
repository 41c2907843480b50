#!/usr/bin/env bash
# Debian's real audisp-remote (package audispd-plugins) as a lauditd plugin,
# sending to a real auditd on a loopback port, and that auditd stopped (by its
# pid) for 10 seconds, then started again with the same configuration on the
# same port: a workload's reads before, during and after the outage are counted
# at the central log by pid and syscall, against lauditd's own log, and
# audisp-remote's own syslog messages are counted (a plugin written for the
# test binds the namespace's /dev/log).  lauditd runs in a private mount
# namespace with a tmpfs over /etc/audit (audisp-remote reads only
# /etc/audit/audisp-remote.conf) and one over /dev: the machine's own are never
# touched.  Usage: remote_outage_test.sh [BUILD] [CONFIGS]: "default"
# (Debian's /etc/audit/audisp-remote.conf: mode = immediate, queue_depth =
# 10240, network_failure_action = stop, remote_ending_action = reconnect),
# "large" (the same with queue_depth = 1000000) and "forward" (the default with
# mode = forward: its queue in a file); default and large when not given.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/../../bench/lib.sh"
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
O=${1:-build}
CONFIGS=${2:-default large}
t_skip_unless_root "remote_outage_test"
# shellcheck source=tests/compat/remote_lib.sh
. "$here/remote_lib.sh"
remote_prereq remote_outage_test python3 mknod

LA_PID=
bench_init
REAL_LAUDITD=$B_LAUDITD
dir=$B_TMP

# lauditd, then the central auditd and the kernel's audit state (remote_lib.sh)
trap r_cleanup EXIT

# central_start: the central auditd, for the network only (no rules, the
# kernel's state unchanged) on $port, logging to $ad/log, started by the
# plugin "central" (below) so that lauditd does not capture it: captured, each
# record it writes would come back to it as more events, without end, and that
# flood, not the workload, would fill audisp-remote's queue
central_start() {
	local _
	rm -f "$ad/pid"
	timeout 5 sh -c 'echo start > "$1"' sh "$ad/fifo"
	for _ in $(seq 1 100); do
		[ -s "$ad/pid" ] && ss -ltn 2> /dev/null | grep -q ":$port " && break
		sleep 0.1
	done
	B_LOGGER_PID=$(cat "$ad/pid" 2> /dev/null)
	B_LOGGER_KIND=auditd
	assert_eq "[$cfg] the central auditd (pid $B_LOGGER_PID) listens on 127.0.0.1:$port" 1 "$(ss -ltn | grep -c ":$port ")"
}
central_stop() { # SIGNAL [gone]
	local _
	kill "-$1" "$B_LOGGER_PID"
	for _ in $(seq 1 100); do
		# a zombie while the plugin that started it lives, else reaped
		grep -q '^State:.*[ZX]' "/proc/$B_LOGGER_PID/status" 2> /dev/null && [ -z "${2:-}" ] && break
		[ ! -e "/proc/$B_LOGGER_PID" ] && break
		sleep 0.1
	done
	assert_eq "[$cfg] the central auditd stopped (SIG$1)" 0 "$(ss -ltn | grep -c ":$port ")"
	B_LOGGER_PID=
}

# central DIR (a plugin): reads its events and drops them; "start" on DIR/fifo
# starts an auditd on DIR/etc (its pid to DIR/pid).  One process, that forks
# only when told to: lauditd leaves out of capture what its plugins fork once
# capture has begun (what they forked before is captured)
cat > "$dir/central" <<- 'EOF'
	#!/usr/bin/python3
	import os, shutil, subprocess, sys, threading
	d = sys.argv[1]
	def events():
	    while os.read(0, 1 << 16):
	        pass
	    os._exit(0)
	threading.Thread(target=events, daemon=True).start()
	fifo = os.fdopen(os.open(d + "/fifo", os.O_RDWR), "r")
	for cmd in fifo:
	    if cmd.strip() == "start":
	        err = open(d + "/stderr", "a")
	        a = subprocess.Popen([shutil.which("auditd", path="/usr/sbin:/sbin"), "-n", "-s", "nochange", "-c", d + "/etc"],
	                             stdin=subprocess.DEVNULL, stdout=err, stderr=err)
	        with open(d + "/pid.tmp", "w") as f:
	            f.write("%d\n" % a.pid)
	        os.rename(d + "/pid.tmp", d + "/pid")
EOF
chmod 0750 "$dir/central"

# the workload's reads at the central log (waits at most $2 tenths of a second
# for $3 of them)
central_reads() { # PID TENTHS EXPECTED
	local n=0 _
	for _ in $(seq 1 "$2"); do
		n=$(grep -ac "^node=sender-1 type=SYSCALL msg=audit([0-9.:]*): arch=c000003e syscall=0 .* pid=$1 " "$ad/log/audit.log")
		[ "$n" -ge "$3" ] && break
		sleep 0.1
	done
	echo "$n"
}
local_reads() { # PID
	grep -ac "^node=sender-1 type=SYSCALL msg=audit([0-9.:]*): arch=c000003e syscall=0 .* pid=$1 " "$la/log/audit.log"
}

# the syslog reader, tests/compat/logread.py (binds /dev/log; OUT READY)
install -m 0750 "$here/logread.py" "$dir/logread"

run_config() { # NAME
	local cfg=$1 p0 p1 p2 t0 ms n0 n1 n2 first restart nl nc missing runs mreads extra queued full held depth=10240
	[ "$cfg" = large ] && depth=1000000
	port=$((61000 + RANDOM % 2000))
	ad=$dir/$cfg-central
	central_conf "$ad" "$port"
	mkfifo -m 0600 "$ad/fifo"

	la=$dir/$cfg-sender
	mkdir -p "$la/plugins.d" "$la/etc-audit"
	cat > "$la/plugins.d/00-logread.conf" <<- EOF
		active = yes
		direction = out
		path = $dir/logread
		type = always
		args = $la/syslog $la/ready
		format = string
	EOF
	cat > "$la/plugins.d/01-central.conf" <<- EOF
		active = yes
		direction = out
		path = $dir/central
		type = always
		args = $ad
		format = string
	EOF
	cat > "$la/plugins.d/au-remote.conf" <<- EOF
		active = yes
		direction = out
		path = /sbin/audisp-remote
		type = always
		format = string
	EOF
	# Debian's /etc/audit/audisp-remote.conf as the package ships it, with the
	# server, the port and a queue file of the test's
	{
		echo "remote_server = 127.0.0.1"
		echo "port = $port"
		echo "queue_file = $la/remote.queue"
		case $cfg in
		forward) echo "mode = forward" ;;
		*) echo "mode = immediate" ;;
		esac
		echo "queue_depth = $depth"
		cat <<- EOF
			transport = tcp
			format = managed
			network_retry_time = 1
			max_tries_per_record = 3
			max_time_per_record = 5
			heartbeat_timeout = 0
			network_failure_action = stop
			disk_low_action = ignore
			disk_full_action = warn_once
			disk_error_action = warn_once
			remote_ending_action = reconnect
			generic_error_action = syslog
			generic_warning_action = syslog
			queue_error_action = stop
			overflow_action = syslog
			startup_failure_action = warn_once_continue
		EOF
	} > "$la/etc-audit/audisp-remote.conf"
	chmod 0640 "$la/plugins.d/"*.conf "$la/etc-audit/audisp-remote.conf"
	cat > "$dir/ns-lauditd" <<- EOF
		#!/bin/sh
		exec unshare -m --propagation private sh -c 'mount -t tmpfs -o mode=0750 tmpfs /etc/audit &&
			cp -p "$la/etc-audit/audisp-remote.conf" /etc/audit/ &&
			mount -t tmpfs -o mode=0755 tmpfs /dev &&
			mknod -m 0666 /dev/null c 1 3 && mknod -m 0666 /dev/zero c 1 5 &&
			mknod -m 0666 /dev/urandom c 1 9 && exec "\$0" "\$@"' "$REAL_LAUDITD" "\$@"
	EOF
	chmod 0755 "$dir/ns-lauditd"
	LAUDITD=$dir/ns-lauditd
	la_start "$la" "max_log_file = 0" "disp_qos = lossless" "name_format = user" "name = sender-1" || exit 1
	for _ in $(seq 1 100); do
		[ -e "$la/ready" ] && break
		sleep 0.1
	done
	assert_eq "[$cfg] logread bound the namespace's /dev/log" yes "$([ -e "$la/ready" ] && echo yes || echo no)"
	central_start

	p0=$("$O/tests/compat/workload" 2000 0 0)
	assert_eq "[$cfg] before the outage: the 2000 reads at the central log" 2000 "$(central_reads "$p0" 300 2000)"
	sleep 0.5
	t0=$(date +%s%N)
	central_stop TERM
	p1=$("$O/tests/compat/workload" 4000 0 0)
	ms=$((10000 - ($(date +%s%N) - t0) / 1000000))
	sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
	central_start
	echo "[$cfg] the central auditd was stopped for $((($(date +%s%N) - t0) / 1000000)) ms"
	sleep 0.5
	p2=$("$O/tests/compat/workload" 1000 0 0)
	n2=$(central_reads "$p2" 300 1000)
	# lauditd stopped first: its log complete, audisp-remote's input closed
	# (it sends what it holds and ends), then the central auditd
	la_stop
	LA_PID=
	assert_eq "[$cfg] lauditd exits 0" 0 "$LA_RC"
	sleep 1
	central_stop TERM gone
	n0=$(central_reads "$p0" 1 0)
	n1=$(central_reads "$p1" 1 0)
	echo "[$cfg] reads at the central log: before $n0, during $n1, after $n2; in lauditd's log: $(local_reads "$p0"), $(local_reads "$p1"), $(local_reads "$p2")"
	echo "[$cfg] audisp-remote's syslog messages:"
	grep -ao 'audisp-remote: .*' "$la/syslog" | sed 's/[0-9]\+/N/g' | sort | uniq -c | sed 's/^/    /'
	grep -a 'plugin /sbin/audisp-remote' "$la/stderr" | sed 's/^/    /'
	# the central log's records from sender-1 against lauditd's: the same
	# lines in the same order, less runs of lauditd's that never arrived
	first=$(grep -an '^type=DAEMON_START ' "$ad/log/audit.log" | sed -n 2p | cut -d: -f1)
	restart=$(head -n "$first" "$ad/log/audit.log" | grep -ac '^node=sender-1 ')
	python3 - "$la/log/audit.log" "$ad/log/audit.log" " pid=$p1 " "$restart" > "$la/cmp" <<- 'EOF'
		import sys
		def recs(p):
		    return [l for l in open(p, "rb").read().split(b"\n") if l.startswith(b"node=sender-1 ")]
		L, C = recs(sys.argv[1]), recs(sys.argv[2])
		pid = sys.argv[3].encode()
		i = j = missing = runs = reads = 0
		gap = False
		restart, queued = int(sys.argv[4]), -1
		while i < len(L) and j < len(C):
		    if L[i] == C[j]:
		        j += 1
		        gap = False
		    else:
		        missing += 1
		        runs += 0 if gap else 1
		        if not gap and j >= restart:
		            queued = j - restart
		        gap = True
		        reads += pid in L[i] and b" syscall=0 " in L[i]
		    i += 1
		print(len(L), len(C), missing + len(L) - i, runs, reads, len(C) - j, queued)
	EOF
	read -r nl nc missing runs mreads extra queued < "$la/cmp"
	full=$(grep -ac 'audisp-remote: queue is full - dropping event' "$la/syslog")
	held=$(grep -ao 'audisp-remote is exiting on stop request, queue_size: [0-9]*' "$la/syslog" | awk '{ n += $NF } END { print n + 0 }')
	echo "[$cfg] lauditd's log: $nl records; the central log: $nc from sender-1; missing: $missing in $runs runs ($mreads of them the reads during the outage); reported by audisp-remote: $full dropped (queue is full), $held in its queue when it stopped"
	assert_eq "[$cfg] the central log has nothing lauditd's log does not, in its order" 0 "$extra"
	# the record it was sending when the server went away stays in its queue
	# (not acknowledged), and the server may have written it before
	assert_eq "[$cfg] what never arrived is what audisp-remote reported: dropped, or held when it stopped (less the one in flight)" yes \
		"$([ "$missing" -le "$((full + held))" ] && [ "$missing" -ge "$((full + held - (held > 0)))" ] && echo yes || echo "no: $missing")"
	assert_eq "[$cfg] the reads before the outage, all at the central log" 2000 "$n0"
	assert_eq "[$cfg] the reads during it: at the central log, or among what it reported" 4000 "$((n1 + mreads))"
	assert_eq "[$cfg] the reads after it, all at the central log" 1000 "$n2"
	assert_eq "[$cfg] audisp-remote reconnected (Connected: at its start, after the outage)" 2 \
		"$(grep -ac 'audisp-remote: Connected to 127.0.0.1' "$la/syslog")"
	if [ "$full" -gt 0 ]; then
		# its queue held queue_depth records when it dropped the first: the
		# restarted auditd got them before the last run that never arrived
		assert_eq "[$cfg] the records it queued during the outage, sent after it" "$depth" "$queued"
	fi
}

for cfg in $CONFIGS; do
	run_config "$cfg"
done
t_done
