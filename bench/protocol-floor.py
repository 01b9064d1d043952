#!/usr/bin/env python3
"""bench/protocol-floor.py [MESSAGES] [GROUP] [MODE] [DIR]: the CPU that qmail's queue protocol costs this machine's kernel
per message, with no MTA at all: the least any implementation of ARCHITECTURE.md's durability rules must pay.

It replays, in one process and as cheaply as the rules allow, the file-system steps of one local message
(qmail-queue's pid -> mess -> write+fsync -> intd -> write+fsync -> link into todo; qmail-send's info and local
files; the Maildir delivery; the removals), with every queue file recycled (only the Maildir file is a new inode,
as in FastQmail with its spare pool) and each directory fsync shared by GROUP messages (group commit). Then it
times the rest that no design can skip: one loopback TCP connection per message carrying an SMTP dialogue of 4 KiB,
and the hand-offs between qmail's processes (trigger, spawn request and report, clean request and answer) as pipe
round trips between two processes.

MODE fsync (default) is the protocol as FastQmail and qmail do it: an fsync per file, directory fsyncs shared by the
group. MODE syncfs is the experiment of 2026-11-30: no file fsync, and one syncfs(2) per step of the group instead of
its directory fsyncs (bench/RESULTS.md: cheap here, no gain inside the real pipeline).

Prints kernel CPU milliseconds per message (system time of this process, children included; the interpreter's
user time is left out, and so is the block layer's work in kernel threads), and for the files also the busy CPU of
the whole machine (/proc/stat: kernel threads and interrupts included, the interpreter too; run it on a quiet machine). Compare the
sum with the budget that a throughput target leaves: on N cores, R msg/s allows N*1000/R ms of CPU per message for
everything, the load generator included. Loopback and files under DIR only (default /tmp/protocol-floor); bounded.
"""
import ctypes, os, resource, socket, sys, time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
G = int(sys.argv[2]) if len(sys.argv) > 2 else 20
MODE = sys.argv[3] if len(sys.argv) > 3 else "fsync"
D = sys.argv[4] if len(sys.argv) > 4 else "/tmp/protocol-floor"
if MODE not in ("fsync", "syncfs"):
    sys.exit("protocol-floor.py: MODE is fsync or syncfs")
