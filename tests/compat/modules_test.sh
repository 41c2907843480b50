#!/usr/bin/env bash
# The module syscalls side by side with the real auditd, on a kernel that may not
# implement them (no CONFIG_MODULES: no tracepoints, ENOSYS, logged from the raw
# sys_exit program alone): both daemons load 43-module-load's x86-64 rules and log
# tests/compat/others (init_module, finit_module and delete_module failing, by root
# and by a child with no privilege, among syscalls no rule names); parity_test.sh
# compares their events, records and fields, key= too.
#
# usage: bash tests/compat/modules_test.sh BUILD_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
O=${1:-build}
rules=$(mktemp "${TMPDIR:-/tmp}/lauditd-modules.XXXXXX")
trap 'rm -f "$rules"' EXIT
cat > "$rules" <<- 'RULES'
	-a always,exit -F arch=b64 -S init_module,finit_module,delete_module -k modules
RULES
PARITY_RULES=$rules PARITY_WORKLOAD=others PARITY_MIN_PIDS=2 bash "$here/parity_test.sh" "$O"
