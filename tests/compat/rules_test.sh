#!/usr/bin/env bash
# audit.rules against the real auditctl: for every file of the rule corpus
# (../shared/rules-corpus, beside the repository: community rule sets and Debian's
# examples), the kernel's rules are emptied, the file's rule lines (-a -A -d -w -W) are
# loaded one at a time with the real `auditctl -R` (a file of one line each: the same
# reading as auditctl -R of the whole file), recording which it accepts, and `auditctl -l`
# is kept.  Then `lauditd -t` reads the same file (with -c first, to go on past a refused
# line) and must refuse exactly the lines auditctl refused and print exactly what
# auditctl -l printed.  Control lines (-D -b -f -e -r -i -c ...) are not sent to the
# kernel.  The kernel's audit state (rules, enabled flag) is saved first and restored at
# the end, even on failure; auditing is off (-e 0) while the test runs.
#
# usage: bash tests/compat/rules_test.sh BUILD_DIR
#        RULES_ONLY=PATTERN: only the corpus files whose path matches PATTERN.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib.sh
. "$here/../lib.sh"
O=${1:-build}
root=$(cd "$here/../.." && pwd)
corpus=$root/../shared/rules-corpus
LAUDITD=$root/$O/lauditd
[ -x "$O/lauditd" ] && LAUDITD=$(cd "$(dirname "$O/lauditd")" && pwd)/lauditd

if [ "$(id -u)" != 0 ]; then
	echo "SKIPPED: rules_test needs root to load rules with auditctl"
	exit 0
fi
command -v auditctl > /dev/null || {
	echo "FAIL: auditctl is not installed (make deps)"
	exit 1
}
if [ ! -d "$corpus" ]; then
	echo "SKIPPED: rules_test: no rule corpus at ../shared/rules-corpus"
	exit 0
fi
[ -x "$LAUDITD" ] || {
	echo "FAIL: $O/lauditd is missing"
	exit 1
}
if [ "$(audit_status enabled)" = 2 ]; then
	echo "SKIPPED: rules_test: the kernel's audit configuration is locked (enabled 2)"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lauditd-rules.XXXXXX")
chmod 700 "$tmp"
t_audit_save "$tmp"
restore() {
	trap - EXIT INT TERM
	t_audit_restore && rm -rf "$tmp"
}
trap restore EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
auditctl -e 0 > /dev/null

files=0 listed=0 ad_ok=0 ad_bad=0 la_ok=0 la_bad=0 line_diff=0
while IFS= read -r f; do
	rel=${f#"$corpus"/}
	case "$rel" in *.md | SHA256SUMS | summarize.py | */README-rules) continue ;; esac
	[ -n "${RULES_ONLY:-}" ] && ! grep -q -- "$RULES_ONLY" <<< "$rel" && continue
	files=$((files + 1))
	auditctl -D > /dev/null 2>&1
	: > "$tmp/ad.refused"
	n=0
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		read -r first _ <<< "$line"
		case "$first" in
		-a* | -A* | -d* | -w* | -W*) ;;
		*) continue ;;
		esac
		printf '%s\n' "$line" > "$tmp/one.rules"
		if auditctl -R "$tmp/one.rules" > /dev/null 2>&1; then
			ad_ok=$((ad_ok + 1))
		else
			ad_bad=$((ad_bad + 1))
			echo "$n" >> "$tmp/ad.refused"
		fi
	done < "$f"
	auditctl -l > "$tmp/ad.list" 2>&1
	auditctl -D > /dev/null 2>&1

	rm -rf "$tmp/conf"
	mkdir -p "$tmp/conf"
	echo "log_file = $tmp/log/audit.log" > "$tmp/conf/lauditd.conf"
	{
		echo "-c"
		cat "$f"
	} > "$tmp/conf/audit.rules"
	chmod 600 "$tmp/conf/lauditd.conf" "$tmp/conf/audit.rules"
	"$LAUDITD" -t -c "$tmp/conf" > "$tmp/la.list" 2> "$tmp/la.err"
	# refused lines: "FILE:LINE:COLUMN: message" (not warnings), back to the file's numbering
	grep -v ': warning: ' "$tmp/la.err" | sed -n 's|^[^:]*audit\.rules:\([0-9]*\):[0-9]*: .*|\1|p' |
		awk '{ print $1 - 1 }' | sort -n -u > "$tmp/la.refused"
	sort -n -u "$tmp/ad.refused" -o "$tmp/ad.refused"
	while IFS= read -r l; do
		read -r first _ < <(sed -n "${l}p" "$f")
		case "$first" in
		-a* | -A* | -d* | -w* | -W*) la_bad=$((la_bad + 1)) ;;
		*) echo "NOTE: $rel:$l: lauditd refuses the control line: $(sed -n "${l}p" "$f")" ;;
		esac
	done < "$tmp/la.refused"
	total=$(awk '{ print $1 }' "$f" | grep -c -E '^-(a|A|d|w|W)')
	diffs=$(comm -3 "$tmp/ad.refused" "$tmp/la.refused")
	if [ -n "$diffs" ]; then
		line_diff=$((line_diff + $(wc -l <<< "$diffs")))
		for l in $(comm -23 "$tmp/ad.refused" "$tmp/la.refused"); do
			echo "  $rel:$l: auditctl refuses, lauditd accepts: $(sed -n "${l}p" "$f")"
		done
		for l in $(comm -13 "$tmp/ad.refused" "$tmp/la.refused"); do
			echo "  $rel:$l: lauditd refuses, auditctl accepts: $(sed -n "${l}p" "$f")"
			grep "audit\.rules:$((l + 1)):" "$tmp/la.err" | sed 's/^/    /'
		done
	fi
	assert_eq "$rel: lines refused ($(wc -l < "$tmp/ad.refused") of $total)" \
		"$(tr '\n' ' ' < "$tmp/ad.refused")" "$(tr '\n' ' ' < "$tmp/la.refused")"
	if cmp -s "$tmp/ad.list" "$tmp/la.list"; then
		listed=$((listed + 1))
		assert_eq "$rel: listing ($(wc -l < "$tmp/ad.list") lines)" same same
	else
		assert_eq "$rel: listing" "auditctl -l" "differs"
		diff "$tmp/ad.list" "$tmp/la.list" | head -20 | sed 's/^/    /'
	fi
done < <(find "$corpus" -type f | sort)
la_ok=$((ad_ok + ad_bad - la_bad))
echo "corpus: $files files; rule lines: auditctl accepts $ad_ok, refuses $ad_bad;" \
	"lauditd accepts $la_ok, refuses $la_bad; lines judged differently: $line_diff;" \
	"listings identical: $listed of $files"
t_done
