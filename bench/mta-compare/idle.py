#!/usr/bin/env python3
"""idle.py HOST PORT COUNT MEMCMD: opens COUNT connections, waits for every greeting (bounded: 60 s),
runs MEMCMD (prints bytes in use), prints "<connections greeted> <bytes>", then closes them all."""
import selectors, socket, subprocess, sys, time

host, port, count, memcmd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
sel = selectors.DefaultSelector()
socks = []
for _ in range(count):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex((host, port))
    sel.register(s, selectors.EVENT_READ)
    socks.append(s)
greeted, deadline = 0, time.time() + 60
while greeted < count and time.time() < deadline:
    for key, _ in sel.select(timeout=1):
        try:
            data = key.fileobj.recv(512)
        except OSError:
            data = b""
        sel.unregister(key.fileobj)
        if data.startswith(b"220"):
            greeted += 1
time.sleep(1)
mem = subprocess.run(memcmd, shell=True, capture_output=True, text=True).stdout.strip()
print(greeted, mem)
for s in socks:
    s.close()
