#!/usr/bin/env bash
# fuzz/run.sh <Target> <seconds>: run one FastQmail.Fuzz target under AFL++ (SharpFuzz instrumentation),
# then copy any crash/hang and up to $FUZZ_KEEP (20) new coverage-increasing queue entries into
# fuzz/corpus/<Target>/ for review. Installs what it needs: afl++ (Debian) and the SharpFuzz tool.
# FUZZ_REUSE_BUILD=1 skips the build when fuzz/bin-instr already holds an instrumented build (for running
# several targets one after another).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/run.sh <Target> <seconds>}
secs=${2:-60}
keep=${FUZZ_KEEP:-20}
export PATH="$PATH:$HOME/.dotnet/tools"
command -v afl-fuzz >/dev/null || apt-get install -y -qq afl++ >/dev/null
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null

out=fuzz/bin-instr
if [ "${FUZZ_REUSE_BUILD:-0}" != 1 ] || [ ! -e "$out/.instrumented" ]; then
  rm -rf "$out"
  dotnet build fuzz/FastQmail.Fuzz -c Release -o "$out" -nologo -v q
  # Instrument the parsers, the sessions that drive them, and the assemblies holding the control-file and
  # spawn/qmail-clean pipe readers, in place (never run this copy outside afl).
  for dll in Core Protocols Sessions Delivery Queue; do sharpfuzz "$out/FastQmail.$dll.dll"; done
  touch "$out/.instrumented"
fi

# Protocol tokens for each target (AFL needs them to get past verbs and keywords quickly).
case "$target" in
  SmtpLine|SmtpCommand) dicts=(smtp) ;;
  Address) dicts=(address) ;;
  Data) dicts=(data) ;;
  ReceivedLine) dicts=(address) ;;
  SmtpSession) dicts=(smtp address data) ;;
  Envelope) dicts=(envelope) ;;
  Cdb|UsersAssign) dicts=(envelope) ;;
  Dns) dicts=(dns) ;;
  SmtpReply) dicts=(smtpreply) ;;
  SmtpDataEncoder) dicts=(data) ;;
  *) dicts=() ;;
esac
dict=()
for d in "${dicts[@]}"; do dict+=(-x "fuzz/dictionaries/$d.dict"); done

export AFL_SKIP_BIN_CHECK=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
rm -rf "fuzz/findings/$target"
mkdir -p "fuzz/findings/$target"
timeout $((secs + 60)) afl-fuzz -V "$secs" -i "fuzz/corpus/$target" -o "fuzz/findings/$target" "${dict[@]}" -t 5000 -m none \
  -- dotnet "$out/FastQmail.Fuzz.dll" "$target" || true

f="fuzz/findings/$target/default"
grep -E 'execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|edges_found|stability' "$f/fuzzer_stats" || true
for c in "$f"/crashes/id:* "$f"/hangs/id:*; do
  [ -e "$c" ] && cp "$c" "fuzz/corpus/$target/finding-$(basename "$(dirname "$c")")-$(md5sum <"$c" | cut -c1-12)"
done
# New inputs AFL found (not the seeds it started from), coverage-increasing first, smallest first; at most $keep.
n=0
while IFS= read -r q; do
  [ "$n" -ge "$keep" ] && break
  name="fuzz/corpus/$target/q-$(md5sum <"$q" | cut -c1-12)"
  [ -e "$name" ] || { cp "$q" "$name"; n=$((n + 1)); }
done < <(ls -S -r "$f"/queue/id:* 2>/dev/null | grep -v 'orig:' | grep '+cov' || true)
echo "$n new inputs copied into fuzz/corpus/$target; replay: dotnet run -c Release --project fuzz/FastQmail.Fuzz -- $target fuzz/corpus/$target"
