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
