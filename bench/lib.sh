# Shared by bench/run.sh, bench/stress.sh and tests/compat/parity_test.sh: the
# loggers under test, started on directories of their own, stopped and measured;
# the kernel's audit state saved and restored.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the results are read by the scripts that source this

# The 25 syscall families of DESIGN.md, every member, as auditctl names them
# (libaudit calls pread64 and pwrite64 "pread" and "pwrite").  fcntl is audited
# by lauditd for F_DUPFD (0) and F_DUPFD_CLOEXEC (1030) only: see AUDITD_FCNTL.
AUDITD_SYSCALLS="read readv pread preadv preadv2
write writev pwrite pwritev pwritev2
open openat creat openat2
close mmap mprotect
dup dup2 dup3
pipe pipe2 socket socketpair connect accept accept4 bind recvfrom sendto
recvmsg recvmmsg sendmsg sendmmsg
clone clone3 fork vfork execve execveat exit exit_group
unlink unlinkat rmdir rename renameat renameat2
chmod fchmod fchmodat chown fchown lchown fchownat
setuid setgid setreuid setregid setresuid setresgid setfsuid setfsgid
kill tkill tgkill ptrace truncate ftruncate"
AUDITD_FCNTL="0 1030"
# Debian's /etc/audit/rules.d/audit.rules: backlog, backlog wait, failure mode.
AUDITD_BACKLOG=8192
AUDITD_BACKLOG_WAIT=60000
AUDITD_FAILURE=1

B_TMP=
B_LAUDITD=
B_LOGGER_PID=
B_LOGGER_KIND=
B_STATE_SAVED=
B_CLK_TCK=$(getconf CLK_TCK)
B_HZ=$(zcat /proc/config.gz 2>/dev/null | sed -n 's/^CONFIG_HZ=//p')

say() { echo "bench: $*" >&2; }
die() {
	say "$*"
	exit 1
}

# now_ns: CLOCK_REALTIME in nanoseconds.
now_ns() { date +%s%N; }

# secs NS: nanoseconds as seconds with 3 decimals.
secs() { awk -v n="$1" 'BEGIN { printf "%.3f", n / 1e9 }'; }

# proc_cpu PID: the process's user + system time, in clock ticks.
proc_cpu() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || {
		echo 0
		return
	}
	s=${s##*) }
	# shellcheck disable=SC2086
	set -- $s
	echo $((${12} + ${13}))
}

# proc_hwm PID: the process's peak resident set (VmHWM), KiB.
proc_hwm() { awk '$1 == "VmHWM:" { print $2 }' "/proc/$1/status" 2> /dev/null || true; }

# proc_rss PID: the process's resident set (VmRSS), KiB.
proc_rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status" 2> /dev/null || true; }

# ticks_s TICKS: clock ticks as CPU seconds.
ticks_s() { awk -v t="$1" -v hz="$B_CLK_TCK" 'BEGIN { printf "%.2f", t / hz }'; }

# kauditd_pid: the kernel's audit thread.
kauditd_pid() { ps -e -o pid=,comm= | awk '$2 == "kauditd" { print $1; exit }'; }

# audit_status FIELD: one value of `auditctl -s`.
audit_status() { auditctl -s | awk -v f="$1" '$1 == f { print $2; exit }'; }

# dir_bytes DIR: the sizes of the files in DIR, summed.
dir_bytes() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }

