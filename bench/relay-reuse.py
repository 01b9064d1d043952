#!/usr/bin/env python3
"""Relay messages per second to a local sink, with and without qmail-rspawn's connection reuse.

A measuring tool (asserts nothing but that every message arrived). Usage:
  python3 bench/relay-reuse.py [BINDIR] [MESSAGES] [ROUNDS]      (defaults: dist/bin 2000 2)
Per round and mode (remotereuse 0 = one qmail-remote process and connection per delivery, as qmail does;
remotereuse 1 = in-process deliveries over reused connections): a fresh `fastqmail init` home in a temp dir,
remote.test routed by control/smtproutes to Postfix's smtp-sink on 127.0.0.1 (started with -c, which counts
sessions and messages; never -M), MESSAGES messages of ~4 KiB injected with qmail-queue *before* `fastqmail start`,
then timed from start until queue/mess is empty. Rounds alternate the modes. CPU is `fastqmail start`'s children's
user+system time (getrusage after it exits). Then the same for qmail-rspawn alone, fed delivery requests directly
(20 slots, as concurrencyremote 20; distinct message files, so no two requests share a transaction), which shows
the spawner's own rate without qmail-send's. Needs smtp-sink (apt-get install postfix); as root it runs smtp-sink
as nobody. Every wait is bounded; everything listens on 127.0.0.1 only.
"""
import os, re, resource, shutil, signal, socket, subprocess, sys, tempfile, time

bindir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "dist/bin")
count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
TIMEOUT = 600
BODY = "Subject: relay bench\n\n" + ("x" * 76 + "\n") * 52


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, seconds=30):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listening on {port}")


def queued(home):
    return sum(len(files) for _, _, files in os.walk(os.path.join(home, "queue", "mess")))


def inject(home, n):
    env = dict(os.environ, QMAILHOME=home)
    st = os.stat(home)  # as root, queue as the home's owner (fastqmail start runs its programs as that user)
    become = (lambda: (os.setgid(st.st_gid), os.setuid(st.st_uid))) if os.geteuid() == 0 else None
    for i in range(n):
        r, w = os.pipe()
        p = subprocess.Popen([os.path.join(bindir, "qmail-queue")], stdin=subprocess.PIPE, stdout=r, env=env, preexec_fn=become)
        os.close(r)
        os.write(w, f"Fbench@bench.test\0Tuser{i}@remote.test\0\0".encode())
        os.close(w)
        p.communicate((f"Message-Id: <{i}@bench.test>\n" + BODY).encode())
        if p.returncode != 0:
            raise SystemExit(f"qmail-queue exited {p.returncode}")


