#!/usr/bin/env python3
"""Writes the hand-made seed files of fuzz/corpus/<Target>/ (run from the repo root: python3 fuzz/seeds/make-seeds.py).
Each seed is named for the case it carries; files are only written, never deleted (findings stay)."""
import os, struct

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus")

def put(target, name, data):
    d = os.path.join(root, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("latin-1"))

# --- SmtpLine: raw client bytes cut into command lines.
put("SmtpLine", "dialog-crlf", "HELO client.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n")
put("SmtpLine", "bare-lf-lines", "HELO x\nMAIL FROM:<a@b>\nQUIT\n")
put("SmtpLine", "partial-line", "MAIL FROM:<a@b>\r\nRCPT TO:<c")
put("SmtpLine", "lone-cr", "NOOP\rNOOP\r\n\r\r\n")
put("SmtpLine", "empty-lines", "\n\n\r\n")
put("SmtpLine", "line-4095-bytes", "A" * 4095 + "\nQUIT\r\n")
put("SmtpLine", "line-4096-bytes-too-long", "A" * 4096 + "\nQUIT\r\n")
put("SmtpLine", "too-long-then-more", "B" * 5000 + "\r\nNOOP\r\n")
put("SmtpLine", "nul-in-line", "MAIL FROM:<a\0b@c>\r\n")

# --- SmtpCommand: one or more lines.
put("SmtpCommand", "all-verbs", "HELO a\nEHLO b\r\nMAIL FROM:<x@y>\nRCPT TO:<z@w>\nDATA\nRSET\nNOOP\nVRFY q\nHELP\nQUIT\r\n")
put("SmtpCommand", "mixed-case", "hElO  spaced   arg \r\nQuIt\r\n")
put("SmtpCommand", "unimplemented", "EXPN x\nSTARTTLS\nAUTH PLAIN AAAA\nBDAT 10 LAST\nTURN\n\n")
put("SmtpCommand", "verb-only-cr", "DATA\r")
put("SmtpCommand", "double-cr", "NOOP\r\r")
put("SmtpCommand", "tab-not-space", "MAIL\tFROM:<a@b>")
put("SmtpCommand", "high-bytes", "\xc8\xc5\xcc\xcf x\n\xe4ata\n")

# --- Address: [flags] + argument.
A = lambda flags, s: bytes([flags]) + s.encode("latin-1")
put("Address", "plain", A(0, "FROM:<joe@example.com>"))
put("Address", "null-sender", A(0, "FROM:<>"))
put("Address", "esmtp-params", A(0, "FROM:<joe@example.com> SIZE=1000 BODY=8BITMIME"))
put("Address", "no-angle-rfc821", A(0, "FROM: joe@example.com trailing"))
put("Address", "no-colon", A(0, "joe@example.com"))
put("Address", "source-route", A(0, "TO:<@relay1.example,@relay2.example:joe@example.com>"))
put("Address", "source-route-no-colon", A(0, "TO:<@relay1.example"))
put("Address", "quoted-local", A(0, 'TO:<"joe smith"@example.com>'))
put("Address", "quoted-gt", A(0, 'TO:<"a>b"@example.com>'))
put("Address", "escaped", A(0, 'TO:<a\\>b\\"c@example.com>'))
put("Address", "trailing-backslash", A(0, 'TO:<a\\'))
put("Address", "unterminated-quote", A(0, 'TO:<"abc>def'))
put("Address", "local-ip-literal", A(0, "TO:<joe@[127.0.0.1]>"))
put("Address", "local-ip-literal-10", A(0, "TO:<joe@[10.0.0.1]>"))
put("Address", "ip-literal-wraps-mod-256", A(0, "TO:<joe@[383.0.0.1]>"))
put("Address", "ip-literal-not-local", A(0, "TO:<joe@[192.0.2.1]>"))
put("Address", "ip-literal-no-liphost", A(1, "TO:<joe@[127.0.0.1]>"))
put("Address", "ip-literal-no-predicate", A(2, "TO:<joe@[127.0.0.1]>"))
put("Address", "ip-literal-trailing", A(0, "TO:<joe@[127.0.0.1]x>"))
put("Address", "nul-becomes-lf", A(0, "TO:<jo\0e@example.com>"))
put("Address", "899-bytes", A(0, "TO:<" + "a" * 887 + "@example.com>"))
put("Address", "900-bytes", A(0, "TO:<" + "a" * 888 + "@example.com>"))
put("Address", "liphost-grows-past-899", A(0, "TO:<" + "a" * 880 + "@[127.0.0.1]>"))