# bench_init: root, one harness at a time, no other audit daemon, a temporary
# directory, the kernel's audit state saved and restored on any exit.
bench_init() {
	local pid

	[ "$(id -u)" = 0 ] || die "needs root (eBPF, auditd)"
	for t in auditd auditctl ausyscall; do
		command -v $t > /dev/null || die "$t is missing (Debian package auditd)"
	done
	if [ -z "${BENCH_LOCKED:-}" ]; then
		exec 9> /run/lauditd-bench.lock
		flock -n 9 || die "another benchmark holds /run/lauditd-bench.lock"
		export BENCH_LOCKED=1
	fi
	[ "$(audit_status enabled)" != 2 ] || die "the kernel's audit configuration is locked (enabled 2)"
	pid=$(audit_status pid)
	[ "${pid:-0}" = 0 ] || die "an audit daemon is registered with the kernel (pid $pid): stop it first"
	pgrep -x auditd > /dev/null && die "an auditd is running (pid $(pgrep -x auditd)): stop it first"
	[ -x "$O/lauditd" ] || die "$O/lauditd is missing: make $O/lauditd"
	B_TMP=$(mktemp -d "${TMPDIR:-/tmp}/lauditd-bench.XXXXXX")
	# a copy: others may rebuild $O/lauditd while the benchmark runs
	cp "$O/lauditd" "$B_TMP/lauditd"
	B_LAUDITD=$B_TMP/lauditd
	# run after a workload: its execve record in auditd's log ends the workload's
	B_MARK=$B_TMP/lbench-mark
	cp /bin/true "$B_MARK"
	ST_ENABLED=$(audit_status enabled)
	ST_FAILURE=$(audit_status failure)
	ST_RATE=$(audit_status rate_limit)
	ST_BACKLOG=$(audit_status backlog_limit)
	ST_BWT=$(audit_status backlog_wait_time)
	auditctl -l > "$B_TMP/rules.saved"
	B_STATE_SAVED=1
	trap bench_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	for t in $AUDITD_SYSCALLS; do
		ausyscall x86_64 "$t" --exact > /dev/null 2>&1 || die "auditctl does not know syscall $t"
	done
}

# audit_restore: the kernel's audit state as bench_init saved it (rules, backlog
# settings, failure mode, rate limit, enabled flag); once: a second call does
# nothing.  Stop auditd before: the kernel would hand its records to no one.
audit_restore() {
	[ -n "$B_STATE_SAVED" ] || return 0
	auditctl -D > /dev/null 2>&1
	if ! grep -q '^No rules' "$B_TMP/rules.saved"; then
		auditctl -R "$B_TMP/rules.saved" > /dev/null 2>&1 ||
			say "could not restore the audit rules saved in $B_TMP/rules.saved"
	fi
	auditctl -b "$ST_BACKLOG" --backlog_wait_time "$ST_BWT" -f "$ST_FAILURE" \
		-r "$ST_RATE" > /dev/null 2>&1
	auditctl -e "$ST_ENABLED" > /dev/null 2>&1
	pgrep -x auditd > /dev/null && say "WARNING: an auditd is still running: $(pgrep -x auditd)"
	[ "$(audit_status enabled)" = "$ST_ENABLED" ] ||
		say "WARNING: could not restore the kernel's audit enabled flag"
	B_STATE_SAVED=
}

# bench_cleanup: stop the logger this harness started, restore the kernel's audit
# state (rules, backlog settings, enabled flag), remove the temporary directory.
bench_cleanup() {
	local rc=$? i

	trap - EXIT INT TERM
	# every step, whatever the one before did
	set +e
	if [ -n "$B_LOGGER_PID" ] && kill -0 "$B_LOGGER_PID" 2> /dev/null; then
		say "stopping $B_LOGGER_KIND (pid $B_LOGGER_PID)"
		[ "$B_LOGGER_KIND" = auditd ] && auditctl -D > /dev/null 2>&1
		kill -TERM "$B_LOGGER_PID" 2> /dev/null
		for i in $(seq 1 300); do
			kill -0 "$B_LOGGER_PID" 2> /dev/null || break
			sleep 0.1
		done
		kill -KILL "$B_LOGGER_PID" 2> /dev/null
		wait "$B_LOGGER_PID" 2> /dev/null
	fi
	B_LOGGER_PID=
	audit_restore
	if [ -n "$B_TMP" ] && grep -q '^No rules' "$B_TMP/rules.saved" 2> /dev/null; then
		rm -rf "$B_TMP"
	elif [ -n "$B_TMP" ]; then
		say "kept $B_TMP (saved rules)"
	fi
	exit "$rc"
}

# foreign_loggers: other processes that load audit eBPF programs or are audit
# daemons (another lauditd, the kernel tests); they would skew the figures.
foreign_loggers() {
	ps -e -o pid=,comm= | awk -v me="${B_LOGGER_PID:-0}" \
		'($2 == "lauditd" || $2 == "ktest" || $2 == "auditd") && $1 != me { n++ } END { print n + 0 }'
}

