#!/usr/bin/env bash
# lauditctl against a running lauditd, and the daemon's rules at start:
# - the rules a daemon loads are listed by `lauditctl -l` exactly as `lauditd -t` and the
#   real `auditctl -l` (after `auditctl -R` of the same rule lines) list them;
# - -a, -w, -d, -D change the list, each change logged as the kernel logs it
#   (CONFIG_CHANGE, exact fields, auid and ses of the lauditctl process);
# - -s has auditctl -s's layout, then lauditd's counters; -e 2 locks the rules;
# - a peer that is not root is refused; lauditd.conf and rule files that group or others
#   can write, or that root does not own, are refused with auditd's reasons;
# - -b sizes the rings unless lauditd.conf does; -f 0 makes losses silent, -f 2 halts
#   the machine (init 0: a stand-in bound over /sbin/init in lauditd's own mount
#   namespace, as in action_test.sh);
# - `lauditd -c` on a copy of Debian's /etc/audit (the auditd package's files).
# The kernel's audit state (rules, enabled flag) is saved first and restored at the end,
# as rules_test.sh does; only rule lines are loaded into the kernel, never -e 2 or -f 2.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
O=${1:-build}
t_skip_unless_root "lauditctl_test"
command -v auditctl > /dev/null || {
	echo "FAIL: auditctl is not installed (make deps)"
	exit 1
}
command -v setpriv > /dev/null || {
	echo "SKIPPED: lauditctl_test needs setpriv (util-linux)"
	exit 0
}
REAL_LAUDITD=$(realpath "$O/lauditd")
LAUDITD=$REAL_LAUDITD
CTL=$(realpath "$O/lauditctl")
if [ "$(audit_status enabled)" = 2 ]; then
	echo "SKIPPED: lauditctl_test: the kernel's audit configuration is locked (enabled 2)"
	exit 0
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/lauditctl.XXXXXX")
# nobody reaches the sockets through it (the peer check), writes nothing in it
chmod 711 "$dir"
t_audit_save "$dir"
cleanup() {
	trap - EXIT INT TERM
	[ -n "${LA_PID:-}" ] && kill -9 "$LA_PID" 2> /dev/null
	t_audit_restore && rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# la_stop, and no pid left for cleanup() to kill
stop() {
	la_stop
	LA_PID=
}
# The CONFIG_CHANGE records of log @1, without their stamps
config_changes() {
	sed -n 's/^type=CONFIG_CHANGE msg=audit([0-9.:]*): //p' "$1"
}

auid=$(cat /proc/self/loginuid)
ses=$(cat /proc/self/sessionid)

# --- the rules at start: lauditd -t, lauditctl -l, auditctl -l
r=$dir/run
mkdir -p "$r"
cat > "$r/audit.rules" << 'EOF'
-D
-b 320
-f 1
-a always,exit -F arch=b64 -S openat,open -F exit=-EACCES -F auid>=1000 -F auid!=unset -k access
-a exit,always -F arch=b64 -S unlinkat -S renameat -F success=0 -k delete
-w /etc/passwd -p wa -k identity
-w /etc/sudoers.d/ -p wa -k scope
-a always,exclude -F msgtype=CWD
EOF
chmod 600 "$r/audit.rules"
grep -E '^-(a|w)' "$r/audit.rules" > "$dir/kernel.rules"
chmod 600 "$dir/kernel.rules"
auditctl -e 0 > /dev/null
auditctl -D > /dev/null
auditctl -R "$dir/kernel.rules" > /dev/null 2>&1
auditctl -l > "$dir/auditctl.list"
auditctl -D > /dev/null
echo "log_file = $r/log/audit.log" > "$r/lauditd.conf"
"$LAUDITD" -t -c "$r" > "$dir/t.list" 2> /dev/null
assert_eq "lauditd -t lists what auditctl -l lists" "$(cat "$dir/auditctl.list")" \
	"$(cat "$dir/t.list")"
# no rotation: the CONFIG_CHANGE records are read from audit.log alone, which
# with no rules loaded takes every process's syscalls, however busy the machine
la_start "$r" "max_log_file_action = IGNORE" || exit 1
C=("$CTL" --socket "$r/ctl.sock")
"${C[@]}" -l > "$dir/ctl.list" 2>&1
assert_eq "lauditctl -l: exit 0" 0 $?
assert_eq "lauditctl -l lists what lauditd -t lists" "$(cat "$dir/t.list")" "$(cat "$dir/ctl.list")"
assert_eq "-b 320: rings of 320 x 2 KiB, rounded up to a power of two" 1 \
	"$(grep -c '; rings of 1024 KiB per CPU$' "$r/stderr")"

# --- -s: auditctl -s's layout, then lauditd's counters
"${C[@]}" -s > "$dir/s" 2>&1
assert_eq "lauditctl -s: exit 0" 0 $?
assert_eq "lauditctl -s: auditctl -s's fields in its order" \
	"$(auditctl -s | awk '{ print $1 }' | tr '\n' ' ')" \
	"$(head -n 10 "$dir/s" | awk '{ print $1 }' | tr '\n' ' ')"
assert_eq "lauditctl -s: the settings" \
	"enabled 1|failure 1|pid $LA_PID|rate_limit 0|backlog_limit 320|backlog 0|backlog_wait_time 60000|backlog_wait_time_actual 0|loginuid_immutable 0 unlocked|" \
	"$(head -n 10 "$dir/s" | grep -v '^lost ' | tr '\n' '|')"
assert_eq "lauditctl -s: lost is a number" ok \
	"$(grep -qE '^lost [0-9]+$' "$dir/s" && echo ok)"
assert_eq "lauditctl -s: lauditd's counters after" \
	"records lost_ring_full lost_too_large lost_no_stash faults truncated merged cache_full filtered " \
	"$(tail -n +11 "$dir/s" | awk '$2 ~ /^[0-9]+$/ { print $1 }' | tr '\n' ' ')"

# --- changes at run time, each logged
"${C[@]}" -a always,exit -F arch=b64 -S unlink -F 'key=gone'
assert_eq "-a: exit 0" 0 $?
"${C[@]}" -A always,exit -F arch=b64 -S chmod
"${C[@]}" -w /etc/shadow -p r
"${C[@]}" -a always,exit -F arch=b64 -S unlink -F 'key=gone' 2> "$dir/err"
assert_eq "-a of a rule already there: exit 1" 1 $?
assert_eq "-a of a rule already there: auditctl's message" \
	"Error sending add rule data request (Rule exists)" "$(cat "$dir/err")"
"${C[@]}" -a always,exit -F nosuchfield=1 2> "$dir/err"
assert_eq "a line the parser refuses: exit 1" 1 $?
assert_eq "a line the parser refuses: auditctl's message" "-F unknown field: nosuchfield" \
	"$(cat "$dir/err")"
"${C[@]}" -d always,exit -F arch=b64 -S unlink -F 'key=gone'
assert_eq "-d: exit 0" 0 $?
"${C[@]}" -l > "$dir/l2"
assert_eq "-l after -a, -A, -w, -d" "-a always,exit -F arch=b64 -S chmod
$(sed -n 1,4p "$dir/t.list")
-w /etc/shadow -p r
$(sed -n 5p "$dir/t.list")" "$(cat "$dir/l2")"
cat > "$dir/more.rules" << 'EOF'
-a always,exit -F arch=b64 -S kill -k kills
-a always,exit -F arch=b64 -S nosuchcall
-a always,exit -F arch=b64 -S tkill -k kills
EOF
chmod 600 "$dir/more.rules"
"${C[@]}" -R "$dir/more.rules" 2> "$dir/err"
assert_eq "-R stops at the first refused line: exit 1" 1 $?
assert_eq "-R: auditctl's message" "Syscall name unknown: nosuchcall" "$(cat "$dir/err")"
assert_eq "-R: the lines before the refused one are in" 1 \
	"$("${C[@]}" -l | grep -c -- '-S kill -F key=kills')"
"${C[@]}" -D
assert_eq "-D: exit 0" 0 $?
assert_eq "-D: no rules" "No rules" "$("${C[@]}" -l)"
chmod 644 "$dir/more.rules"
chmod o+w "$dir/more.rules"
"${C[@]}" -R "$dir/more.rules" 2> "$dir/err"
assert_eq "-R of a world-writable file: exit 1" 1 $?
assert_eq "-R of a world-writable file: the reason" "Error - $dir/more.rules is world writable" \
	"$(cat "$dir/err")"

# --- -e 2 locks the rules
"${C[@]}" -e 2
assert_eq "-e 2: exit 0" 0 $?
sh -c 'echo $$ > "$1"; shift; exec "$@"' sh "$dir/lpid" "${C[@]}" \
	-a always,exit -F arch=b64 -S open 2> "$dir/err"
assert_eq "-e 2, then -a: exit 1" 1 $?
lpid=$(cat "$dir/lpid")
assert_eq "-e 2, then -a: the kernel's refusal" \
	"Error sending add rule data request (Operation not permitted)" "$(cat "$dir/err")"
assert_eq "-e 2, then -l: still no rules" "No rules" "$("${C[@]}" -l)"
assert_eq "-e 2: -s says enabled 2" "enabled 2" "$("${C[@]}" -s | head -n 1)"

# --- a peer that is not root
setpriv --reuid=65534 --regid=65534 --clear-groups "${C[@]}" -l > "$dir/out" 2>&1
assert_eq "not root: exit 1" 1 $?
assert_eq "not root: the socket is root's (mode 0600)" \
	"lauditctl: cannot reach lauditd at $r/ctl.sock: Permission denied" "$(cat "$dir/out")"
assert_eq "the socket's mode" 600 "$(stat -c %a "$r/ctl.sock")"
chmod 666 "$r/ctl.sock"
setpriv --reuid=65534 --regid=65534 --clear-groups "${C[@]}" -l > "$dir/out" 2>&1
assert_eq "not root, the socket opened to all: exit 1" 1 $?
assert_eq "not root, the socket opened to all: refused by its credentials" \
	"Only root may control lauditd" "$(cat "$dir/out")"
chmod 600 "$r/ctl.sock"
stop
assert_eq "lauditd exits 0" 0 "$LA_RC"
assert_eq "the socket is removed at exit" gone "$([ -e "$r/ctl.sock" ] || echo gone)"
k='list=4 res=1'
assert_eq "CONFIG_CHANGE records, as the kernel writes them" \
	"auid=$auid ses=$ses op=add_rule key=\"gone\" $k
auid=$auid ses=$ses op=add_rule key=(null) $k
auid=$auid ses=$ses op=add_rule key=(null) $k
auid=$auid ses=$ses op=remove_rule key=\"gone\" $k
auid=$auid ses=$ses op=add_rule key=\"kills\" $k
auid=$auid ses=$ses op=remove_rule key=(null) $k
auid=$auid ses=$ses op=remove_rule key=\"access\" $k
auid=$auid ses=$ses op=remove_rule key=\"delete\" $k
auid=$auid ses=$ses op=remove_rule key=\"identity\" $k
auid=$auid ses=$ses op=remove_rule key=\"scope\" $k
auid=$auid ses=$ses op=remove_rule key=(null) $k
auid=$auid ses=$ses op=remove_rule key=\"kills\" $k
auid=$auid ses=$ses op=remove_rule key=(null) list=5 res=1
op=set audit_enabled=2 old=1 auid=$auid ses=$ses res=1
pid=$lpid uid=0 auid=$auid ses=$ses op=add_rule audit_enabled=2 res=0" \
	"$(config_changes "$r/log/audit.log")"
r2=$(ausearch -if "$r/log/audit.log" -m CONFIG_CHANGE -k kills --format raw 2> /dev/null |
	grep -c '^type=CONFIG_CHANGE')
assert_eq "ausearch -m CONFIG_CHANGE -k kills finds the rule's add and remove" 2 "$r2"

# --- files that are refused
b=$dir/bad
mkdir -p "$b"
echo "log_file = $b/log/audit.log" > "$b/lauditd.conf"
chmod 666 "$b/lauditd.conf"
out=$("$LAUDITD" -t -c "$b" 2>&1)
assert_eq "world-writable lauditd.conf: exit 1" 1 $?
assert_eq "world-writable lauditd.conf: the reason" \
	"lauditd: $b/lauditd.conf is world writable" "$out"
chmod 664 "$b/lauditd.conf"
assert_eq "group-writable lauditd.conf: the reason" \
	"lauditd: $b/lauditd.conf is group writable" "$("$LAUDITD" -t -c "$b" 2>&1)"
chmod 644 "$b/lauditd.conf"
chown 65534 "$b/lauditd.conf"
out=$("$LAUDITD" -f -c "$b" 2>&1)
assert_eq "lauditd.conf not owned by root: lauditd does not start" 1 $?
assert_eq "lauditd.conf not owned by root: the reason" \
	"lauditd: $b/lauditd.conf isn't owned by root" "$out"
chown 0 "$b/lauditd.conf"
echo "-a always,exit -S all" > "$b/audit.rules"
chmod 646 "$b/audit.rules"
out=$("$LAUDITD" -f -c "$b" 2>&1)
assert_eq "world-writable audit.rules: lauditd does not start" 1 $?
assert_eq "world-writable audit.rules: the reason" \
	"lauditd: $b/audit.rules is world writable
lauditd: not starting: a rule file was refused" "$out"
printf -- '-a always,exit -S all\n-a always,exit -F nosuch=1\n' > "$b/audit.rules"
chmod 600 "$b/audit.rules"
out=$("$LAUDITD" -f -c "$b" 2>&1)
assert_eq "a refused rule line: lauditd does not start" 1 $?
assert_eq "a refused rule line: where and why" \
	"lauditd: $b/audit.rules:2:16: -F unknown field: nosuch
lauditd: not starting: the rules did not load (auditctl -R would fail)" \
	"$(grep -v 'audit rules loaded' <<< "$out")"

# --- -b against ring_buffer_kb, -f 0
f=$dir/f0
mkdir -p "$f"
printf -- '-b 8192\n-f 0\n' > "$f/audit.rules"
chmod 600 "$f/audit.rules"
la_start "$f" "ring_buffer_kb = 64" "wakeup_percent = 100" "poll_interval_ms = 1000" || exit 1
"$O/tests/compat/workload" 200000 0 0 > /dev/null
stop
assert_eq "ring_buffer_kb of lauditd.conf wins over -b" 1 \
	"$(grep -c '; rings of 64 KiB per CPU$' "$f/stderr")"
lost=$(sed -n 's/^type=DAEMON_END.* lost=\([0-9]*\)$/\1/p' "$f/log/audit.log")
assert_eq "-f 0: records were lost" yes "$([ "${lost:-0}" -gt 0 ] && echo yes)"
assert_eq "-f 0: no DAEMON_ERR record" 0 "$(grep -c '^type=DAEMON_ERR' "$f/log/audit.log")"

# --- -f 2: a loss halts the machine (init 0, the stand-in)
if la_fake_init "$dir" "$REAL_LAUDITD"; then
	LAUDITD=$dir/ns-lauditd
	h=$dir/f2
	mkdir -p "$h"
	printf -- '-f 2\n' > "$h/audit.rules"
	chmod 600 "$h/audit.rules"
	la_start "$h" "ring_buffer_kb = 64" "wakeup_percent = 100" "poll_interval_ms = 1000" ||
		exit 1
	"$O/tests/compat/workload" 200000 0 0 > /dev/null
	for _ in $(seq 1 50); do
		[ -s "$dir/init.args" ] && break
		sleep 0.1
	done
	assert_eq "-f 2: init 0 ran (the stand-in)" 0 "$(cat "$dir/init.args" 2> /dev/null)"
	assert_eq "-f 2: said in the log" 1 \
		"$(grep -c 'records lost and the rules say -f 2: halting the system' "$h/stderr")"
	stop
	assert_eq "-f 2: DAEMON_ERR records too" yes \
		"$(grep -q '^type=DAEMON_ERR.* op=lost ' "$h/log/audit.log" && echo yes)"
	LAUDITD=$REAL_LAUDITD
else
	echo "note: no /sbin/init to stand in for, or no unshare: -f 2 not run"
fi

# --- lauditd -c on a copy of Debian's /etc/audit, made of the auditd package's files
e=$dir/etc-audit
if dpkg -L auditd > /dev/null 2>&1; then
	while IFS= read -r p; do
		[ -d "$p" ] && mkdir -p "$e${p#/etc/audit}" && continue
		[ -f "$p" ] && cp -p "$p" "$e${p#/etc/audit}"
	done < <(dpkg -L auditd | grep '^/etc/audit')
	chmod 750 "$e"
	sed -i "s|^log_file = .*|log_file = $e/log/audit.log|" "$e/auditd.conf"
	out=$("$LAUDITD" -t -c "$e" 2> "$dir/err")
	assert_eq "-c on /etc/audit: lauditd -t exits 0" 0 $?
	assert_eq "-c on /etc/audit: its rules (-D -b -f --backlog_wait_time)" "No rules" "$out"
	# 20: the keys of the auditd package's auditd.conf that lauditd reads
	assert_eq "-c on /etc/audit: auditd's keys lauditd does not use are warnings" \
		"$(grep -cE '^[a-z_0-9]+ *=' "$e/auditd.conf" | awk '{ print $1 - 20 }')" \
		"$(grep -c ': accepted for compatibility, has no effect$' "$dir/err")"
	echo "control_socket = $e/ctl.sock" >> "$e/auditd.conf"
	"$LAUDITD" -f -c "$e" 2> "$dir/e.stderr" &
	LA_PID=$!
	for _ in $(seq 1 300); do
		grep -q '^lauditd: capturing' "$dir/e.stderr" && break
		sleep 0.1
	done
	assert_eq "-c on /etc/audit: the daemon starts" 1 "$(grep -c '^lauditd: capturing' "$dir/e.stderr")"
	assert_eq "-c on /etc/audit: -b 8192 sizes the rings (16 MiB)" 1 \
		"$(grep -c '; rings of 16384 KiB per CPU$' "$dir/e.stderr")"
	assert_eq "-c on /etc/audit: lauditctl -s" "failure 1|backlog_limit 8192|backlog_wait_time 60000|" \
		"$("$CTL" --socket "$e/ctl.sock" -s | grep -E '^(failure|backlog_limit|backlog_wait_time) ' | tr '\n' '|')"
	stop
	assert_eq "-c on /etc/audit: lauditd exits 0" 0 "$LA_RC"
	assert_eq "-c on /etc/audit: ENRICHED, as its auditd.conf says" 1 \
		"$(grep -c $'^type=DAEMON_START .*\x1dAUID=' "$e/log/audit.log")"
else
	echo "note: the auditd package is not installed: -c on /etc/audit not run"
fi
t_done