# --- Data: [max-run selector] + bytes after 354.
D = lambda sel, s: bytes([sel]) + s.encode("latin-1")
put("Data", "simple", D(3, "Subject: hi\r\n\r\nbody\r\n.\r\n"))
put("Data", "stuffed-dots", D(3, "..leading dot\r\n...two\r\n.\r\n"))
put("Data", "dot-cr-exception", D(3, ".\rx\r\n.\r\n"))
put("Data", "dot-cr-cr", D(2, ".\r\r\n.\r\n"))
put("Data", "lone-cr", D(0, "a\rb\r\n\r\r\r\n.\r\n"))
put("Data", "bare-lf", D(3, "Subject: x\r\nbody\nmore\r\n.\r\n"))
put("Data", "bare-lf-after-dot", D(3, "a\r\n.\n"))
put("Data", "no-end", D(1, "a\r\nb\r\n."))
put("Data", "end-then-commands", D(3, "x\r\n.\r\nQUIT\r\n"))
put("Data", "empty-message", D(3, ".\r\n"))
put("Data", "hops-mixed-case", D(3, "Received: a\r\nrEcEiVeD b\r\nDELIVERED-TO: c\r\ndelivered\r\nReceived\r\nReceive\r\n\r\nReceived: in body\r\n.\r\n"))
put("Data", "100-hops", D(3, "Received: from x by y\r\n" * 100 + "\r\nbody\r\n.\r\n"))
put("Data", "99-hops", D(3, "Delivered-To: x\r\n" * 99 + "\r\nbody\r\n.\r\n"))
put("Data", "long-header-line", D(3, "Received: " + "x" * 3000 + "\r\nReceived: y\r\n\r\n.\r\n"))
put("Data", "8bit-and-long", D(3, "Subject: \xe9t\xe9\r\n\r\n" + "\xff" * 2000 + "\r\n.\r\n"))
put("Data", "blank-line-needs-crlf", D(3, "X: a\r\n\rReceived: b\r\n\r\n.\r\n"))

# --- ReceivedLine: [flags][8 bytes ticks] helo \0 remotehost \0 remoteinfo \0 remoteip \0 localhost
def R(flags, ticks, *fields):
    return bytes([flags]) + struct.pack("<q", ticks) + b"\0".join(f.encode("latin-1") for f in fields)
t1995 = 629500000000000000  # 1995-09-26
put("ReceivedLine", "typical", R(1, t1995, "client.example", "mail.client.example", "", "192.0.2.1", "mx.example"))
put("ReceivedLine", "no-helo-info", R(2, t1995, "", "unknown", "ident", "192.0.2.1", "mx.example"))
put("ReceivedLine", "header-injection", R(3, t1995, "x)\r\nX-Injected: yes\r\n", "h\nost", "in fo", "1.2.3.4\r", "l\0cal"))
put("ReceivedLine", "brackets-and-8bit", R(1, t1995, "[192.0.2.1] \xe9\xff", "a%b+c/d=e:f-g", "", "[::1]", "mx"))
put("ReceivedLine", "max-date", R(1, 3155378975999999999, "a", "b", "c", "d", "e"))
put("ReceivedLine", "min-date", R(0, 0, "a", "b", "c", "d", "e"))

# --- SmtpSession: [flags] + client bytes. flags: 1 RELAYCLIENT, 2 DATABYTES=100, 4 commit fails, 8 open fails, >>4 chunk.
S = lambda flags, s: bytes([flags]) + s.encode("latin-1")
dialog = ("EHLO client.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n"
          "Subject: hi\r\n\r\nhello\r\n..dot\r\n.\r\nQUIT\r\n")
