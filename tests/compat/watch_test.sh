#!/usr/bin/env bash
# Watches side by side with the real auditd: auditd (its own config and log
# directories, RAW) and lauditd (RAW) loaded with the same rules (a file watch,
# a directory watch, path=, dir=, filetype=, perm=, a watch with -p x, an exclude
# rule) run at the same time over one workload: the watched file read, appended
# to, chmod-ed, replaced by rename, removed and created again; a file removed and
# one created in the watched directory's subtree; the other rules' hits and
# misses; files opened and removed by names relative to a directory file
# descriptor (openat(dirfd, name), unlinkat) under a dir= rule's directory and
# outside it, ".." included.  Every event of either log is compared: pid, syscall, success, exit and
# key, and its PATH items (name, nametype, and inode, dev, mode, ouid, ogid where
# lauditd has them: not for the paths no file descriptor holds at exit, see
# parity_test.sh) and CWD.  The kernel's audit state is restored afterwards.
#
# usage: bash tests/compat/watch_test.sh BUILD_DIR
#        WATCH_KEEP=DIR copies both logs to DIR.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/../../bench/lib.sh"
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
O=${1:-build}
t_skip_unless_root "watch_test"

command -v perl > /dev/null || {
	echo "FAIL: perl is missing"
	exit 1
}
t_auditd_prereq watch_test

LA_PID=
bench_init
LAUDITD=$B_LAUDITD
la_dir=$B_TMP/la-run
ad_dir=$B_TMP/ad-run
W=$B_TMP/w

# The rules of both (ad_start loads them into the kernel; it checks that they
# hold three -a always,exit rules).
ad_rules() {
	cat > "$1" <<- EOF
		-D
		-b 8192
		-w $W/file -p rwa -k wfile
		-w $W/dir -p wa -k wdir
		-w $B_MARK -p x -k mark
		-a always,exit -F arch=b64 -S openat -F path=$W/p -F perm=r -k pathr
		-a always,exit -F arch=b64 -S fchmodat -F dir=$W/d2 -k dir2
		-a always,exit -F arch=b64 -S openat -F dir=$W/d3 -F filetype=dir -k d3dir
		-a always,exit -F arch=b64 -S openat,unlinkat -F dir=$W/d4 -k atdir
		-a always,exclude -F msgtype=PROCTITLE
	EOF
}

w_cleanup() {
	local rc=$?
	trap - EXIT
	t_la_kill
	if [ -n "${WATCH_KEEP:-}" ]; then
		mkdir -p "$WATCH_KEEP"
		cp "$ad_dir/log/audit.log" "$WATCH_KEEP/auditd.log" 2> /dev/null
		cp "$la_dir/log/audit.log" "$WATCH_KEEP/lauditd.log" 2> /dev/null
	fi
	(exit "$rc")
	bench_cleanup
}
trap w_cleanup EXIT

mkdir -p "$W/dir/sub" "$W/d2/x" "$W/d3/y" "$W/d4/s" "$la_dir/rules.d"
echo data > "$W/file"
echo data > "$W/p"
touch "$W/dir/old" "$W/d2/x/f" "$W/d2/g" "$W/other" "$W/d4/s/f" "$W/d4/g" "$W/d4/s/gone" \
	"$W/gone2"
ad_rules "$la_dir/rules.d/audit.rules"
la_start "$la_dir" "log_format = RAW" "max_log_file_action = IGNORE" || {
	echo "FAIL: lauditd did not start"
	exit 1
}
ad_start "$ad_dir"
auditctl -A exit,never -F arch=b64 -S all -F pid="$LA_PID" > "$B_TMP/never.out" 2>&1 || {
	echo "FAIL: auditctl -A exit,never -F pid=$LA_PID: $(cat "$B_TMP/never.out")"
	exit 1
}
# The workload: each line a process of its own, the shell's redirections its own
# opens.
bash -c '
	W=$1
	cat "$W/file" > /dev/null
	echo more >> "$W/file"
	chmod 600 "$W/file"
	cat "$W/other" > /dev/null
	echo new > "$W/tmpf"
	mv "$W/tmpf" "$W/file"
	cat "$W/file" > /dev/null
	rm "$W/file"
	echo again > "$W/file"
	chmod 644 "$W/file"
	rm "$W/dir/old"
	echo x > "$W/dir/sub/new"
	cat "$W/dir/sub/new" > /dev/null
	chmod 700 "$W/dir"
	cat "$W/p" > /dev/null
	echo w >> "$W/p"
	chmod 600 "$W/d2/x/f" "$W/d2/g" "$W/other"
	ls "$W/d3" "$W/d3/y" "$W" > /dev/null
	python3 -c "
