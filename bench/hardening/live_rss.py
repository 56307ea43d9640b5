#!/usr/bin/env python3
"""Live sockets and memory: opens N live WebSockets against a real `atende serve`, closes them,
and prints the daemon's RSS before, at the peak and after (issue 8, finding 4).

Usage: bench/hardening/live_rss.py [ATENDE_BIN] [--accounts 16] [--sockets-per-account 32]
Loopback only; bounded in count and time; stops its server at the end."""
import argparse, json, os, re, socket, subprocess, sys, tempfile, time, urllib.request, base64

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

def rss_split_kib(pid):
    """Anonymous (heap, stacks) and file-backed (the mapped LMDB file, the binary) resident KiB."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("RssAnon:", "RssFile:")):
                fields[line.split(":")[0]] = int(line.split()[1])
    return fields.get("RssAnon", 0), fields.get("RssFile", 0)

def fd_count(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return -1

def request(base, method, path, body=None, headers=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json"); req.add_header("X-Atende-CSRF", "1")
    for k, v in (headers or {}).items(): req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()

def open_socket(port, cookie, plain=False):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    if plain:
        # The same request without Upgrade: a keep-alive HTTP connection answered 426 and left open.
        s.sendall((f"GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: atende_sid={cookie}\r\n\r\n").encode())
    else:
        s.sendall((f"GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nCookie: atende_sid={cookie}\r\n\r\n").encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk: break
        data += chunk
    return s, data.split(b"\r\n", 1)[0].decode(errors="replace")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin", nargs="?", default=".build/debug/atende")
    ap.add_argument("--accounts", type=int, default=16)
    ap.add_argument("--sessions-per-account", type=int, default=2)
    ap.add_argument("--sockets-per-session", type=int, default=16)
    ap.add_argument("--cycles", type=int, default=2, help="open and close the sockets this many times")
    ap.add_argument("--settle", type=float, default=5, help="seconds to wait after closing before measuring")
    ap.add_argument("--plain", action="store_true",
                    help="keep-alive HTTP connections (the same GET without Upgrade, answered 426) instead of WebSockets")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="atende-live-rss-")
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    base = f"http://127.0.0.1:{port}"
    err = open(os.path.join(work, "server.err"), "w+")
    server = subprocess.Popen([a.bin, "serve", "--data", os.path.join(work, "data"), "--port", str(port),
                               "--master-key", os.path.join(work, "master.key")], stdout=err, stderr=err)
    sockets = []
    try:
        token = None
        for _ in range(300):
            err.flush(); err.seek(0)
            m = re.search(r"setup\?token=([A-Za-z0-9_-]+)", err.read())
            if m: token = m.group(1); break
            time.sleep(0.1)
        pw = "correct horse battery staple"
        st, h, _ = request(base, "POST", "/api/v1/setup", {"token": token, "name": "Owner", "email": "owner@example.com", "password": pw})
        owner = re.search(r"atende_sid=([^;]+)", h.get("Set-Cookie", "")).group(1)
        cookies = []
        for i in range(a.accounts):
            request(base, "POST", "/api/v1/staff", {"name": f"Agent {i}", "email": f"a{i}@example.com", "password": pw, "role": "agent"},
                    {"Cookie": f"atende_sid={owner}"})
            for _ in range(a.sessions_per_account):
                st, h, _ = request(base, "POST", "/api/v1/session", {"email": f"a{i}@example.com", "password": pw})
                cookies.append(re.search(r"atende_sid=([^;]+)", h.get("Set-Cookie", "")).group(1))
        time.sleep(1)
        before = rss_kib(server.pid)
        anon_before, file_before = rss_split_kib(server.pid)
        fds_before = fd_count(server.pid)
        for cycle in range(1, a.cycles + 1):
            statuses = {}
            for c in cookies:
                for _ in range(a.sockets_per_session):
                    sock, status = open_socket(port, c, a.plain)
                    statuses[status] = statuses.get(status, 0) + 1
                    sockets.append(sock)
            time.sleep(2)
            # Sockets the server closed (4029) read as closed; count those still open.
            open_count = 0
            for sock in sockets:
                sock.setblocking(False)
                try:
                    data = sock.recv(65536)
                    open_count += 0 if (data == b"" or data[:1] == b"\x88") else 1
                except BlockingIOError:
                    open_count += 1
                except OSError:
                    pass
            peak = rss_kib(server.pid)
            fds_peak = fd_count(server.pid)
            for sock in sockets: sock.close()
            sockets = []
            time.sleep(a.settle)
            after = rss_kib(server.pid)
            anon_after, file_after = rss_split_kib(server.pid)
            fds_after = fd_count(server.pid)
            print(f"cycle {cycle}: upgrade answers {statuses}; asked {len(cookies) * a.sockets_per_session} from "
                  f"{a.accounts} accounts x {a.sessions_per_account} sessions; open after 2 s: {open_count}")
            print(f"cycle {cycle}: RSS KiB before {before}, peak {peak} (+{peak - before}), "
                  f"{a.settle:g} s after closing {after} (+{after - before} kept)")
            print(f"cycle {cycle}: of what is kept: anonymous +{anon_after - anon_before} KiB, file-backed +{file_after - file_before} KiB")
            print(f"cycle {cycle}: open files before {fds_before}, peak {fds_peak}, {a.settle:g} s after closing {fds_after}")
    finally:
        for sock in sockets: sock.close()
        server.terminate(); server.wait(timeout=30)

if __name__ == "__main__":
    main()
