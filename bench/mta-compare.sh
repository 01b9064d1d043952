#!/usr/bin/env bash
# bench/mta-compare.sh [ROUNDS] [MESSAGES]: FastQmail and Postfix side by side on loopback, same loads, alternating.
# SCENARIOS="load relay latency idle" (the default) picks which loads run.
#   e2e/accept  MESSAGES x 4 KiB over 20 parallel sessions, one connection per message (smtp-source -s 20),
#               until every message is in the Maildir (e2e) and until the last 250 (accept; same run)
#   relay       MESSAGES to remote.test, routed to smtp-sink on loopback, until the queue is empty
#               (FastQmail: only when qmail-remote is built; else n/a)
#   latency     1,000 transactions over one session, p50/p99 per transaction
#   idle        2,000 idle connections, anonymous memory (RSS) per connection
# FQ_USER=NAME runs FastQmail as that unprivileged user (created if missing): its embedded mode, where qmail-lspawn
# delivers to Maildir in-process. As root (the default) every delivery is a qmail-local child set to the owner's uid.
# Postfix's configuration (FastQmail's stays the same: concurrencylocal 20):
#   PF_DELIVERY=virtual  (default) virtual(8) into one Maildir, at Postfix's default concurrency for it: 20 per domain
#   PF_DELIVERY=local    local(8) into the Unix account pfbench's ~/Maildir/ (created if missing), at Postfix's
#                        default for it: 2 deliveries at a time per recipient (local_destination_concurrency_limit)
#   PF_RAISED=1          raise what slows Postfix under this load: in_flow_delay 0 (by default smtpd waits up to 1 s
#                        for the queue manager when delivery lags) and local_destination_concurrency_limit 20
# CPU is each MTA's cgroup CPU time (cpuacct); memory is its cgroup's RSS. Needs root (cgroups, postfix).
# Device writes and flushes are those the block device under $W completed during the load (/sys/dev/block/M:N/stat:
# the I/Os each MTA's durability costs; the machine's other writers, if any, are counted too).
# All traffic stays on 127.0.0.1; every wait is bounded. Prints a markdown table; raw rows in $W/results.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
N=${2:-5000}
SESSIONS=20 SIZE=4096 LATENCY_N=1000 IDLE_N=2000
W=/tmp/fq-mta-compare
FQ_PORT=2625 PF_PORT=2626 SINK_PORT=2627
TIMEOUT=600
here=$(pwd)

[ "$(id -u)" -eq 0 ] || { echo "mta-compare.sh: needs root (cgroups, postfix)" >&2; exit 1; }
if ! command -v smtp-source >/dev/null; then
  echo exit 101 > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d   # install, but do not start, Debian's postfix
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi
[ -x dist/bin/fastqmail ] || ./build.sh build
ulimit -n 16384

now() { date +%s.%N; }
count() { local n; n=$(ls -f "$1" 2>/dev/null | wc -l); echo $((n > 2 ? n - 2 : 0)); }
wait_until() { # seconds, command...: poll until the command succeeds; fail after the bound
  local end=$(( $(date +%s) + $1 )); shift
  until "$@"; do [ "$(date +%s)" -lt $end ] || { echo "timeout waiting for: $*" >&2; return 1; }; sleep 0.05; done
}

