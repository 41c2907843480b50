#!/usr/bin/env bash
# Parity with the real auditd: auditd (its own config and log directories, RAW,
# the rules of bench/lib.sh for the same 25 syscall families) and lauditd (RAW)
# run at the same time over one workload that makes syscalls of every family
# (tests/compat/families).  The events of the workload and of its children are
# taken from both log files, paired per pid in order, and compared record by
# record, field by field; only the stamp (msg=audit(...)) and key= are left out.
# Every difference is printed; each must be one of ALLOWED below, with its reason
# (README.md, "Differences from auditd", lists the same).  The kernel's audit
# state is saved before and restored afterwards, even on failure.
#
# usage: bash tests/compat/parity_test.sh BUILD_DIR
#        PARITY_KEEP=DIR copies both logs to DIR.
#        PARITY_RULES=FILE loads the audit rules of FILE into both daemons instead
#        (auditd's must include the execve of bench/lib.sh's mark), and compares
#        key= too; PARITY_WORKLOAD=NAME runs tests/compat/NAME instead of families,
#        PARITY_MIN_PIDS=N the processes it must show (5).
set -u
here=$(cd "$(dirname "$0")" && pwd)
# bench/lib.sh: auditd (ad_start, ad_stop), the kernel's audit state (bench_init
# saves it, audit_restore and bench_cleanup restore it).  tests/lib.sh comes
# second: its la_start and la_stop (lauditd on a directory, LA_PID) replace the
# benchmarks' own.
# shellcheck source=bench/lib.sh
. "$here/../../bench/lib.sh"
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
O=${1:-build}
t_skip_unless_root "parity_test"

