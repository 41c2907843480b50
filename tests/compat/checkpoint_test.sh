#!/usr/bin/env bash
# lausearch --checkpoint and -ts checkpoint against the real ausearch: the same
# events (the golden segment as a binary log, and as auditd's RAW text), the same
# checkpoint before each search (its inode the input's own), the same output,
# exit status and checkpoint file after it (its inode left out).  A directory is
# searched, rotated (audit.log becomes audit.log.1 and a new audit.log starts) and
# searched again from its checkpoint.  No root.
#
# usage: bash tests/compat/checkpoint_test.sh BUILD_DIR
set -u
O=${1:-build}
LAUSEARCH=$(realpath "$O/lausearch")
G=$(realpath tests/data/binary/golden)
command -v ausearch > /dev/null || {
	echo "FAIL: ausearch is not installed (make deps)"
	exit 1
}
T=$(mktemp -d "${TMPDIR:-/tmp}/checkpoint-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export TZ=UTC LC_ALL=C
cd "$T" || exit 1
cp "$G.txt" g.txt
cp "$G.bin" g.bin
fail=0

# compare NAME: ausearch's and lausearch's output, status and checkpoint
compare() {
	sed 's/^inode=.*/inode=N/' ck.au > ck.au.n 2> /dev/null
	sed 's/^inode=.*/inode=N/' ck.la > ck.la.n 2> /dev/null
	if [ "$a" != "$l" ] || ! cmp -s out.au out.la || ! cmp -s ck.au.n ck.la.n; then
		echo "FAIL: $1: ausearch exits $a, lausearch $l"
		diff out.au out.la | head -5
		diff ck.au.n ck.la.n
		fail=1
	fi
}

# one search of each on its file, from the checkpoint "$1" (INODE: the file's)
search() {
	local ck=$1
	shift
	rm -f ck.au ck.la
	if [ -n "$ck" ]; then
		printf "$ck" | sed "s/INODE/$(stat -c %i g.txt)/" > ck.au
		printf "$ck" | sed "s/INODE/$(stat -c %i g.bin)/" > ck.la
	fi
	ausearch -if g.txt --checkpoint ck.au "$@" > out.au 2> /dev/null
	a=$?
	"$LAUSEARCH" -if g.bin --checkpoint ck.la "$@" > out.la 2> /dev/null
	l=$?
	compare "--checkpoint '$ck' $*"
}

dev=$(printf '0x%X' "$(stat -c %d g.txt)")
at7004="dev=$dev\ninode=INODE\noutput=- 1700000000.122:7004 0x514\n"
old="dev=$dev\ninode=INODE\noutput=- 1699999990.000:1 0x4B0\n"
search ""
search "" -m SYSCALL --format raw
search "" -k net
search "$at7004" -m SYSCALL --format raw
search "$at7004" -i
search "$at7004" -m EXECVE
search "$at7004" -ts checkpoint --format raw
search "$old" -m SOCKADDR
search "$old" -ts checkpoint -m SOCKADDR
search "foo\n"
search "dev=0x0\n"
search "dev=0x1\ninode=2\noutput=zz\n"
search "dev=0x1\ninode=2\noutput=- 1700000000.000:1 0x4B0\n" -k net

# a directory, rotated between two searches
mkdir -p au la
cp "$G.txt" au/audit.log
cp "$G.bin" la/audit.log
rm -f ck.au ck.la
dir_search() {
	ausearch -if au --checkpoint ck.au "$@" > out.au 2> /dev/null
	a=$?
	"$LAUSEARCH" -if la --checkpoint ck.la "$@" > out.la 2> /dev/null
	l=$?
	compare "-if DIR --checkpoint $*"
}
dir_search --format raw
mv au/audit.log au/audit.log.1
cp "$G.txt" au/audit.log
mv la/audit.log la/audit.log.1
cp "$G.bin" la/audit.log
dir_search --format raw
dir_search -m SYSCALL
# the checkpoint's log is gone: exit 10, the file kept
rm au/audit.log.1 la/audit.log.1
mv au/audit.log au/audit.log.1
mv la/audit.log la/audit.log.1
cp "$G.txt" au/audit.log
cp "$G.bin" la/audit.log
rm au/audit.log.1 la/audit.log.1
dir_search

[ $fail = 0 ] && echo "checkpoint_test: passed"
exit $fail