put("SmtpSession", "dialog", S(0, dialog))
put("SmtpSession", "dialog-bytewise", S(0x10, dialog))
put("SmtpSession", "dialog-chunks-of-7", S(0x70, dialog))
put("SmtpSession", "pipelined-two-messages", S(0,
    "HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@example.com>\r\nRCPT TO:<y@sub.example.net>\r\nDATA\r\n"
    "one\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<z@EXAMPLE.COM>\r\nDATA\r\ntwo\r\n.\r\nQUIT\r\n"))
put("SmtpSession", "relay-denied", S(0, "HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@elsewhere.org>\r\nRCPT TO:<postmaster>\r\nDATA\r\nx\r\n.\r\nQUIT\r\n"))
put("SmtpSession", "relayclient", S(1, "HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@elsewhere.org>\r\nDATA\r\nx\r\n.\r\nQUIT\r\n"))
put("SmtpSession", "badmailfrom", S(0, "HELO c\r\nMAIL FROM:<BAD@example.org>\r\nRCPT TO:<x@example.com>\r\nMAIL FROM:<u@spam.example>\r\nRCPT TO:<x@example.com>\r\nDATA\r\nQUIT\r\n"))
put("SmtpSession", "databytes-exceeded", S(2, "HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@example.com>\r\nDATA\r\n" + "y" * 150 + "\r\n.\r\nQUIT\r\n"))
put("SmtpSession", "databytes-exact", S(2, "HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@example.com>\r\nDATA\r\n" + "y" * 99 + "\r\n.\r\nQUIT\r\n"))
put("SmtpSession", "commit-fails", S(4, dialog))
put("SmtpSession", "open-fails", S(8, dialog))
put("SmtpSession", "bare-lf-in-data", S(0, "HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@example.com>\r\nDATA\r\nbad\nline\r\n.\r\nQUIT\r\n"))
put("SmtpSession", "100-hops", S(0, "HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@example.com>\r\nDATA\r\n" + "Received: x\r\n" * 100 + "\r\n.\r\nQUIT\r\n"))
put("SmtpSession", "eof-mid-data", S(0, "HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@example.com>\r\nDATA\r\nunfinished\r\n"))
put("SmtpSession", "sequence-errors", S(0, "RCPT TO:<x@example.com>\r\nDATA\r\nMAIL FROM:<a@b>\r\nDATA\r\nRSET\r\nRCPT TO:<x@example.com>\r\nNOOP\r\nVRFY x\r\nHELP\r\nEXPN y\r\n\r\nQUIT\r\n"))
put("SmtpSession", "long-line-then-quit", S(0, "NOOP " + "z" * 5000 + "\r\nNOOP\r\nQUIT\r\n"))
put("SmtpSession", "address-900", S(0, "MAIL FROM:<" + "a" * 888 + "@example.com>\r\nMAIL FROM:<" + "a" * 887 + "@example.com>\r\nQUIT\r\n"))
put("SmtpSession", "local-ip-literal", S(0, "MAIL FROM:<a@b>\r\nRCPT TO:<joe@[10.0.0.1]>\r\nRCPT TO:<joe@[10.0.0.2]>\r\nDATA\r\nx\r\n.\r\nQUIT\r\n"))
put("SmtpSession", "helo-injection", S(0, "HELO evil)\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@example.com>\r\nDATA\r\nx\r\n.\r\nQUIT\r\n"))
put("SmtpSession", "no-quit", S(0, "HELO c\r\nNOOP\r\n"))
put("SmtpSession", "data-after-end-pipelined", S(0x30, "MAIL FROM:<a@b>\r\nRCPT TO:<x@example.com>\r\nDATA\r\n.\r\nMAIL FROM:<c@d>\r\nRCPT TO:<y@example.com>\r\nDATA\r\n..\r\n.\r\nQUIT\r\n"))