def run(reuse):
    top = tempfile.mkdtemp(prefix="fq-relay-reuse-")
    os.chmod(top, 0o755)
    home = os.path.join(top, "home")
    sink_port, smtp_port = free_port(), free_port()
    subprocess.run([os.path.join(bindir, "fastqmail"), "init", "--home", home, "--domain", "bench.test", "--user", "bench"],
                   check=True, stdout=subprocess.DEVNULL)
    control = os.path.join(home, "control")
    with open(os.path.join(control, "smtproutes"), "w") as f:
        f.write(f"remote.test:127.0.0.1:{sink_port}\n")
    with open(os.path.join(control, "resolvconf"), "w") as f:  # nothing may ask the machine's resolver
        f.write("nameserver 127.0.0.1:9\noptions timeout:1 attempts:1\n")
    with open(os.path.join(control, "remotereuse"), "w") as f:
        f.write(f"{1 if reuse else 0}\n")
    inject(home, count)
    assert queued(home) == count, queued(home)

    sink_out = open(os.path.join(top, "sink.out"), "w")
    user = ["-u", "nobody"] if os.geteuid() == 0 else []
    sink = subprocess.Popen(["stdbuf", "-o0", "smtp-sink", "-c", *user, f"127.0.0.1:{sink_port}", "1024"], stdout=sink_out, stderr=subprocess.STDOUT)
    wait_listening(sink_port)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    mta = subprocess.Popen([os.path.join(bindir, "fastqmail"), "start", "--home", home, "--smtp", f"127.0.0.1:{smtp_port}"],
                           stdout=open(os.path.join(top, "log"), "w"), stderr=subprocess.STDOUT)
    try:
        while queued(home) > 0:
            if time.monotonic() - t0 > TIMEOUT:
                raise SystemExit(f"queue not empty after {TIMEOUT} s: {queued(home)} left; see {top}")
            if mta.poll() is not None:
                raise SystemExit(f"fastqmail start exited {mta.returncode}; see {top}/log")
            time.sleep(0.02)
        elapsed = time.monotonic() - t0
    finally:
        mta.send_signal(signal.SIGTERM)
        mta.wait(60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    sessions = messages = 0
    end = time.monotonic() + 10
    while time.monotonic() < end:  # smtp-sink counts a session when it ends: wait for the last QUITs to land
        for m in re.finditer(r"sess=(\d+) quit=\d+ mesg=(\d+)", open(os.path.join(top, "sink.out")).read()):
            sessions, messages = max(sessions, int(m[1])), max(messages, int(m[2]))
        if messages >= count:
            break
        time.sleep(0.1)
    time.sleep(0.5)
    sink.terminate()
    sink.wait(10)
    sink_out.close()
    successes = open(os.path.join(top, "log")).read().count("success: 127.0.0.1_accepted_message.")
    if messages != count or successes != count:
        raise SystemExit(f"sink got {messages}, qmail-send logged {successes} successes, {count} were queued; see {top}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    shutil.rmtree(top)
    return count / elapsed, cpu * 1000 / count, sessions - 1  # one session was wait_listening()


def run_rspawn(reuse, sink_port):
    """Deliveries per second through the published qmail-rspawn alone (no qmail-send), 20 requests in flight."""
    top = tempfile.mkdtemp(prefix="fq-rspawn-reuse-")
    home = os.path.join(top, "home")
    for d in ("control", "queue/mess/0", "queue/lock", "bin"):
        os.makedirs(os.path.join(home, d))
    os.symlink(os.path.join(bindir, "qmail-remote"), os.path.join(home, "bin", "qmail-remote"))
    for name, text in (("me", "bench.test"), ("smtproutes", f"remote.test:127.0.0.1:{sink_port}"),
                       ("resolvconf", "nameserver 127.0.0.1:9"), ("remotereuse", "1" if reuse else "0")):
        with open(os.path.join(home, "control", name), "w") as f:
            f.write(text + "\n")
    first = os.path.join(home, "queue/mess/0/1")
    with open(first, "w") as f:
        f.write(BODY)
    for i in range(2, count + 1):
        os.link(first, os.path.join(home, f"queue/mess/0/{i}"))
    p = subprocess.Popen([os.path.join(bindir, "qmail-rspawn"), "--home", home], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    assert p.stdout.read(1)  # the SPAWN byte
    free, sent, done, buf = list(range(20)), 0, 0, b""
    t0 = time.monotonic()
    while done < count:
        while free and sent < count:
            sent += 1
            p.stdin.write(bytes([free.pop()]) + f"0/{sent}\0bench@bench.test\0user{sent}@remote.test\0".encode())
        chunk = os.read(p.stdout.fileno(), 65536)
        if not chunk or time.monotonic() - t0 > TIMEOUT:
            raise SystemExit("qmail-rspawn ended early or took too long")
        buf += chunk
        while len(buf) > 1 and buf.find(b"\0", 1) > 0:  # <slot byte><text>\0; the slot byte may itself be 0
            end = buf.find(b"\0", 1)
            reply, buf = buf[:end], buf[end + 1:]
            if reply[1:2] != b"K":
                raise SystemExit(f"delivery failed: {reply[1:]!r}")
            free.append(reply[0])
            done += 1
    elapsed = time.monotonic() - t0
    p.stdin.close()
    p.wait(60)
    shutil.rmtree(top)
    return count / elapsed


if shutil.which("smtp-sink") is None:
    raise SystemExit("relay-reuse.py: smtp-sink is missing (apt-get install postfix)")
print(f"relay to smtp-sink on 127.0.0.1: {count} messages of ~4 KiB, {rounds} rounds per mode, {os.cpu_count()} cores")
print("| round | mode | msg/s | CPU s / 1000 msg | SMTP sessions |")
print("|---:|---|---:|---:|---:|")
for rnd in range(1, rounds + 1):
    for reuse in (False, True):
        rate, cpu, sessions = run(reuse)
        mode = "reuse (in-process, pooled)" if reuse else "no reuse (qmail-remote per delivery)"
        print(f"| {rnd} | {mode} | {rate:,.1f} | {cpu:.2f} | {sessions:,} |", flush=True)

sink_port = free_port()
user = ["-u", "nobody"] if os.geteuid() == 0 else []
sink = subprocess.Popen(["smtp-sink", *user, f"127.0.0.1:{sink_port}", "1024"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
try:
    wait_listening(sink_port)
    print()
    print("qmail-rspawn alone (requests fed directly, 20 in flight):")
    print("| round | mode | deliveries/s |")
    print("|---:|---|---:|")
    for rnd in range(1, rounds + 1):
        for reuse in (False, True):
            mode = "reuse (in-process, pooled)" if reuse else "no reuse (qmail-remote per delivery)"
            print(f"| {rnd} | {mode} | {run_rspawn(reuse, sink_port):,.1f} |", flush=True)
finally:
    sink.terminate()
    sink.wait(10)
