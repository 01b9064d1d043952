#!/usr/bin/env python3
"""bench/fq-profile/syscalls.py MESSAGES: the syscall tracepoints of `TRACE=1 bench/fq-profile.sh`, per process and
message (perf script over /tmp/fq-profile/trace.data; processes named from the ps taken when the round ended)."""
import collections
import subprocess
import sys

n = int(sys.argv[1])
names = {}
for line in open('/tmp/fq-profile/ps'):
    pid, _, comm = line.strip().partition(' ')
    if pid.isdigit():
        names[int(pid)] = comm.strip()
out = subprocess.run(['perf', 'script', '-i', '/tmp/fq-profile/trace.data', '-F', 'pid,event'],
                     capture_output=True, text=True, check=True).stdout
count = collections.Counter()
for line in out.splitlines():
    parts = line.split()
    if len(parts) >= 2 and parts[0].isdigit():
        count[(names.get(int(parts[0]), 'other'), parts[1].rstrip(':').replace('syscalls:sys_enter_', ''))] += 1
procs = sorted({p for p, _ in count if p.startswith('qmail') or p == 'fastqmail'})
events = sorted({e for _, e in count})
print('per message'.ljust(14) + ''.join(e[:9].rjust(10) for e in events))
for p in procs:
    print(p[:14].ljust(14) + ''.join(f'{count[(p, e)] / n:10.2f}' for e in events))