# --- Dns: a whole response as it arrives over UDP (its Latin-1 text is also a name to build a query for).
def name(n):
    out = b""
    for label in n.split(".") if n else []:
        out += bytes([len(label)]) + label.encode("latin-1")
    return out + b"\0"
def header(qid, flags, qd, an, ns=0, ar=0):
    return struct.pack(">HHHHHH", qid, flags, qd, an, ns, ar)
def rr(owner, rtype, rdata, ttl=3600, cls=1):
    return owner + struct.pack(">HHIH", rtype, cls, ttl, len(rdata)) + rdata
Q = lambda n, t: name(n) + struct.pack(">HH", t, 1)
PTR12 = b"\xc0\x0c"  # the question name
opt = b"\0" + struct.pack(">HHIH", 41, 1232, 0, 0)
# MX with compression: mx1 is "mx1" + pointer to the question, mx2's exchange points at mx1's name (offset 43).
mx = header(0x1234, 0x8180, 1, 3, 0, 1) + Q("example.com", 15)
mx += rr(PTR12, 15, b"\0\x0a" + b"\x03mx1" + PTR12)
mx += rr(PTR12, 15, b"\0\x14" + b"\xc0\x2b")
mx += rr(b"\xc0\x2b", 1, bytes([192, 0, 2, 1])) + opt
put("Dns", "mx-compressed", mx)
put("Dns", "a", header(7, 0x8180, 1, 2) + Q("mx.example.org", 1) + rr(PTR12, 1, bytes([198, 51, 100, 7])) + rr(PTR12, 1, bytes([198, 51, 100, 8]), ttl=0))
put("Dns", "aaaa", header(8, 0x8180, 1, 1) + Q("mx.example.org", 28) + rr(PTR12, 28, bytes.fromhex("20010db8000000000000000000000025")))
cname = header(9, 0x8180, 1, 3) + Q("www.example.net", 1)
cname += rr(PTR12, 5, b"\x05alias" + b"\xc0\x10")       # alias.example.net (pointer into the question)
cname += rr(b"\xc0\x2d", 5, b"\x04last\xc0\x10")          # alias.example.net -> last.example.net
cname += rr(b"\xc0\x41", 1, bytes([203, 0, 113, 9]))       # last.example.net A
put("Dns", "cname-chain", cname)
put("Dns", "truncated", header(10, 0x8380, 1, 0) + Q("big.example.com", 15))
put("Dns", "nxdomain", header(11, 0x8183, 1, 0, 1) + Q("nope.example.com", 15)
    + rr(b"\xc0\x11", 6, name("ns.example.com") + name("host.example.com") + struct.pack(">IIIII", 1, 2, 3, 4, 5)))
put("Dns", "servfail", header(12, 0x8182, 1, 0) + Q("example.com", 15))
put("Dns", "pointer-loop", header(13, 0x8180, 1, 1) + Q("example.com", 15) + rr(b"\xc0\x1d", 15, b"\0\x0a\xc0\x1d"))
put("Dns", "pointer-self", header(14, 0x8180, 1, 0) + b"\xc0\x0c\0\x0f\0\x01")
put("Dns", "pointer-forward", header(15, 0x8180, 1, 0) + b"\xc0\x0e\0\x07example\0\0\x0f\0\x01")
put("Dns", "null-mx", header(16, 0x8180, 1, 1) + Q("nomail.example", 15) + rr(PTR12, 15, b"\0\0\0"))
put("Dns", "class-chaos", header(17, 0x8180, 1, 1) + Q("example.com", 15) + rr(PTR12, 15, b"\0\x0a\0", cls=3))
put("Dns", "max-name", header(18, 0x8180, 1, 0) + Q(".".join(["a" * 63] * 3 + ["b" * 61]), 1))
put("Dns", "name-256-wire-bytes", header(19, 0x8180, 1, 0) + Q(".".join(["a" * 63] * 3 + ["b" * 62]), 1))
put("Dns", "name-257-wire-bytes", header(19, 0x8180, 1, 1) + Q("x.example", 15) + rr(PTR12, 5, name(".".join(["c" * 63] * 4))))
put("Dns", "extended-label", header(20, 0x8180, 1, 0) + b"\x41abc\0\0\x01\0\x01")
put("Dns", "cut-record", (header(21, 0x8180, 1, 1) + Q("example.com", 1) + rr(PTR12, 1, bytes(4)))[:-2])
put("Dns", "text-name", "mx.example.com.")
put("Dns", "text-name-63", "a" * 63 + ".example")
put("Dns", "text-name-64", "a" * 64 + ".example")
put("Dns", "text-name-space", "bad name.example")

