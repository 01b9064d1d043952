#!/usr/bin/env bash
# fuzz/run.sh <Target> <seconds>: run one FastQmail.Fuzz target under AFL++ (SharpFuzz instrumentation),
# then copy new queue entries and any crash into fuzz/corpus/<Target>/ for review.
# Installs what it needs: afl++ (Debian) and the SharpFuzz command-line tool.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/run.sh <Target> <seconds>}
secs=${2:-60}
export PATH="$PATH:$HOME/.dotnet/tools"
command -v afl-fuzz >/dev/null || apt-get install -y -qq afl++ >/dev/null
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null

out=fuzz/bin-instr
rm -rf "$out" "fuzz/findings/$target"
dotnet build fuzz/FastQmail.Fuzz -c Release -o "$out" -nologo -v q
sharpfuzz "$out/FastQmail.Protocols.dll"     # instrument only the parsers, in place

dict=()
for d in fuzz/dictionaries/*.dict; do dict+=(-x "$d"); done
export AFL_SKIP_BIN_CHECK=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
mkdir -p "fuzz/findings/$target"
timeout $((secs + 60)) afl-fuzz -V "$secs" -i "fuzz/corpus/$target" -o "fuzz/findings/$target" "${dict[@]}" -t 5000 -m none \
  -- dotnet "$out/FastQmail.Fuzz.dll" "$target" || true

f="fuzz/findings/$target/default"
grep -E 'execs_done|execs_per_sec|saved_crashes|saved_hangs' "$f/fuzzer_stats" || true
for c in "$f"/crashes/id:* "$f"/hangs/id:*; do [ -e "$c" ] && cp "$c" "fuzz/corpus/$target/finding-$(basename "$c" | tr ':,' '__')"; done
for q in "$f"/queue/id:*; do [ -e "$q" ] && cp -n "$q" "fuzz/corpus/$target/q-$(md5sum <"$q" | cut -c1-12)"; done
echo "new inputs copied into fuzz/corpus/$target; replay: dotnet run --project fuzz/FastQmail.Fuzz -- $target fuzz/corpus/$target"
