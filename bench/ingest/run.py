#!/usr/bin/env python3
"""Ingest, live fan-out and footprint benchmarks against a real `atende serve` on loopback.

    python3 bench/ingest/run.py [--bin PATH] [--messages N] [--connections 64] [--rounds 3]

Phases (each on its own daemon in a temporary directory, removed afterwards; `--only` picks):
  ingest      rounds of [/healthz ceiling, signed webhooks] with the same generator, interleaved;
              wrk on /healthz as a cross-check; then durability: kill -9 right after the last
              round and, separately, kill -9 mid-load; restart; look up every acknowledged wamid.
  fanout      --clients live WebSockets (bearer tokens, 16 per token: the hub's per-credential
              cap), one webhook at a time, delivery latency of message.created to every client.
  footprint   RSS idle, after --store messages; start-to-ready (/readyz 200) at 0, --store and
              --big stored messages.
  backlog     (only when named) --backlog customers write once; the assistant answers each at once;
              Graph refuses every send. Samples the idle daemon: CPU, commits/s, send jobs due and
              their outcomes — a backlog must drain at the number's rate and give up, not churn.
See bench/README.md, section "Ingest"."""
import argparse, asyncio, glob, json, multiprocessing as mp, os, random, re, resource, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
try:
    import uvloop  # noqa: F401
except ImportError:
    # The generator's event loop moves the ceiling it measures (asyncio's costs more per request,
    # and more for /healthz than for webhooks): install uvloop as bench/vector installs its peers.
    print("installing Python package: uvloop", file=sys.stderr)
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "uvloop"]
    if subprocess.run(pip).returncode != 0:
        subprocess.run(pip + ["--break-system-packages"])
sys.path.insert(0, os.path.join(HERE, "..", "hardening"))
sys.path.insert(0, HERE)
from atende_server import AtendeServer, request  # noqa: E402
import liveclients, loadgen  # noqa: E402

APP_SECRET = b"bench-app-secret"
GRAPH = "http://127.0.0.1:9"       # nothing listens: nothing reaches Meta (text messages make no Graph calls)
ROWS = []                           # (section, metric, value, target, verdict)


def row(section, metric, value, target="", verdict=""):
    ROWS.append((section, metric, value, target, verdict))
    print(f"  [{section}] {metric}: {value}" + (f"   target {target}: {verdict}" if target else ""), flush=True)


def verdict(ok):
    return "PASS" if ok else "MISS"


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cpu_model():
    with open("/proc/cpuinfo") as f:
        names = [l.split(":", 1)[1].strip() for l in f if l.startswith("model name")]
    return f"{names[0] if names else '?'} × {len(names)} logical CPUs"


def proc_status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "RssAnon", "RssFile", "VmHWM", "Threads"):
                out[k] = int(v.split()[0])
    return out


def proc_cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_io(pid):
    """Bytes the process asked the kernel to write (wchar) and bytes it caused to reach the disk."""
    out = {}
    with open(f"/proc/{pid}/io") as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = int(v)
    return out


def disk_sectors(path):
    """Sectors written so far by the block device holding `path` (/sys/dev/block/MAJ:MIN/stat), or
    None: what reached the disk from every process, so it needs a quiet machine."""
    st = os.stat(path)
    try:
        with open(f"/sys/dev/block/{os.major(st.st_dev)}:{os.minor(st.st_dev)}/stat") as f:
            return int(f.read().split()[6])
    except (OSError, IndexError, ValueError):
        return None


def mib(kib):
    return f"{kib / 1024:.1f} MiB"


def ms(s):
    return f"{s * 1000:.1f} ms"


