#!/usr/bin/env bash
# lausearch against the real ausearch: lauditd logs the families workload in
# BINARY, lausearch prints that log as RAW text, and for each query (every
# selection option, each output format) `lausearch -if BINARY_LOG OPTIONS` must
# print byte for byte what `ausearch -if RAW_TEXT OPTIONS` prints, and exit
# with the same status (1 and <no matches> when nothing matches).  Then
# --format json, parsed by python3, holds the exact values of known events, and
# --count the number of events.
#
# usage: bash tests/compat/lausearch_test.sh BUILD_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
O=${1:-build}
LAUDITD=$O/lauditd
t_skip_unless_root "lausearch_test"
for t in ausearch python3; do
	command -v $t > /dev/null || {
		echo "FAIL: $t is not installed (make deps)"
		exit 1
	}
done
# ausearch reads -ts/-te dates, and prints them, in the locale's %x.
export LC_ALL=C
umask 022

dir=$(mktemp -d)
LA_PID=
cleanup() {
	if [ -n "$LA_PID" ] && kill -0 "$LA_PID" 2> /dev/null; then
		kill -TERM "$LA_PID"
		wait "$LA_PID"
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
cp "$O/tests/compat/families" "$dir/families"
exe=$(realpath "$dir/families")
lausearch=$(realpath "$O/lausearch")
work=$dir/work
mkdir -p "$work"

# --- the workload, logged in BINARY, rotated: the search reads the directory
now() { date '+%x %T'; }
la_start "$dir/la" "log_format = BINARY" "max_log_file_action = IGNORE" || exit 1
la_pid=$LA_PID
sleep 1.1
t0=$(now)
pid=$("$exe" "$work")
sleep 1.1
la_stop
LA_PID=
assert_eq "lauditd exits 0" 0 "$LA_RC"
bin=$dir/la/log/audit.log
"$lausearch" -if "$bin" --format raw > "$dir/raw.txt" 2> "$dir/err"
assert_eq "the RAW text of the log" "0 " "$? $(cat "$dir/err")"
raw=$dir/raw.txt
echo "log: $(grep -c '^type=SYSCALL' "$raw") events, $(stat -c %s "$bin") bytes BINARY"

# same NAME OPTIONS...: lausearch's stdout, stderr and status are ausearch's.
same() {
	local name=$1 a b
	shift
	"$lausearch" -if "$bin" "$@" > "$dir/la.out" 2> "$dir/la.err"
	a=$?
	ausearch -if "$raw" "$@" > "$dir/au.out" 2> "$dir/au.err"
	b=$?
	if [ "$a" != "$b" ]; then
		assert_eq "$name: exit status" "$b" "$a"
	elif ! cmp -s "$dir/la.out" "$dir/au.out"; then
		assert_eq "$name: output" "same" "$(diff "$dir/au.out" "$dir/la.out" | head -5)"
	elif [ "$b" = 1 ] && ! cmp -s "$dir/la.err" "$dir/au.err"; then
		assert_eq "$name: stderr" "$(cat "$dir/au.err")" "$(cat "$dir/la.err")"
	else
		assert_eq "$name ($(grep -c '^----' "$dir/au.out") events)" same same
	fi
}

ppid=$(sed -n "s/^type=SYSCALL .* ppid=\([0-9]*\) pid=$pid .*/\1/p" "$raw" | head -1)
child=$(sed -n "s/^type=SYSCALL .* ppid=$pid pid=\([0-9]*\) .*/\1/p" "$raw" | head -1)
serial=$(sed -n "s/^type=SYSCALL msg=audit([0-9.]*:\([0-9]*\)): .* pid=$pid .*/\1/p" "$raw" | sed -n 20p)
auid=$(sed -n "s/^type=SYSCALL .* pid=$pid auid=\([0-9]*\) .*/\1/p" "$raw" | head -1)
ses=$(sed -n "s/^type=SYSCALL .* pid=$pid .* ses=\([0-9]*\) .*/\1/p" "$raw" | head -1)
tty=$(sed -n "s/^type=SYSCALL .* pid=$pid .* tty=\([^ ]*\) .*/\1/p" "$raw" | head -1)
p=(-p "$pid")

# formats
same "whole log, --format default" --format default
same "--format raw" --format raw
same "-i" -i -p "$pid"
same "--format default -p" --format default -p "$pid"
same "--format interpret -pp" --format interpret -pp "$pid"
same "-r" -r -x "$exe"
same "--format text" --format text -p "$pid"
same "--format text -pp" --format text -pp "$pid"
same "--format csv" --format csv -p "$pid"
same "--format csv -m DAEMON_START" --format csv -m DAEMON_START
same "--format csv --extra-keys" --format csv --extra-keys -p "$pid"
same "--format csv --extra-obj2" --format csv --extra-obj2 -p "$pid"
same "--format csv --extra-labels --extra-time" --format csv --extra-labels --extra-time -p "$pid"
same "--format csv, every --extra-*" --format csv --extra-keys --extra-labels --extra-obj2 \
	--extra-time -pp "$pid"
same "--extra-keys without csv" --extra-keys -p "$pid"
# selection, each option
same "-a" -a "$serial"
same "-a, none" -a 1
same "-c" -c families
same "-c, a substring" -c amil
same "-w -c, a substring: none" -w -c amil
same "-e -2" -e -2
same "-e ENOENT" -e ENOENT
same "-e 0" "${p[@]}" -e 0
same "-f plain" -f plain
same "-f work dir" -f "$work"
same "-w -f" -w -f "$work/plain"
same "-f /etc/hostname" -f /etc/hostname
same "-f unix socket" -f sock
same "-ga 0" "${p[@]}" -ga 0
same "-ge 0" "${p[@]}" -ge 0
same "-gi 0" "${p[@]}" -gi 0
same "-gi root" "${p[@]}" -gi root
same "-gi 1: none" -gi 1
same "-k: lauditd has no keys" -k lauditd
same "-k null: the (null) keys, as ausearch" "${p[@]}" -k null
same "-m SYSCALL" -m SYSCALL "${p[@]}"
same "-m PATH,SOCKADDR" -m PATH,SOCKADDR
same "-m OBJ_PID" -m OBJ_PID
same "-m ALL" -m ALL -pp "$pid"
same "-m EXECVE" -m EXECVE
same "-m DAEMON_START,DAEMON_END" -m DAEMON_START,DAEMON_END
same "-m USER_LOGIN: none" -m USER_LOGIN
same "-n: no node names" -n localhost
same "-p" -p "$pid"
same "-p lauditd: DAEMON_START" -p "$la_pid"
same "-p child" -p "$child"
same "-pp" -pp "$pid"
same "-pp shell" -pp "$ppid" -x "$exe"
same "-sc openat" -sc openat
same "-sc 257" -sc 257
same "-sc execve" -sc execve
same "-sc execveat" -sc execveat
same "-sc kill -i" -sc kill -i
same "-se: no contexts" -se unconfined_t
same "-sv yes" -sv yes "${p[@]}"
same "-sv no" -sv no
same "-sv no -i" -sv no -i
same "-ts TIME" -ts "${t0#* }" "${p[@]}"
same "-ts DATE TIME" -ts "${t0% *}" "${t0#* }" "${p[@]}"
same "-ts TIME DATE" -ts "${t0#* }" "${t0% *}" "${p[@]}"
same "-ts today" -ts today "${p[@]}"
same "-ts recent" -ts recent "${p[@]}"
same "-ts yesterday" -ts yesterday "${p[@]}"
same "-ts this-week" -ts this-week "${p[@]}"
same "-ts week-ago" -ts week-ago "${p[@]}"
same "-ts this-month" -ts this-month "${p[@]}"
same "-ts this-year" -ts this-year "${p[@]}"
same "-ts boot" -ts boot "${p[@]}"
same "-te now" -te now "${p[@]}"
same "-te today" -te today "${p[@]}"
same "-te TIME" -te "${t0#* }" "${p[@]}"
same "-ts now: none" -ts now
same "-ts DATE -te DATE TIME" -ts "${t0% *}" -te "${t0% *}" 23:59:59 -c families
same "-tm" -tm "$tty" "${p[@]}"
same "-ua" -ua 0 "${p[@]}"
same "-ua AUID" -ua "$auid" "${p[@]}"
same "-ue" -ue 0 "${p[@]}"
same "-ui" -ui 0 "${p[@]}"
same "-ui 1: none" -ui 1 "${p[@]}"
same "-ul" -ul "$auid" "${p[@]}"
same "-uu: none" -uu 0f3fb8b4-0000-0000-0000-000000000000
same "-vm: none" -vm guest
same "-x" -x "$exe"
same "-x substring" -x families
same "--session" --session "$ses" "${p[@]}"
same "--just-one" --just-one -sc close
same "-l" -l -sc socket
# AND of several
same "-p -sc openat -sv no" -p "$pid" -sc openat -sv no
same "-pp -sc exit_group -i" -pp "$pid" -sc exit_group -i
same "-f -sv no -x" -f "$work" -sv no -x "$exe"
same "-x -ts today -m CWD -i" -x "$exe" -ts today -m CWD -i

# --- the default log directory: -if DIR, and --input-logs from the configuration
out=$("$lausearch" -if "$dir/la/log" -p "$pid" --format raw | md5sum)
assert_eq "-if DIR" "$("$lausearch" -if "$bin" -p "$pid" --format raw | md5sum)" "$out"

# --- --count
assert_eq "--count" "$(grep -c "^type=SYSCALL .* pid=$pid " "$raw")" "$("$lausearch" -if "$bin" -p "$pid" --count)"
out=$("$lausearch" -if "$bin" -p 1 -sc openat2 -x nothing --count 2>&1)
assert_eq "--count, none: 0 and <no matches>, exit 1" "1 0
<no matches>" "$? $out"

# --- --format json: exact values of known events
"$lausearch" -if "$bin" --format json -pp "$pid" -sc execve > "$dir/execve.json"
"$lausearch" -if "$bin" --format json -p "$pid" -sc openat > "$dir/openat.json"
"$lausearch" -if "$bin" --format json -m DAEMON_START > "$dir/start.json"
r=$(python3 - "$dir" "$pid" "$exe" "$work" <<'EOF'
import json, sys
d, pid, exe, work = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
out = []
ev = [json.loads(l) for l in open(d + "/execve.json")]
true = [e for e in ev if e.get("EXECVE", {}).get("ARGV", [""])[0] == "/bin/true"][0]
s = true["SYSCALL"]
out.append(s["arch"] == "x86_64" and s["syscall"] == "execve" and s["success"] == "yes")
out.append(s["ppid"] == pid and s["exit"] == 0 and s["key"] is None)
out.append(true["EXECVE"] == {"argc": 7, "ARGV": ["/bin/true", "two words", "a\"quote",
           "new\nline", "caf\u00e9", "", "x" * 9999]})
out.append(true["PROCTITLE"]["ARGV"][:2] == ["/bin/true", "two words"])
out.append(true["CWD"] == {"cwd": work})
out.append([p["name"] for p in true["PATH"]][0] == "/bin/true")
out.append([p["item"] for p in true["PATH"]] == list(range(len(true["PATH"]))))
out.append(true["id"] == "%.3f:%d" % (true["time"], true["serial"]))
op = [json.loads(l) for l in open(d + "/openat.json")]
out.append(all(e["SYSCALL"]["pid"] == pid and e["SYSCALL"]["exe"] == exe
               and e["SYSCALL"]["comm"] == "families" for e in op))
out.append(len(op) == 15)
host = [e for e in op if any(p.get("name") == "/etc/hostname" for p in e["PATH"])]
out.append(len(host) == 1 and host[0]["PATH"][0]["nametype"] == "NORMAL")
out.append(isinstance(host[0]["PATH"][0]["inode"], int) and host[0]["PATH"][0]["mode"].startswith("0"))
st = [json.loads(l) for l in open(d + "/start.json")]
out.append(len(st) == 1 and st[0]["DAEMON_START"]["op"] == "start")
print(" ".join("ok" if o else "bad%d" % i for i, o in enumerate(out)))
EOF
)
assert_eq "--format json: values" "ok ok ok ok ok ok ok ok ok ok ok ok ok" "$r"
t_done
