#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""The cache filter's dependence checker.

usage: provgraph.py DIR_OFF LOG_OFF DIR_ON LOG_ON

Builds the provenance graph of provwork's run (tests/compat/provwork.c) from
each log (auditd's RAW text): processes, files, the pipe and the two
directions of the socket pair are nodes; every read-like or write-like syscall
that succeeded is a flow between a process and an object, at the time of its
record, which spans from the first syscall to the last one's end when the
record stands for merged ones (merged=, merged_us=).  An open's record that
the reads or writes on its descriptor joined (merged_flow=read or write) is
that flow too, from its first syscall (merged_flow_us= after the open) to the
last one's end.  Times are numbered by
the workload's steps (pw-main's close(1000 + N) marks step N), which are the
same in both runs, where pids, inodes and clock are not.

Then it asserts that the two graphs have the same nodes and flows, that every
flow stands for as many syscalls in the log written with the filter on (one per
record plus its merged=) as in the one written with it off, and that forward
and backward tracking from every node reach the same nodes at the same steps
through the same flows.  Forward tracking follows a flow out of a node reached
at step T when the flow has a syscall at T or later, and reaches its other end
at the first such step; backward tracking follows a flow into a node needed at
step T when the flow has a syscall at T or earlier.  A merged record's syscalls
are only known to lie within its span, so the test holds with the filter on only
if merging left no span across a step where it would change the answer.

Prints, for each flow, "FLOW SYSCALLS RECORDS_OFF RECORDS_ON", then "ok" with
the counts; exits 1 with the differences otherwise.
"""
import re
import sys

READ = {0, 17, 19, 295, 327, 45, 47}  # read pread64 readv preadv preadv2 recvfrom recvmsg
# write pwrite64 writev pwritev pwritev2 sendto sendmsg sendmmsg
WRITE = {1, 18, 20, 296, 328, 44, 46, 307}
OPEN = {2, 85, 257, 437}  # open creat openat openat2
CLONE = {56, 57, 58, 435}  # clone fork vfork clone3
PIPE = {22, 293}  # pipe pipe2
SOCKETPAIR = 53
CLOSE = 3
DUP = {32, 33, 292, 72}  # dup dup2 dup3 fcntl (F_DUPFD and F_DUPFD_CLOEXEC only are captured)
MARK = 1000  # pw-main's close(MARK + step) marks a step
NEVER = 1 << 30

STAMP = re.compile(r"msg=audit\((\d+)\.(\d+):(\d+)\)")
FIELD = re.compile(r' ([a-z_0-9]+)=("[^"]*"|[^ ]*)')


def fields(line):
    """The name=value pairs of a record, quotes taken off."""
    out = {}
    for k, v in FIELD.findall(" " + line):
        out.setdefault(k, v[1:-1] if v.startswith('"') else v)
    return out


def unhex(v):
    """auditd writes a name with unusual bytes in hex, without quotes."""
    if re.fullmatch(r"([0-9A-F]{2})+", v):
        return bytes.fromhex(v).decode("utf-8", "replace")
    return v


def events(path):
    """The log's events in order: (ms, {type: [fields, ...]})."""
    evs = {}
    order = []
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            m = STAMP.search(line)
            if not m or not line.startswith("type="):
                continue
            key = m.group(0)
            if key not in evs:
                ms = int(m.group(1)) * 1000 + int(m.group(2))
                evs[key] = (ms, {})
                order.append(key)
            typ = line[5 : line.index(" ")]
            evs[key][1].setdefault(typ, []).append(fields(line))
    return [evs[k] for k in order]


def bound(table, fd, ms):
    """The object descriptor @fd named at time @ms: its last binding at or before it."""
    obj = None
    for t, o in table.get(fd, []):
        if t <= ms:
            obj = o
    return obj