import os, sys
w = sys.argv[1]
d4 = os.open(w + \"/d4\", os.O_RDONLY | os.O_DIRECTORY)
top = os.open(w, os.O_RDONLY | os.O_DIRECTORY)
s = os.open(w + \"/d4/s\", os.O_RDONLY | os.O_DIRECTORY)
for fd, name in ((d4, \"s/f\"), (top, \"other\"), (top, \"d4/g\"), (s, \"../g\"), (s, \"../../other\")):
    os.close(os.open(name, os.O_RDONLY, dir_fd=fd))
os.unlink(\"d4/s/gone\", dir_fd=top)
os.unlink(\"gone2\", dir_fd=top)
" "$W"
' watch-workload "$W" &
wpid=$!
wait "$wpid"
assert_eq "the workload runs to its end" 0 $?
ad_stop "$ad_dir"
# shellcheck disable=SC2119 # tests/lib.sh's la_stop, which takes no argument
la_stop
LA_PID=
audit_restore

assert_eq "lauditd exits 0 after SIGTERM" 0 "$LA_RC"
end=$(grep -a '^type=DAEMON_END' "$la_dir/log/audit.log" | tail -1)
case $end in
*" lost=0") r=ok ;;
*) r=${end:-"no DAEMON_END"} ;;
esac
assert_eq "lauditd's DAEMON_END says lost=0" ok "$r"
assert_eq "auditd lost no record (the kernel's lost counter)" 0 "$AD_LOST"
assert_eq "no auditd left running" "" "$(pgrep -x auditd)"
assert_eq "the kernel's audit enabled flag restored" "$ST_ENABLED" "$(audit_status enabled)"
assert_eq "the kernel's audit rules restored" "$(cat "$B_TMP/rules.saved")" "$(auditctl -l)"

# Each log's events of the workload (its shell, the shell's children) and of the
# mark as lines: "pid syscall success exit key", then its PATH items and CWD,
# tab-separated, in the log's order per pid.  (Other processes may touch the
# watched paths: the test's cleanup, a search of /tmp.)
events() {
	WPID=$wpid perl -e '
		my (%ev, @order);
		while (<>) {
			next unless /^type=(\S+) msg=audit\(([^)]*)\): (.*)$/;
			my ($type, $stamp, $rest) = ($1, $2, $3);
			my %v = map { /^([^=]*)=(.*)$/ ? ($1, $2) : ($_, "") } split(" ", $rest);
			next if $type eq "SYSCALL" && $v{pid} != $ENV{WPID} && $v{ppid} != $ENV{WPID} &&
			    $v{comm} ne "\"lbench-mark\"";
			if ($type eq "SYSCALL") {
				push @order, $stamp;
				$ev{$stamp}{sys} = join(" ", map { "$_=" . ($v{$_} // "") }
				    qw(pid syscall success exit key));
				$ev{$stamp}{pid} = $v{pid};
			} elsif (!$ev{$stamp}) {
				next;
			} elsif ($type eq "PATH") {
				push @{ $ev{$stamp}{path} }, \%v;
			} elsif ($type eq "CWD") {
				$ev{$stamp}{cwd} = $v{cwd};
			} elsif ($type ne "EOE") {
				$ev{$stamp}{other}{$type}++;
			}
		}
		for my $s (sort { $ev{$a}{pid} <=> $ev{$b}{pid} } @order) {
			my $e = $ev{$s};
			my @p = map { my $p = $_; join(",", map { "$_=" . ($p->{$_} // "-") }
			    qw(name nametype inode dev mode ouid ogid)) } @{ $e->{path} // [] };
			print join("\t", $e->{sys}, "cwd=" . ($e->{cwd} // "-"), @p,
			    map { "record=$_" } sort keys %{ $e->{other} // {} }), "\n";
		}
	' "$1"
}
events "$ad_dir/log/audit.log" | grep -v 'key=(null)' > "$B_TMP/ad.events"
events "$la_dir/log/audit.log" | grep -v 'key=(null)' > "$B_TMP/la.events"

# parity_test.sh's ALLOWED differences: lauditd's PATH items have no attributes
# where no file descriptor held the object at exit, and no DELETE item for the
# file a rename replaced; execve has no BPRM_FCAPS record, and its ELF loader is
# named by its resolved path.
perl -e '
	my ($af, $lf) = @ARGV;
	sub rd { open(my $f, "<", $_[0]) or die; my @l = map { chomp; [split(/\t/)] } <$f>; return @l }
	my @a = rd($af);
	my @l = rd($lf);
	my ($same, $diff) = (0, 0);
	my %ln;
	push @{ $ln{ $_->[0] } }, $_ for @l;
	for my $e (@a) {
		my $m = shift @{ $ln{ $e->[0] } // [] };
		unless ($m) {
			print "ONLY IN AUDITD: $e->[0]\n";
			$diff++;
			next;
		}
		my ($sys, $acwd, @ap) = @$e;
		my (undef, $lcwd, @lp) = @$m;
		my @arec = grep { /^record=/ } @ap;
		my @lrec = grep { /^record=/ } @lp;
		@ap = grep { !/^record=/ } @ap;
		@lp = grep { !/^record=/ } @lp;
		my @why;
		my $syscall = $sys =~ /syscall=(\d+)/ ? $1 : 0;
		# execve (59): no BPRM_FCAPS, the ELF loader by its resolved path
		if ($syscall == 59) {
			@arec = grep { $_ ne "record=BPRM_FCAPS" } @arec;
			s/^name=[^,]*/name=(loader)/ for grep { /ld-linux/ } @ap, @lp;
		}
		push @why, "cwd $acwd / $lcwd" if $acwd ne $lcwd;
		push @why, "records @arec / @lrec" if "@arec" ne "@lrec";
		# the replaced file of a rename (82, 264, 316): its DELETE item, named as
		# the CREATE item
		if ($syscall == 82 || $syscall == 264 || $syscall == 316) {
			my %created = map { /^name=([^,]*),nametype=CREATE/ ? ($1, 1) : () } @ap;
			@ap = grep { !(/^name=([^,]*),nametype=DELETE/ && $created{$1}) } @ap;
		}
		if (@ap != @lp) {
			push @why, "PATH items " . scalar(@ap) . " / " . scalar(@lp);
		} else {
			for my $i (0 .. $#ap) {
				my %av = map { split(/=/, $_, 2) } split(/,/, $ap[$i]);
				my %lv = map { split(/=/, $_, 2) } split(/,/, $lp[$i]);
				for my $k (qw(name nametype inode dev mode ouid ogid)) {
					next if $lv{$k} eq "-" && $k ne "name" && $k ne "nametype";
					push @why, "PATH $i $k $av{$k} / $lv{$k}" if $av{$k} ne $lv{$k};
				}
			}
		}
		if (@why) {
			print "DIFFERS: $sys: ", join("; ", @why), "\n";
			$diff++;
		} else {
			$same++;
		}
	}
	for my $k (sort keys %ln) {
		for my $e (@{ $ln{$k} }) {
			print "ONLY IN LAUDITD: $e->[0]\n";
			$diff++;
		}
	}
	print "events $same identical, $diff different\n";
' "$B_TMP/ad.events" "$B_TMP/la.events" | tee "$B_TMP/compare"
n_ad=$(wc -l < "$B_TMP/ad.events")
echo "auditd's events:"
cut -f1 "$B_TMP/ad.events" | sed 's/^/  /'
[ "$n_ad" -ge 15 ] && r=ok || r="$n_ad events"
assert_eq "auditd logged the workload's watched events (15 or more)" ok "$r"
assert_eq "the same events, keys, PATH and CWD fields in both logs" \
	"events $n_ad identical, 0 different" "$(tail -1 "$B_TMP/compare")"
assert_eq "no PROCTITLE record in lauditd's log (the exclude rule)" 0 \
	"$(grep -c '^type=PROCTITLE' "$la_dir/log/audit.log")"
t_done
