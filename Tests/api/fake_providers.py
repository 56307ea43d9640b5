"""Meta's Graph API and Twilio's REST API, faked on loopback for Tests/api/run-schemathesis.sh
(the fakes of the browser tests), so operations that reach a provider are fuzzed past it.

Usage: python3 Tests/api/fake_providers.py TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN
Prints "GRAPH_URL TWILIO_URL" on one line, then serves until killed."""
import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "browser"))
from fake_graph import FakeGraph  # noqa: E402
from fake_twilio import FakeTwilio  # noqa: E402

graph = FakeGraph()
twilio = FakeTwilio(sys.argv[1], sys.argv[2])
print(graph.url, twilio.url, flush=True)
threading.Event().wait()