# foreign_bpf: eBPF programs attached to tracepoints and perf events on the
# machine (call it while no logger of ours runs): another lauditd's or the kernel
# tests' cost every configuration, none included.
foreign_bpf() {
	if command -v bpftool > /dev/null; then
		bpftool perf show 2> /dev/null | awk '$1 == "pid" { n++ } END { print n + 0 }'
	else
		echo ""
	fi
}

# --- lauditd ------------------------------------------------------------------

# la_start DIR FORMAT [CONF_LINES...]: lauditd on DIR/lauditd.conf, logging to
# DIR/log/audit.log; returns once capture has begun (DAEMON_START is in the log,
# or, for a log that is not text, lauditd said "capturing").  Returns 1 with
# LA_ERROR set when lauditd exits instead.
la_start() {
	local dir=$1 fmt=$2 i
	shift 2
	mkdir -p "$dir/log"
	{
		echo "log_file = $dir/log/audit.log"
		echo "log_format = $fmt"
		# nothing is deleted, so that every byte written is counted
		echo "max_log_file_action = KEEP_LOGS"
		echo "control_socket = $dir/ctl.sock"
		# a record for every syscall, as auditd writes them, unless LA_CACHE=on
		echo "cache_filter = ${LA_CACHE:-off}"
		for l in "$@"; do echo "$l"; done
	} > "$dir/lauditd.conf"
	LA_ERROR=
	"$B_LAUDITD" -f -c "$dir" 2> "$dir/stderr" &
	B_LOGGER_PID=$!
	B_LOGGER_KIND=lauditd
	for i in $(seq 1 600); do
		if grep -qa '^type=DAEMON_START' "$dir/log/audit.log" 2> /dev/null ||
			grep -q 'capturing' "$dir/stderr"; then
			LA_CPU0=$(proc_cpu "$B_LOGGER_PID")
			return 0
		fi
		kill -0 "$B_LOGGER_PID" 2> /dev/null || break
		sleep 0.05
	done
	kill -TERM "$B_LOGGER_PID" 2> /dev/null
	wait "$B_LOGGER_PID" 2> /dev/null
	B_LOGGER_PID=
	LA_ERROR=$(grep -v 'not acted on' "$dir/stderr" | tail -1 || true)
	[ -n "$LA_ERROR" ] || LA_ERROR="did not start in 30 s"
	return 1
}

# la_stop DIR: SIGTERM; lauditd drains its rings and writes DAEMON_END.  Sets
# LA_EVENTS and LA_LOST (DAEMON_END's records= and lost=, or the same totals from
# its "stopped:" line when the log is not text), LA_CPU (CPU seconds from
# DAEMON_START to DAEMON_END, the drain included), LA_BYTES (the log directory),
# LA_RC (exit status), LA_END_S (SIGTERM to its log complete), LA_STOP_S (SIGTERM
# to exit), LA_RSS_KB (its peak resident set), LA_RING_KB (its rings' size).
la_stop() {
	local dir=$1 pid=$B_LOGGER_PID t0 cpu1 i end
	t0=$(now_ns)
	cpu1=
	LA_END_S=
	kill -TERM "$pid"
	for i in $(seq 1 1200); do
		if grep -q 'stopped:' "$dir/stderr"; then
			# still alive: it detaches its programs after the log is complete
			cpu1=$(proc_cpu "$pid")
			LA_END_S=$(secs $(($(now_ns) - t0)))
			break
		fi
		kill -0 "$pid" 2> /dev/null || break
		sleep 0.02
	done
	[ -n "$cpu1" ] || cpu1=$(proc_cpu "$pid")
	LA_RSS_KB=$(proc_hwm "$pid")
	LA_RING_KB=$(sed -n 's/.*rings of \([0-9]*\) KiB per CPU.*/\1/p' "$dir/stderr" | tail -1)
	for i in $(seq 1 1200); do
		kill -0 "$pid" 2> /dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2> /dev/null; then
		say "lauditd did not exit in 120 s after SIGTERM: killed"
		kill -KILL "$pid"
	fi
	LA_RC=0
	wait "$pid" || LA_RC=$?
	B_LOGGER_PID=
	LA_STOP_S=$(secs $(($(now_ns) - t0)))
	[ "$cpu1" -ge "$LA_CPU0" ] 2> /dev/null || cpu1=$LA_CPU0
	LA_CPU=$(ticks_s $((cpu1 - LA_CPU0)))
	end=$(grep -a '^type=DAEMON_END' "$dir/log/audit.log" 2> /dev/null | tail -1 || true)
	if [ -n "$end" ]; then
		LA_EVENTS=$(echo "$end" | sed -n 's/.* records=\([0-9]*\).*/\1/p')
		LA_LOST=$(echo "$end" | sed -n 's/.* lost=\([0-9]*\).*/\1/p')
	else
		end=$(grep 'stopped:' "$dir/stderr" | tail -1 || true)
		LA_EVENTS=$(echo "$end" | sed -n 's/.*stopped: \([0-9]*\) records.*/\1/p')
		LA_LOST=$(echo "$end" | sed -n 's/.* \([0-9]*\) lost.*/\1/p')
	fi
	LA_BYTES=$(dir_bytes "$dir/log")
	if [ -z "$LA_EVENTS" ]; then
		say "lauditd wrote no totals; its stderr:"
		cat "$dir/stderr" >&2
	fi
	[ "$LA_RC" = 0 ] || say "lauditd exited $LA_RC: $(grep -v 'not acted on' "$dir/stderr" | tail -3 | tr '\n' ' ' || true)"
}