# The differences allowed, one per line, columns separated by "|":
#   record: a type (PATH: every item), or a PATH item as PATH#ITEM, PATH:NAMETYPE
#     or PATH#ITEM:NAMETYPE (auditd's item number and nametype);
#   fields, comma-separated, or "-" for the whole record;
#   how: "absent" (auditd writes it, lauditd does not), "differs" (both write it,
#     with other values) or "any";
#   the syscalls where it may happen, comma-separated (NAME:failed: only when
#     the syscall failed), or "*";
#   why.
ALLOWED=$(
	cat <<- 'EOF'
		PROCTITLE | proctitle | differs | * | auditd keeps the proctitle of a task's first audited syscall for the task's whole life, even after execve (the kernel caches it in the task's audit context); lauditd writes the current one
		PATH | inode,dev,mode,ouid,ogid,rdev | absent | open:failed,openat:failed,creat:failed,openat2:failed,unlink,unlinkat,rmdir,rename,renameat,renameat2,chmod,fchmodat,chown,lchown,fchownat,truncate | an object named by a path and held by no file descriptor at exit is out of reach of the syscall tracepoints, lauditd's only eBPF hooks (no fentry, no kprobes); lauditd leaves these fields out, as auditd does for a failed lookup
		BPRM_FCAPS | - | absent | execve,execveat | the capabilities execve computes from the file's are not visible from the syscall tracepoints
		PATH#0 | inode,dev,mode,ouid,ogid,rdev | absent | execve,execveat | execve of a script: the script file is held by no file descriptor once its interpreter runs (the kernel tests check the attributes of an ordinary binary's item 0)
		PATH#1 | name | differs | execve,execveat | the ELF loader execve maps is named by its resolved path (/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2), not by the name the binary's PT_INTERP gives (/lib64/ld-linux-x86-64.so.2): the kernel reads that name from the file inside execve, out of the tracepoints' reach
		PATH#2 | name | differs | execve,execveat | as item 1, for a script's ELF loader (item 1 is then the script's interpreter, named as its #! line names it)
		PATH#3:DELETE | - | absent | rename,renameat,renameat2 | rename over an existing file: auditd adds a DELETE item for the replaced file; at exit it is gone
		PATH#4:CREATE | item | differs | rename,renameat,renameat2 | without the replaced file's DELETE item, the CREATE item is item 3, not 4
		SYSCALL | items | differs | rename,renameat,renameat2 | items= counts the PATH records written: one less without the replaced file's
		PATH | inode,dev,mode,ouid,ogid,rdev | absent | mkdir,mkdirat,mknod,mknodat,symlink,symlinkat,link,linkat,setxattr,lsetxattr,removexattr,lremovexattr,getxattr,lgetxattr,listxattr,llistxattr,mount,umount2,chroot,chdir,pivot_root | syscalls outside the families: as for unlink and rename, an object named by a path and held by no file descriptor at exit is out of reach of the syscall tracepoints
	EOF
)

command -v perl > /dev/null || {
	echo "FAIL: perl is missing"
	exit 1
}
workload=${PARITY_WORKLOAD:-families}
[ -x "$O/tests/compat/$workload" ] || {
	echo "FAIL: $O/tests/compat/$workload is missing (make O=$O all)"
	exit 1
}
# tests/lib.sh: the tools, the benchmarks' lock (one harness at a time starts
# auditd), no audit daemon running, the kernel's audit not locked.
t_auditd_prereq parity_test ausyscall

LA_PID=
# Saves the kernel's audit state, copies lauditd, sets B_TMP.
bench_init
LAUDITD=$B_LAUDITD
la_dir=$B_TMP/la-run
ad_dir=$B_TMP/ad-run

# On any exit: stop lauditd, then bench_cleanup stops auditd and restores the
# kernel's audit state (if the test has not done it already).
p_cleanup() {
	local rc=$?
	trap - EXIT
	t_la_kill
	if [ -n "${PARITY_KEEP:-}" ]; then
		mkdir -p "$PARITY_KEEP"
		cp "$ad_dir/log/audit.log" "$PARITY_KEEP/auditd.log" 2> /dev/null
		cp "$la_dir/log/audit.log" "$PARITY_KEEP/lauditd.log" 2> /dev/null
	fi
	# bench_cleanup exits with the status it finds in $?
	(exit "$rc")
	bench_cleanup
}
trap p_cleanup EXIT

# lauditd first, so that its start-up is not in auditd's log, with one log file
# like auditd's (nothing rotated away).  Then auditd, and a rule that keeps
# lauditd out of auditd's log: lauditd logs auditd's writes, auditd would log
# lauditd's writes of those, and so on.
if [ -n "${PARITY_RULES:-}" ]; then
	export AD_RULES=$PARITY_RULES
	mkdir -p "$la_dir"
	install -m 0600 "$PARITY_RULES" "$la_dir/audit.rules"
fi
la_start "$la_dir" "log_format = RAW" "max_log_file_action = IGNORE" || {
	echo "FAIL: lauditd did not start"
	exit 1
}
ad_start "$ad_dir"
auditctl -A exit,never -F arch=b64 -S all -F pid="$LA_PID" > "$B_TMP/never.out" 2>&1 || {
	echo "FAIL: auditctl -A exit,never -F pid=$LA_PID: $(cat "$B_TMP/never.out")"
	exit 1
}
mkdir "$B_TMP/work"
wpid=$("$O/tests/compat/$workload" "$B_TMP/work")
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
# lauditd captures every process on the machine: what it lost, by syscall
[ "$r" = ok ] || grep -a '^type=DAEMON_ERR.* op=lost ' "$la_dir/log/audit.log" | head -20
assert_eq "auditd lost no record (the kernel's lost counter)" 0 "$AD_LOST"
assert_eq "no auditd left running" "" "$(pgrep -x auditd)"
assert_eq "the kernel's audit enabled flag restored" "$ST_ENABLED" "$(audit_status enabled)"
assert_eq "no audit daemon registered with the kernel" 0 "$(audit_status pid)"
assert_eq "the kernel's backlog limit restored" "$ST_BACKLOG" "$(audit_status backlog_limit)"
assert_eq "the kernel's backlog wait time restored" "$ST_BWT" "$(audit_status backlog_wait_time)"
assert_eq "the kernel's failure mode restored" "$ST_FAILURE" "$(audit_status failure)"
assert_eq "the kernel's audit rules restored" "$(cat "$B_TMP/rules.saved")" "$(auditctl -l)"

case $wpid in
'' | *[!0-9]*)
	echo "FAIL: the workload printed no pid"
	exit 1
	;;
