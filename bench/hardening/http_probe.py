#!/usr/bin/env python3
"""Prints the HTTP hardening figures of one `atende` binary: slow bodies, connection caps,
chunked bodies over the limit, malformed requests, request ids and error-level log lines.

Runs `atende serve` on a free loopback port with a temporary data directory and small limits
(request deadline 2 s, 32 connections, 8 per address) given as ATENDE_* variables, which an
older binary simply ignores, so the same command measures before and after a change.

Usage: bench/hardening/http_probe.py [ATENDE_BIN]   (default: .build/debug/atende)
Bounded: about 30 s, at most 60 client sockets at a time.
"""
import json, os, re, socket, subprocess, sys, tempfile, time

BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/atende"


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def connect(port, source="127.0.0.1", timeout=5):
    s = socket.socket(); s.settimeout(timeout); s.bind((source, 0)); s.connect(("127.0.0.1", port)); return s


def status_of(s, timeout=3):
    """The status code of the first line the server sends, None if it closes without one, 'open' if silent."""
    s.settimeout(timeout)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        return "open"
    except ConnectionResetError:
        pass
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return int(m.group(1)) if m else None


def main():
    work = tempfile.mkdtemp(prefix="atende-probe-")
    port = free_port()
    env = dict(os.environ, ATENDE_REQUEST_TIMEOUT_S="2", ATENDE_MAX_CONNECTIONS="32",
               ATENDE_MAX_CONNECTIONS_PER_ADDRESS="8", ATENDE_LOG_LEVEL="info")
    log = open(os.path.join(work, "log"), "w+")
    server = subprocess.Popen([BIN, "serve", "--data", os.path.join(work, "data"), "--master-key",
                               os.path.join(work, "master.key"), "--port", str(port)], env=env, stderr=log)
    try:
        for _ in range(300):
            try:
                s = connect(port); s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if status_of(s) == 200: break
            except OSError:
                time.sleep(0.1)
        head = b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Atende-CSRF: 1\r\nContent-Length: 100000\r\n\r\n{"

        # 1. Slow bodies: 8 connections from 127.0.0.2, one byte a second, looked at after 5 s.
        slow = []
        for _ in range(8):
            s = connect(port, "127.0.0.2"); s.sendall(head); slow.append(s)
        for _ in range(5):
            time.sleep(1)
            for s in slow:
                try: s.sendall(b" ")
                except OSError: pass
        answers = [status_of(s, 0.5) for s in slow]
        print(f"slow body (1 byte/s, 8 connections, after 5 s): still open {answers.count('open')}/8, answered 408 {answers.count(408)}/8")
        for s in slow: s.close()

        # 2. Caps: 10 slow connections from 127.0.0.3 (cap 8 per address), then 3 more addresses to fill 32.
        held = []
        refused = 0
        for _ in range(10):
            s = connect(port, "127.0.0.3"); s.sendall(head)
            st = status_of(s, 0.3)
            if st == "open": held.append(s)
            else: refused += 1
        print(f"per-address cap (10 from one address, cap 8): refused {refused}/10")
        for a in ("127.0.0.4", "127.0.0.5", "127.0.0.6"):
            for _ in range(8):
                s = connect(port, a); s.sendall(head); held.append(s)
        time.sleep(0.3)
        t0 = time.time()
        s = connect(port); s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        st = status_of(s, 5)
        print(f"/healthz from 127.0.0.1 with {len(held)} slow connections held: status {st} in {time.time() - t0:.2f} s")
        for s in held: s.close()
        time.sleep(0.5)

        # 3. A chunked body over 1 MiB.
        s = connect(port)
        s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Atende-CSRF: 1\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"a" * 65536
        try:
            for _ in range(17):
                s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            s.sendall(b"0\r\n\r\n")
        except OSError: pass
        print(f"chunked body of 1.06 MiB: status {status_of(s)}")
        s.close()

        # 4. Malformed requests.
        cases = {
            "header block over 80 KiB": b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-Pad-%d: %s\r\n" % (i, b"v" * 1000) for i in range(90)) + b"\r\n",
            "1,100 headers": b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(1100)) + b"\r\n",
            "URL over 80 KiB": b"GET /" + b"a" * (82 * 1024) + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            "Content-Length with chunked": b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "two Content-Lengths": b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            "bare LF": b"GET /healthz HTTP/1.1\nHost: x\n\n",
            "HTTP/0.9": b"GET /healthz\r\n\r\n",
        }
        for name, data in cases.items():
            s = connect(port)
            try: s.sendall(data)
            except OSError: pass
            print(f"malformed, {name}: status {status_of(s)}")
            s.close()

        # 5. Request ids of two requests in a row.
        ids = []
        for _ in range(2):
            s = connect(port); s.sendall(b"GET /api/v1/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            s.settimeout(3); data = b""
            try:
                while True:
                    c = s.recv(4096)
                    if not c: break
                    data += c
            except OSError: pass
            m = re.search(rb'"request_id":"([^"]*)"', data)
            ids.append(m.group(1).decode() if m else None)
        print(f"request ids of two requests: {ids[0]} {ids[1]}")

        # 6. A client that hangs up mid-body: error-level log lines it causes.
        before = len(error_lines(log))
        s = connect(port); s.sendall(head + b'"email": "a'); time.sleep(0.3); s.close()
        time.sleep(1)
        print(f"error-level log lines after a hang-up mid-body: {len(error_lines(log)) - before}")
    finally:
        server.terminate(); server.wait(30)


def error_lines(log):
    log.flush(); log.seek(0)
    out = []
    for line in log:
        try:
            if json.loads(line).get("level") in ("error", "critical"): out.append(line)
        except ValueError: pass
    return out


if __name__ == "__main__":
    main()
