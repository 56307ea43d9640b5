#!/usr/bin/env python3
"""Live sockets and memory: opens N live WebSockets against a real `atende serve`, closes them,
and prints the daemon's RSS before, at the peak and after (issue 8, finding 4).

Usage: bench/hardening/live_rss.py [ATENDE_BIN] [--accounts 16] [--sockets-per-account 32]
Loopback only; bounded in count and time; stops its server at the end."""
import argparse, base64, os, socket, time
from atende_server import PASSWORD, AtendeServer, request, session_cookie

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
    sockets = []
    with AtendeServer(a.bin, prefix="atende-live-rss-") as server:
        port = server.port
        owner = server.setup_owner()
        cookies = []
        for i in range(a.accounts):
            request(server.base, "POST", "/api/v1/staff", {"name": f"Agent {i}", "email": f"a{i}@example.com",
                                                           "password": PASSWORD, "role": "agent"},
                    {"Cookie": f"atende_sid={owner}"})
            for _ in range(a.sessions_per_account):
                _, headers, _ = request(server.base, "POST", "/api/v1/session", {"email": f"a{i}@example.com", "password": PASSWORD})
                cookies.append(session_cookie(headers))
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
        for sock in sockets: sock.close()

if __name__ == "__main__":
    main()
