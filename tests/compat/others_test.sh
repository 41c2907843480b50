#!/usr/bin/env bash
# Rules on syscalls outside the 25 families, side by side with the real auditd:
# both daemons load the same rules (an always rule per group with its keys, a
# never rule on uid 65534 placed first) and log tests/compat/others (mkdir,
# symlink, link, mknod, the xattrs, adjtimex, init_module and finit_module, mount
# and umount2 failing, sethostname, unshare, personality, 32-bit getpid, close and
# umask by int 0x80 where the kernel runs them, and a child with no privilege);
# parity_test.sh compares their events, records and fields, key= too.
#
# usage: bash tests/compat/others_test.sh BUILD_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
O=${1:-build}
rules=$(mktemp "${TMPDIR:-/tmp}/lauditd-others.XXXXXX")
trap 'rm -f "$rules"' EXIT
cat > "$rules" <<- 'RULES'
	-a never,exit -F arch=b64 -S mkdir,symlink -F uid=65534
	-a always,exit -F arch=b64 -S mkdir,mkdirat,symlink,symlinkat,link,linkat,mknod,mknodat -k files
	-a always,exit -F arch=b64 -S setxattr,lsetxattr,fsetxattr,removexattr -k files -k xattr
	-a always,exit -F arch=b64 -S adjtimex,init_module,finit_module,mount,umount2 -k k1
	-a always,exit -F arch=b64 -S sethostname,unshare,personality -k k1
	-a always,exit -F arch=b64 -S execve -k mark
	-a always,exit -F arch=b32 -S getpid,close,umask -k b32
RULES
PARITY_RULES=$rules PARITY_WORKLOAD=others PARITY_MIN_PIDS=2 bash "$here/parity_test.sh" "$O"