esac
ausyscall x86_64 --dump | awk 'NR > 1' > "$B_TMP/syscalls"
printf '%s\n' "$ALLOWED" > "$B_TMP/allowed"
# The comparison prints the differences and the tables, and leaves the figures
# the assertions need in $B_TMP/results.
perl - "$ad_dir/log/audit.log" "$la_dir/log/audit.log" "$wpid" \
	"$B_TMP/syscalls" "$B_TMP/allowed" "$B_TMP/results" "${PARITY_RULES:+key}" <<- 'PERL'
	use strict;
	use warnings;

	my ($alog, $llog, $wpid, $systab, $allowedf, $resultf, $keys) = @ARGV;
	my (%scname, @allowed);

	open(my $fh, '<', $systab) or die "$systab: $!";
	while (<$fh>) {
		$scname{$1} = $2 if /^(\d+)\s+(\S+)/;
	}
	close($fh);
	open($fh, '<', $allowedf) or die "$allowedf: $!";
	while (<$fh>) {
		chomp;
		next if /^\s*$/;
		my ($rec, $fields, $how, $sc, $why) = map { s/^\s+|\s+$//gr } split(/\|/, $_, 5);
		my ($type, $item, $nt) = $rec =~ /^(\w+)(?:#(\d+))?(?::(\w+))?$/ or die "ALLOWED: $rec";
		push @allowed, {
			rec => $rec, type => $type, item => $item, nt => $nt, how => $how, why => $why,
			fields => { map { $_ => 1 } split(/,/, $fields) }, fieldlist => $fields,
			sc => { map { $_ => 1 } split(/,/, $sc) }, n => 0,
		};
	}
	close($fh);

	# load(FILE): the events whose SYSCALL record has pid or ppid $wpid, by pid, in
	# the order of their SYSCALL records; an event is the records with its stamp.
	sub load {
		my ($file) = @_;
		my (%want, %bypid);
		open(my $in, '<', $file) or die "$file: $!";
		while (<$in>) {
			next unless /^type=SYSCALL msg=audit\(([^)]*)\):.* ppid=(\d+) pid=(\d+) /;
			next unless $2 == $wpid || $3 == $wpid;
			$want{$1} = { pid => $3, records => [], n => 1 + @{ $bypid{$3} // [] } };
			push @{ $bypid{$3} }, $want{$1};
		}
		seek($in, 0, 0) or die "$file: $!";
		while (my $line = <$in>) {
			chomp $line;
			next unless $line =~ /^type=(\S+) msg=audit\(([^)]*)\):(.*)$/;
			my $ev = $want{$2} or next;
			my ($type, $rest) = ($1, $3);
			my (@order, %val);
			for my $tok (split(' ', $rest)) {
				my ($k, $v) = $tok =~ /^([^=]*)=(.*)$/ ? ($1, $2) : ($tok, '');
				next if $k eq 'key' && !$keys;
				push @order, $k;
				$val{$k} = $v;
			}
			# the spaces before the first field, after the last, and wherever
			# two fields are not one space apart
			my ($lead) = $rest =~ /^( *)/;
			my ($trail) = $rest =~ /( *)$/;
			my @gaps;
			while ($rest =~ /\S( {2,})([^ =]*)/g) {
				push @gaps, "$2:" . length($1);
			}
			my $spacing = join(' ', 'first:' . length($lead), 'end:' . length($trail), @gaps);
			my $r = { type => $type, order => \@order, val => \%val, spacing => $spacing,
				  idx => scalar @{ $ev->{records} } };
			push @{ $ev->{records} }, $r;
			if ($type eq 'SYSCALL') {
				$ev->{syscall} = $val{syscall};
				$ev->{success} = $val{success} // '';
				$ev->{sig} = join(' ', map { $val{$_} // '' } qw(syscall a0 a1 a2 a3 exit));
				$ev->{comm} = $val{comm} // '';
			}
		}
		close($in);
		for my $ev (values %want) {
			my %n;
			for my $r (@{ $ev->{records} }) {
				my $k = $n{ $r->{type} }++;
				$r->{label} = $r->{type} eq 'PATH' ? 'PATH item=' . ($r->{val}{item} // '?')
				    : $k ? "$r->{type}\[$k]" : $r->{type};
			}
		}
		return \%bypid;
	}

	# lcs(X, Y): the index pairs of a longest common subsequence of two lists of keys
	sub lcs {
		my ($x, $y) = @_;
		my ($n, $m) = (scalar @$x, scalar @$y);
		my @t;
		for (my $i = $n; $i >= 0; $i--) {
			for (my $j = $m; $j >= 0; $j--) {
				$t[$i][$j] = ($i == $n || $j == $m) ? 0
				    : $x->[$i] eq $y->[$j] ? $t[$i + 1][$j + 1] + 1
				    : $t[$i + 1][$j] >= $t[$i][$j + 1] ? $t[$i + 1][$j] : $t[$i][$j + 1];
			}
		}
		my ($i, $j, @pairs) = (0, 0);
		while ($i < $n && $j < $m) {
			if ($x->[$i] eq $y->[$j]) {
				push @pairs, [$i++, $j++];
			} elsif ($t[$i + 1][$j] >= $t[$i][$j + 1]) {
				$i++;
			} else {
				$j++;
			}
		}
		return @pairs;
	}

	# align(X, Y, KEY, GAPS): the elements of X and Y as pairs [x, y], x or y undef
	# when the other list has no counterpart: equal keys pair in order (a longest
	# common subsequence); with GAPS, what is left between two such pairs pairs by
	# position.
	sub align {
		my ($x, $y, $key, $gaps) = @_;
		my @anchors = lcs([map { $key->($_) } @$x], [map { $key->($_) } @$y]);
		my ($i, $j, @out) = (0, 0);
		push @anchors, [scalar @$x, scalar @$y];
		for my $k (0 .. $#anchors) {
			my ($ai, $aj) = @{ $anchors[$k] };
			while ($gaps && $i < $ai && $j < $aj) {
				push @out, [$x->[$i++], $y->[$j++]];
			}
			push @out, [$x->[$i++], undef] while $i < $ai;
			push @out, [undef, $y->[$j++]] while $j < $aj;
			push @out, [$x->[$i++], $y->[$j++]] if $k < $#anchors;
		}
		return @out;
	}

	my $A = load($alog);
	my $L = load($llog);
	my ($records, $fields, $same, $unpaired, $reordered) = (0, 0, 0, 0, 0);
	my (%unexplained, %unexpl_type, %count_ad, %count_la, %paired_type, %diffs, @diff_order);

	# allowed(EVENT, RECORD, FIELD, HOW): the ALLOWED entry that explains it
	sub allowed {
		my ($ev, $r, $field, $how) = @_;
		my $sc = $scname{ $ev->{syscall} } // $ev->{syscall};
		for my $e (@allowed) {
			next unless $e->{type} eq $r->{type};
			next if defined $e->{item} && $e->{item} ne ($r->{val}{item} // '');
			next if defined $e->{nt} && $e->{nt} ne ($r->{val}{nametype} // '');
			next unless $e->{fields}{$field};
			next unless $e->{how} eq 'any' || $e->{how} eq $how;
			next unless $e->{sc}{'*'} || $e->{sc}{$sc} ||
			    ($e->{sc}{"$sc:failed"} && $ev->{success} eq 'no');
			return $e;
		}
		return undef;
	}

	sub short {
		my ($v) = @_;
		return '(absent)' unless defined $v;
		return length($v) > 60 ? substr($v, 0, 57) . '...' : $v;
	}

	# diff(EVENT, RECORD, FIELD, HOW, AUDITD, LAUDITD): one difference, counted
	# against its ALLOWED entry or as unexplained.  The same difference in several
	# events of a pid is printed once, with the syscalls and the count.
	sub diff {
		my ($ev, $r, $field, $how, $av, $lv) = @_;
		my $e = allowed($ev, $r, $field, $how);
		my $what = $field eq '-' ? '(record)' : $field;
		my $k = join("\0", $ev->{pid}, $r->{label}, $what, $av // '', $lv // '');
		my $d = $diffs{$k} //= { n => 0, sc => [], line => sprintf("%s %s: auditd=%s lauditd=%s%s",
		    $r->{label}, $what, short($av), short($lv), $e ? ' (allowed)' : ''),
		    pid => $ev->{pid} };
		push @diff_order, $k unless $d->{n}++;
		my $sc = $scname{ $ev->{syscall} } // $ev->{syscall};
		push @{ $d->{sc} }, $sc unless grep { $_ eq $sc } @{ $d->{sc} };
		if ($e) {
			$e->{n}++;
			return;
		}
		$unexplained{"$r->{type}\t$what\t$how"}++;
		my $kind = $field ne '-' ? 'field' : $how eq 'absent' ? 'missing' : 'extra';
		$unexpl_type{ $r->{type} }{$kind}++;
	}

	# the whole record as one value, for a record only one log has
	sub text {
		my ($r) = @_;
		return join(' ', map { "$_=$r->{val}{$_}" } @{ $r->{order} });
	}

	sub compare_records {
		my ($ev, $ra, $rl) = @_;
		$records++;
		$paired_type{ $ra->{type} }++;
		my %inl = map { $_ => 1 } @{ $rl->{order} };
		my %ina = map { $_ => 1 } @{ $ra->{order} };
		my @oa = grep { $inl{$_} } @{ $ra->{order} };
		my @ol = grep { $ina{$_} } @{ $rl->{order} };
		diff($ev, $ra, '(field order)', 'differs', "@oa", "@ol") if "@oa" ne "@ol";
		diff($ev, $ra, '(spacing)', 'differs', $ra->{spacing}, $rl->{spacing})
		    if $ra->{spacing} ne $rl->{spacing};
		for my $f (@{ $ra->{order} }, grep { !$ina{$_} } @{ $rl->{order} }) {
			my ($av, $lv) = ($ra->{val}{$f}, $rl->{val}{$f});
			$fields++;
			if (defined $av && defined $lv && $av eq $lv) {
				$same++;
			} else {
				my $how = !defined $lv ? 'absent' : !defined $av ? 'extra' : 'differs';
				diff($ev, $ra, $f, $how, $av, $lv);
			}
		}
	}

	sub compare_event {
		my ($ea, $el) = @_;
		my (@types, %seen);
		$count_ad{ $_->{type} }++ for @{ $ea->{records} };
		$count_la{ $_->{type} }++ for @{ $el->{records} };
		@types = grep { !$seen{$_}++ } map { $_->{type} } @{ $ea->{records} }, @{ $el->{records} };
		my @pairs;
		for my $t (@types) {
			# PATH items pair by nametype (an item one log lacks leaves the others
			# paired); the other records by rank
			my $key = $t eq 'PATH' ? sub { $_[0]{val}{nametype} // '' } : sub { '' };
			push @pairs, align([grep { $_->{type} eq $t } @{ $ea->{records} }],
					   [grep { $_->{type} eq $t } @{ $el->{records} }], $key, 1);
		}
		# the records both wrote come in the same order
		my @both = sort { $a->[0]{idx} <=> $b->[0]{idx} } grep { $_->[0] && $_->[1] } @pairs;
		my @lorder = map { $_->[1]{idx} } @both;
		if ("@lorder" ne join(' ', sort { $a <=> $b } @lorder)) {
			my %lab = map { $_->[1]{idx} => $_->[1]{label} } @both;
			my $ev = { type => 'EVENT', label => 'EVENT', val => {} };
			diff($ea, $ev, '(record order)', 'differs', join(',', map { $_->[0]{label} } @both),
			     join(',', map { $lab{$_} } sort { $a <=> $b } @lorder));
		}
		for my $p (@pairs) {
			my ($ra, $rl) = @$p;
			if ($ra && $rl) {
				compare_records($ea, $ra, $rl);
			} elsif ($ra) {
				diff($ea, $ra, '-', 'absent', text($ra), undef);
			} else {
				diff($ea, $rl, '-', 'extra', undef, text($rl));
			}
		}
	}

	open(my $res, '>', $resultf) or die "$resultf: $!";
	my %pids = map { $_ => 1 } keys %$A, keys %$L;
	for my $pid (sort { $a <=> $b } keys %pids) {
		my @ea = @{ $A->{$pid} // [] };
		my @el = @{ $L->{$pid} // [] };
		my $comm = @ea ? $ea[-1]{comm} : $el[-1]{comm};
		print $res "pid $pid $comm ", scalar(@ea), " ", scalar(@el), "\n";
		my (@only_a, @only_l);
		for my $p (align(\@ea, \@el, sub { $_[0]{syscall} }, 0)) {
			my ($ea, $el) = @$p;
			if ($ea && $el) {
				compare_event($ea, $el);
			} elsif ($ea) {
				push @only_a, $ea;
			} else {
				push @only_l, $el;
			}
		}
		# an event both have, elsewhere in the pid's order: same syscall,
		# arguments and result
		for my $ea (@only_a) {
			my ($k) = grep { $only_l[$_]{sig} eq $ea->{sig} } 0 .. $#only_l;
			if (defined $k) {
				my $el = splice(@only_l, $k, 1);
				printf "EVENT out of order: pid=%s syscall=%s is event %d of the pid in "
				    . "auditd's log, %d in lauditd's\n", $pid,
				    $scname{ $ea->{syscall} } // $ea->{syscall}, $ea->{n}, $el->{n};
				$reordered++;
				compare_event($ea, $el);
				next;
			}
			printf "EVENT only in auditd's log: pid=%s syscall=%s (event %d of the pid)\n",
			    $pid, $scname{ $ea->{syscall} } // $ea->{syscall}, $ea->{n};
			$unpaired++;
		}
		for my $el (@only_l) {
			printf "EVENT only in lauditd's log: pid=%s syscall=%s (event %d of the pid)\n",
			    $pid, $scname{ $el->{syscall} } // $el->{syscall}, $el->{n};
			$unpaired++;
		}
	}
	print $res "unpaired $unpaired\nreordered $reordered\n";
	for my $k (@diff_order) {
		my $d = $diffs{$k};
		my @sc = @{ $d->{sc} };
		my $sc = join(',', @sc > 4 ? (@sc[0 .. 3], '...') : @sc);
		printf "DIFF pid=%s syscall=%s %s%s\n", $d->{pid}, $sc, $d->{line},
		    $d->{n} > 1 ? " [$d->{n} events]" : '';
	}

	my %types = map { $_ => 1 } keys %count_ad, keys %count_la, keys %unexpl_type;
	print "\nrecords in the paired events:\n";
	printf "  %-12s %7s %7s %7s\n", 'type', 'auditd', 'lauditd', 'paired';
	for my $t (sort keys %types) {
		printf "  %-12s %7d %7d %7d\n", $t, $count_ad{$t} // 0, $count_la{$t} // 0,
		    $paired_type{$t} // 0;
		print $res join(' ', 'type', $t, $count_ad{$t} // 0, $count_la{$t} // 0,
		    map { $unexpl_type{$t}{$_} // 0 } qw(missing extra field)), "\n";
	}
	printf "records compared %d, fields compared %d, identical %d, different %d\n",
	    $records, $fields, $same, $fields - $same;
	print "\nallowed differences, by class:\n";
	printf "  %6d  %s %s (%s)%s\n", $_->{n}, $_->{rec}, $_->{fieldlist}, $_->{how},
	    $_->{n} ? "" : ": not seen in this run" for @allowed;
	print "unexplained differences, by class:", (%unexplained ? "\n" : " none\n");
	for my $c (sort keys %unexplained) {
		my ($t, $f, $how) = split(/\t/, $c);
		printf "  %6d  %s %s (%s)\n", $unexplained{$c}, $t, $f,
		    $how eq 'absent' ? "not in lauditd's log" : $how eq 'extra' ? "only in lauditd's log"
		    : 'values differ';
		print $res "unexplained $unexplained{$c}\n";
	}
	close($res) or die "$resultf: $!";
PERL
[ -s "$B_TMP/results" ] || {
	echo "FAIL: the comparison did not finish"
	exit 1
}
npid=0
# shellcheck disable=SC2034 # not every line has every column
while read -r what a b c d e f; do
	case $what in
	pid)
		npid=$((npid + 1))
		assert_eq "pid $a ($b): as many events in both logs" "$c" "$d"
		;;
	unpaired) assert_eq "per pid, every event in both logs (syscall, arguments, result)" 0 "$a" ;;
	reordered) assert_eq "per pid, the events in the same order" 0 "$a" ;;
	type)
		assert_eq "$a: auditd's records in lauditd's events, but the allowed (auditd $b, lauditd $c)" 0 "$d"
		assert_eq "$a: no record only in lauditd's events" 0 "$e"
		assert_eq "$a: fields identical, but the allowed differences" 0 "$f"
		;;
	esac
done < "$B_TMP/results"
min_pids=${PARITY_MIN_PIDS:-5}
[ "$npid" -ge "$min_pids" ] && r=ok || r="$npid pids"
assert_eq "the workload and its children are in the logs ($min_pids pids or more)" ok "$r"
assert_eq "every difference is an allowed one" 0 \
	"$(awk '$1 == "unexplained" { n += $2 } END { print n + 0 }' "$B_TMP/results")"
t_done
