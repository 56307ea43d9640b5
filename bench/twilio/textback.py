#!/usr/bin/env python3
"""Missed call → text-back latency on the real binary (issue 11's figure).

Starts `atende serve` (use the release build) with Twilio connected to a fake Twilio REST API on
loopback, then plays N missed calls from N different callers: each one is Twilio's signed
`/webhooks/twilio/dial-status` POST with DialCallStatus=no-answer. For each caller it measures the
time from sending that POST to the text-back SMS reaching the fake Twilio, and prints p50/p90/p99
and the max. Then every caller misses a second call inside the period, and the script checks that
nobody got two text-backs.

    python3 bench/twilio/textback.py --binary .build-release/release/atende --calls 1000 --concurrency 8
"""
import argparse, base64, hashlib, hmac, http.server, json, os, platform, sys, threading, time, urllib.parse, urllib.request
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "hardening"))
from atende_server import AtendeServer, request  # noqa: E402

ACCOUNT = "AC" + "0123456789abcdef" * 2
TOKEN = "f00dfeed" * 4
NUMBER = "+5511940000000"
PUBLIC = "https://atende.example.com"


class FakeTwilio(http.server.ThreadingHTTPServer):
    """Answers Messages.json with 201 and a fresh SID; records when each send arrived, by `To`."""
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.arrivals = {}       # To → [monotonic times]
        self.count = 0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        at = time.monotonic()
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        form = urllib.parse.parse_qs(body.decode())
        server = self.server
        with server.lock:
            server.count += 1
            sid = "SM%032x" % server.count
            server.arrivals.setdefault(form.get("To", ["?"])[0], []).append(at)
        answer = json.dumps({"sid": sid, "status": "queued", "num_segments": "1"}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


def signed(path, params):
    text = PUBLIC + path + "".join(k + v for k, v in sorted(params))
    signature = base64.b64encode(hmac.new(TOKEN.encode(), text.encode(), hashlib.sha1).digest()).decode()
    return urllib.parse.urlencode(params).encode(), signature


def dial_status(base, call, caller):
    params = [("CallSid", "CA%032x" % call), ("AccountSid", ACCOUNT), ("From", caller), ("To", NUMBER), ("DialCallStatus", "no-answer")]
    body, signature = signed("/webhooks/twilio/dial-status", params)
    req = urllib.request.Request(base + "/webhooks/twilio/dial-status", data=body, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})
    sent = time.monotonic()
    with urllib.request.urlopen(req, timeout=60) as r:
        assert r.status == 200, r.status
        r.read()
    return sent


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build-release/release/atende")
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rate", type=float, default=0,
                        help="missed calls a second, spread evenly (0: all at once, as fast as --concurrency posts them)")
    args = parser.parse_args()

    fake = FakeTwilio()
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    twilio_url = f"http://127.0.0.1:{fake.server_address[1]}"
    with AtendeServer(args.binary, prefix="atende-textback-", env={"ATENDE_PUBLIC_URL": PUBLIC},
                      args=["--twilio-api-url", twilio_url]) as server:
        server.wait_ready()
        cookie = server.setup_owner()
        # public_url is https, so the session cookie is the __Host- one.
        status, _, body = request(server.base, "POST", "/api/v1/tokens", {"name": "bench", "role": "admin"},
                                  {"Cookie": f"__Host-atende_sid={cookie}", "Origin": PUBLIC})
        assert status == 201, (status, body[:300])
        token = json.loads(body)["secret"]
        auth = {"Authorization": f"Bearer {token}"}
        status, _, body = request(server.base, "PUT", "/api/v1/channels/twilio",
                                  {"account_sid": ACCOUNT, "auth_token": TOKEN, "numbers": [NUMBER], "forward_to": "+5511930000000"}, auth)
        assert status == 200, (status, body[:300])

        callers = ["+55119%08d" % n for n in range(args.calls)]
        sent_at = {}
        started = time.monotonic()
        def play(n):
            if args.rate > 0:      # open loop: call n starts at its own time, whatever the others did
                delay = started + n / args.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            return dial_status(server.base, n, callers[n])

        with ThreadPoolExecutor(args.concurrency) as pool:
            for caller, at in zip(callers, pool.map(play, range(args.calls))):
                sent_at[caller] = at
        posted = time.monotonic() - started
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with fake.lock:
                if all(c in fake.arrivals for c in callers):
                    break
            time.sleep(0.05)
        with fake.lock:
            missing = [c for c in callers if c not in fake.arrivals]
            latencies = [(fake.arrivals[c][0] - sent_at[c]) * 1000 for c in callers if c in fake.arrivals]

        # A second missed call from everyone, inside the period: nobody is texted twice.
        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(lambda n: dial_status(server.base, args.calls + n, callers[n]), range(args.calls)))
        time.sleep(2)
        with fake.lock:
            twice = [c for c in callers if len(fake.arrivals.get(c, [])) > 1]

        print(f"CPU: {cpu_model()} ({os.cpu_count()} logical)")
        pace = f"{args.rate:g}/s spread evenly" if args.rate > 0 else f"all at once, {args.concurrency} in flight"
        print(f"missed calls: {args.calls} from {args.calls} callers, {pace}; posted in {posted:.2f} s ({args.calls / posted:.0f}/s)")
        print(f"dial-status sent → text-back at the fake Twilio (ms): p50 {percentile(latencies, 50):.1f}  "
              f"p90 {percentile(latencies, 90):.1f}  p99 {percentile(latencies, 99):.1f}  max {max(latencies):.1f}")
        print(f"text-backs missing: {len(missing)}; callers texted twice after a second missed call: {len(twice)}")
        if missing or twice:
            sys.exit(1)


if __name__ == "__main__":
    main()
