# Shared by bench/run.sh and bench/rules.sh: the workloads, after the eAudit paper
# (IEEE S&P 2024).  The caller sets BIN (the benchmark programs), RDWR_N, SHBM_N,
# PM_FILES, PM_TRANS, FORK_N and HERE (bench/).
# shellcheck shell=bash

# wl_desc NAME: what the workload does, for the tables.
wl_desc() {
	case $1 in
	rdwr) echo "read+write of 64 B, regular files (1 MiB, rewound), $RDWR_N iterations: $((2 * RDWR_N)) syscalls" ;;
	rdwr-dev) echo "read /dev/zero + write /dev/null of 64 B, $RDWR_N iterations" ;;
	shbm) echo "fork + execve of /bin/echo, $SHBM_N times" ;;
	postmark) echo "Debian's postmark, $PM_FILES files, $PM_TRANS transactions, sizes 500-10000 B, 10 subdirectories" ;;
	find) echo "find /usr > /dev/null ($(find /usr | wc -l) entries)" ;;
	tar) echo "tar cf of /usr/include to a file ($(du -sm /usr/include | cut -f1) MiB)" ;;
	forkloop) echo "fork + _exit + wait, $FORK_N times" ;;
	esac
}

# wl_prepare NAME DIR: the workload's files (not timed).
wl_prepare() {
	case $1 in
	postmark)
		mkdir -p "$2/pm"
		sed -e "s|@LOCATION@|$2/pm|" -e "s|@FILES@|$PM_FILES|" -e "s|@TRANSACTIONS@|$PM_TRANS|" \
			"$HERE/postmark.pmrc" > "$2/postmark.cfg"
		;;
	esac
}

# wl_run NAME DIR: the workload itself (timed); its output goes to DIR/out.
wl_run() {
	case $1 in
	rdwr) "$BIN/rdwr" -T "$2" "$RDWR_N" 1 ;;
	rdwr-dev) "$BIN/rdwr" -d "$RDWR_N" 1 ;;
	shbm) "$BIN/shbm" "$SHBM_N" ;;
	postmark) postmark "$2/postmark.cfg" ;;
	find) find /usr ;;
	tar) tar cf "$2/usr-include.tar" -C / usr/include ;;
	forkloop) "$BIN/forkloop" "$FORK_N" ;;
	esac > "$2/out" 2> "$2/err"
}

# wl_summary DIR: the workload's own figures, one line.
wl_summary() {
	case $(head -c 5 "$1/out") in
	mode= | execs | forks) head -1 "$1/out" ;;
	*) grep -m1 'Time:' -A1 "$1/out" 2> /dev/null | tr -s ' \t\n' ' ' | sed 's/ $//' || true ;;
	esac
}