# --- SmtpReply: what a server sends, replies one after another.
put("SmtpReply", "greeting", "220 mx.example.com ESMTP\r\n")
put("SmtpReply", "ehlo", "250-mx.example.com hi\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n250-STARTTLS\r\n"
    "250-AUTH PLAIN LOGIN\r\n250 SMTPUTF8\r\n")
put("SmtpReply", "pipelined", "250 ok\r\n250 ok\r\n354 go ahead\r\n")
put("SmtpReply", "bare-lf-and-partial", "451-try\n451 later\n550 no")
put("SmtpReply", "cr-inside", "250 a\rb\r\r\n")
put("SmtpReply", "nul", "550 a\0b\r\n")
put("SmtpReply", "garbage", "hello\r\n")
put("SmtpReply", "short-line", "25\r\n")
put("SmtpReply", "dash-only", "250-\r\n250\r\n")
put("SmtpReply", "mixed-codes", "250-first\r\n451-second\r\n550 third\r\n")
put("SmtpReply", "size-junk", "250-x\r\n250-SIZE -5\r\n250-SIZE 99999999999999999999\r\n250 size\r\n")
put("SmtpReply", "utf8-cut", "250 " + "\xc3\xa9" * 10 + "\r\n")
put("SmtpReply", "line-4095-bytes-before-lf", "250 " + "x" * 4090 + "\r\n250 next\r\n")
put("SmtpReply", "line-4096-bytes-before-lf", "250 " + "x" * 4091 + "\r\n")
put("SmtpReply", "unterminated-4096", "250 " + "x" * 4092)
put("SmtpReply", "unterminated-4097", "250 " + "x" * 4093)
put("SmtpReply", "text-cap", ("250-" + "y" * 100 + "\r\n") * 60 + "250 end\r\n")
put("SmtpReply", "256-lines", "250-x\r\n" * 255 + "250 x\r\n")
put("SmtpReply", "257-lines", "250-x\r\n" * 256 + "250 x\r\n")

# --- SmtpDataEncoder: [chunk selector: 1, 2, 7, all] + a queued message.
E = lambda sel, s: bytes([sel]) + s.encode("latin-1")
put("SmtpDataEncoder", "empty", E(3, ""))
put("SmtpDataEncoder", "simple", E(3, "Subject: hi\n\nbody\n"))
put("SmtpDataEncoder", "no-final-newline", E(0, "a\nlast line"))
put("SmtpDataEncoder", "dots", E(1, ".\n..\n.x\nx.\n.\r\n.\r.\n"))
put("SmtpDataEncoder", "smuggle-lf-dot-lf", E(3, "a\n.\nMAIL FROM:<x@y>\n"))
put("SmtpDataEncoder", "smuggle-cr-dot-cr", E(2, "a\r.\rMAIL FROM:<x@y>\r"))
put("SmtpDataEncoder", "smuggle-lf-dot-crlf", E(0, "a\n.\r\nRCPT TO:<z@w>\r\n"))
put("SmtpDataEncoder", "smuggle-crlf-dot-lf", E(1, "a\r\n.\nDATA\n"))
put("SmtpDataEncoder", "cr-cr-lf", E(3, "a\r\r\nb\r\r\r\n\n\r"))
put("SmtpDataEncoder", "crlf-split", E(0, "line\r\n.\r\n"))
put("SmtpDataEncoder", "leading-dot-message", E(2, ".hidden\r\n"))
put("SmtpDataEncoder", "8bit", E(3, "caf\xe9\n\xff\xfe\0\n"))
