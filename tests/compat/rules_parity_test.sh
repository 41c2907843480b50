#!/usr/bin/env bash
# The same rules in the real auditd and in lauditd select the same events.  For
# each rule set, both run at the same time with the same rules (the test's own,
# alone, then with each of Debian's example files that the kernel takes, then
# with the STIG combination 30-stig + 31-privileged + 32-power-abuse +
# 43-module-load + 44-installers) over tests/compat/rulework, which does in a
# session of its own (login uid 1000) what such rules select: watched files
# written, read, chmod-ed, replaced; a file deleted in a watched directory; an
# open failing with EACCES; setuid, execve, kill; syscalls outside lauditd's 25
# families (mkdir, symlink, setxattr, adjtimex, failing init_module and mount);
# and a process that a never rule excludes.  The events of that session (ses=)
# are taken from both logs as (pid, syscall, success, exit, key), in each pid's
# order, and must be the same.
#
# The test's own rules: a never rule on uid 1001 first, the rule file, then
# watches on its directory and rules on the syscalls the workload makes.  From
# the rule files, the lines that set the kernel's state (-D, -b, -f, -e, -c, -i,
# --backlog_wait_time, --loginuid-immutable) are left out: the test sets
# those (auditd's in bench/lib.sh); a file the kernel refuses (a dir= rule on a
# directory this machine lacks, a watch in one) is named and left out.  The kernel's audit state
# is saved before and restored afterwards, even on failure.
#
# usage: bash tests/compat/rules_parity_test.sh BUILD_DIR
#        RULES_CORPUS=DIR (default ../shared/rules-corpus beside the project);
#        RULES_KEEP=DIR copies both logs of each set to DIR;
#        RULES_SETS="own 30-stig ..." runs only those sets.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/../../bench/lib.sh"
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
O=${1:-build}
t_skip_unless_root "rules_parity_test"
corpus=${RULES_CORPUS:-$here/../../../shared/rules-corpus}/debian
if [ ! -d "$corpus" ]; then
	echo "SKIPPED: rules_parity_test: no rule corpus at $corpus (RULES_CORPUS)"
	exit 0
fi
[ -x "$O/tests/compat/rulework" ] || {
	echo "FAIL: $O/tests/compat/rulework is missing (make O=$O all)"
	exit 1
}
t_auditd_prereq rules_parity_test

LA_PID=
bench_init
LAUDITD=$B_LAUDITD
# the workload's users 1000 and 1001 reach their files
chmod 0711 "$B_TMP"
work=$B_TMP/w

r_cleanup() {
	local rc=$?
	trap - EXIT
	t_la_kill
	(exit "$rc")
	bench_cleanup
}
trap r_cleanup EXIT

# strip FILE: the rule file without the lines that set the kernel's state
strip() {
	grep -v -E '^[[:space:]]*(-[DbfeciRs]([[:space:]]|$)|--backlog_wait_time|--loginuid-immutable|--reset-lost)' "$1" || true
}

# rules NAME FILE...: the set's rules, in $B_TMP/NAME.rules
rules() {
	local name=$1 f
	shift
	{
		echo "-a never,exit -F arch=b64 -S all -F uid=1001"
		# a dir= rule on a directory this machine lacks is refused by the kernel
		for f in "$@"; do
			strip "$f" | awk '
			/^-a/ && match($0, /-F dir=[^ ]+/) {
				d = substr($0, RSTART + 7, RLENGTH - 7)
				if (system("test -d " d) != 0) {
					print "left out (no " d "): " $0 > "/dev/stderr"
					next
				}
			}
			# and so is a watch in a directory it lacks
			/^-w / {
				d = $2
				sub(/\/[^\/]*\/?$/, "", d)
				if (d != "" && system("test -d " d) != 0) {
					print "left out (no " d "): " $0 > "/dev/stderr"
					next
				}
			}
			{ print }'
		done
		echo "-w $work/watched -p rwa -k watched"
		echo "-w $work/wdir -p wa -k wdir"
		echo "-w $work/replaced -p wa -k replaced"
		echo "-a always,exit -F arch=b64 -S setuid,setgid -F auid=1000 -k ids"
		echo "-a always,exit -F arch=b64 -S kill -F auid=1000 -k kill"
		echo "-a always,exit -F arch=b64 -S execve -F auid=1000 -k exec"
		echo "-a always,exit -F arch=b64 -S chmod -F auid=1000 -k chmod"
		echo "-a always,exit -F arch=b64 -S mkdir,symlink,mknod -F auid=1000 -k outside"
	} > "$B_TMP/$name.rules"
}

