#!/usr/bin/env bash
# The real ausearch and aureport answer questions about a known workload from
# lauditd's logs, RAW and then ENRICHED: every answer is compared with what
# tests/compat/families did (its syscalls, their results, its file names, its
# children), as auditd would have logged it.  The workload is static, so that
# no loader syscalls blur the counts; it runs in an empty directory.
#
# What families does, counted from its source, for its own pid after its execve
# (the events of the shell's fork before the execve are left out with -x):
#   143 events: 131 succeed, 11 fail (ftruncate EINVAL; 3 openat, chmod, rename
#   and unlink ENOENT; openat EEXIST; rmdir ENOTEMPTY; connect ECONNREFUSED;
#   kill ESRCH), and exit_group has no result.
#   41 name a file (CWD, PATH): 15 openat, open, creat, openat2, truncate,
#   2 chmod, fchmod, fchown, fchmodat, chown, lchown, fchownat, 2 rmdir,
#   5 unlink, unlinkat, 2 rename, renameat, renameat2, the unix bind, execve.
#   33 close, 8 socket, 4 bind, 3 connect, 3 write, 2 kill (OBJ_PID: kill,
#   tkill, tgkill, ptrace attach), 13 SOCKADDR, 3 FD_PAIR, one MMAP (a file).
#   Its children (ppid): execve of /bin/true and of a script, execveat of
#   /bin/sh; 4 exit_group (those three and a vfork child), one exit.
# /etc/hostname is opened: where it is missing, that open fails too.
#
# usage: bash tests/compat/search_test.sh BUILD_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
O=${1:-build}
LAUDITD=$O/lauditd
t_skip_unless_root "search_test"
for t in ausearch aureport; do
	command -v $t > /dev/null || {
		echo "FAIL: $t is not installed (make deps)"
		exit 1
	}
done
[ -x "$O/tests/compat/families" ] || {
	echo "FAIL: $O/tests/compat/families is missing (make O=$O all)"
	exit 1
}
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
# A copy of its own: no other process runs this executable.
cp "$O/tests/compat/families" "$dir/families"
exe=$(realpath "$dir/families")

# Who runs the test, as ausearch -i and --format text name it.
auid=$(cat /proc/self/loginuid)
ses=$(cat /proc/self/sessionid)
if [ "$auid" = 4294967295 ]; then
	auid_name="unset"
	subj="system"
elif [ "$auid" = 0 ]; then
	auid_name=root
	subj=root
else
	auid_name=$(getent passwd "$auid" | cut -d: -f1)
	[ -n "$auid_name" ] || auid_name="unknown($auid)"
	subj=$auid_name
fi
acting=", acting as root,"
[ "$auid" = 0 ] && acting=""
if [ "$ses" = 4294967295 ]; then
	ses_name="unset"
	oses=-1
else
	ses_name=$ses
	oses=$ses
fi
nohost=1
[ -e /etc/hostname ] && nohost=0

now() { date '+%x %T'; }

# The ausearch helpers read $log; count and records print how many events and
# how many records of a type ausearch --format raw finds.
count() {
	ausearch -if "$log" --format raw "$@" 2> /dev/null | grep -c '^type=SYSCALL'
}
records() { # TYPE OPTIONS...
	local type=$1
	shift
	ausearch -if "$log" --format raw "$@" 2> /dev/null | grep -c "^type=$type "
}
# nomatch OPTIONS...: ausearch's exit status and what it says.
nomatch() {
	local out rc
	out=$(ausearch -if "$log" "$@" 2>&1)
	rc=$?
	echo "$rc $out"
}
# types OPTIONS...: the record types of the events found, in the log's order.
types() {
	ausearch -if "$log" --format raw "$@" 2> /dev/null |
		sed -n 's/^type=\([A-Z0-9_]*\) .*/\1/p' | paste -sd' '
}
# interp TYPE OPTIONS...: ausearch -i's TYPE records, without their stamps.
interp() {
	local type=$1
	shift
	ausearch -if "$log" -i "$@" 2> /dev/null |
		sed -n "s/^type=$type msg=audit([^)]*) : \(.*\) \$/\1/p"
}
# stamps OPTIONS...: the stamps of the events found.
stamps() {
	ausearch -if "$log" --format raw "$@" 2> /dev/null |
		sed -n 's/^type=SYSCALL msg=audit(\([0-9.:]*\)).*/\1/p'
}
# lines_of STAMPFILE: the log's own lines of those events.
lines_of() {
	awk 'NR == FNR { want["msg=audit(" $1 "):"]; next } $2 in want' "$1" "$log"
}