LIBC = ctypes.CDLL(None, use_errno=True)
SYNCED = set()  # syncfs mode: the step of the group already synced
SPLIT = 23
BODY = b"x" * 76 + b"\n"
MESSAGE = (BODY * (4096 // len(BODY) + 1))[:4096]


def cpu():
    """Kernel CPU seconds of this process and its reaped children: Python's own (user) time is not part of the floor."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_stime + c.ru_stime


def machine():
    """Busy CPU seconds of the whole machine (/proc/stat): the kernel threads' writeback and the interrupts too."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:8]]
    return (v[0] + v[1] + v[2] + v[5] + v[6]) / os.sysconf("SC_CLK_TCK")


def fsync_dir(path, step):
    """The directory's fsync; in syncfs mode one syncfs of the file system for the whole step of the group."""
    if MODE == "syncfs" and step in SYNCED or MODE == "fsync" and step == "maildir files":
        return
    SYNCED.add(step)
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if MODE == "fsync":
            os.fsync(fd)
        elif LIBC.syncfs(fd) != 0:
            raise OSError(ctypes.get_errno(), "syncfs")
    finally:
        os.close(fd)


def fsync_file(fd):
    if MODE == "fsync":
        os.fsync(fd)


def write_new(path, data, spare):
    """A queue file from the spare pool: rename into place, open, truncate, write, fsync."""
    os.rename(spare, path)
    fd = os.open(path, os.O_WRONLY)
    os.ftruncate(fd, 0)
    os.write(fd, data)
    fsync_file(fd)
    os.close(fd)


def setup():
    os.system(f"rm -rf {D}")
    for d in ["pid", "todo", "intd", "spare", "Maildir/tmp", "Maildir/new"] + \
             [f"{q}/{i}" for q in ("mess", "info", "local") for i in range(SPLIT)]:
        os.makedirs(f"{D}/{d}")
    for i in range(5 * G):  # the pool: enough for every file in flight in one group
        open(f"{D}/spare/{i}", "wb").close()
    os.sync()


def files():
    spares = [f"{D}/spare/{i}" for i in range(5 * G)]
    take = lambda: spares.pop()
    stages = {}
    mark = [cpu()]

    def stage(name):
        now = cpu()
        stages[name] = stages.get(name, 0.0) + now - mark[0]
        mark[0] = now

    t0, c0, m0 = time.monotonic(), cpu(), machine()
    for start in range(0, N, G):
        ids = range(start, min(N, start + G))
        SYNCED.clear()
        for i in ids:  # qmail-queue
            pid, mess = f"{D}/pid/{i}", f"{D}/mess/{i % SPLIT}/{i}"
            write_new(pid, MESSAGE, take())
            os.link(pid, mess)
            os.unlink(pid)
            write_new(f"{D}/intd/{i}", b"u0\0p1\0Fbench@client.test\0Tbench@bench.test\0\0", take())
        for d in {f"{D}/mess/{i % SPLIT}" for i in ids}: fsync_dir(d, "mess")
        for i in ids: os.link(f"{D}/intd/{i}", f"{D}/todo/{i}")
        fsync_dir(f"{D}/todo", "todo")
        stage("qmail-queue: mess, intd, todo")
        for i in ids:  # qmail-send: preprocessing
            fd = os.open(f"{D}/todo/{i}", os.O_RDONLY); os.read(fd, 4096); os.close(fd)
            write_new(f"{D}/info/{i % SPLIT}/{i}", b"Fbench@client.test\0", take())
            write_new(f"{D}/local/{i % SPLIT}/{i}", b"Tbench@bench.test\0", take())
        for d in {f"{D}/{q}/{i % SPLIT}" for i in ids for q in ("info", "local")}: fsync_dir(d, "info+local")
        for i in ids:  # qmail-clean: todo
            os.unlink(f"{D}/todo/{i}")
            os.rename(f"{D}/intd/{i}", spares_back(spares, i, 0))
        stage("qmail-send: info, local; clean todo")
        for i in ids:  # qmail-local: Maildir
            fd = os.open(f"{D}/mess/{i % SPLIT}/{i}", os.O_RDONLY); data = os.read(fd, 8192); os.close(fd)
            fd = os.open(f"{D}/Maildir/tmp/{i}.M1P1.host", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.write(fd, b"Return-Path: <bench@client.test>\nDelivered-To: bench@bench.test\n" + data)
            fsync_file(fd); os.close(fd)
        fsync_dir(f"{D}/Maildir/tmp", "maildir files")  # syncfs mode: the files before their links (fsync mode: no-op)
        for i in ids:
            os.link(f"{D}/Maildir/tmp/{i}.M1P1.host", f"{D}/Maildir/new/{i}.M1P1.host")
            os.unlink(f"{D}/Maildir/tmp/{i}.M1P1.host")
        fsync_dir(f"{D}/Maildir/new", "new")
        stage("qmail-local: Maildir")
        for i in ids:  # qmail-send: completion; qmail-clean: mess
            os.rename(f"{D}/local/{i % SPLIT}/{i}", spares_back(spares, i, 1))
        for d in {f"{D}/local/{i % SPLIT}" for i in ids}: fsync_dir(d, "local gone")
        for i in ids:
            os.rename(f"{D}/info/{i % SPLIT}/{i}", spares_back(spares, i, 2))
        for d in {f"{D}/info/{i % SPLIT}" for i in ids}: fsync_dir(d, "info gone")
        for i in ids:
            os.rename(f"{D}/mess/{i % SPLIT}/{i}", spares_back(spares, i, 3))
        stage("completion: local, info, mess")
    stages["(whole machine, all stages)"] = machine() - m0
    return cpu() - c0, time.monotonic() - t0, stages


def spares_back(spares, i, k):
    path = f"{D}/spare/r{i}.{k}"
    spares.append(path)
    return path


def tcp():
    """One connection per message: greeting, EHLO, MAIL, RCPT, DATA, 4 KiB + '.', QUIT, both ends in this process."""
    server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen(64)
    dialogue = [(b"", b"220 x ESMTP\r\n"), (b"EHLO c\r\n", b"250-x\r\n250 PIPELINING\r\n"),
                (b"MAIL FROM:<a@c>\r\n", b"250 ok\r\n"), (b"RCPT TO:<b@x>\r\n", b"250 ok\r\n"),
                (b"DATA\r\n", b"354 go ahead\r\n"), (MESSAGE.replace(b"\n", b"\r\n") + b".\r\n", b"250 ok 1 qp 1\r\n"),
                (b"QUIT\r\n", b"221 x\r\n")]
    t0, c0 = time.monotonic(), cpu()
    for _ in range(N):
        client = socket.create_connection(server.getsockname())
        conn, _ = server.accept()
        for request, reply in dialogue:
            if request:
                client.sendall(request)
                got = 0
                while got < len(request): got += len(conn.recv(65536))
            conn.sendall(reply)
            got = 0
            while got < len(reply): got += len(client.recv(65536))
        conn.close(); client.close()
    server.close()
    return cpu() - c0, time.monotonic() - t0, {}


def handoffs(per_message=4):
    """qmail's hand-offs as pipe round trips to another process: trigger, spawn, report, clean."""
    r1, w1 = os.pipe(); r2, w2 = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(w1); os.close(r2)
        while (b := os.read(r1, 256)):
            os.write(w2, b)
        os._exit(0)
    os.close(r1); os.close(w2)
    t0, c0 = time.monotonic(), cpu()
    for _ in range(N * per_message):
        os.write(w1, b"L" * 60)
        os.read(r2, 256)
    os.close(w1); os.read(r2, 1); os.waitpid(child, 0)
    return cpu() - c0, time.monotonic() - t0, {}


setup()
rows = [("queue + Maildir files", files()), ("SMTP over loopback TCP (both ends)", tcp()), ("4 hand-offs between processes", handoffs())]
os.system(f"rm -rf {D}")
print(f"{N} messages, mode {MODE}, directory syncs shared by {G}")
total = 0.0
for name, (c, wall, parts) in rows:
    total += c
    print(f"  {name:36s} {1000 * c / N:6.3f} ms kernel CPU/msg   ({N / wall:7.0f} msg/s on one thread)")
    for part, pc in parts.items():
        print(f"    {part:34s} {1000 * pc / N:6.3f}")
print(f"  {'sum':36s} {1000 * total / N:6.3f} ms kernel CPU/msg")
