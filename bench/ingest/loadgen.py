"""A closed-loop HTTP/1.1 keep-alive load generator: `connections` sockets split over `procs`
processes, each socket sending its next request as soon as the previous answer is complete.

The same code drives the /healthz ceiling, the signed webhooks and the durability look-ups,
so their rates compare fairly. Each process runs one asyncio loop (uvloop when installed) with
raw `asyncio.Protocol`s: no HTTP library, a request is one pre-formatted `bytes`, an answer is
parsed only as far as its status line and Content-Length.

A job is a picklable description (`Job`); `run(job)` returns a `Result` merged over the
processes."""
import array, asyncio, hashlib, hmac, multiprocessing as mp, os, random, resource, time
from dataclasses import dataclass, field

try:
    import uvloop
except ImportError:  # the stdlib loop works; it is slower
    uvloop = None

EVENT_LOOP = "uvloop" if uvloop else "asyncio"

PHONE_NUMBER_ID = "106540352242922"
WABA_ID = "102290129340398"

_ENVELOPE_HEAD = ('{"object":"whatsapp_business_account","entry":[{"id":"' + WABA_ID + '","changes":[{"field":"messages",'
                  '"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001",'
                  '"phone_number_id":"' + PHONE_NUMBER_ID + '"},')
_ENVELOPE_TAIL = '}}]}]}'


def webhook_body(ids, contacts, now):
    """One signed-payload body carrying one inbound text message per id (a batch when several).
    `contacts` is how many distinct senders the messages come from (ids are spread over them)."""
    senders = [f"3460{(hash(i) % contacts):07d}" for i in ids]
    contact_list = ",".join(f'{{"profile":{{"name":"Bench {s[-4:]}"}},"wa_id":"{s}"}}' for s in dict.fromkeys(senders))
    messages = ",".join(
        f'{{"from":"{s}","id":"{i}","timestamp":"{now}","type":"text","text":{{"body":"Bench message {i[-12:]}: hola, \\u00bfabr\\u00eds el domingo?"}}}}'
        for i, s in zip(ids, senders))
    return (_ENVELOPE_HEAD + '"contacts":[' + contact_list + '],"messages":[' + messages + ']' + _ENVELOPE_TAIL).encode()


def signed_post(host, body, secret):
    sig = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return (f"POST /webhooks/whatsapp HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"X-Hub-Signature-256: sha256={sig}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


@dataclass
class Job:
    port: int
    kind: str                      # "healthz" | "ingest" | "lookup"
    connections: int = 64
    procs: int = 2
    seconds: float = 10.0          # stop after this long ...
    requests: int = 0              # ... or after this many requests in all (0: no count limit)
    warmup: float = 1.0            # answers in the first seconds are not counted in rate/latency
    secret: bytes = b""
    tag: str = "r"                 # makes ids unique per round: wamid.BENCH.<tag>.<proc>.<n>
    batch: int = 1                 # messages per webhook
    contacts: int = 1000
    token: str = ""                # lookup: Bearer token
    lookup_ids: list = field(default_factory=list)
    ids_dir: str = ""              # ingest: each process appends acknowledged ids here
    rate: float = 0.0              # >0: open loop, this many requests/s in all, each connection on its own schedule
    reconnect: bool = True         # after a lost connection, try again until the deadline


@dataclass
class Result:
    window: float = 0.0            # seconds counted (after warm-up)
    completed: int = 0             # answers in the window
    messages: int = 0              # ingest: messages acknowledged 200 in the window
    statuses: dict = field(default_factory=dict)   # every answer, warm-up included
    errors: dict = field(default_factory=dict)     # connection failures
    latencies: array.array = field(default_factory=lambda: array.array("d"))   # seconds, window only
    acked: int = 0                 # ingest: messages acknowledged 200 in all
    cpu: float = 0.0               # CPU seconds the generator processes used
    missing: list = field(default_factory=list)    # lookup: ids answered other than 200
    lookup_other: dict = field(default_factory=dict)

    @property
    def rate(self):
        return self.completed / self.window if self.window else 0.0

    @property
    def message_rate(self):
        return self.messages / self.window if self.window else 0.0

    def merge(self, other):
        self.window = max(self.window, other.window)
        self.completed += other.completed
        self.messages += other.messages
        self.acked += other.acked
        self.cpu += other.cpu
        for k, v in other.statuses.items(): self.statuses[k] = self.statuses.get(k, 0) + v
        for k, v in other.errors.items(): self.errors[k] = self.errors.get(k, 0) + v
        self.latencies.extend(other.latencies)
        self.missing.extend(other.missing)


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(p / 100 * (len(s) - 1)))))
    return s[k]


