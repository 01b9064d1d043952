#!/usr/bin/env bash
# FastQmail build driver.
#   ./build.sh build   restore, build (analyzers), AOT-publish every program into dist/bin/, print sizes
#   ./build.sh run     build if needed, `fastqmail init --home ./var` if ./var is missing, then start it
#   ./build.sh test    build, then every test project; last line "N passed, N failed, N skipped"
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The .NET SDK leaves two empty directories in $TMPDIR for every dotnet command (a build publishes each program:
# ~50 a build). Builds and tests get a temporary directory of their own, removed when build.sh ends. Mode 1777 as
# /tmp: tests run programs under other accounts, which make their own files there.
private_tmp() {
  [ -n "${FQ_BUILD_TMP:-}" ] && return 0
  FQ_OUTER_TMPDIR=${TMPDIR-}
  FQ_BUILD_TMP=$(mktemp -d "${TMPDIR:-/tmp}/fastqmail-build.XXXXXX")
  chmod 1777 "$FQ_BUILD_TMP"
  trap 'rm -rf "$FQ_BUILD_TMP"' EXIT
  export TMPDIR=$FQ_BUILD_TMP
}

# Every program is a folder under src/ whose project imports NativeApp.props.
mapfile -t programs < <(grep -l 'NativeApp.props' src/*/*.csproj | xargs -n1 dirname | xargs -n1 basename | sort)

# Debian packages the tests use; installed when missing (needs root, as CI runs).
ensure_packages() {
  local missing=()
  command -v tcpserver >/dev/null || missing+=(ucspi-tcp)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "build.sh: installing ${missing[*]}"
    (apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; }) \
      || echo "build.sh: could not install ${missing[*]}; the tests that need them will skip"
  else
    echo "build.sh: ${missing[*]} missing and not root; the tests that need them will skip"
  fi
}

build() {
  private_tmp
  dotnet build FastQmail.sln -c Release -nologo -v q -clp:ErrorsOnly
  for p in "${programs[@]}"; do
    dotnet publish "src/$p" -c Release -nologo -v q -clp:ErrorsOnly --no-restore >/dev/null
  done
  touch dist/.built
  echo "dist/bin:"
  for p in "${programs[@]}"; do
    printf '  %-14s %9d bytes\n' "$p" "$(stat -c %s "dist/bin/$p")"
  done
}

# Sum the TRX counters of every test project into one line.
summary() {
  local p=0 f=0 s=0 c total executed
  shopt -s nullglob globstar
  local files=(TestResults/**/*.trx)
  if [ ${#files[@]} -eq 0 ]; then echo "0 passed, 1 failed, 0 skipped"; return 1; fi
  get() { local v; v=$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$c"); echo "${v:-0}"; }
  for t in "${files[@]}"; do
    c=$(grep -o '<Counters [^>]*>' "$t" | head -1)
    total=$(get total); executed=$(get executed)
    p=$((p + $(get passed)))
    f=$((f + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
    s=$((s + total - executed))
  done
  echo "$p passed, $f failed, $s skipped"
  [ "$f" -eq 0 ]
}

test_all() {
  ensure_packages
  private_tmp
  build
  rm -rf TestResults
  local rc=0
  dotnet test FastQmail.sln -c Release --no-build -nologo -v q \
    --logger "trx;LogFilePrefix=t" --logger "console;verbosity=minimal" --results-directory TestResults || rc=$?
  summary || rc=1
  return $rc
}

run() {
  local stale=0
  for p in "${programs[@]}"; do [ -x "dist/bin/$p" ] || stale=1; done
  # Rebuild when a source file is newer than the last build (bin/ and obj/ outputs do not count).
  [ -f dist/.built ] || stale=1
  if [ $stale -eq 1 ] || [ -n "$(find src Directory.Build.props Directory.Packages.props \( -name bin -o -name obj \) -prune -o \
        -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -newer dist/.built -print -quit)" ]; then
    build
  fi
  if [ -n "${FQ_BUILD_TMP:-}" ]; then # exec skips the EXIT trap: the MTA gets the caller's TMPDIR back
    rm -rf "$FQ_BUILD_TMP"
    if [ -n "$FQ_OUTER_TMPDIR" ]; then export TMPDIR=$FQ_OUTER_TMPDIR; else unset TMPDIR; fi
  fi
  [ -d var ] || dist/bin/fastqmail init --home "$root/var"
  exec dist/bin/fastqmail start --home "$root/var" "$@"
}

case "${1:-}" in
  build) build ;;
  test) test_all ;;
  run) shift; run "$@" ;;
  *) echo "usage: $0 build|run|test" >&2; exit 2 ;;
esac