def du(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.stat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total


def find_binary():
    for pattern in ("/work/main/.build-release/release/atende", "/work/main/.build*/release/atende", ".build-release/release/atende",
                    ".build/release/atende", "/tmp/atende-bench", ".build/debug/atende"):
        found = sorted(glob.glob(pattern))
        if found:
            return found[0]
    raise SystemExit("no atende binary: pass --bin")


def build_type(path, given):
    if given:
        return given
    if "/release/" in path:
        return "release"
    if "/debug/" in path:
        return "debug"
    return "unknown (pass --build-type)"


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def new_server(a, prefix, env=None):
    s = AtendeServer(a.bin, prefix=prefix, args=["--whatsapp-graph-url", GRAPH], env=env)
    s.wait_ready()
    cookie = s.setup_owner()
    token = s.api_token(cookie)
    status, _, body = request(s.base, "POST", "/api/v1/channels", {
        "name": "Front desk", "phone_number_id": loadgen.PHONE_NUMBER_ID, "waba_id": loadgen.WABA_ID,
        "access_token": "EAAG-bench-token", "app_secret": APP_SECRET.decode(), "verify_token": "bench-verify"},
        {"Authorization": f"Bearer {token}"})
    assert status == 201, (status, body[:300])
    if getattr(a, "assistant", "on") == "off":
        status, _, body = request(s.base, "PUT", "/api/v1/assistant/settings", {"enabled": False},
                                  {"Authorization": f"Bearer {token}"})
        assert status == 200, (status, body[:300])
    return s, cookie, token


def metric_lines(s, token, prefixes):
    """The /metrics lines whose names start with one of `prefixes`, as name (labels included) → value."""
    _, _, body = request(s.base, "GET", "/metrics", None, {"Authorization": f"Bearer {token}"})
    return {l.rsplit(" ", 1)[0]: float(l.rsplit(" ", 1)[1]) for l in body.decode().splitlines()
            if l.startswith(prefixes)}


def store_metrics(s, token):
    """The store's counters from /metrics: commits, changes, seconds spent committing."""
    names = {"commits": "atende_store_commits_total", "changes": "atende_store_changes_total",
             "commit_s": "atende_store_commit_duration_seconds_sum"}
    found = metric_lines(s, token, tuple(names.values()))
    return {key: found.get(name, float("nan")) for key, name in names.items()}


def raw_flushes(directory, seconds=1.5):
    """4 KiB pwrite + fdatasync per second in `directory`: the disk's own flush rate right now
    (an LMDB commit costs about two of these; see the storage benchmark)."""
    path = os.path.join(directory, "flush-probe")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    block, n, t0 = os.urandom(4096), 0, time.monotonic()
    try:
        while time.monotonic() - t0 < seconds:
            os.pwrite(fd, block, (n % 256) * 4096)
            os.fdatasync(fd)
            n += 1
    finally:
        os.close(fd)
        os.remove(path)
    return n / (time.monotonic() - t0)


PROBE_PAGES, PROBE_REPEATS = 100, 9


def page_syncs(directory, pages=PROBE_PAGES, file_mib=256, repeats=PROBE_REPEATS):
    """Median seconds to pwrite `pages` 4 KiB pages and fdatasync them, scattered at random over
    a file of `file_mib` MiB and side by side: what a commit costs per page it dirties. An LMDB
    commit writes its dirty pages where the free list puts them, i.e. scattered."""
    path = os.path.join(directory, "page-probe")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    total = file_mib * 256
    block, rng, times = os.urandom(4096), random.Random(11), {"scattered": [], "contiguous": []}
    try:
        chunk = os.urandom(1 << 20)
        for mib in range(file_mib):
            os.pwrite(fd, chunk, mib << 20)
        os.fsync(fd)
        for _ in range(repeats):
            start = rng.randrange(total - pages)
            for kind, where in (("scattered", sorted(rng.sample(range(total), pages))), ("contiguous", range(start, start + pages))):
                t0 = time.perf_counter()
                for page in where:
                    os.pwrite(fd, block, page * 4096)
                os.fdatasync(fd)
                times[kind].append(time.perf_counter() - t0)
    finally:
        os.close(fd)
        os.remove(path)
    return {kind: statistics.median(t) for kind, t in times.items()}


def server_errors(s):
    """Error-level lines and 5xx answers in the server's log."""
    lines = [l for l in s.log_text().splitlines() if '"level":"error"' in l or '"level":"critical"' in l]
    return lines


def lookup(a, s, token, ids):
    """Every id looked up by provider id; returns the ids not answered 200."""
    if not ids:
        return [], {}
    r = loadgen.run(loadgen.Job(port=s.port, kind="lookup", connections=16, procs=1, seconds=3600, warmup=0,
                                token=token, lookup_ids=list(ids)))
    return r.missing, r.statuses


def choose(a, ids, last):
    """The ids to verify: all of them up to --verify-max, else the `last` newest acknowledged
    per process file order plus a random sample."""
    if len(ids) <= a.verify_max:
        return ids, "all"
    tail = ids[-last:]
    sample = random.Random(7).sample(ids[:-last], a.verify_max - last)
    return tail + sample, f"sample of {a.verify_max} (incl. the {last} acknowledged last)"


# ---------------------------------------------------------------------------------------------- ingest

def wrk_healthz(a, port):
    try:
        out = subprocess.run(["wrk", "-t2", f"-c{a.connections}", f"-d{int(a.seconds)}s", "--latency",
                              f"http://127.0.0.1:{port}/healthz"], capture_output=True, text=True, timeout=a.seconds + 60).stdout
    except FileNotFoundError:
        return None, None, "wrk not installed"
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99s = None
    if p99:
        p99s = float(p99.group(1)) * {"us": 1e-6, "ms": 1e-3, "s": 1}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", out)
    return float(rps.group(1)) if rps else None, p99s, errors.group(0) if errors else ""


def phase_ingest(a, ids_dir):
    print("\n== ingest ==", flush=True)
    s, cookie, token = new_server(a, "atende-ingest-")
    with s:
        rounds = []
        syncs = page_syncs(s.work)
        wrk_rps, wrk_p99, wrk_err = wrk_healthz(a, s.port)
        for r in range(1, a.rounds + 1):
            flushes = raw_flushes(s.work)
            cpu0 = proc_cpu(s.pid)
            h = loadgen.run(loadgen.Job(port=s.port, kind="healthz", connections=a.connections, procs=a.procs, seconds=a.seconds))
            cpu1 = proc_cpu(s.pid)
            m0 = store_metrics(s, token)
            io0, d0 = proc_io(s.pid), disk_sectors(s.work)
            i = loadgen.run(loadgen.Job(port=s.port, kind="ingest", connections=a.connections, procs=a.procs, seconds=a.seconds,
                                        requests=a.messages // a.batch_ingest, batch=a.batch_ingest, secret=APP_SECRET,
                                        tag=f"r{r}", ids_dir=ids_dir, contacts=a.contacts))
            cpu2 = proc_cpu(s.pid)
            m1 = store_metrics(s, token)
            io1, d1 = proc_io(s.pid), disk_sectors(s.work)
            span = i.window + 1.3   # warm-up and start included, as the counters are
            commits = m1["commits"] - m0["commits"]
            rec = dict(healthz=h.rate, healthz_p99=loadgen.percentile(h.latencies, 99), healthz_cpu=(cpu1 - cpu0) / max(h.window, 1e-9),
                       ingest=i.message_rate, ingest_req=i.rate, p50=loadgen.percentile(i.latencies, 50),
                       p99=loadgen.percentile(i.latencies, 99), statuses=i.statuses, errors=i.errors, hstatuses=h.statuses,
                       herrors=h.errors, gen_cpu_h=h.cpu / max(h.window, 1e-9), gen_cpu_i=i.cpu / max(i.window, 1e-9),
                       srv_cpu_i=(cpu2 - cpu1) / max(i.window + 1.3, 1e-9), window=i.window, acked=i.acked,
                       commits=commits / span, per_commit=(m1["changes"] - m0["changes"]) / max(commits, 1),
                       msgs_per_commit=i.acked / max(commits, 1),
                       commit_ms=(m1["commit_s"] - m0["commit_s"]) / max(commits, 1) * 1000,
                       writer_busy=(m1["commit_s"] - m0["commit_s"]) / span, flushes=flushes,
                       kib_per_msg=(io1["wchar"] - io0["wchar"]) / 1024 / max(i.acked, 1),
                       kib_per_commit=(io1["wchar"] - io0["wchar"]) / 1024 / max(commits, 1),
                       disk_kib_per_msg=(d1 - d0) / 2 / max(i.acked, 1) if d0 is not None and d1 is not None else float("nan"))
            rec["ratio"] = rec["ingest"] / rec["healthz"] if rec["healthz"] else 0
            rounds.append(rec)
            print(f"  round {r}: healthz {h.rate:,.0f}/s (p99 {ms(rec['healthz_p99'])}, statuses {h.statuses}, errors {h.errors}); "
                  f"ingest {i.message_rate:,.0f} msg/s over {i.window:.1f} s (p50 {ms(rec['p50'])}, p99 {ms(rec['p99'])}, "
                  f"statuses {i.statuses}, errors {i.errors}); ratio {rec['ratio']:.1%}; "
                  f"CPU s/s: server {rec['healthz_cpu']:.2f} (healthz) {rec['srv_cpu_i']:.2f} (ingest), "
                  f"generator {rec['gen_cpu_h']:.2f} / {rec['gen_cpu_i']:.2f}; store: {rec['commits']:.0f} commits/s, "
                  f"{rec['msgs_per_commit']:.1f} msgs and {rec['per_commit']:.1f} changes per commit, {rec['commit_ms']:.1f} ms per commit, "
                  f"writer committing {rec['writer_busy']:.0%} of the time; raw 4 KiB fdatasync {flushes:.0f}/s just before; "
                  f"written {rec['kib_per_msg']:.1f} KiB per message, {rec['kib_per_commit']:.0f} KiB per commit; "
                  f"the disk received {rec['disk_kib_per_msg']:.1f} KiB per message", flush=True)
        med = lambda k: statistics.median(x[k] for x in rounds)
        row("ingest", f"/healthz ceiling, our generator ({a.connections} conns, {a.procs} procs, {loadgen.EVENT_LOOP}), median of {a.rounds}",
            f"{med('healthz'):,.0f} req/s (p99 {ms(med('healthz_p99'))})")
        if wrk_rps:
            row("ingest", f"/healthz, wrk -t2 -c{a.connections} (cross-check)", f"{wrk_rps:,.0f} req/s (p99 {ms(wrk_p99)}) {wrk_err}".strip())
        else:
            row("ingest", "/healthz, wrk", wrk_err or "no figure")
        row("ingest", f"accepted webhooks ({a.batch_ingest} msg each), median of {a.rounds}", f"{med('ingest'):,.0f} msg/s")
        ratio = med("ratio")
        row("ingest", "accepted msg/s ÷ /healthz ceiling (median of per-round ratios)", f"{ratio:.1%}", "≥ 30 %", verdict(ratio >= 0.30))
        p99 = med("p99")
        row("ingest", "webhook latency p50 / p99 (median over rounds)", f"{ms(med('p50'))} / {ms(p99)}", "p99 ≤ 25 ms", verdict(p99 <= 0.025))
        bad = {k: v for x in rounds for k, v in x["statuses"].items() if k != 200}
        errs = {k: v for x in rounds for k, v in x["errors"].items()}
        row("ingest", "non-200 answers / connection errors during ingest", f"{bad or 'none'} / {errs or 'none'}")
        row("ingest", "server CPU s per s: healthz / ingest (median)", f"{med('healthz_cpu'):.2f} / {med('srv_cpu_i'):.2f}")
        row("ingest", "generator CPU s per s: healthz / ingest (median)", f"{med('gen_cpu_h'):.2f} / {med('gen_cpu_i'):.2f}")
        row("ingest", "store during ingest (median): commits/s; msgs per commit; mean commit; writer busy; raw fdatasync/s before the round",
            f"{med('commits'):.0f}/s; {med('msgs_per_commit'):.1f}; {med('commit_ms'):.1f} ms; {med('writer_busy'):.0%}; {med('flushes'):.0f}/s")
        # write() and pwrite() bytes (sockets included: ~0.2 KiB an answer). Not /proc's write_bytes:
        # on Linux 6.18 it counted ~8x the bytes LMDB wrote, more than the disk itself received.
        row("ingest", "bytes the server wrote per message / per commit (median, /proc/PID/io wchar)",
            f"{med('kib_per_msg'):.1f} KiB / {med('kib_per_commit'):.0f} KiB")
        row("ingest", "bytes the disk received per message (median; the device's sectors written, every process)",
            f"{med('disk_kib_per_msg'):.1f} KiB")
        # Where the disk, not the CPU, sets the pace: a commit's time is about its pages times
        # the cost of one scattered page, so the messages a second the disk allows follow.
        per_page = syncs["scattered"] / PROBE_PAGES
        row("ingest", f"disk: {PROBE_PAGES} scattered / contiguous 4 KiB pages + fdatasync (median of {PROBE_REPEATS}, before the rounds)",
            f"{syncs['scattered'] * 1000:.1f} ms / {syncs['contiguous'] * 1000:.1f} ms ({per_page * 1e6:.0f} µs a scattered page)")
        pages = med("kib_per_msg") / 4
        row("ingest", "disk-bound estimate: pages a message × µs a scattered page → msg/s",
            f"{pages:.1f} × {per_page * 1e6:.0f} µs → {1 / max(pages * per_page, 1e-9):,.0f} msg/s (measured {med('ingest'):,.0f})")

        # Latency below saturation: open loop at a fraction of the saturated rate, measured from
        # each request's scheduled time (no coordinated omission).
        if a.paced:
            rate = a.paced * med("ingest") / a.batch_ingest
            pr = []
            for r in range(1, a.rounds + 1):
                p = loadgen.run(loadgen.Job(port=s.port, kind="ingest", connections=a.connections, procs=a.procs, seconds=a.seconds,
                                            batch=a.batch_ingest, secret=APP_SECRET, tag=f"p{r}", ids_dir=ids_dir,
                                            contacts=a.contacts, rate=rate))
                pr.append((p.message_rate, loadgen.percentile(p.latencies, 50), loadgen.percentile(p.latencies, 99)))
                print(f"  paced round {r}: {p.message_rate:,.0f} msg/s offered {rate * a.batch_ingest:,.0f}; "
                      f"p50 {ms(pr[-1][1])} p99 {ms(pr[-1][2])}; statuses {p.statuses} errors {p.errors}", flush=True)
            pp99 = statistics.median(x[2] for x in pr)
            row("ingest", f"webhook latency at {a.paced:.0%} of the saturated rate, open loop ({statistics.median(x[0] for x in pr):,.0f} msg/s), p50 / p99",
                f"{ms(statistics.median(x[1] for x in pr))} / {ms(pp99)}", "p99 ≤ 25 ms", verdict(pp99 <= 0.025))

        # Durability 1: kill -9 right after the last acknowledged answer of the rounds.
        acked = loadgen.read_acked(ids_dir)
        s.kill9()
        ready = s.restart()
        ids, how = choose(a, acked, 2000)
        missing, statuses = lookup(a, s, token, ids)
        row("durability", f"kill -9 after the rounds: {len(acked):,} acknowledged, checked {how}; restart to /readyz {ready:.2f} s",
            f"{len(ids) - len(missing):,}/{len(ids):,} present", "all present", verdict(not missing))
        if missing:
            print("    missing (first 10):", missing[:10])

        # Durability 2: kill -9 while the generator is sending.
        for k in range(1, a.kill_rounds + 1):
            tag = f"k{k}"
            job = loadgen.Job(port=s.port, kind="ingest", connections=a.connections, procs=a.procs, seconds=a.kill_after + 3,
                              warmup=0, secret=APP_SECRET, tag=tag, ids_dir=ids_dir, contacts=a.contacts, reconnect=False)
            handles = loadgen.start(job)
            time.sleep(0.3 + a.kill_after + 0.37 * k)
            s.kill9()
            r = loadgen.finish(handles)
            acked = loadgen.read_acked(ids_dir, tag)
            ready = s.restart()
            ids, how = choose(a, acked, 2000)
            missing, statuses = lookup(a, s, token, ids)
            inflight = sum(v for e, v in r.errors.items() if not e.startswith("connect"))
            row("durability", f"kill -9 mid-load #{k}: {len(acked):,} acknowledged ({inflight} in flight, unanswered), "
                f"checked {how}; restart to /readyz {ready:.2f} s",
                f"{len(ids) - len(missing):,}/{len(ids):,} present", "all present", verdict(not missing))
            if missing:
                print("    missing (first 10):", missing[:10])
        errs = server_errors(s)
        row("ingest", "server log lines at level error/critical", f"{len(errs)}" + (f" (first: {errs[0][:200]})" if errs else ""))
        return rounds


# ---------------------------------------------------------------------------------------------- fan-out

def _fanout_child(port, tokens, per_token, conn):
    try:
        import uvloop; uvloop.install()
    except ImportError:
        pass
    raise_nofile()

    async def main():
        arrivals = {}
        clients, outcomes = await liveclients.connect_all(port, tokens, per_token, arrivals)
        conn.send(("ready", outcomes, sum(1 for c in clients if not c.closed)))
        loop = asyncio.get_running_loop()
        stop = loop.create_future()
        loop.add_reader(conn.fileno(), lambda: stop.done() or stop.set_result(conn.recv()))
        cpu0 = time.process_time()
        await stop
        cpu = time.process_time() - cpu0
        closes = {}
        for c in clients:
            if c.close_code is not None:
                closes[c.close_code] = closes.get(c.close_code, 0) + 1
        still_open = sum(1 for c in clients if not c.closed)
        for c in clients: c.close()
        conn.send(("done", arrivals, closes, still_open, cpu))

    asyncio.run(main())


async def _post(port, body_fn, n, gap, expected_fn, arrivals_probe):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    sent = {}
    for k in range(n):
        wamid = f"wamid.BENCH.fan.{k}"
        data = loadgen.signed_post(f"127.0.0.1:{port}", body_fn([wamid]), APP_SECRET)
        t0 = time.monotonic()
        writer.write(data)
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1)) if b"ength" in head else 0
        if length:
            await reader.readexactly(length)
        sent[wamid] = (t0, time.monotonic(), int(head[9:12]))
        await asyncio.sleep(gap)
    writer.close()
    return sent