# run FORMAT: lauditd logs the workload; sets d, full (the log), log (the
# workload's part of it), pid, work and the time marks (empty: a second wholly
# before the workload; t0..t1: around it; late: a second wholly after it).
run() {
	d=$dir/$1
	work=$d/work
	mkdir -p "$work"
	la_start "$d" "log_format = $1" "max_log_file_action = IGNORE" || exit 1
	empty=$(now)
	sleep 1.1
	t0=$(now)
	pid=$("$exe" "$work")
	t1=$(now)
	sleep 1.1
	late=$(now)
	la_stop
	LA_PID=
	assert_eq "$1: lauditd exits 0 after SIGTERM" 0 "$LA_RC"
	[ -n "$pid" ] || {
		echo "FAIL: families did not run"
		exit 1
	}
	full=$d/log/audit.log
	assert_eq "$1: nothing lost (DAEMON_END lost=0)" 0 \
		"$(sed -n 's/^type=DAEMON_END .* lost=\([0-9]*\).*/\1/p' "$full")"
	# ausearch 3.0.9 closes an event only when a record 2 s younger comes, and
	# compares each record with every open event: on the log of a machine busy
	# with other work it takes minutes.  So the searches read the events of the
	# workload and of its children, the log's own lines.
	grep -a -e " pid=$pid " -e " ppid=$pid " "$full" |
		sed -n 's/^type=SYSCALL \(msg=audit([0-9.:]*):\) .*/\1/p' > "$d/stamps"
	log=$d/workload.log
	awk 'NR == FNR { want[$1]; next } $2 in want' "$d/stamps" "$full" > "$log"
}