# --- auditd -------------------------------------------------------------------

# ad_rules FILE: Debian's backlog settings and one rule set for the 25 families,
# or the rules of the file $AD_RULES when it is set.
ad_rules() {
	{
		echo "-D"
		echo "-b $AUDITD_BACKLOG"
		echo "--backlog_wait_time $AUDITD_BACKLOG_WAIT"
		echo "-f $AUDITD_FAILURE"
		if [ -n "${AD_RULES:-}" ]; then
			grep -v -e '^-D' -e '^-b ' -e '^-f ' -e '^--backlog_wait_time' "$AD_RULES"
		else
			echo "-a always,exit -F arch=b64 -S $(printf '%s' "$AUDITD_SYSCALLS" | tr -s ' \n' ',')"
			for a in $AUDITD_FCNTL; do
				echo "-a always,exit -F arch=b64 -S fcntl -F a1=$a"
			done
		fi
	} > "$1"
}

# ad_start DIR: the real auditd on DIR/etc/auditd.conf (Debian's settings, but its
# log in DIR/log, RAW like lauditd-raw, no plugins, one file: nothing rotated
# away), then the rules.  Sets AD_LOST0, AD_BWAIT0, AD_CPU0 (auditd + kauditd, ticks).
ad_start() {
	local dir=$1 i
	mkdir -p "$dir/etc" "$dir/log" "$dir/plugins"
	cat > "$dir/etc/auditd.conf" <<- EOF
		local_events = yes
		write_logs = yes
		log_file = $dir/log/audit.log
		log_group = root
		log_format = RAW
		flush = INCREMENTAL_ASYNC
		freq = 50
		max_log_file = 8
		num_logs = 5
		priority_boost = 4
		name_format = NONE
		max_log_file_action = IGNORE
		space_left = 75
		space_left_action = SYSLOG
		verify_email = no
		action_mail_acct = root
		admin_space_left = 50
		admin_space_left_action = SUSPEND
		disk_full_action = SUSPEND
		disk_error_action = SUSPEND
		use_libwrap = no
		tcp_listen_queue = 5
		tcp_max_per_addr = 1
		tcp_client_max_idle = 0
		transport = TCP
		distribute_network = no
		q_depth = 2000
		overflow_action = SYSLOG
		max_restarts = 10
		plugin_dir = $dir/plugins
		end_of_event_timeout = 2
	EOF
	chmod 0640 "$dir/etc/auditd.conf"
	ad_rules "$dir/audit.rules"
	pgrep -x auditd > /dev/null && die "an auditd is already running: $(pgrep -x auditd)"
	auditd -n -s enable -c "$dir/etc" > "$dir/stderr" 2>&1 &
	B_LOGGER_PID=$!
	B_LOGGER_KIND=auditd
	for i in $(seq 1 200); do
		[ "$(audit_status pid)" = "$B_LOGGER_PID" ] && break
		kill -0 "$B_LOGGER_PID" 2> /dev/null || die "auditd did not start: $(cat "$dir/stderr")"
		sleep 0.05
	done
	[ "$(audit_status pid)" = "$B_LOGGER_PID" ] || die "auditd did not register with the kernel in 10 s"
	auditctl -R "$dir/audit.rules" > "$dir/auditctl.out" 2>&1 ||
		die "auditctl -R: $(cat "$dir/auditctl.out")"
	auditctl -e 1 > /dev/null
	[ "$(auditctl -l | grep -vc '^No rules')" = "$(grep -c '^-[aw] ' "$dir/audit.rules")" ] ||
		die "auditd's rules did not load: $(auditctl -l | head -3)"
	AD_KAUDITD=$(kauditd_pid)
	AD_LOST0=$(audit_status lost)
	AD_BWAIT0=$(audit_status backlog_wait_time_actual)
	AD_CPU0=$(($(proc_cpu "$B_LOGGER_PID") + $(proc_cpu "$AD_KAUDITD")))
}

# ad_stop DIR: wait until auditd has written every record of the workload, read
# the counters, delete the rules, stop auditd by its pid.  Sets AD_EVENTS
# (SYSCALL records in its log), AD_LOST and AD_BWAIT (deltas of the kernel's lost
# counter and of backlog_wait_time_actual, jiffies), AD_CPU (auditd + kauditd,
# seconds), AD_BYTES, AD_DRAIN_S (workload end to its last record written),
# AD_RSS_KB (auditd's peak resident set).
ad_stop() {
	local dir=$1 pid=$B_LOGGER_PID i size0 cpu1 t0
	# The kernel queues records in the order syscalls exit and auditd writes them
	# in the order it reads them: once the record of a program started after the
	# workload ended is in the log, so is every record of the workload.  (Waiting
	# for an empty backlog does not work: other processes keep it busy.)
	t0=$(now_ns)
	size0=$(stat -c %s "$dir/log/audit.log")
	# With AD_RULES, which need not log an execve, a user message marks the end:
	# it goes through the same queue as the syscall records.
	if [ -n "${AD_RULES:-}" ]; then
		auditctl -m lbench-mark
	else
		"$B_MARK"
	fi
	for i in $(seq 1 1200); do
		{ tail -c +$((size0 + 1)) "$dir/log/audit.log" || true; } |
			grep -qE 'comm="lbench-mark"|text=lbench-mark' && break
		sleep 0.05
	done
	[ "$i" -lt 1200 ] || say "WARNING: auditd had not written the workload's records 60 s after it ended"
	AD_DRAIN_S=$(secs $(($(now_ns) - t0)))
	cpu1=$(($(proc_cpu "$pid") + $(proc_cpu "$AD_KAUDITD")))
	AD_RSS_KB=$(proc_hwm "$pid")
	AD_LOST=$(($(audit_status lost) - AD_LOST0))
	AD_BWAIT=$(($(audit_status backlog_wait_time_actual) - AD_BWAIT0))
	auditctl -D > /dev/null
	auditctl -e 0 > /dev/null
	kill -TERM "$pid"
	for i in $(seq 1 300); do
		kill -0 "$pid" 2> /dev/null || break
		sleep 0.05
	done
	kill -0 "$pid" 2> /dev/null && kill -KILL "$pid"
	wait "$pid" 2> /dev/null || true
	B_LOGGER_PID=
	pgrep -x auditd > /dev/null && die "auditd (pid $(pgrep -x auditd)) is still running"
	AD_CPU=$(ticks_s $((cpu1 - AD_CPU0)))
	AD_EVENTS=$(grep -c '^type=SYSCALL' "$dir/log/audit.log" || true)
	AD_BYTES=$(dir_bytes "$dir/log")
}

# jiffies_ms J: kernel jiffies as milliseconds (CONFIG_HZ), or J itself when HZ
# is unknown.
jiffies_ms() {
	if [ -n "$B_HZ" ]; then
		awk -v j="$1" -v hz="$B_HZ" 'BEGIN { printf "%d", j * 1000 / hz }'
	else
		echo "$1"
	fi
}

# machine_line: what the figures came from.
machine_line() {
	local cpu mem
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
	mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
	echo "$(nproc) CPUs ($cpu), $mem, kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME"), auditd $(auditctl -v | awk '{ print $NF }'), $(date -u '+%Y-%m-%d %H:%M UTC')"
}