# --- cgroups (v1 cpuacct+memory here; v2 unified where that is all there is) ---
cg_v2() { [ ! -d /sys/fs/cgroup/cpuacct ]; }
cg_make() {
  if cg_v2; then mkdir -p "/sys/fs/cgroup/$1"; else mkdir -p "/sys/fs/cgroup/cpuacct/$1" "/sys/fs/cgroup/memory/$1"; fi
}
cg_enter() { # pid name
  if cg_v2; then echo "$1" > "/sys/fs/cgroup/$2/cgroup.procs"
  else echo "$1" > "/sys/fs/cgroup/cpuacct/$2/cgroup.procs"; echo "$1" > "/sys/fs/cgroup/memory/$2/cgroup.procs"; fi
}
cg_cpu_ns() {
  if cg_v2; then echo $(( $(awk '/usage_usec/ {print $2}' "/sys/fs/cgroup/$1/cpu.stat") * 1000 ))
  else cat "/sys/fs/cgroup/cpuacct/$1/cpuacct.usage"; fi
}
cg_rss() {
  if cg_v2; then awk '/^anon / {print $2}' "/sys/fs/cgroup/$1/memory.stat"
  else awk '/^total_rss / {print $2}' "/sys/fs/cgroup/memory/$1/memory.stat"; fi
}
peak_start() { ( p=0; while :; do r=$(cg_rss "$1"); [ "$r" -gt "$p" ] && p=$r && echo "$p" > "$W/peak.$1"; sleep 0.2; done ) & PEAK_PID=$!; }
# write requests and cache flushes completed by the block device that holds $W (fields 5 and 16 of its stat; an
# fsync's flush is also counted in field 5, as an empty write, so writes are field 5 less the flushes);
# n/a where $W is on no block device (a tmpfs, an overlay)
disk_io() {
  local stat; stat="/sys/dev/block/$(findmnt -no MAJ:MIN -T "$W" 2>/dev/null | tr -d ' ')/stat"
  if [ -r "$stat" ]; then awk '{print $5, ($16 == "" ? 0 : $16)}' "$stat"; else echo "n/a n/a"; fi
}
io_per_msg() { # "writes0 flushes0" "writes1 flushes1" -> "writes/msg flushes/msg"
  read -r w0 f0 <<<"$1"; read -r w1 f1 <<<"$2"
  if [ "$w0" = n/a ] || [ "$w1" = n/a ]; then echo "n/a n/a"; return; fi
  echo "$(echo "($w1 - $w0 - ($f1 - $f0)) / $N" | bc -l) $(echo "($f1 - $f0) / $N" | bc -l)"
}
peak_stop() { kill "$PEAK_PID" 2>/dev/null; wait "$PEAK_PID" 2>/dev/null || true; cat "$W/peak.$1" 2>/dev/null || echo 0; rm -f "$W/peak.$1"; }

# --- FastQmail: an embedded home with user bench@bench.test ---
fq_home=$W/fastqmail/home
fq_maildir=$fq_home/mail/bench/Maildir
FQ_USER=${FQ_USER:-}
as_fq() { if [ -n "$FQ_USER" ]; then runuser -u "$FQ_USER" -- "$@"; else "$@"; fi; }
fq_start() {
  rm -rf "$W/fastqmail"; mkdir -p "$W/fastqmail"
  if [ -n "$FQ_USER" ]; then
    id -u "$FQ_USER" >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin "$FQ_USER"
    chown "$FQ_USER" "$W/fastqmail"
  fi
  as_fq dist/bin/fastqmail init --home "$fq_home" --domain bench.test --user bench >/dev/null
  echo 20 > "$fq_home/control/concurrencylocal"
  echo "remote.test:127.0.0.1:$SINK_PORT" > "$fq_home/control/smtproutes"
  # Every load comes from 127.0.0.1: lift the per-address and total connection limits above the idle load.
  echo $((IDLE_N + 100)) > "$fq_home/control/maxperip"
  echo $((IDLE_N + 100)) > "$fq_home/control/concurrencyincoming"
  cg_make fqbench
  # RELAYCLIENT in the listener's environment lets loopback clients relay (Postfix: mynetworks).
  ( cg_enter $BASHPID fqbench
    start=(env RELAYCLIENT= dist/bin/fastqmail start --home "$fq_home" --smtp "127.0.0.1:$FQ_PORT")
    if [ -n "$FQ_USER" ]; then exec runuser -u "$FQ_USER" -- "${start[@]}"; else exec "${start[@]}"; fi
  ) >"$W/fastqmail/log" 2>&1 &
  FQ_PID=$!
  wait_until 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/$FQ_PORT" 2>/dev/null
}
fq_stop() { kill -TERM "$FQ_PID" 2>/dev/null; wait "$FQ_PID" 2>/dev/null || true; }
fq_queue_empty() { [ -z "$(find "$fq_home/queue/mess" -type f -print -quit)" ]; }