def phase_fanout(a):
    print("\n== live fan-out ==", flush=True)
    per_token = 16
    ntokens = -(-a.clients // per_token)
    s, cookie, _ = new_server(a, "atende-fanout-", env={"ATENDE_LIVE_MAX_SOCKETS": str(a.clients + 64)})
    with s:
        tokens = [s.api_token(cookie, name=f"live-{i}", role="admin") for i in range(ntokens)]
        # spread the tokens over the client processes; the last token takes what is left
        per = [per_token] * ntokens
        per[-1] = a.clients - per_token * (ntokens - 1)
        ctx = mp.get_context("fork")
        procs = []
        for p in range(a.fanout_procs):
            mine = list(range(p, ntokens, a.fanout_procs))
            groups = {}
            for t in mine:
                groups.setdefault(per[t], []).append(tokens[t])
            for count, toks in groups.items():
                parent, child = ctx.Pipe()
                proc = ctx.Process(target=_fanout_child, args=(s.port, toks, count, child), daemon=True)
                proc.start()
                procs.append((proc, parent))
        outcomes, open_count = {}, 0
        for _, conn in procs:
            _, o, n = conn.recv()
            open_count += n
            for k, v in o.items(): outcomes[k] = outcomes.get(k, 0) + v
        rss_live = proc_status(s.pid)
        print(f"  {open_count} sockets open ({outcomes}); server RSS {mib(rss_live['VmRSS'])}", flush=True)
        time.sleep(1)
        sent = asyncio.run(_post(s.port, lambda ids: loadgen.webhook_body(ids, 1, int(time.time())), a.fanout_messages,
                                 a.fanout_gap, None, None))
        time.sleep(2)
        arrivals, closes, still_open, client_cpu = {}, {}, 0, 0.0
        for _, conn in procs:
            conn.send("stop")
        for proc, conn in procs:
            _, arr, cl, so, cc = conn.recv()
            still_open += so
            client_cpu += cc
            for k, v in arr.items(): arrivals.setdefault(k, []).extend(v)
            for k, v in cl.items(): closes[k] = closes.get(k, 0) + v
            proc.join()
        lat, after_ack, last, delivered = [], [], [], 0
        for wamid, (t0, tack, status) in sent.items():
            times = arrivals.get(wamid, [])
            delivered += len(times)
            lat.extend(t - t0 for t in times)
            after_ack.extend(t - tack for t in times)
            if times:
                last.append(max(times) - t0)
        ack = [tack - t0 for t0, tack, _ in sent.values()]
        expected = open_count * len(sent)
        row("fanout", f"live sockets open / asked (ATENDE_LIVE_MAX_SOCKETS={a.clients + 64}, {ntokens} admin tokens × ≤16)",
            f"{open_count} / {a.clients} {outcomes}", f"{a.clients}", verdict(open_count >= a.clients))
        row("fanout", f"deliveries of message.created ({len(sent)} webhooks, one every {a.fanout_gap:g} s)",
            f"{delivered:,} / {expected:,}" + (f"; closes {closes}" if closes else ""), "all", verdict(delivered == expected and expected > 0))
        p50, p99 = loadgen.percentile(lat, 50), loadgen.percentile(lat, 99)
        row("fanout", "delivery latency webhook sent → frame read, p50 / p99 (all deliveries)", f"{ms(p50)} / {ms(p99)}",
            "p99 ≤ 100 ms", verdict(p99 <= 0.100))
        row("fanout", "of which webhook 200 (commit) p50; after the 200 → frame p50 / p99",
            f"{ms(loadgen.percentile(ack, 50))}; {ms(loadgen.percentile(after_ack, 50))} / {ms(loadgen.percentile(after_ack, 99))}")
        row("fanout", "last of the clients to get a message, p50 / max", f"{ms(loadgen.percentile(last, 50))} / {ms(max(last) if last else float('nan'))}")
        row("fanout", f"server RSS with {open_count} sockets", mib(rss_live["VmRSS"]))
        row("fanout", "client CPU per delivery (the clients' own share of the latency)",
            f"{client_cpu / max(delivered, 1) * 1e6:.0f} µs; ≈ {client_cpu / max(delivered, 1) * open_count / a.fanout_procs * 1000:.1f} ms "
            f"to read one message on all sockets of one client process")
        errs = server_errors(s)
        row("fanout", "server log lines at level error/critical", f"{len(errs)}" + (f" (first: {errs[0][:200]})" if errs else ""))


# ---------------------------------------------------------------------------------------------- footprint

def fill(a, s, upto, have, tag):
    """Ingests batched webhooks until `upto` messages are stored; returns the new count."""
    need = upto - have
    if need <= 0:
        return have
    t0 = time.monotonic()
    r = loadgen.run(loadgen.Job(port=s.port, kind="ingest", connections=16, procs=a.procs, seconds=24 * 3600, warmup=0,
                                requests=-(-need // a.fill_batch), batch=a.fill_batch, secret=APP_SECRET, tag=tag,
                                contacts=a.contacts))
    el = time.monotonic() - t0
    print(f"  stored {r.acked:,} more messages in {el:.0f} s ({r.acked / el:,.0f} msg/s in webhooks of {a.fill_batch}); "
          f"statuses {r.statuses} errors {r.errors}", flush=True)
    return have + r.acked


def restarts(a, s, n=3):
    times = []
    for _ in range(n):
        s.stop()
        times.append(s.restart())
    return statistics.median(times), times


def phase_backlog(a):
    print("\n== backlog ==", flush=True)
    s, _, token = new_server(a, "atende-backlog-")
    with s:
        status, _, body = request(s.base, "PUT", "/api/v1/assistant/settings", {"human_first_seconds": 0, "burst_cap_seconds": 0},
                                  {"Authorization": f"Bearer {token}"})
        assert status == 200, (status, body[:300])
        loadgen.run(loadgen.Job(port=s.port, kind="ingest", connections=16, procs=1, seconds=60, requests=a.backlog, warmup=0,
                                secret=APP_SECRET, tag="b", contacts=a.backlog))
        samples = []
        for t in range(a.backlog_samples):
            c0, m0 = proc_cpu(s.pid), store_metrics(s, token)
            time.sleep(5)
            c1, m1 = proc_cpu(s.pid), store_metrics(s, token)
            jobs = metric_lines(s, token, ("atende_jobs_due", "atende_job_attempts_total{kind=\"outbox.send\""))
            outcomes = {k.split('outcome="')[1].rstrip('"}'): int(v) for k, v in jobs.items() if "outcome" in k}
            samples.append(((c1 - c0) / 5, (m1["commits"] - m0["commits"]) / 5, int(jobs.get("atende_jobs_due", 0)), outcomes))
            print(f"  +{5 * (t + 1)} s: server {samples[-1][0]:.2f} cores, {samples[-1][1]:.0f} commits/s, "
                  f"jobs due {samples[-1][2]}, send outcomes so far {outcomes}", flush=True)
        last = samples[-1]
        row("backlog", f"{a.backlog} replies, Graph refusing: server CPU / commits/s / jobs due, "
                       f"{5 * len(samples)} s after the turns (median of the last 3 samples)",
            f"{statistics.median(x[0] for x in samples[-3:]):.2f} cores / {statistics.median(x[1] for x in samples[-3:]):.0f} / {last[2]}")
        row("backlog", "send attempts by outcome", ", ".join(f"{k} {v}" for k, v in sorted(last[3].items())))


def phase_footprint(a):
    print("\n== footprint ==", flush=True)
    s, _, _ = new_server(a, "atende-footprint-")
    with s:
        time.sleep(3)
        idle = proc_status(s.pid)
        row("footprint", "RSS idle (after setup, 3 s quiet)", f"{mib(idle['VmRSS'])} (anon {mib(idle['RssAnon'])}, file {mib(idle['RssFile'])})")
        med, times = restarts(a, s)
        row("footprint", "start → /readyz 200, empty store (median of 3)", f"{med:.2f} s")
        stored = fill(a, s, a.store, 0, "fill1")
        time.sleep(3)
        st = proc_status(s.pid)
        row("footprint", f"RSS after {stored:,} messages stored (same process)",
            f"{mib(st['VmRSS'])} (anon {mib(st['RssAnon'])}, file {mib(st['RssFile'])}; peak {mib(st['VmHWM'])}); store {du(s.work) / 2**20:.0f} MiB on disk")
        med, times = restarts(a, s)
        st = proc_status(s.pid)
        row("footprint", f"start → /readyz 200 with {stored:,} messages (median of 3)", f"{med:.2f} s", "", "")
        row("footprint", f"RSS right after that restart", f"{mib(st['VmRSS'])}")
        if a.big > stored:
            stored = fill(a, s, a.big, stored, "fill2")
            time.sleep(3)
            st = proc_status(s.pid)
            row("footprint", f"RSS after {stored:,} messages stored", f"{mib(st['VmRSS'])} (anon {mib(st['RssAnon'])}, file {mib(st['RssFile'])}); store {du(s.work) / 2**20:.0f} MiB")
            med, times = restarts(a, s)
            row("footprint", f"start → /readyz 200 with {stored:,} messages (median of 3)", f"{med:.2f} s")
        errs = server_errors(s)
        row("footprint", "server log lines at level error/critical", f"{len(errs)}" + (f" (first: {errs[0][:200]})" if errs else ""))


# ---------------------------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", help="atende binary (default: the release build if present, else /tmp/atende-bench or .build/debug/atende)")
    ap.add_argument("--build-type", help="debug or release, when the path does not say")
    ap.add_argument("--only", default="ingest,fanout,footprint")
    ap.add_argument("--messages", type=int, default=50000, help="messages per ingest round at most (also bounded by --seconds)")
    ap.add_argument("--seconds", type=float, default=10, help="seconds per measured round (after 1 s warm-up)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--procs", type=int, default=2, help="generator processes")
    ap.add_argument("--batch-ingest", type=int, default=1, help="messages per webhook in the ingest rounds")
    ap.add_argument("--paced", type=float, default=0.5, help="also measure latency open-loop at this fraction of the saturated rate (0: skip)")
    ap.add_argument("--contacts", type=int, default=1000, help="distinct senders")
    ap.add_argument("--verify-max", type=int, default=100000, help="look up every acknowledged id up to this many, else a sample")
    ap.add_argument("--kill-rounds", type=int, default=2)
    ap.add_argument("--kill-after", type=float, default=3.0, help="seconds of load before the mid-load kill -9")
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--fanout-procs", type=int, default=2)
    ap.add_argument("--fanout-messages", type=int, default=30)
    ap.add_argument("--fanout-gap", type=float, default=0.3)
    ap.add_argument("--store", type=int, default=100000, help="footprint: messages stored for the RSS figure")
    ap.add_argument("--big", type=int, default=0, help="footprint: also fill to this many (e.g. 1000000) and time the restart")
    ap.add_argument("--fill-batch", type=int, default=100, help="messages per webhook when filling the store")
    ap.add_argument("--assistant", choices=["on", "off"], default="on",
                    help="off: switch the assistant off, to measure the webhook path without its turns (diagnosis)")
    ap.add_argument("--backlog", type=int, default=1000, help="backlog: customers, each answered once")
    ap.add_argument("--backlog-samples", type=int, default=12, help="backlog: 5-second samples after the messages")
    ap.add_argument("--json", help="write the table rows here")
    a = ap.parse_args()
    a.bin = os.path.abspath(a.bin or find_binary())
    nofile = raise_nofile()
    bt = build_type(a.bin, a.build_type)
    head = [("CPU", cpu_model()), ("binary", f"{a.bin} ({bt})"), ("event loop", loadgen.EVENT_LOOP),
            ("open-file limit", str(nofile)), ("load average before", loadavg())]
    for k, v in head:
        print(f"{k}: {v}", flush=True)
    phases = a.only.split(",")
    ids_dir = tempfile.mkdtemp(prefix="atende-ingest-ids-")
    try:
        if "ingest" in phases: phase_ingest(a, ids_dir)
        if "fanout" in phases: phase_fanout(a)
        if "footprint" in phases: phase_footprint(a)
        if "backlog" in phases: phase_backlog(a)
    finally:
        for f in glob.glob(os.path.join(ids_dir, "*")): os.remove(f)
        os.rmdir(ids_dir)
    head.append(("load average after", loadavg()))
    print("\n" + "\n".join(f"{k}: {v}" for k, v in head))
    if bt != "release":
        print("NOTE: not a release build; its figures say little about the product.")
    print("\n| section | metric | value | target | |\n|---|---|---|---|---|")
    for r in ROWS:
        print("| " + " | ".join(str(x) for x in r) + " |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"head": head, "rows": ROWS}, f, indent=1)


if __name__ == "__main__":
    main()
