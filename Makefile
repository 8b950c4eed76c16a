# Front door for building, testing and checking Traceport. Every target installs missing
# Debian packages first (scripts/install-deps.sh), so a fresh Debian 12 machine needs nothing
# but `make test` or `make build`.
#
#   make build       release build; binary at build/release/bin/traceport
#   make test        dev build (warnings are errors, unity batches: CMakeLists.txt) + every
#                    test, then the same tests under
#                    AddressSanitizer + UBSan, built at -O0 (set SKIP_ASAN=1 to skip the second
#                    pass; tests labelled no_asan — the browser, interop, CLI and kill -9
#                    ledger runs — run only in the first)
#   make test-dev    only the dev pass
#   make test-asan   only the asan pass
#   make bench       release build, then every benchmark (ratios against the raw library calls)
#   make fuzz        fuzz preset (clang + libFuzzer); runs each fuzzer FUZZ_SECONDS (default 60)
#   make format      clang-format every C++ file in place
#   make check       format check + module dependency graph check
#   make openapi     regenerate docs/api/openapi.json from the node's route declarations
#   make tsan        ThreadSanitizer build and tests
#   make screenshots dev build, then the browser tests writing the portal's screenshots to
#                    docs/portal/ (docs/portal.md shows them)
#   make demo        release build, then `traceport demo`: a node seeded with the demo network
#                    (docs/demo.md); DEMO_ARGS passes options, e.g. DEMO_ARGS="--seed 7"
#   make eval-assist release build, then the USMCA assistant's evaluation set
#                    (src/assist/eval/questions.json): accuracy, citations, declines, latency;
#                    answered as of EVAL_DATE (the set's fees are for that day's fiscal year)

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
CTEST_ARGS ?=
DEMO_ARGS ?=
EVAL_DATE ?= 2026-11-27

.PHONY: all deps build test test-dev test-asan tsan bench fuzz format check clean openapi demo \
        eval-assist screenshots

all: build

deps:
	@scripts/install-deps.sh

build: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)
	@echo "built build/release/bin/traceport"

test-dev: deps
	cmake --preset dev
	cmake --build --preset dev -j $(JOBS)
	ctest --preset dev -j $(JOBS) $(CTEST_ARGS)
	@scripts/conformance-summary.sh build/dev

test-asan: deps
	cmake --preset asan
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j $(JOBS) -LE no_asan $(CTEST_ARGS)
	@scripts/conformance-summary.sh build/asan

ifeq ($(SKIP_ASAN),1)
test: test-dev check
else
test: test-dev check test-asan
endif

screenshots: deps
	cmake --preset dev
	cmake --build --preset dev -j $(JOBS)
	TRACEPORT_SCREENSHOTS=$(CURDIR)/docs/portal tests/browser/run.sh build/dev/bin/traceport

tsan: deps
	cmake --preset tsan
	cmake --build --preset tsan -j $(JOBS)
	ctest --preset tsan -j $(JOBS) $(CTEST_ARGS)

bench: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)
	cmake --build --preset release -j $(JOBS) --target benches
	@scripts/run-benches.sh build/release

fuzz: deps
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS) --target fuzzers
	@scripts/run-fuzzers.sh build/fuzz $(FUZZ_SECONDS)

format: deps
	@scripts/format.sh

check: deps
	@scripts/format.sh --check
	@python3 scripts/check_deps.py

clean:
	rm -rf build

openapi: deps
	cmake --preset dev
	cmake --build --preset dev -j $(JOBS) --target traceport
	build/dev/bin/traceport openapi --out docs/api/openapi.json
	@echo "wrote docs/api/openapi.json"

demo: build
	build/release/bin/traceport demo $(DEMO_ARGS)

eval-assist: build
	build/release/bin/traceport assist --eval src/assist/eval/questions.json --date $(EVAL_DATE)
