#!/usr/bin/env python3
"""latency.py HOST PORT COUNT RCPT: COUNT transactions over ONE session; prints p50 and p99 in ms.
One transaction = MAIL, RCPT, DATA, 4 KiB body, final 250 (timed from MAIL to that 250)."""
import socket, sys, time

host, port, count, rcpt = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
body = b"Subject: latency\r\n\r\n" + (b"x" * 76 + b"\r\n") * 52 + b".\r\n"
s = socket.create_connection((host, port), timeout=60)
f = s.makefile("rb")

def reply():
    while True:
        line = f.readline()
        if not line:
            raise SystemExit("connection closed")
        if line[3:4] != b"-":
            return line

reply()
s.sendall(b"EHLO bench.client\r\n"); reply()
times = []
for i in range(count):
    t = time.perf_counter()
    s.sendall(b"MAIL FROM:<bench@client.test>\r\n"); r1 = reply()
    s.sendall(b"RCPT TO:<" + rcpt.encode() + b">\r\n"); r2 = reply()
    s.sendall(b"DATA\r\n"); r3 = reply()
    s.sendall(body); r4 = reply()
    times.append(time.perf_counter() - t)
    if not (r1.startswith(b"250") and r2.startswith(b"250") and r3.startswith(b"354") and r4.startswith(b"250")):
        raise SystemExit(f"transaction {i} failed: {r1!r} {r2!r} {r3!r} {r4!r}")
s.sendall(b"QUIT\r\n")
times.sort()
print(f"{times[len(times) // 2] * 1000:.2f} {times[int(len(times) * 0.99) - 1] * 1000:.2f}")