# --- Postfix: a private instance (own config, queue and Maildir), virtual(8) or local(8) delivery to one Maildir ---
pf=$W/postfix
PF_DELIVERY=${PF_DELIVERY:-virtual} PF_RAISED=${PF_RAISED:-}
case $PF_DELIVERY in
  virtual) pf_maildir=$pf/mail/bench/Maildir pf_rcpt=bench@bench.test pf_owner=nobody:nogroup
           pf_delivery="virtual_mailbox_domains = bench.test
virtual_mailbox_base = $pf/mail
virtual_mailbox_maps = static:bench/Maildir/
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
mydestination =" ;;
  local)   pf_maildir=$pf/mail/pfbench/Maildir pf_rcpt=pfbench@bench.test pf_owner=pfbench:nogroup
           pf_delivery="mydestination = bench.test
home_mailbox = Maildir/" ;;
  *) echo "mta-compare.sh: PF_DELIVERY is virtual or local" >&2; exit 2 ;;
esac
pf_limits=""
[ -z "$PF_RAISED" ] || pf_limits="in_flow_delay = 0
local_destination_concurrency_limit = 20"
pf_start() {
  rm -rf "$pf"; mkdir -p "$pf/conf" "$pf/queue" "$pf/data" "$pf_maildir"/{tmp,new,cur}
  chown postfix "$pf/data"
  if [ "$PF_DELIVERY" = local ]; then
    id -u pfbench >/dev/null 2>&1 || useradd -M -g nogroup -s /usr/sbin/nologin pfbench
    usermod -d "$pf/mail/pfbench" pfbench 2>/dev/null || true
  fi
  chown -R "$pf_owner" "$pf/mail"
  postconf -e "alternate_config_directories = $pf/conf"
  cat > "$pf/conf/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = bench.localhost
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
$pf_delivery
$pf_limits
transport_maps = inline:{ remote.test=smtp:[127.0.0.1]:$SINK_PORT }
default_process_limit = 2100
alias_maps =
alias_database =
biff = no
smtputf8_enable = no
maillog_file_prefixes = $W
maillog_file = $pf/maillog
CF
  awk -v port="$PF_PORT" '
    /^smtp[ \t]+inet/ { print "127.0.0.1:" port "\tinet\tn\t-\tn\t-\t-\tsmtpd"; next }
    /^[a-z]/ && NF >= 8 { $5 = "n" }
    { print }' /etc/postfix/master.cf > "$pf/conf/master.cf"
  postfix -c "$pf/conf" check >/dev/null 2>&1 || true
  cg_make pfbench
  ( cg_enter $BASHPID pfbench; exec postfix -c "$pf/conf" start ) >/dev/null 2>&1
  wait_until 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PF_PORT" 2>/dev/null
}
pf_stop() { postfix -c "$pf/conf" stop >/dev/null 2>&1 || true; }
pf_queue_empty() { [ -z "$(find "$pf/queue/incoming" "$pf/queue/active" "$pf/queue/deferred" "$pf/queue/maildrop" -type f -print -quit 2>/dev/null)" ]; }

# --- one measurement: mta scenario round ---
run_load() { # mta port maildir cgroup queue_empty_fn round recipient
  local mta=$1 port=$2 maildir=$3 cg=$4 empty=$5 round=$6 rcpt=$7
  rm -rf "$maildir/new" && mkdir "$maildir/new" && chown --reference="$maildir" "$maildir/new"
  local c0 t0 t1 t2 c2 peak io0
  c0=$(cg_cpu_ns "$cg"); peak_start "$cg"; io0=$(disk_io); t0=$(now)
  timeout $TIMEOUT smtp-source -s $SESSIONS -m "$N" -l $SIZE -f bench@client.test -t "$rcpt" "127.0.0.1:$port"
  t1=$(now)
  wait_until $TIMEOUT bash -c "[ \$(ls -f '$maildir/new' | wc -l) -ge $((N + 2)) ]"
  t2=$(now); c2=$(cg_cpu_ns "$cg"); peak=$(peak_stop "$cg")
  local cpu1000; cpu1000=$(echo "($c2 - $c0) / 1000000000 * 1000 / $N" | bc -l)
  echo "$mta e2e $round $(echo "$N / ($t2 - $t0)" | bc -l) $cpu1000 $peak n/a $(io_per_msg "$io0" "$(disk_io)")" >> "$W/results.tsv"
  echo "$mta accept $round $(echo "$N / ($t1 - $t0)" | bc -l) n/a n/a" >> "$W/results.tsv"
  wait_until $TIMEOUT "$empty"
}

