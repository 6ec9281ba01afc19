# bpflab. A new user needs two commands, as root on Debian 12 or Ubuntu 24.04:
#
#   make start   set up this machine, build, and serve http://localhost:3000
#   make test    set up, build, and run every check CI runs (.ci/run calls exactly this)
#
# and a developer three more:
#
#   make dev     set up, build bpf/, and serve with hot reload
#   make build   set up, build bpf/ and the Next.js app
#   make bench   set up, build, and measure (bench/results/latest.md; not part of make test)
#
# Each step of `make test` is also a target of its own (make test-unit, make test-e2e, …).
# Every target is idempotent: set-up and builds are skipped when nothing changed.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
# Steps run in the order listed, even under -j: they share one kernel and two cores.
.NOTPARALLEL:

# Next must neither phone home nor rewrite package-lock.json from the registry during builds.
export NEXT_TELEMETRY_DISABLED := 1
export NEXT_IGNORE_INCORRECT_LOCKFILE := 1

STAMPS := .make
# What the Next build reads: a change here means `next build` runs again. Directories are listed
# too, so that a deleted file (which changes its directory's mtime) also counts.
NEXT_INPUTS := $(shell find app content server/protocol -type f -o -type d 2>/dev/null) \
	next.config.ts tsconfig.json package-lock.json
# A missing build output forces the build even when the stamp is newer than every input.
NEXT_FORCE := $(if $(wildcard .next/BUILD_ID),,FORCE)

# A comma inside $(call …) arguments.
, := ,
step = @printf '\n\033[1m==> %s\033[0m\n' '$(1)'

TEST_STEPS := test-lint test-types test-content test-unit test-integration test-labs test-vm-labs test-e2e

# Labs that need what this host's kernel may lack (kprobes, kernel headers, BCC), validated in a VM
# of the vm driver by `make test`; `npx bpflab validate --driver vm` runs every lab there.
VM_LABS := bcc-hello udp-send-kprobe udp-recv-fentry

.PHONY: help start dev build setup bpf next vm-image test $(TEST_STEPS) bench clean FORCE

help:
	@sed -n '1,14p' Makefile | sed 's/^# \{0,1\}//'

setup:
	$(call step,set-up: system packages$(,) Node.js$(,) npm dependencies)
	@scripts/setup.sh

bpf: setup
	$(call step,build: bpf/ toolchain (runner$(,) vmlinux.h$(,) precompiled header))
	@$(MAKE) --no-print-directory -C bpf

next: setup $(STAMPS)/next-build

# The vm driver's guest image, built from Debian packages and cached outside the repository
# (lima/vm-image.sh; seconds when the cache has it). `make start` builds it only for the vm driver.
vm-image: setup
	$(call step,build: learner VM image (lima/vm-image.sh))
	@lima/vm-image.sh >/dev/null

# The stamp takes the time the build started, so that an edit made during the build is newer.
$(STAMPS)/next-build: $(NEXT_INPUTS) $(NEXT_FORCE)
	$(call step,build: Next.js app)
	@mkdir -p $(@D) && touch $@.started
	npx next build
	@mv $@.started $@

build: bpf next

start: build $(if $(filter vm,$(BPFLAB_DRIVER)),vm-image)
	$(call step,start: http://localhost:3000)
	npm start

dev: setup bpf
	$(call step,dev server with hot reload)
	@# The dev server writes into .next too: the next `make build` must build again.
	@rm -f $(STAMPS)/next-build
	npm run dev

test: build vm-image $(TEST_STEPS)
	$(call step,all checks passed)

test-lint:
	$(call step,lint and format (biome))
	npx biome ci .

test-types:
	$(call step,typecheck: app/ and e2e/ (tsconfig.json))
	npx tsc -p tsconfig.json --noEmit
	$(call step,typecheck: server/$(,) scripts/$(,) bench/ (server/tsconfig.json))
	npx tsc -p server/tsconfig.json --noEmit

test-content:
	$(call step,content check (content/*.mdx))
	npm run --silent content:check

test-unit:
	$(call step,unit tests (vitest))
	npx vitest run --project unit

test-integration:
	$(call step,integration tests: real kernel$(,) clang$(,) namespaces (vitest))
	npx vitest run --project integration --passWithNoTests

test-labs:
	$(call step,lab validation: each solution scores full marks$(,) each starter does not)
	npx --no -- bpflab validate

test-vm-labs:
	$(call step,lab validation in a VM (guest kernel): $(VM_LABS))
	npx --no -- bpflab validate --driver vm $(VM_LABS)

test-e2e: next
	$(call step,end-to-end tests (Playwright$(,) Chromium))
	npx playwright test

# Every benchmark (bench/run.ts, docs/performance.md): about ten minutes on 2 cores, VM included.
# BENCH_QUICK=1 takes a few runs per figure (to see that it works); BENCH_VM=0 leaves the VM out.
bench: build $(if $(filter 0,$(BENCH_VM)),,vm-image)
	$(call step,benchmarks (bench/results/latest.md))
	npx tsx bench/run.ts

clean:
	rm -rf .next $(STAMPS)/next-build test-results playwright-report
	@$(MAKE) --no-print-directory -C bpf clean

FORCE:
