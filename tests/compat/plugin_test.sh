#!/usr/bin/env bash
# The plugin dispatcher (plugins.d, auditd-plugins(5)): a plugin written for the
# test (plugin_reader) reads the events, checks that each event's records end
# with an EOE of the same stamp, and lists them; the events it got are exactly
# the events of the log (RAW, ENRICHED with node=, BINARY, format = binary),
# also when it is killed mid-run (restarted, disp_qos = lossless), and with
# write_logs = no.  A plugin that stops reading with disp_qos = lossy does not
# stall capture: its events are counted lost in the log.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
O=${1:-build}
LAUDITD=$O/lauditd
t_skip_unless_root "plugin_test"

dir=$(mktemp -d)
cleanup() {
	[ -n "${LA_PID:-}" ] && kill -9 "$LA_PID" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
install -m 0750 -o root -g root "$O/tests/compat/plugin_reader" "$dir/plugin_reader"

# plugin RUN ARGS...: RUN/plugins.d/reader.conf, the reader with OUT=RUN/out
plugin() { # RUN FORMAT MODE
	mkdir -p "$1/plugins.d"
	cat > "$1/plugins.d/reader.conf" <<-EOF
		# the dispatcher's test plugin
		active = yes
		direction = out
		path = $dir/plugin_reader
		type = always
		args = $1/out $3
		format = $2
	EOF
	chmod 0640 "$1/plugins.d/reader.conf"
}

# The serials of the log's events (RAW or ENRICHED text), sorted.
log_serials() { # LOG
	grep -ao 'msg=audit([0-9.]*:[0-9]*)' "$1" | sed 's/.*:\([0-9]*\))/\1/' | sort -un
}

# What the plugin got: its events' serials, sorted (every instance's).
plugin_serials() { # OUT
	awk '$1 == "E" { print $2 }' "$1" | sort -n
}

# Until every instance of the reader has said END (at most 10 s).
wait_plugin_end() { # OUT
	local i
	for i in $(seq 1 100); do
		[ "$(grep -c '^START' "$1")" = "$(grep -c '^END' "$1")" ] && return 0
		sleep 0.1
	done
}

# reads by the workload PID in the log
count_reads() { # LOG PID
	grep -ac "^\(node=[^ ]* \)\?type=SYSCALL msg=audit([0-9.:]*): arch=c000003e syscall=0 .* pid=$2 " "$1"
}

# check NAME RUN LOG: the plugin got every event of LOG once, each whole
check() {
	wait_plugin_end "$2/out"
	assert_eq "$1: the plugin's events are the log's, each once" \
		"$(log_serials "$3" | md5sum)" "$(plugin_serials "$2/out" | md5sum)"
	assert_eq "$1: each event's records end with an EOE of its stamp" \
		"$(grep -c '^BAD' "$2/out")" "$(grep -c '^BAD 0$' "$2/out")"
}

# --- RAW, string: every event, exactly
run=$dir/raw
plugin "$run" string string
la_start "$run" "max_log_file = 0" "disp_qos = lossless" || exit 1
pid=$("$O/tests/compat/workload" 20000 100 10)
la_stop
assert_eq "RAW: lauditd exits 0" 0 "$LA_RC"
assert_eq "RAW: the plugin was started" 1 "$(grep -c "plugin $dir/plugin_reader started" "$run/stderr")"
check "RAW" "$run" "$run/log/audit.log"
assert_eq "RAW: the workload's reads, in the log" 20000 "$(count_reads "$run/log/audit.log" "$pid")"
n=$(awk '$1 == "E" { n += $3 } END { print n + 0 }' "$run/out")
assert_eq "RAW: the plugin's records are the log's" "$(grep -ac '^type=' "$run/log/audit.log")" "$n"
echo "RAW: $(plugin_serials "$run/out" | wc -l) events to the plugin"

# --- ENRICHED, node=, the plugin killed twice mid-run: restarted, nothing missing
run=$dir/kill
plugin "$run" string string
la_start "$run" "max_log_file = 0" "disp_qos = lossless" "log_format = ENRICHED" "name_format = user" \
	"name = host-a" || exit 1
"$O/tests/compat/workload" 200000 0 0 > "$run/pid" &
wpid=$!
for k in 1 2; do
	sleep 0.3
	kill -TERM "$(awk '$1 == "START" { p = $2 } END { print p }' "$run/out")"
	sleep 0.2
	# restarted at the next write
done
wait "$wpid"
sleep 0.2
la_stop
log=$run/log/audit.log
assert_eq "killed: lauditd exits 0" 0 "$LA_RC"
assert_eq "killed: restarted twice" 2 "$(grep -c "plugin $dir/plugin_reader was restarted" "$run/stderr")"
assert_eq "killed: three instances ran" 3 "$(grep -c '^START' "$run/out")"
check "killed" "$run" "$log"
assert_eq "node=: every record names the host" "$(wc -l < "$log")" "$(grep -c '^node=host-a type=' "$log")"
assert_eq "killed: the workload's reads, in the log" 200000 "$(count_reads "$log" "$(cat "$run/pid")")"

# --- BINARY log, binary format to the plugin
run=$dir/bin
plugin "$run" binary binary
la_start "$run" "max_log_file = 0" "disp_qos = lossless" "log_format = BINARY" || exit 1
"$O/tests/compat/workload" 5000 10 0 > /dev/null
la_stop
assert_eq "BINARY: lauditd exits 0" 0 "$LA_RC"
"$O/lausearch" -if "$run/log/audit.log" > "$run/log.txt"
check "BINARY, format = binary" "$run" "$run/log.txt"

# --- write_logs = no: the plugin gets what the log would have; no file
run=$dir/nolog
plugin "$run" string string
la_start "$run" "max_log_file = 0" "disp_qos = lossless" "write_logs = no" || exit 1
pid=$("$O/tests/compat/workload" 3000 0 0)
la_stop
assert_eq "write_logs = no: lauditd exits 0" 0 "$LA_RC"
assert_eq "write_logs = no: no log file" 0 "$(ls "$run/log" 2>/dev/null | wc -l)"
wait_plugin_end "$run/out"
n=$(awk '$1 == "E" && $3 > 1 { n++ } END { print n + 0 }' "$run/out")
[ "$n" -ge 3000 ] && n=ok
assert_eq "write_logs = no: the plugin got the workload's events" ok "$n"

# --- a plugin file that others can write is refused, as auditd refuses it
run=$dir/perm
plugin "$run" string string
chmod 0666 "$run/plugins.d/reader.conf"
la_start "$run" "max_log_file = 0" || exit 1
la_stop
assert_eq "world-writable plugin file: refused" 1 "$(grep -c 'reader.conf: writable by others, skipped' "$run/stderr")"
assert_eq "world-writable plugin file: not started" 0 "$(grep -c '^START' "$run/out" 2>/dev/null || echo 0)"

# --- builtin_af_unix: the socket auditd offers local readers
run=$dir/af
mkdir -p "$run/plugins.d"
printf 'active = yes\ndirection = out\npath = builtin_af_unix\ntype = builtin\nargs = 0640 %s\nformat = string\n' \
	"$run/sock" > "$run/plugins.d/af_unix.conf"
la_start "$run" "max_log_file = 0" "disp_qos = lossless" || exit 1
assert_eq "af_unix: the socket's mode" "srw-r-----" "$(stat -c %A "$run/sock")"
python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = open(sys.argv[2], "wb")
while True:
    b = s.recv(65536)
    if not b: break
    f.write(b)' "$run/sock" "$run/read" &
rpid=$!
sleep 0.3
pid=$("$O/tests/compat/workload" 4000 0 0)
sleep 0.3
la_stop
wait "$rpid"
assert_eq "af_unix: lauditd exits 0" 0 "$LA_RC"
assert_eq "af_unix: the reader got the workload's reads" 4000 "$(count_reads "$run/read" "$pid")"
assert_eq "af_unix: each of them ended by its EOE" 4000 "$(grep -a -A2 "^type=SYSCALL .* syscall=0 .* pid=$pid " "$run/read" | grep -c "^type=EOE ")"
assert_eq "af_unix: the socket is gone at the stop" no "$([ -e "$run/sock" ] && echo yes || echo no)"

# --- SIGHUP, as auditd's reload: a plugin file added is started, one whose args
# changed is restarted, one made inactive is stopped
# The serials of the workload PID's reads in LOG that the plugin's OUT has.
reads_to_plugin() { # LOG PID OUT
	grep -a "^type=SYSCALL msg=audit([0-9.:]*): arch=c000003e syscall=0 .* pid=$2 " "$1" |
		sed 's/^type=SYSCALL msg=audit([0-9.]*:\([0-9]*\)).*/\1/' | sort |
		join - <(plugin_serials "$3" | sort -u) | wc -l
}
run=$dir/hup
mkdir -p "$run/plugins.d"
la_start "$run" "max_log_file = 0" "disp_qos = lossless" || exit 1
pid0=$("$O/tests/compat/workload" 1000 0 0)
plugin "$run" string string
kill -HUP "$LA_PID"
for i in $(seq 1 50); do
	grep -q '^START' "$run/out" 2>/dev/null && break
	sleep 0.1
done
pid1=$("$O/tests/compat/workload" 3000 0 0)
sed -i "s#^args = $run/out #args = $run/out2 #" "$run/plugins.d/reader.conf"
kill -HUP "$LA_PID"
for i in $(seq 1 50); do
	grep -q '^START' "$run/out2" 2>/dev/null && break
	sleep 0.1
done
pid3=$("$O/tests/compat/workload" 1000 0 0)
ppid=$(awk '$1 == "START" { print $2 }' "$run/out2")
sed -i 's/^active = yes/active = no/' "$run/plugins.d/reader.conf"
kill -HUP "$LA_PID"
for i in $(seq 1 100); do
	[ -e "/proc/$ppid" ] || break
	sleep 0.1
done
gone=$([ -e "/proc/$ppid" ] && echo "still there" || echo reaped)
pid2=$("$O/tests/compat/workload" 2000 0 0)
la_stop
log=$run/log/audit.log
assert_eq "SIGHUP: lauditd exits 0" 0 "$LA_RC"
assert_eq "SIGHUP: the added plugin was started once" 1 "$(grep -c '^START' "$run/out")"
assert_eq "SIGHUP: the reads before it, not sent to it" 0 "$(reads_to_plugin "$log" "$pid0" "$run/out")"
assert_eq "SIGHUP: the reads while it ran, each sent to it" 3000 "$(reads_to_plugin "$log" "$pid1" "$run/out")"
assert_eq "SIGHUP: the plugin whose args changed was restarted" 1 \
	"$(grep -c "restarting plugin $dir/plugin_reader: its file or program changed" "$run/stderr")"
assert_eq "SIGHUP: its first instance ended (END written)" 1 "$(grep -c '^END' "$run/out")"
assert_eq "SIGHUP: the second one started once, with the new args" 1 "$(grep -c '^START' "$run/out2")"
assert_eq "SIGHUP: the reads of the restarted plugin, each sent to it" 1000 "$(reads_to_plugin "$log" "$pid3" "$run/out2")"
assert_eq "SIGHUP: the plugin replaced, then the one made inactive, were stopped" 2 \
	"$(grep -c "stopping plugin $dir/plugin_reader: its file changed or is gone" "$run/stderr")"
assert_eq "SIGHUP: its process ended and was reaped before lauditd stopped" reaped "$gone"
assert_eq "SIGHUP: it ended as a plugin ends (END written)" 1 "$(grep -c '^END' "$run/out2")"
assert_eq "SIGHUP: the reads after it stopped, not sent to it" 0 \
	"$(( $(reads_to_plugin "$log" "$pid2" "$run/out") + $(reads_to_plugin "$log" "$pid2" "$run/out2") ))"
assert_eq "SIGHUP: every read in the log" 7000 "$(( $(count_reads "$log" "$pid0") + $(count_reads "$log" "$pid1") + $(count_reads "$log" "$pid3") + $(count_reads "$log" "$pid2") ))"

# --- lossy: a plugin that reads nothing does not stall capture
run=$dir/stall
plugin "$run" string stall
la_start "$run" "max_log_file = 0" "disp_qos = lossy" "q_depth = 100" "overflow_action = IGNORE" || exit 1
pid=$("$O/tests/compat/workload" 100000 0 0)
sleep 1.2
la_stop
log=$run/log/audit.log
assert_eq "lossy, stalled plugin: lauditd exits 0" 0 "$LA_RC"
assert_eq "lossy, stalled plugin: every read in the log" 100000 "$(count_reads "$log" "$pid")"
lost=$(grep -a '^type=DAEMON_ERR .*op=dispatch-lost plugin=reader.conf ' "$log" |
	sed 's/.* lost=\([0-9]*\) .*/\1/' | awk '{ n += $1 } END { print n + 0 }')
[ "$lost" -gt 90000 ] && r=ok || r=$lost
assert_eq "lossy, stalled plugin: its events counted lost in the log" ok "$r"
echo "lossy: $lost events lost for the stalled plugin"

t_done