class Graph:
    """The flows of one log: {(src, dst): [(first step, last step, syscalls)]}."""

    def __init__(self, log, workdir):
        self.flows = {}
        self.marks = {}
        self.records = {}
        raw = []
        # pid: {fd: [(ms, object)]}, every binding of the number with its time: a
        # record resolves its descriptor when the log is read to the end, as a dup
        # or a close merged into a record is written later than its time
        fds = {}
        comm = {}
        pairs = 0
        pipes = 0
        workdir = workdir.rstrip("/") + "/"
        for ms, recs in sorted(events(log), key=lambda e: e[0]):
            if "SYSCALL" not in recs:
                continue
            s = recs["SYSCALL"][0]
            if not s.get("comm", "").startswith("pw-"):
                continue
            pid = int(s["pid"])
            comm[pid] = s["comm"]
            nr = int(s["syscall"])
            ret = int(s.get("exit", "0"))
            a0 = int(s.get("a0", "0"), 16)
            table = fds.setdefault(pid, {})
            if nr == CLOSE and s["comm"] == "pw-main" and ret == -9 and a0 > MARK:
                self.marks[a0 - MARK] = ms
            elif nr in CLONE and ret > 0:
                fds[ret] = {fd: list(b) for fd, b in table.items()}
            elif nr in OPEN and ret >= 0:
                names = [
                    p for p in recs.get("PATH", []) if p.get("nametype") in ("NORMAL", "CREATE")
                ]
                name = unhex(names[-1]["name"]) if names else "?"
                if name.startswith(workdir):
                    name = name[len(workdir) :]
                table.setdefault(ret, []).append((ms, "file:" + name))
                flow = s.get("merged_flow")
                if flow in ("read", "write"):
                    # the reads or writes joined it (the close too: no flow)
                    merged = int(s["merged"]) - int(s.get("merged_close", "0"))
                    t0 = ms + int(s.get("merged_flow_us", "0")) // 1000
                    last = ms + int(s.get("merged_us", "0")) // 1000
                    failed = int(s.get("merged_failed", "0"))
                    raw.append((pid, 0 if flow == "read" else 1, ret, t0, last, merged, failed))
            elif nr in PIPE and ret == 0 and "FD_PAIR" in recs:
                p = recs["FD_PAIR"][0]
                for fd in (int(p["fd0"]), int(p["fd1"])):
                    table.setdefault(fd, []).append((ms, "pipe:%d" % pipes))
                pipes += 1
            elif nr == SOCKETPAIR and ret == 0 and "FD_PAIR" in recs:
                p = recs["FD_PAIR"][0]
                table.setdefault(int(p["fd0"]), []).append((ms, "sock:%d:0" % pairs))
                table.setdefault(int(p["fd1"]), []).append((ms, "sock:%d:1" % pairs))
                pairs += 1
            elif nr in DUP and ret >= 0 and bound(table, a0, ms):
                table.setdefault(ret, []).append((ms, bound(table, a0, ms)))
            elif nr in READ or nr in WRITE:
                # a close that joined the record is no flow
                merged = int(s.get("merged", "0")) - int(s.get("merged_close", "0"))
                failed = int(s.get("merged_failed", "0")) if merged else int(s["success"] != "yes")
                last = ms + int(s.get("merged_us", "0")) // 1000
                raw.append((pid, nr, a0, ms, last, merged + 1, failed))
        self.steps = len(self.marks)
        if sorted(self.marks) != list(range(1, self.steps + 1)):
            raise SystemExit("%s: step marks %s" % (log, sorted(self.marks)))
        for pid, nr, fd, t0, t1, n, failed in raw:
            proc = "proc:" + comm[pid]
            obj = bound(fds.get(pid, {}), fd, t0)
            if obj is None or n == failed:
                continue
            # a socket pair is two objects, one per direction: what end 0 sends, end 1 reads
            if obj.startswith("sock:"):
                end = int(obj[-1])
                way = (end, 1 - end) if nr in WRITE else (1 - end, end)
                obj = obj[:-1] + "%d>%d" % way
            edge = (obj, proc) if nr in READ else (proc, obj)
            self.flows.setdefault(edge, []).append((self.step(t0), self.step(t1), n))
            self.records[edge] = self.records.get(edge, 0) + 1

    def step(self, ms):
        """The step a time falls in: the number of marks at or before it."""
        return sum(1 for t in self.marks.values() if t <= ms)

    def nodes(self):
        return sorted({n for e in self.flows for n in e})

    def syscalls(self, edge):
        return sum(n for _, _, n in self.flows[edge])

    def forward(self, start):
        """Nodes reached from @start, at which step, and the flows followed."""
        when = {start: -1}
        used = set()
        changed = True
        while changed:
            changed = False
            for (u, v), spans in self.flows.items():
                if u not in when:
                    continue
                for s0, s1, _ in spans:
                    if when[u] <= s1:
                        used.add((u, v))
                        t = max(when[u], s0)
                        if t < when.get(v, NEVER):
                            when[v] = t
                            changed = True
        return when, used

    def backward(self, start):
        """Nodes @start depends on, the last step each mattered, and the flows followed."""
        when = {start: NEVER}
        used = set()
        changed = True
        while changed:
            changed = False
            for (u, v), spans in self.flows.items():
                if v not in when:
                    continue
                for s0, s1, _ in spans:
                    if s0 <= when[v]:
                        used.add((u, v))
                        t = min(when[v], s1)
                        if t > when.get(u, -1):
                            when[u] = t
                            changed = True
        return when, used


def main(argv):
    if len(argv) != 5:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    off = Graph(argv[2], argv[1])
    on = Graph(argv[4], argv[3])
    bad = []
    if off.steps != on.steps:
        bad.append("steps: off %d, on %d" % (off.steps, on.steps))
    if sorted(off.flows) != sorted(on.flows):
        bad.append("flows: off only %s, on only %s" % (
            sorted(set(off.flows) - set(on.flows)), sorted(set(on.flows) - set(off.flows))))
    for e in sorted(set(off.flows) & set(on.flows)):
        print("%s->%s %d %d %d" % (e[0], e[1], off.syscalls(e), off.records[e], on.records[e]))
        if off.syscalls(e) != on.syscalls(e):
            bad.append("%s->%s: %d syscalls off, %d on"
                       % (e[0], e[1], off.syscalls(e), on.syscalls(e)))
    nodes = off.nodes()
    for n in nodes:
        for how in ("forward", "backward"):
            a = getattr(off, how)(n)
            b = getattr(on, how)(n)
            if a[0] != b[0]:
                bad.append("%s from %s: reached off %s, on %s"
                           % (how, n, sorted(a[0].items()), sorted(b[0].items())))
            if a[1] != b[1]:
                bad.append("%s from %s: flows off only %s, on only %s"
                           % (how, n, sorted(a[1] - b[1]), sorted(b[1] - a[1])))
    for b in bad:
        print("FAIL: " + b)
    if bad:
        return 1
    print("ok: %d steps, %d nodes, %d flows, %d records off, %d on" % (
        off.steps, len(nodes), len(off.flows), sum(off.records.values()), sum(on.records.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