# fresh: the workload's directory, made anew before the loggers start (the
# watches are on its files' inodes)
fresh() {
	rm -rf "$work"
	mkdir -p "$work/wdir"
	chmod 0777 "$work"
	echo x > "$work/watched"
	echo x > "$work/replaced"
	echo x > "$work/secret"
	chmod 0600 "$work/secret"
}

# loads FILE: whether the kernel takes the rules (they are removed again)
loads() {
	local out
	auditctl -D > /dev/null 2>&1
	out=$(auditctl -R "$1" 2>&1)
	local rc=$?
	auditctl -D > /dev/null 2>&1
	if [ $rc != 0 ]; then
		local n
		n=$(echo "$out" | sed -n 's/.*error in line \([0-9]*\) of.*/\1/p' | head -1)
		echo "$(echo "$out" | grep -v -e '^No rules' -e 'error in line' | tail -1): ${n:+$(sed -n "${n}p" "$1")}"
	fi
	return $rc
}

# events LOG SES PID: pid syscall success exit key of the session's events but
# PID's, each pid's in log order
events() {
	awk -v ses="$2" -v skip="$3" '
	/^type=SYSCALL / && $0 ~ (" ses=" ses " ") && $0 !~ (" pid=" skip " ") {
		pid = ""; sc = ""; ok = ""; ex = ""; key = ""
		for (i = 1; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[1] == "pid") pid = kv[2]
			else if (kv[1] == "syscall") sc = kv[2]
			else if (kv[1] == "success") ok = kv[2]
			else if (kv[1] == "exit") ex = kv[2]
			else if (kv[1] == "key") key = substr($i, 5)
		}
		print pid, sc, ok, ex, key
	}' "$1" | sort -s -n -k1,1
}

# run_set NAME: both loggers on $B_TMP/NAME.rules over the workload; compares
run_set() {
	local name=$1 ladir=$B_TMP/$1-la addir=$B_TMP/$1-ad ses wpid n_ad n_la
	case " ${RULES_SETS:-$name} " in
	*" $name "*) ;;
	*) return ;;
	esac
	fresh
	mkdir -p "$ladir"
	cp "$B_TMP/$name.rules" "$ladir/audit.rules"
	la_start "$ladir" "log_format = RAW" "max_log_file_action = IGNORE" || {
		assert_eq "$name: lauditd starts with the rules" 0 1
		return
	}
	AD_RULES=$B_TMP/$name.rules ad_start "$addir"
	auditctl -A exit,never -F arch=b64 -S all -F pid="$LA_PID" > /dev/null
	"$O/tests/compat/rulework" "$work" > "$B_TMP/wout"
	assert_eq "$name: the workload runs to its end" 0 $?
	read -r ses wpid < "$B_TMP/wout"
	AD_RULES=$B_TMP/$name.rules ad_stop "$addir"
	# shellcheck disable=SC2119 # tests/lib.sh's la_stop
	la_stop
	LA_PID=
	audit_restore
	assert_eq "$name: lauditd exits 0" 0 "$LA_RC"
	assert_eq "$name: lauditd lost nothing" "lost=0" \
		"$(grep -a '^type=DAEMON_END' "$ladir/log/audit.log" | tail -1 | grep -o 'lost=[0-9]*')"
	assert_eq "$name: auditd lost nothing" 0 "$AD_LOST"
	events "$addir/log/audit.log" "$ses" "$wpid" > "$B_TMP/$name.ad"
	events "$ladir/log/audit.log" "$ses" "$wpid" > "$B_TMP/$name.la"
	n_ad=$(wc -l < "$B_TMP/$name.ad")
	n_la=$(wc -l < "$B_TMP/$name.la")
	echo "$name: auditd $n_ad events, lauditd $n_la"
	assert_eq "$name: the same events (pid, syscall, success, exit, key)" "" \
		"$(diff "$B_TMP/$name.ad" "$B_TMP/$name.la" | grep '^[<>]' | head -20)"
	if [ -n "${RULES_KEEP:-}" ]; then
		mkdir -p "$RULES_KEEP/$name"
		cp "$addir/log/audit.log" "$RULES_KEEP/$name/auditd.log"
		cp "$ladir/log/audit.log" "$RULES_KEEP/$name/lauditd.log"
		cp "$B_TMP/$name.rules" "$RULES_KEEP/$name/audit.rules"
	fi
	rm -rf "$ladir" "$addir"
}

