# Atende: the two set-up commands are `make run` and `make test` (README.md).
# Both work as root on a fresh Debian 12 machine with the Swift toolchain in
# /opt/swift: they install the Debian and Python packages they need if missing.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

export PATH := $(PATH):/opt/swift/usr/bin
SWIFT ?= swift
# Playwright drives Debian's chromium, never a browser of its own download.
CHROMIUM ?= /usr/bin/chromium

# Debian packages: what `make run` needs to build and run, what the tests add.
RUN_DEBS  := liblmdb-dev libssl-dev libcurl4-openssl-dev
TEST_DEBS := $(RUN_DEBS) lmdb-utils chromium lintian dpkg-dev binutils curl adduser python3 python3-pip faketime
# Python packages for the browser and API tests (module name = pip name here); icalendar reads
# the calendar feeds back in Tests/browser/test_calendar_feeds.py.
TEST_PIPS := pytest playwright schemathesis icalendar

# Installs the Debian packages in $(1) that are missing; `apt-get update` runs
# only when something has to be installed.
define ensure_debs
missing=""; \
for p in $(1); do \
  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
  echo "make: installing Debian packages:$$missing"; \
  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
  $$sudo apt-get update -qq; \
  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
fi
endef

.PHONY: help run deps test test-deps build-tests test-swift test-deb test-browser test-api deb bench bench-vector bench-vector-quick

help:
	@echo "make run    install what is missing, build, start atende serve on ./data (127.0.0.1:8080)"
	@echo "make test   install what is missing, build, run the whole suite"
	@echo "make deb    build artifacts/atende_<version>_amd64.deb"
	@echo "make bench  run the vector search benchmark on this machine (other benchmarks: bench/README.md)"
	@echo "make bench-vector-quick   the same at 10k and 100k only, thread CPU time (a few minutes)"

deps:
	@$(call ensure_debs,$(RUN_DEBS))

run: deps
	$(SWIFT) build --product atende
	exec .build/debug/atende serve --data ./data

test-deps:
	@$(call ensure_debs,$(TEST_DEBS))
	@missing=""; \
	for m in $(TEST_PIPS); do python3 -c "import $$m" 2>/dev/null || missing="$$missing $$m"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing Python packages:$$missing"; \
	  python3 -m pip install --quiet --disable-pip-version-check $$missing \
	    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages $$missing; \
	fi

# The whole suite: Swift tests, the browser tests, the API schema test, then the .deb test.
test: test-deps
	$(MAKE) --no-print-directory test-swift
	$(MAKE) --no-print-directory test-browser
	$(MAKE) --no-print-directory test-api
	$(MAKE) --no-print-directory test-deb

build-tests:
	$(SWIFT) build --build-tests

# Swift Testing starts every test at once by default; on a 2-core machine that herd of ~870
# starved the event loops of the tests that measure deadlines. 24 at a time takes no longer.
test-swift: build-tests
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=24 $(SWIFT) test --skip-build

# Builds the release .deb, lints it, installs it, runs it, purges it (root).
test-deb:
	packaging/test-deb.sh

# Browser tests (pytest + Playwright on Debian's chromium) against the debug binary.
test-browser: build-tests
	ATENDE_BIN="$(CURDIR)/.build/debug/atende" CHROMIUM="$(CHROMIUM)" \
	  python3 -m pytest -q Tests/browser

# schemathesis against a live `atende serve`: no undocumented 5xx, every response matches
# /api/openapi.json, every operation reached past its credentials.
test-api: build-tests
	Tests/api/run-schemathesis.sh "$(CURDIR)/.build/debug/atende"

deb:
	@$(call ensure_debs,$(RUN_DEBS) dpkg-dev binutils)
	packaging/build-deb.sh

# `make bench` runs the vector benchmark side by side with its peers on whatever machine this
# is, and prints the CPU model and kernel it chose; the other benchmarks (ingest, hardening…)
# need a running daemon and are described in bench/README.md. VECTOR_BENCH_ARGS passes options
# through, e.g. `make bench VECTOR_BENCH_ARGS="--sizes 100000 --dists clustered"`.
VECTOR_BENCH_ARGS ?= --sizes 10000,100000 --dists clustered,uniform --clock cpu
bench: bench-vector
	@echo "Other benchmarks (ingest, live fan-out, footprint): see bench/README.md"

bench-vector:
	bench/vector/run.sh $(VECTOR_BENCH_ARGS)

bench-vector-quick:
	bench/vector/run.sh --sizes 10000,100000 --dists clustered,uniform --clock cpu --queries 200 --hnsw-max-n 10000