# searches FORMAT: what ausearch and aureport find, the same in both formats.
searches() {
	local f=$1 p ino dev maj min line ids want sub label
	p=(-p "$pid" -x "$exe")
	# "created" was renamed over "plain" at the end: its inode is plain's.
	ino=$(stat -c %i "$work/plain")
	read -r maj min < <(stat -c '%Hd %Ld' "$work/plain")
	dev=$(printf '%02x:%02x' "$maj" "$min")

	assert_eq "$f: ausearch -p -x: every event" 143 "$(count "${p[@]}")"
	assert_eq "$f: ausearch -p -c families" 143 "$(count -p "$pid" -c families)"
	assert_eq "$f: ausearch -p -x -ui 0" 143 "$(count "${p[@]}" -ui 0)"
	assert_eq "$f: ausearch -p -x -ua AUID" 143 "$(count "${p[@]}" -ua "$auid")"
	assert_eq "$f: ausearch -p -x -ui 1: none" "1 <no matches>" "$(nomatch "${p[@]}" -ui 1)"
	# lauditd has no rules, so no keys (key=(null)), as auditd's rules without -k
	assert_eq "$f: ausearch -p -x -k KEY: none" "1 <no matches>" \
		"$(nomatch "${p[@]}" -k lauditd)"

	# -sc, by name and by number
	assert_eq "$f: ausearch -sc openat" 15 "$(count "${p[@]}" -sc openat)"
	assert_eq "$f: ausearch -sc 257" 15 "$(count "${p[@]}" -sc 257)"
	assert_eq "$f: ausearch -sc open" 1 "$(count "${p[@]}" -sc open)"
	assert_eq "$f: ausearch -sc creat" 1 "$(count "${p[@]}" -sc creat)"
	assert_eq "$f: ausearch -sc openat2" 1 "$(count "${p[@]}" -sc openat2)"
	assert_eq "$f: ausearch -sc 0 (read)" 1 "$(count "${p[@]}" -sc 0)"
	assert_eq "$f: ausearch -sc write" 3 "$(count "${p[@]}" -sc write)"
	assert_eq "$f: ausearch -sc close" $((33 - nohost)) "$(count "${p[@]}" -sc close)"
	assert_eq "$f: ausearch -sc socket" 8 "$(count "${p[@]}" -sc socket)"
	assert_eq "$f: ausearch -sc bind" 4 "$(count "${p[@]}" -sc bind)"
	assert_eq "$f: ausearch -sc connect" 3 "$(count "${p[@]}" -sc connect)"
	assert_eq "$f: ausearch -sc unlink" 5 "$(count "${p[@]}" -sc unlink)"
	assert_eq "$f: ausearch -sc rename" 2 "$(count "${p[@]}" -sc rename)"
	assert_eq "$f: ausearch -sc kill" 2 "$(count "${p[@]}" -sc kill)"
	assert_eq "$f: ausearch -sc ptrace" 2 "$(count "${p[@]}" -sc ptrace)"
	assert_eq "$f: ausearch -sc fork" 1 "$(count "${p[@]}" -sc fork)"
	assert_eq "$f: ausearch -sc execve" 1 "$(count "${p[@]}" -sc execve)"
	assert_eq "$f: ausearch -sc exit_group" 1 "$(count "${p[@]}" -sc exit_group)"

	# -sv, -e
	assert_eq "$f: ausearch -sv yes" $((131 - nohost)) "$(count "${p[@]}" -sv yes)"
	assert_eq "$f: ausearch -sv no" $((11 + nohost)) "$(count "${p[@]}" -sv no)"
	assert_eq "$f: ausearch -e -ENOENT" $((6 + nohost)) "$(count "${p[@]}" -e -ENOENT)"
	assert_eq "$f: ausearch -e -2" $((6 + nohost)) "$(count "${p[@]}" -e -2)"
	assert_eq "$f: ausearch -e -EEXIST" 1 "$(count "${p[@]}" -e -EEXIST)"
	assert_eq "$f: ausearch -e -ECONNREFUSED" 1 "$(count "${p[@]}" -e -ECONNREFUSED)"
	assert_eq "$f: ausearch -sc openat -sv no" $((4 + nohost)) \
		"$(count "${p[@]}" -sc openat -sv no)"

	# -f: PATH names (hex-encoded ones too) and cwd
	assert_eq "$f: ausearch -f created" 10 "$(count "${p[@]}" -f created)"
	assert_eq "$f: ausearch -f plain -w" 6 "$(count "${p[@]}" -f plain -w)"
	assert_eq "$f: ausearch -f 'with space'" 2 "$(count "${p[@]}" -f 'with space')"
	assert_eq "$f: ausearch -f 'quote\"d'" 2 "$(count "${p[@]}" -f 'quote"d')"
	assert_eq "$f: ausearch -f 'new\\nline'" 1 "$(count "${p[@]}" -f $'new\nline')"
	assert_eq "$f: ausearch -f café" 1 "$(count "${p[@]}" -f $'caf\xc3\xa9')"
	assert_eq "$f: ausearch -f dir/inner" 2 "$(count "${p[@]}" -f dir/inner)"
	assert_eq "$f: ausearch -f sock" 2 "$(count "${p[@]}" -f sock)"
	assert_eq "$f: ausearch -f WORKDIR (cwd)" 40 "$(count "${p[@]}" -f "$work")"

	# -m: events with each record type, and the records
	assert_eq "$f: ausearch -m PATH" 41 "$(count "${p[@]}" -m PATH)"
	assert_eq "$f: ausearch -m CWD" 41 "$(count "${p[@]}" -m CWD)"
	assert_eq "$f: ausearch -m SOCKADDR" 13 "$(records SOCKADDR "${p[@]}" -m SOCKADDR)"
	assert_eq "$f: ausearch -m OBJ_PID" 4 "$(records OBJ_PID "${p[@]}" -m OBJ_PID)"
	assert_eq "$f: ausearch -m FD_PAIR" 3 "$(records FD_PAIR "${p[@]}" -m FD_PAIR)"
	assert_eq "$f: ausearch -m MMAP" 1 "$(records MMAP "${p[@]}" -m MMAP)"
	assert_eq "$f: ausearch -m OPENAT2" 1 "$(records OPENAT2 "${p[@]}" -m OPENAT2)"
	assert_eq "$f: ausearch -m EXECVE" 1 "$(records EXECVE "${p[@]}" -m EXECVE)"
	assert_eq "$f: ausearch -m PROCTITLE" 143 "$(records PROCTITLE "${p[@]}" -m PROCTITLE)"
	# each event's records, grouped as auditd writes them
	assert_eq "$f: openat2's records" "SYSCALL OPENAT2 CWD PATH PROCTITLE" \
		"$(types "${p[@]}" -sc openat2)"
	assert_eq "$f: execve's records" "SYSCALL EXECVE CWD PATH PROCTITLE" \
		"$(types "${p[@]}" -sc execve)"
	assert_eq "$f: kill's records" "SYSCALL OBJ_PID PROCTITLE" \
		"$(types "${p[@]}" -sc kill -sv yes)"
	assert_eq "$f: socketpair's records" "SYSCALL FD_PAIR PROCTITLE" \
		"$(types "${p[@]}" -sc socketpair)"
	assert_eq "$f: a file mmap's records" "SYSCALL MMAP PROCTITLE" "$(types "${p[@]}" -m MMAP)"
	assert_eq "$f: a unix bind's records" "SYSCALL SOCKADDR CWD PATH PATH PROCTITLE" \
		"$(types "${p[@]}" -sc bind -f sock)"

	# -pp: the children
	assert_eq "$f: ausearch -pp -sc execve" 2 "$(count -pp "$pid" -sc execve)"
	assert_eq "$f: ausearch -pp -sc execveat" 1 "$(count -pp "$pid" -sc execveat)"
	assert_eq "$f: ausearch -pp -m EXECVE" 3 "$(count -pp "$pid" -m EXECVE)"
	assert_eq "$f: ausearch -pp -sc exit_group" 4 "$(count -pp "$pid" -sc exit_group)"
	assert_eq "$f: ausearch -pp -sc exit" 1 "$(count -pp "$pid" -sc exit)"

	# -ts/-te; the marks are "DATE TIME", two words
	# shellcheck disable=SC2086
	{
		assert_eq "$f: ausearch -ts -te around the workload" 143 \
			"$(count "${p[@]}" -ts $t0 -te $t1)"
		assert_eq "$f: ausearch -ts -te a second before it" "1 <no matches>" \
			"$(nomatch -p "$pid" -ts $empty -te $empty)"
		assert_eq "$f: ausearch -te a second before it" "1 <no matches>" \
			"$(nomatch -p "$pid" -te $empty)"
		assert_eq "$f: ausearch -ts a second after it" "1 <no matches>" \
			"$(nomatch -p "$pid" -ts $late)"
	}

	# -i: the interpreted records
	line=$(interp SYSCALL "${p[@]}" -sc openat2)
	ids=${line#* pid=}
	ids="pid=${ids%% tty=*}"
	assert_eq "$f: ausearch -i: openat2's syscall, result, dirfd" \
		"arch=x86_64 syscall=openat2 success=yes exit=3 a0=AT_FDCWD" "${line%% a1=*}"
	assert_eq "$f: ausearch -i: openat2's ses, comm, exe, key" \
		"ses=$ses_name comm=families exe=$exe key=(null)" "ses=${line##* ses=}"
	want="pid=$pid auid=$auid_name$(printf ' %s=root' uid gid euid suid fsuid egid sgid fsgid)"
	assert_eq "$f: ausearch -i: openat2's ids" "$want" "$ids"
	want="item=0 name=created inode=$ino dev=$dev mode=file,640 ouid=root ogid=root rdev=00:00"
	want="$want nametype=NORMAL cap_fp=none cap_fi=none cap_fe=0 cap_fver=0 cap_frootid=0"
	assert_eq "$f: ausearch -i: openat2's PATH" "$want" "$(interp PATH "${p[@]}" -sc openat2)"
	assert_eq "$f: ausearch -i: openat2's CWD" "cwd=$work" "$(interp CWD "${p[@]}" -sc openat2)"
	assert_eq "$f: ausearch -i: a hex-encoded name" "item=1 name=with space nametype=DELETE" \
		"$(interp PATH "${p[@]}" -sc unlink -f 'with space' |
			sed -n 's/^\(item=1 .*\) cap_fp=.*/\1/p')"
	assert_eq "$f: ausearch -i: the first bind's SOCKADDR" \
		"saddr={ saddr_fam=inet laddr=127.0.0.1 lport=0 }" \
		"$(interp SOCKADDR "${p[@]}" -sc bind | head -1)"
	assert_eq "$f: ausearch -i: kill's OBJ_PID" \
		"oauid=$auid_name ouid=root oses=$oses ocomm=families" \
		"$(interp OBJ_PID "${p[@]}" -sc kill -sv yes | sed 's/^opid=[0-9]* //')"
	assert_eq "$f: ausearch -i: EXECVE" "argc=2 a0=$exe a1=$work" \
		"$(interp EXECVE "${p[@]}" -sc execve)"
	assert_eq "$f: ausearch -i: PROCTITLE" "proctitle=$exe $work" \
		"$(interp PROCTITLE "${p[@]}" -sc exit_group)"

	# --format csv and text
	line=$(ausearch -if "$log" --format csv "${p[@]}" -sc openat2 2> /dev/null)
	want="NODE,EVENT,DATE,TIME,SERIAL_NUM,EVENT_KIND,SESSION,SUBJ_PRIME,SUBJ_SEC,SUBJ_KIND"
	want="$want,ACTION,RESULT,OBJ_PRIME,OBJ_SEC,OBJ_KIND,HOW"
	assert_eq "$f: --format csv: the header" "$want" "$(head -1 <<< "$line")"
	want=",SYSCALL,audit-rule,$ses_name,$subj,root,privileged-acct"
	want="$want,opened-file,success,$work/created,$ino,file,$exe"
	assert_eq "$f: --format csv: openat2" "$want" "$(sed -n 2p <<< "$line" | cut -d, -f1,2,6-)"
	assert_eq "$f: --format csv: one line per event" 144 \
		"$(ausearch -if "$log" --format csv "${p[@]}" 2> /dev/null | wc -l)"
	assert_eq "$f: --format text: an openat" \
		"$subj$acting successfully opened-file $work/created using $exe" \
		"$(ausearch -if "$log" --format text "${p[@]}" -sc openat -f created 2> /dev/null |
			sed 's/^At [^ ]* [^ ]* //')"
	assert_eq "$f: --format text: a failed openat" \
		"$subj$acting unsuccessfully opened-file $work/does-not-exist using $exe" \
		"$(ausearch -if "$log" --format text "${p[@]}" -sc openat -f does-not-exist \
			2> /dev/null | sed 's/^At [^ ]* [^ ]* //')"

	# aureport, on the events of the workload and its children, then on its own
	assert_eq "$f: aureport -x --summary: the executable (with 2 children's exits)" 145 \
		"$(aureport -if "$log" -x --summary 2> /dev/null |
			awk -v e="$exe" '$2 == e { print $1 }')"
	stamps "${p[@]}" > "$d/pid.stamps"
	sub=$d/pid.log
	lines_of "$d/pid.stamps" > "$sub"
	aur() { aureport -if "$sub" "$@" 2> /dev/null; }
	for l in "events: 143" "failed syscalls: $((11 + nohost))" "executables: 1" "commands: 1" \
		"process IDs: 1" "users: 1" "files: 20" "keys: 0"; do
		assert_eq "$f: aureport --summary: $l" "Number of $l" \
			"$(aur --summary | grep -F "Number of ${l%%:*}:")"
	done
	assert_eq "$f: aureport -x --summary" "143 $exe" \
		"$(aur -x --summary | awk '$2 ~ /^\// { print $1, $2 }')"
	assert_eq "$f: aureport -x: a line per event" 143 "$(aur -x | grep -c '^[0-9]*\. ')"
	assert_eq "$f: aureport -p --summary" "143 $pid" \
		"$(aur -p --summary | awk '$2 ~ /^[0-9]+$/ { print $1, $2 }')"
	assert_eq "$f: aureport -u --summary -i" "143 $auid_name" \
		"$(aur -u --summary -i | tail -1 | awk '{ print $1, $2 }')"
	# aureport leaves syscall 0 (read) out of its syscall reports, with auditd's logs too
	for l in "$((33 - nohost)) close" "15 openat" "8 socket" "5 unlink" "4 bind" "3 connect" \
		"2 rename" "1 openat2" "1 execve" "1 exit_group"; do
		assert_eq "$f: aureport -s --summary: ${l#* }" "$l" \
			"$(aur -s --summary -i | awk -v s="${l#* }" '$2 == s { print $1, $2 }')"
	done
	assert_eq "$f: aureport -s: openat's lines" 15 "$(aur -s -i | awk '$4 == "openat"' | wc -l)"
	# The file summary counts PATH names (a relative name's parent is named by
	# the cwd), and a unix socket's path.
	for l in "10 created" "6 plain" "2 with space" "2 quote\"d" "1 new\\012line" \
		$'1 caf\xc3\xa9' "2 dir/inner" "2 script.sh" "3 sock" "1 /etc/hostname" \
		"21 $work"; do
		label=${l#* }
		assert_eq "$f: aureport -f --summary: ${label/#$work/WORKDIR}" "$l" \
			"$(aur -f --summary -i | sed 's/^\([0-9]*\)  /\1 /' | grep -xF "$l")"
	done
	assert_eq "$f: aureport -f: a line per event with a name" 41 \
		"$(aur -f -i | grep -c '^[0-9]*\. ')"
	assert_eq "$f: aureport -f: openat2" "created openat2 yes $exe $auid_name" \
		"$(aur -f -i | awk '$5 == "openat2" { print $4, $5, $6, $7, $8 }')"
}

run RAW
searches RAW

run ENRICHED
searches ENRICHED
# ENRICHED: ausearch -i prints the names stored in the log.  The stored names
# are those of this machine, so to tell them from a lookup, a copy of two events
# gets other stored names, which ausearch -i must print.
line=$(stamps -p "$pid" -x "$exe" -sc kill -sv yes)
stored=$'\x1d'"ARCH=x86_64 SYSCALL=kill AUID=\"$auid_name\" UID=\"root\" GID=\"root\" "
assert_eq "ENRICHED: the kill's SYSCALL stores its names" 1 \
	"$(grep -aF "type=SYSCALL msg=audit($line):" "$log" | grep -acF "$stored")"
{
	echo "$line"
	stamps -p "$pid" -x "$exe" -sc bind | head -1
} > "$d/tamper.stamps"
lines_of "$d/tamper.stamps" |
	sed -e 's/ AUID="[^"]*" UID="root"/ AUID="stored-auid" UID="stored-uid"/' \
		-e 's/ OUID="root"/ OUID="stored-ouid"/' \
		-e 's/lport=0 }$/lport=9 }/' > "$d/tamper.log"
log=$d/tamper.log
line=$(interp SYSCALL -sc kill)
assert_eq "ENRICHED: ausearch -i prints the stored AUID and UID" "auid=stored-auid uid=stored-uid" \
	"$(grep -o 'auid=[^ ]* uid=[^ ]*' <<< "$line")"
assert_eq "ENRICHED: ausearch -i prints the stored OUID" "ouid=stored-ouid" \
	"$(interp OBJ_PID -sc kill | grep -o ' ouid=[^ ]*' | tr -d ' ')"
assert_eq "ENRICHED: ausearch -i prints the stored SADDR" \
	"saddr={ saddr_fam=inet laddr=127.0.0.1 lport=9 }" "$(interp SOCKADDR -sc bind)"
t_done