fresh
rules own
run_set own
# The test's own rules alone select exactly these events (pids numbered in the
# order they appear; x86_64's syscall numbers): what the kernel does, which the
# list pins down.  The uid 1001 child's setgid is logged (its uid is still 0
# then), its setuid and chmod are not (the never rule); glibc's mknod is mknodat,
# which no rule names; the open after the rename over "replaced" is the watch
# following the name.  (Not when RULES_SETS leaves the set out.)
[ ! -f "$B_TMP/own.ad" ] || assert_eq "own: the events the kernel logs for the test's own rules" "$(
	cat <<- 'EOF'
		p1 257 yes 3 "watched"
		p1 257 yes 3 "watched"
		p1 90 yes 0 "watched"
		p1 257 yes 3 "wdir"
		p1 87 yes 0 "wdir"
		p1 82 yes 0 "replaced"
		p1 257 yes 3 "replaced"
		p1 83 yes 0 "outside"
		p1 88 yes 0 "outside"
		p1 257 yes 3 "watched"
		p1 257 yes 3 "watched"
		p1 257 yes 3 "watched"
		p2 106 yes 0 "ids"
		p2 105 yes 0 "ids"
		p2 62 yes 0 "kill"
		p2 90 yes 0 "chmod"
		p3 106 yes 0 "ids"
		p4 59 yes 0 "exec"
	EOF
)" "$(awk '!($1 in n) { n[$1] = "p" ++k } { $1 = n[$1]; print }' "$B_TMP/own.ad")"

for f in "$corpus"/[0-9]*.rules; do
	name=$(basename "$f" .rules)
	rules "$name" "$f"
	fresh
	if ! why=$(loads "$B_TMP/$name.rules"); then
		echo "$name: left out, the kernel refuses it: $why"
		continue
	fi
	grep -q '^-[aw]' <(strip "$f") || {
		echo "$name: left out, no rule in it"
		continue
	}
	run_set "$name"
done

stig=()
for f in 30-stig 32-power-abuse 43-module-load 44-installers; do
	stig+=("$corpus/$f.rules")
done
find /usr/bin /usr/sbin -type f -perm -04000 2> /dev/null | sort |
	awk '{ printf "-a always,exit -F path=%s -F perm=x -F auid>=1000 -F auid!=unset -F key=privileged\n", $1 }' \
		> "$B_TMP/31-privileged.generated"
stig+=("$B_TMP/31-privileged.generated")
rules stig "${stig[@]}"
run_set stig

# paths LOG: the workload's events (auid 1000) that its rules select: getppid, and
# the opens of its three files; each as pid (numbered in the order of these), syscall, success,
# exit, items, key, then each PATH record's item, name, nametype and whether it has
# the object's attributes (inode=)
paths() {
	awk '
	match($0, /msg=audit\([0-9.]+:[0-9]+\)/) { id = substr($0, RSTART, RLENGTH) }
	/^type=SYSCALL / && / auid=1000 / {
		pid = ""; line = ""
		for (i = 1; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[1] == "pid") pid = kv[2]
			else if (kv[1] ~ /^(syscall|success|exit|items|key)$/) line = line " " $i
		}
		ev[id] = line; who[id] = pid; order[++m] = id
	}
	/^type=PATH / && (id in ev) {
		line = ""
		for (i = 1; i <= NF; i++)
			if ($i ~ /^(item|name|nametype)=/) line = line " " $i
		path[id] = path[id] " |" line ($0 ~ / inode=/ ? " attrs" : "")
	}
	END {
		for (j = 1; j <= m; j++) {
			id = order[j]
			if (ev[id] !~ / syscall=110 / && path[id] !~ /tracing|hostname/)
				continue
			if (!(who[id] in n)) n[who[id]] = "p" ++k
			print n[who[id]] ev[id] path[id]
		}
	}' "$1"
}

