#!/usr/bin/env python3
"""Start-up + one tiny job of the published programs (tcpserver runs qmail-smtpd once per connection).
Usage: python3 bench/startup.py dist/bin [RUNS]. Times include Python's own fork/exec/wait."""
import atexit, os, shutil, statistics, subprocess, sys, tempfile, time

bindir = os.path.abspath(sys.argv[1])
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 50
work = tempfile.mkdtemp(prefix="fq-startup-")
atexit.register(shutil.rmtree, work, ignore_errors=True)  # leave nothing in /tmp
home = os.path.join(work, "home")
subprocess.run([os.path.join(bindir, "fastqmail"), "init", "--home", home], check=True, stdout=subprocess.DEVNULL)

def run(args, stdin):
    t = time.perf_counter()
    subprocess.run(args, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000

for name, args, stdin in [
    ("qmail-smtpd: greeting + QUIT", ["qmail-smtpd", "--home", home], b"QUIT\r\n"),
    ("qmail-queue: empty envelope (exit 54)", ["qmail-queue", "--home", home], b""),
    ("qmail-local: usage (exit 100)", ["qmail-local"], b""),
]:
    args[0] = os.path.join(bindir, args[0])
    ts = sorted(run(args, stdin) for _ in range(runs))
    print(f"{name}: median {statistics.median(ts):.1f} ms, p90 {ts[int(runs * 0.9) - 1]:.1f} ms")