run_relay() { # mta port cgroup queue_empty_fn round
  local mta=$1 port=$2 cg=$3 empty=$4 round=$5
  if [ "$mta" = fastqmail ] && [ ! -x dist/bin/qmail-remote ]; then echo "$mta relay $round n/a n/a n/a" >> "$W/results.tsv"; return; fi
  smtp-sink -u nobody "127.0.0.1:$SINK_PORT" 1024 & local sink=$!
  sleep 0.5
  local c0 t0 t2 c2 peak io0 io
  c0=$(cg_cpu_ns "$cg"); peak_start "$cg"; io0=$(disk_io); t0=$(now)
  timeout $TIMEOUT smtp-source -s $SESSIONS -m "$N" -l $SIZE -f bench@client.test -t bench@remote.test "127.0.0.1:$port"
  wait_until $TIMEOUT "$empty"
  t2=$(now); c2=$(cg_cpu_ns "$cg"); peak=$(peak_stop "$cg"); io=$(io_per_msg "$io0" "$(disk_io)")
  kill "$sink"; wait "$sink" 2>/dev/null || true
  echo "$mta relay $round $(echo "$N / ($t2 - $t0)" | bc -l) $(echo "($c2 - $c0) / 1000000000 * 1000 / $N" | bc -l) $peak n/a $io" >> "$W/results.tsv"
}

run_latency() { # mta port empty round recipient
  local r; r=$(timeout $TIMEOUT python3 bench/mta-compare/latency.py 127.0.0.1 "$2" $LATENCY_N "$5")
  echo "$1 latency $4 ${r% *} n/a n/a ${r#* }" >> "$W/results.tsv"
  wait_until $TIMEOUT "$3"
}

run_idle() { # mta port cgroup round
  local before r; before=$(cg_rss "$3")
  r=$(timeout 120 python3 bench/mta-compare/idle.py 127.0.0.1 "$2" $IDLE_N "$here/bench/mta-compare/rss.sh $3")
  local greeted=${r% *} after=${r#* }
  echo "$1 idle $4 $(( (after - before) / (greeted > 0 ? greeted : 1) )) n/a $after n/a greeted=$greeted" >> "$W/results.tsv"
  sleep 2
}

mkdir -p "$W"; : > "$W/results.tsv"
trap 'fq_stop; pf_stop' EXIT
fq_start; pf_start
SCENARIOS=${SCENARIOS:-load relay latency idle}
has() { [[ " $SCENARIOS " == *" $1 "* ]]; }
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS" >&2
  if has load; then
    run_load fastqmail $FQ_PORT "$fq_maildir" fqbench fq_queue_empty "$round" bench@bench.test
    run_load postfix $PF_PORT "$pf_maildir" pfbench pf_queue_empty "$round" "$pf_rcpt"
  fi
  if has relay; then
    run_relay fastqmail $FQ_PORT fqbench fq_queue_empty "$round"
    run_relay postfix $PF_PORT pfbench pf_queue_empty "$round"
  fi
  if has latency; then
    run_latency fastqmail $FQ_PORT fq_queue_empty "$round" bench@bench.test
    run_latency postfix $PF_PORT pf_queue_empty "$round" "$pf_rcpt"
  fi
done
if has idle; then
  run_idle fastqmail $FQ_PORT fqbench 1
  run_idle postfix $PF_PORT pfbench 1
fi

echo "## FastQmail vs Postfix $(postconf -h mail_version), $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%d)"
echo "Command: ${FQ_USER:+FQ_USER=$FQ_USER }PF_DELIVERY=$PF_DELIVERY ${PF_RAISED:+PF_RAISED=$PF_RAISED }bench/mta-compare.sh $ROUNDS $N  (rounds alternate FastQmail, Postfix; median (min-max) of $ROUNDS rounds)"
echo
python3 bench/mta-compare/table.py "$W/results.tsv"
