#!/usr/bin/env bash
# bench/fq-profile.sh [MESSAGES] [DOMAIN]: FastQmail alone under mta-compare's e2e load (smtp-source, 20 sessions,
# 4 KiB, one connection per message), for profiling and for before/after runs of two builds.
# Prints acceptance and e2e msg/s, the CPU of all of FastQmail per message (its cgroup, as mta-compare), the busy CPU
# of the whole machine per message (which also counts the kernel's writeback threads), and the CPU of each program.
# DOMAIN bench.test (default) waits for the Maildir, remote.test for an empty queue (relay to a smtp-sink you start
# on 127.0.0.1:2637).
# Environment:
#   DIST=dir     the binaries (default dist/bin): run two builds alternately for an A/B
#   WARM=n       n unmeasured rounds first (the spare pools fill, as in mta-compare's later rounds)
#   PERF=1       perf record -a -g (cpu-clock) of the measured round into $W/perf.data
#   BLOCK=1      perf record -g of the block requests issued (who writes what to the device) into $W/block.data
#   TRACE=1      perf record of syscall tracepoints; then bench/fq-profile/syscalls.py MESSAGES prints calls per message
#   EXTRA='sh'   run after `fastqmail init` with $H set (e.g. 'rm -rf $H/queue/spare' for the no-pool behaviour)
#   ENVX='A=b'   environment for fastqmail start (e.g. DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=70)
#   (also prints the block device writes per message: the I/Os the durability rules cost)
# Needs root (cgroup v1 cpuacct, perf). Loopback only; every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-3000}; DOM=${2:-bench.test}
DIST=${DIST:-dist/bin}
W=/tmp/fq-profile; H=$W/home; PORT=2635 TIMEOUT=600
CG=/sys/fs/cgroup/cpuacct/fqprofile
[ "$(id -u)" -eq 0 ] || { echo "fq-profile.sh: needs root (cgroups, perf)" >&2; exit 1; }
command -v smtp-source >/dev/null || { echo "fq-profile.sh: needs smtp-source (bench/mta-compare.sh installs postfix)" >&2; exit 1; }
rm -rf $W; mkdir -p $W
"$DIST/fastqmail" init --home $H --domain bench.test --user bench >/dev/null
echo 20 > $H/control/concurrencylocal
echo "remote.test:127.0.0.1:2637" > $H/control/smtproutes
[ -n "${EXTRA:-}" ] && eval "$EXTRA"
mkdir -p $CG
( echo $BASHPID > $CG/cgroup.procs; exec env RELAYCLIENT= ${ENVX:-} "$DIST/fastqmail" start --home $H --smtp 127.0.0.1:$PORT ) > $W/log 2>&1 &
FQ=$!
trap 'kill $FQ 2>/dev/null || true' EXIT
sleep 1.5
maildir=$H/mail/bench/Maildir
wait_until() { local end=$((SECONDS + TIMEOUT)); until "$@"; do [ $SECONDS -lt $end ] || { echo "timeout: $*" >&2; exit 1; }; sleep 0.05; done; }
delivered() { [ "$(ls -f $maildir/new | wc -l)" -ge $((N + 2)) ]; }
queue_empty() { [ -z "$(find $H/queue/mess -type f -print -quit)" ]; }
done_round() { if [ "$DOM" = bench.test ]; then wait_until delivered; else wait_until queue_empty; fi; }
load() { timeout $TIMEOUT smtp-source -s 20 -m $N -l 4096 -f bench@client.test -t bench@$DOM 127.0.0.1:$PORT; }
snap() { for p in $FQ $(pgrep -P $FQ); do read -r -a s < /proc/$p/stat; echo "$(cat /proc/$p/comm) $((s[13] + s[14] + s[15] + s[16]))"; done; }
for _ in $(seq 1 "${WARM:-0}"); do
  load; done_round; wait_until queue_empty
  rm -rf $maildir/new; mkdir $maildir/new; chown --reference=$maildir $maildir/new
done
snap > $W/before
cg0=$(cat $CG/cpuacct.usage)
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; } # the whole machine (kernel writeback threads too), in ticks
m0=$(busy)
# Write requests the queue's block device completed (/sys/dev/block/M:N/stat field 5, less the flushes: each flush is
# counted there too, as an empty write), and the flushes (field 16, Linux 5.5+)
dev=$(findmnt -no SOURCE -T $H); devstat=/sys/dev/block/$(findmnt -no MAJ:MIN -T $H | tr -d ' ')/stat
[ -r "$devstat" ] || devstat=/dev/null # not on a block device (a tmpfs): no counts
io0=$(cat $devstat)
if [ -n "${PERF:-}" ]; then perf record -a -g -e cpu-clock -F 2000 -o $W/perf.data 2>/dev/null & PR=$!; sleep 0.3; fi
if [ -n "${BLOCK:-}" ]; then perf record -a -g -e block:block_rq_issue -o $W/block.data 2>/dev/null & PR=$!; sleep 0.3; fi
if [ -n "${TRACE:-}" ]; then
  events=$(printf 'syscalls:sys_enter_%s,' fsync syncfs openat renameat2 unlink link ftruncate futex sched_yield clone3 newstat newfstatat write read)
  perf record -a -e "${events%,}" -o $W/trace.data 2>/dev/null & PR=$!; sleep 0.3
fi
t0=$(date +%s.%N); load; t1=$(date +%s.%N); done_round; t2=$(date +%s.%N)
if [ -n "${PERF:-}${TRACE:-}${BLOCK:-}" ]; then kill -INT $PR; wait $PR || true; fi
ps -eo pid,comm > $W/ps
snap > $W/after
cg1=$(cat $CG/cpuacct.usage)
m1=$(busy)
io1=$(cat $devstat)
echo "accept $(echo "$N / ($t1 - $t0)" | bc -l | cut -d. -f1) msg/s, e2e $(echo "$N / ($t2 - $t0)" | bc -l | cut -d. -f1) msg/s," \
  "CPU $(echo "($cg1 - $cg0) / 1000000 / $N" | bc -l | cut -c1-5) ms/msg (cgroup)," \
  "$(echo "($m1 - $m0) * 1000 / $(getconf CLK_TCK) / $N" | bc -l | cut -c1-5) ms/msg (whole machine, load tool included)"
read -r -a a <<<"$io0"; read -r -a b <<<"$io1"
[ -z "$io0" ] || echo "  $dev: $(echo "(${b[4]} - ${a[4]} - (${b[15]:-0} - ${a[15]:-0})) / $N" | bc -l | cut -c1-5) writes/msg, $(echo "(${b[6]} - ${a[6]}) / 2 / $N" | bc -l | cut -c1-5) KiB written/msg, $(echo "(${b[15]:-0} - ${a[15]:-0}) / $N" | bc -l | cut -c1-5) flushes/msg"
join <(sort $W/before) <(sort $W/after) | awk -v n=$N '{ printf "  %-14s %.3f ms/msg\n", $1, ($3 - $2) * 10 / n }'
