#!/usr/bin/env python3
"""Maildir deliveries per second through the published qmail-lspawn, with and without its in-process fast path.

A measuring tool (asserts nothing). Usage:
  python3 bench/lspawn-fastpath.py dist/bin [COUNT] [CONCURRENCY]
Runs as the calling user; as root it runs qmail-lspawn as nobody (the fast path needs the target uid to be the
spawner's own, and root never delivers as itself). Prints one line per mode.
"""
import os, shutil, subprocess, sys, tempfile, time

bindir = os.path.abspath(sys.argv[1])
count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
conc = int(sys.argv[3]) if len(sys.argv) > 3 else 10
root = os.geteuid() == 0
uid, gid = (65534, 65534) if root else (os.getuid(), os.getgid())

def run(mode_fork):
    top = tempfile.mkdtemp(prefix="fq-lbench-")
    os.chmod(top, 0o755)
    qhome, home = os.path.join(top, "q"), os.path.join(top, "joe")
    for d in ("queue/mess/0", "users", "bin"):
        os.makedirs(os.path.join(qhome, d))
    os.symlink(os.path.join(bindir, "qmail-local"), os.path.join(qhome, "bin", "qmail-local"))
    for d in ("Maildir/tmp", "Maildir/new", "Maildir/cur"):
        os.makedirs(os.path.join(home, d))
    os.chmod(home, 0o700)
    with open(os.path.join(qhome, "queue/mess/0/1"), "w") as f:
        f.write("Subject: bench\n\n" + "x" * 70 + "\n" * 1 + ("body line\n" * 40))
    with open(os.path.join(qhome, "users/assign"), "w") as f:
        f.write(f"=joe:joe:{uid}:{gid}:{home}:::\n.\n")
    subprocess.run([os.path.join(bindir, "qmail-newu"), "--home", qhome], check=True)
    for dirpath, dirs, files in os.walk(top):
        for n in dirs + files:
            os.lchown(os.path.join(dirpath, n), uid, gid)
    os.lchown(top, uid, gid)
    argv = [os.path.join(bindir, "qmail-lspawn"), "--home", qhome, "./Maildir/"]
    if root:
        argv = ["/usr/bin/setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--"] + argv
    env = dict(os.environ, FASTQMAIL_LSPAWN_FORK="1" if mode_fork else "0")
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, bufsize=0)
    assert p.stdout.read(1)  # the SPAWN byte
    free = list(range(conc))
    sent = done = bad = 0
    buf = b""
    start = time.monotonic()
    while done < count:
        while free and sent < count:
            slot = free.pop()
            p.stdin.write(bytes([slot]) + b"0/1\0s@example.org\0joe@example.com\0")
            sent += 1
        chunk = os.read(p.stdout.fileno(), 65536)
        if not chunk:
            raise SystemExit("qmail-lspawn ended early")
        buf += chunk
        while len(buf) > 1 and buf.find(b"\0", 1) > 0:  # <slot byte><text>\0; the slot byte may itself be 0
            end = buf.find(b"\0", 1)
            reply, buf = buf[:end], buf[end + 1:]
            free.append(reply[0])
            done += 1
            if reply[1:2] != b"K":
                bad += 1
    elapsed = time.monotonic() - start
    p.stdin.close()
    p.wait()
    delivered = len(os.listdir(os.path.join(home, "Maildir/new")))
    shutil.rmtree(top)
    return elapsed, delivered, bad

for fork in (True, False):
    elapsed, delivered, bad = run(fork)
    name = "fork+exec qmail-local" if fork else "in-process fast path "
    print(f"{name}: {count} deliveries, concurrency {conc}: {elapsed:.2f} s = {count / elapsed:.0f} deliveries/s "
          f"(delivered {delivered}, failed {bad})")