class _Worker:
    """One process's share of the connections."""

    def __init__(self, job, index, start_at):
        self.job, self.index = job, index
        self.host = f"127.0.0.1:{job.port}"
        self.start_at = start_at
        self.measure_from = start_at + job.warmup
        self.deadline = start_at + job.warmup + job.seconds
        share = job.requests // job.procs + (1 if index < job.requests % job.procs else 0) if job.requests else 0
        self.remaining = share if job.requests else None
        self.result = Result()
        self.seq = 0
        self.acked_ids = []
        self.lookups = list(job.lookup_ids[index::job.procs]) if job.kind == "lookup" else None
        if job.kind == "healthz":
            self.healthz = f"GET /healthz HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode()
        self.now = str(int(time.time()))
        self.stopped = False

    def next_request(self):
        """(bytes, context) for the next request, or None when the job is done."""
        if self.stopped or time.monotonic() >= self.deadline:
            return None
        if self.lookups is not None:
            if not self.lookups:
                return None
            wamid = self.lookups.pop()
            return (f"GET /api/v1/messages?provider_id={wamid} HTTP/1.1\r\nHost: {self.host}\r\n"
                    f"Authorization: Bearer {self.job.token}\r\n\r\n").encode(), wamid
        if self.remaining is not None:
            if self.remaining <= 0:
                return None
            self.remaining -= 1
        kind = self.job.kind
        if kind == "healthz":
            return self.healthz, None
        if kind == "ingest":
            ids = []
            for _ in range(self.job.batch):
                self.seq += 1
                ids.append(f"wamid.BENCH.{self.job.tag}.{self.index}.{self.seq}")
            return signed_post(self.host, webhook_body(ids, self.job.contacts, self.now), self.job.secret), ids
        raise ValueError(kind)

    def exhausted(self):
        if self.lookups is not None:
            return not self.lookups
        return self.remaining is not None and self.remaining <= 0

    def answered(self, ctx, status, sent, done):
        r = self.result
        r.statuses[status] = r.statuses.get(status, 0) + 1
        if self.job.kind == "ingest" and status == 200:
            self.acked_ids.extend(ctx)
            r.acked += len(ctx)
        if self.job.kind == "lookup" and status != 200:
            r.missing.append((ctx, status))
        if sent >= self.measure_from and done <= self.deadline:
            r.completed += 1
            r.latencies.append(done - sent)
            if self.job.kind == "ingest" and status == 200:
                r.messages += len(ctx)

    def failed(self, name):
        self.result.errors[name] = self.result.errors.get(name, 0) + 1


class _Conn(asyncio.Protocol):
    def __init__(self, worker, done):
        self.w, self.done = worker, done
        self.buf = bytearray()
        self.ctx = None
        self.sent = 0.0
        self.transport = None
        self.in_flight = False

    def connection_made(self, transport):
        self.transport = transport
        self.send_next()

    def send_next(self):
        nxt = self.w.next_request()
        if nxt is None:
            self.in_flight = False
            self.transport.close()
            return
        data, self.ctx = nxt
        self.in_flight = True
        rate = self.w.job.rate
        if rate:
            # Latency counts from the scheduled time: a late start is the server's delay too.
            if not hasattr(self, "next_at"):
                self.next_at = time.monotonic() + random.random() * self.w.job.connections / rate
            self.sent = self.next_at
            self.next_at += self.w.job.connections / rate
            delay = self.sent - time.monotonic()
            if delay > 0:
                asyncio.get_running_loop().call_later(delay, self.transport.write, data)
                return
        else:
            self.sent = time.monotonic()
        self.transport.write(data)

    def data_received(self, data):
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buf[:end]).lower()
            length = 0
            i = head.find(b"content-length:")
            if i >= 0:
                j = head.find(b"\r\n", i)
                length = int(head[i + 15:j if j >= 0 else len(head)])
            total = end + 4 + length
            if len(self.buf) < total:
                return
            now = time.monotonic()
            status = int(head[9:12])
            close = b"connection: close" in head
            del self.buf[:total]
            self.in_flight = False
            self.w.answered(self.ctx, status, self.sent, now)
            if close:
                self.transport.close()
                return
            self.send_next()

    def connection_lost(self, exc):
        if self.in_flight:
            self.w.failed("lost with a request in flight" if exc is None else type(exc).__name__)
            if self.w.job.kind == "lookup" and self.ctx:
                self.w.lookups.append(self.ctx)
        if not self.done.done():
            self.done.set_result(None)


async def _connection(worker):
    loop = asyncio.get_running_loop()
    while time.monotonic() < worker.deadline and not worker.stopped:
        done = loop.create_future()
        try:
            await loop.create_connection(lambda: _Conn(worker, done), "127.0.0.1", worker.job.port)
        except OSError as e:
            worker.failed("connect: " + type(e).__name__)
            if not worker.job.reconnect:
                return
            await asyncio.sleep(0.05)
            continue
        await done
        if not worker.job.reconnect or worker.exhausted():
            return
        await asyncio.sleep(0)


async def _run_worker(job, index, start_at):
    w = _Worker(job, index, start_at)
    n = job.connections // job.procs + (1 if index < job.connections % job.procs else 0)
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    w.start_at = time.monotonic()
    await asyncio.gather(*(_connection(w) for _ in range(n)))
    end = min(time.monotonic(), w.deadline)
    w.result.window = max(0.0, end - w.measure_from)
    return w


def _child(job, index, start_at, conn):
    if uvloop:
        uvloop.install()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    cpu0 = time.process_time()
    w = asyncio.run(_run_worker(job, index, start_at))
    w.result.cpu = time.process_time() - cpu0
    if job.ids_dir and w.acked_ids:
        with open(os.path.join(job.ids_dir, f"acked-{job.tag}-{index}.txt"), "a") as f:
            f.write("\n".join(w.acked_ids) + "\n")
    conn.send(w.result)
    conn.close()


def start(job):
    """Starts the job's processes; `finish(handle)` waits for them and merges their results."""
    ctx = mp.get_context("fork")
    start_at = time.monotonic() + 0.3
    handles = []
    for i in range(job.procs):
        parent, child = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_child, args=(job, i, start_at, child), daemon=True)
        p.start()
        handles.append((p, parent))
    return handles


def finish(handles):
    total = Result()
    for p, conn in handles:
        total.merge(conn.recv())
        p.join()
    return total


def run(job):
    return finish(start(job))


def read_acked(ids_dir, tag=None):
    ids = []
    for name in sorted(os.listdir(ids_dir)):
        if name.startswith("acked-") and (tag is None or name.startswith(f"acked-{tag}-")):
            with open(os.path.join(ids_dir, name)) as f:
                ids.extend(line.strip() for line in f if line.strip())
    return ids
