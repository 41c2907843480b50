# shellcheck shell=bash
# What remote_test.sh, remote_outage_test.sh and bench/remote_rss.sh share: the
# checks before they start a real auditd beside lauditd, the central auditd's
# configuration, and (remote_test.sh and remote_rss.sh) the whole set-up of a
# central auditd and a lauditd running Debian's audisp-remote towards it.
# Sourced after bench/lib.sh and tests/lib.sh.

# remote_prereq NAME [TOOL...]: the tools, audisp-remote, the benchmarks' lock;
# SKIPPED (exit 0) when the kernel's audit is locked or an audit daemon runs.
remote_prereq() {
	local name=$1
	shift
	[ -x /sbin/audisp-remote ] || {
		echo "FAIL: /sbin/audisp-remote is not installed (make deps: audispd-plugins)"
		exit 1
	}
	t_auditd_prereq "$name" unshare "$@"
}

# central_conf DIR PORT: DIR/etc/auditd.conf of a central auditd listening on
# 127.0.0.1:PORT, logging to DIR/log/audit.log, plugins in DIR/etc/plugins.d.
central_conf() {
	local ad=$1 port=$2
	mkdir -p "$ad/etc/plugins.d" "$ad/log"
	cat > "$ad/etc/auditd.conf" <<- EOF
		local_events = yes
		write_logs = yes
		log_file = $ad/log/audit.log
		log_format = RAW
		flush = INCREMENTAL_ASYNC
		freq = 50
		max_log_file = 0
		max_log_file_action = IGNORE
		num_logs = 5
		name_format = NONE
		space_left = 75
		space_left_action = SYSLOG
		admin_space_left = 50
		admin_space_left_action = SUSPEND
		disk_full_action = SUSPEND
		disk_error_action = SUSPEND
		tcp_listen_port = $port
		tcp_listen_queue = 5
		tcp_max_per_addr = 4
		use_libwrap = no
		tcp_client_max_idle = 0
		transport = TCP
		distribute_network = no
		q_depth = 2000
		overflow_action = SYSLOG
		max_restarts = 10
		plugin_dir = $ad/etc/plugins.d
	EOF
	chmod 0640 "$ad/etc/auditd.conf"
}

# sleeper PLUGINS_DIR: a plugin file for sleep, which leaves its signals as it
# found them.
sleeper() {
	printf 'active = yes\ndirection = out\npath = /usr/bin/sleep\ntype = always\nargs = 600\nformat = string\n' > "$1/sleep.conf"
	chmod 0640 "$1/sleep.conf"
}

# r_cleanup: at exit, the plugins left running, lauditd, then bench_cleanup
# (the central auditd, the kernel's audit state).
r_cleanup() {
	local rc=$?
	trap - EXIT
	# they ignore SIGTERM, as every plugin that sets no handler does
	[ -n "${SLEEPERS:-}" ] && kill -KILL $SLEEPERS 2> /dev/null
	t_la_kill
	(exit "$rc")
	bench_cleanup
}

# remote_setup: the central auditd (ad=$dir/central, on $port, a sleep plugin
# whose pid is $asleep) and lauditd (la=$dir/sender, started by la_start in a
# mount namespace with a tmpfs over /etc/audit) running audisp-remote towards
# it, as node sender-1; r_cleanup stops both at exit.
remote_setup() {
	LA_PID=
	bench_init
	REAL_LAUDITD=$B_LAUDITD
	dir=$B_TMP
	port=$((61000 + RANDOM % 2000))

	trap r_cleanup EXIT

	# --- the central auditd: network events only (no rules, the kernel's state unchanged)
	ad=$dir/central
	central_conf "$ad" "$port"
	sleeper "$ad/etc/plugins.d"
	auditd -n -s nochange -c "$ad/etc" > "$ad/stderr" 2>&1 &
	B_LOGGER_PID=$!
	B_LOGGER_KIND=auditd
	for _ in $(seq 1 100); do
		ss -ltn 2> /dev/null | grep -q ":$port " && break
		sleep 0.1
	done
	assert_eq "the central auditd listens on 127.0.0.1:$port" 1 "$(ss -ltn | grep -c ":$port ")"
	assert_eq "the central auditd loaded no rule" "$(cat "$B_TMP/rules.saved")" "$(auditctl -l)"
	for _ in $(seq 1 50); do
		asleep=$(pgrep -P "$B_LOGGER_PID" -x sleep) && break
		sleep 0.1
	done
	SLEEPERS=$asleep

	# --- lauditd with audisp-remote, in a mount namespace of its own
	la=$dir/sender
	mkdir -p "$la/plugins.d" "$la/etc-audit"
	cat > "$la/plugins.d/au-remote.conf" <<- EOF
		active = yes
		direction = out
		path = /sbin/audisp-remote
		type = always
		format = string
	EOF
	cat > "$la/etc-audit/audisp-remote.conf" <<- EOF
		remote_server = 127.0.0.1
		port = $port
		transport = tcp
		queue_file = $la/remote.queue
		mode = immediate
		queue_depth = 200000
		format = managed
		network_retry_time = 1
		max_tries_per_record = 3
		max_time_per_record = 5
		heartbeat_timeout = 0
		network_failure_action = syslog
		disk_low_action = ignore
		disk_full_action = warn_once
		disk_error_action = warn_once
		remote_ending_action = reconnect
		generic_error_action = syslog
		generic_warning_action = syslog
		queue_error_action = stop
		overflow_action = syslog
		startup_failure_action = warn_once_continue
	EOF
	chmod 0640 "$la/plugins.d/au-remote.conf" "$la/etc-audit/audisp-remote.conf"
	cat > "$dir/ns-lauditd" <<- EOF
		#!/bin/sh
		exec unshare -m --propagation private sh -c 'mount -t tmpfs -o mode=0750 tmpfs /etc/audit &&
			cp -p "$la/etc-audit/audisp-remote.conf" /etc/audit/ && exec "\$0" "\$@"' "$REAL_LAUDITD" "\$@"
	EOF
	chmod 0755 "$dir/ns-lauditd"
	LAUDITD=$dir/ns-lauditd
	la_start "$la" "max_log_file = 0" "disp_qos = lossless" "name_format = user" "name = sender-1" || exit 1
}
