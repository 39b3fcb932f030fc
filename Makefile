# spscan: the two set-up commands are `make scan` (the main job) and `make test` (build and test).
# Each installs missing Debian packages first (scripts/install-deps), then builds.
SWIFT ?= swift
SPSCAN_RELEASE := .build/release/spscan
SPSCAN_FLAGS ?=

.PHONY: all deps test-deps bench-deps build release scan test lint format eval model validate clean bench-match bench-registry bench-extract bench-fetch bench-catalog bench-serve bench-scale

all: build

deps:
	@scripts/install-deps

test-deps:
	@scripts/install-deps test

bench-deps:
	@scripts/install-deps bench

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product spscan

## The main job: scan the shipped Sources.yaml into Corpus/ (falling back to the last snapshots offline),
## tag, index, print the coverage summary and write report.html.
scan: release
	scripts/make-scan $(SPSCAN_RELEASE) $(SPSCAN_FLAGS)

validate: release
	$(SPSCAN_RELEASE) validate

## Build and run every test, after the lint.
test: test-deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Benchmarks Package.swift

format:
	$(SWIFT) format format --in-place --recursive Sources Tests Benchmarks Package.swift

## Tagger quality on held-out parts (fit on dev + train-a, report on train-b, and the reverse), the dev set, and the
## share of screened real negatives (Eval/negatives.tsv) tagged; writes Eval/quality.json, which the report quotes.
## `make eval EVAL_FLAGS=--errors` lists every error.
EVAL_FLAGS ?=
eval: deps
	$(SWIFT) build -c release --product spscan-eval
	.build/release/spscan-eval $(EVAL_FLAGS)

## Regenerate Framework.learned.json (what the tagger learned from Eval/: see docs/match.md) from the labelled sets and
## the WCXB pages that are not articles. MODEL_FLAGS=--genericity-only measures only how generic each term is.
MODEL_FLAGS ?= --genericity-only
model: deps
	$(SWIFT) build -c release --product spscan-eval
	.build/release/spscan-eval train $(MODEL_FLAGS)

## Tagging throughput and peak memory on 100 MB of generated text, on one core, with the ripgrep baseline; then the
## whole `spscan tag FILE` command on 10, 25 and 50 MB files beside rg and the matcher alone.
BENCH_MATCH_FLAGS ?=
bench-match: bench-deps
	$(SWIFT) build -c release --product spscan
	$(SWIFT) build -c release --product bench-match
	taskset -c 0 .build/release/bench-match --spscan $(SPSCAN_RELEASE) $(BENCH_MATCH_FLAGS)

clean:
	rm -rf .build .spscan report.html

## The catalog benchmark: 10,000 generated documents and 500,000 passages; build rate, query, search and
## matrix-input times. BENCH_DOCUMENTS=1000 for a quick run.
bench-catalog: deps
	$(SWIFT) build -c release --product bench-catalog
	.build/release/bench-catalog

## The scale run: a generated project of 100,000 documents (2 million passages), then the same at 10,000 for the
## growth ratio: catalog size, build time, query and search p50/p95, matrix, trend and report times, peak memory of
## each (docs/scale.md). BENCH_SCALE_DOCUMENTS=30000 for a shorter run.
bench-scale: deps
	$(SWIFT) build -c release --product spscan
	$(SWIFT) build -c release --product bench-scale
	scripts/bench-scale $(SPSCAN_RELEASE) .build/release/bench-scale

## Coverage matrix, gaps, every export and the report over 10,000 generated documents (release build).
.PHONY: bench-coverage
bench-coverage: deps
	$(SWIFT) build -c release --product bench-coverage
	.build/release/bench-coverage

## Loading and validating a generated Sources.yaml of 10,000 sources (BENCH_SOURCES=N to resize), valid and with
## mistakes; best and median of 7 runs, wall and CPU (release build).
bench-registry: deps
	$(SWIFT) build -c release --product bench-registry
	.build/release/bench-registry

## Fetch benchmark: 10,000 documents from nginx on loopback; first scan, re-scan (304s), curl --parallel baseline.
bench-fetch: bench-deps release
	$(SWIFT) build -c release --product bench-fetch
	scripts/bench-fetch $(SPSCAN_RELEASE) .build/release/bench-fetch

## Extraction throughput (HTML, PDF, DOCX) beside libxml2's parse and pdftotext alone, 1 and 2 workers.
bench-extract: deps
	$(SWIFT) build -c release --product bench-extract
	.build/release/bench-extract

## The web server under load: 50 concurrent clients on the matrix and query API for 20 s over 10,000 generated
## documents (release build; the load comes from wrk). BENCH_DOCUMENTS=1000 BENCH_SECONDS=5 for a quick run.
bench-serve: deps
	SPSCAN_EXTRA_PACKAGES=wrk scripts/install-deps
	$(SWIFT) build -c release --product bench-serve
	.build/release/bench-serve

## Main-text quality of the HTML reader on the 1,358 WCXB dev pages (word-level F1, overall, per page type, tuned
## and held-out halves), with trafilatura scored beside it in the same run. EVAL_EXTRACT_FLAGS=--worst 20 lists
## the worst pages.
EVAL_EXTRACT_FLAGS ?=
.PHONY: eval-extract
eval-extract: bench-deps
	python3 -c "import trafilatura" 2>/dev/null || pip install --quiet trafilatura lxml_html_clean
	$(SWIFT) build -c release --product eval-extract
	scripts/eval-extract .build/release/eval-extract $(EVAL_EXTRACT_FLAGS)
