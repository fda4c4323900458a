# SPDX-License-Identifier: GPL-2.0-only
#
# Thin wrapper around the CMake build in $(BUILD).
#   make run     build and boot the default system (toolstack/manifests/
#                default.dts) in QEMU, console here
#   make test    unit, fuzz-smoke and system tests (ctest)
#   make bench   benchmarks: lines "BENCH <name> <value> <unit>"
#   make image   build/images/atoll.iso
#   make format / check-format, make fuzz-long, make clean

BUILD ?= build
JOBS ?= $(shell nproc)
CTEST_JOBS ?= 2
MAKEFLAGS += --no-print-directory

.PHONY: all deps configure build image run test bench fuzz-long format \
	check-format clean

all: build

deps:
	@./scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

image: build
	@cmake --build $(BUILD) --target image
	@echo "image: $(BUILD)/images/atoll.iso"

# The default system: toolstack/manifests/default.dts (XenStore, ctld,
# hello), built into a GRUB ISO by vmctl from its copy in the build tree.
run: build
	@$(BUILD)/vmctl image build $(BUILD)/images/default.dts \
		-o $(BUILD)/images/default.iso
	@echo "Atoll in QEMU: CTRL-A three times for the debug console, CTRL-C quits."
	@toolstack/scripts/atoll-qemu --iso $(BUILD)/images/default.iso

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(CTEST_JOBS)

bench: build
	@python3 tests/bench/run_bench.py $(BUILD)

fuzz-long: build
	@cmake --build $(BUILD) --target fuzz-long

FORMAT_FILES = $(shell git ls-files '*.c' '*.h')

format:
	@clang-format -i $(FORMAT_FILES)

check-format:
	@clang-format --dry-run -Werror $(FORMAT_FILES)

clean:
	rm -rf $(BUILD)