# The task and filesystem lists: a never task rule on uid 1001, an always one on
# uid 1002, a never filesystem rule on tracefs, over a session that opens two
# files in tracefs and one elsewhere, and forks as root, as uid 1001 and as uid
# 1002 (setpriv, after its fork).
task_set() {
	local ladir=$B_TMP/task-la addir=$B_TMP/task-ad
	case " ${RULES_SETS:-task} " in
	*" task "*) ;;
	*) return ;;
	esac
	if [ ! -e /sys/kernel/tracing/trace_clock ] || ! command -v perl > /dev/null ||
		! command -v setpriv > /dev/null; then
		echo "task: left out, no tracefs at /sys/kernel/tracing, or no perl or setpriv"
		return
	fi
	cat > "$B_TMP/task.rules" <<- 'EOF'
		-a never,filesystem -F fstype=tracefs
		-a never,task -F uid=1001
		-a always,task -F uid=1002
		-a always,exit -F arch=b64 -S openat,getppid -F auid=1000 -k w
	EOF
	cat > "$B_TMP/task.sh" <<- 'EOF'
		echo 1000 > /proc/self/loginuid
		perl -e 'open(F, "</sys/kernel/tracing/trace_clock"); open(F, "</etc/hostname");
			open(F, "</sys/kernel/tracing/nonexistent"); getppid();
			if (!fork()) { getppid(); exit 0 } wait'
		for u in 1001 1002; do
			setpriv --reuid=$u --regid=$u --clear-groups perl -e 'getppid();
				if (!fork()) { getppid(); open(F, "</etc/hostname"); exit 0 } wait'
		done
	EOF
	mkdir -p "$ladir"
	cp "$B_TMP/task.rules" "$ladir/audit.rules"
	la_start "$ladir" "log_format = RAW" "max_log_file_action = IGNORE" || {
		assert_eq "task: lauditd starts with the rules" 0 1
		return
	}
	AD_RULES=$B_TMP/task.rules ad_start "$addir"
	bash "$B_TMP/task.sh"
	AD_RULES=$B_TMP/task.rules ad_stop "$addir"
	# shellcheck disable=SC2119 # tests/lib.sh's la_stop
	la_stop
	LA_PID=
	audit_restore
	assert_eq "task: lauditd exits 0" 0 "$LA_RC"
	paths "$addir/log/audit.log" > "$B_TMP/task.ad"
	paths "$ladir/log/audit.log" > "$B_TMP/task.la"
	echo "task: auditd $(wc -l < "$B_TMP/task.ad") events, lauditd $(wc -l < "$B_TMP/task.la")"
	# what the kernel does: the name of an object in tracefs is kept (items=1),
	# as UNKNOWN without its attributes; the uid 1001 process, forked as root,
	# is audited, its child forked as uid 1001 is not; the child forked as uid
	# 1002 has every syscall logged, with no key (the exit list is not tried)
	assert_eq "task: the events the kernel logs for the task and filesystem lists" "$(
		cat <<- 'EOF'
			p1 syscall=257 success=yes exit=3 items=1 key="w" | item=0 name="/sys/kernel/tracing/trace_clock" nametype=UNKNOWN
			p1 syscall=257 success=yes exit=3 items=1 key="w" | item=0 name="/etc/hostname" nametype=NORMAL attrs
			p1 syscall=257 success=no exit=-2 items=1 key="w" | item=0 name="/sys/kernel/tracing/nonexistent" nametype=UNKNOWN
			p1 syscall=110 success=yes exit=1 items=0 key="w"
			p2 syscall=110 success=yes exit=1 items=0 key="w"
			p3 syscall=110 success=yes exit=1 items=0 key="w"
			p4 syscall=110 success=yes exit=1 items=0 key="w"
			p5 syscall=110 success=yes exit=1 items=0 key=(null)
			p5 syscall=257 success=yes exit=3 items=1 key=(null) | item=0 name="/etc/hostname" nametype=NORMAL attrs
		EOF
	)" "$(sed 's/exit=[0-9][0-9]* items=0/exit=1 items=0/' "$B_TMP/task.ad")"
	assert_eq "task: the same events and PATH records" "" \
		"$(diff "$B_TMP/task.ad" "$B_TMP/task.la" | grep '^[<>]' | head -20)"
	rm -rf "$ladir" "$addir"
}
task_set
t_done
