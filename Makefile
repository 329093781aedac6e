# The two set-up commands: `make run` and `make test`. Everything else is a step of those.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build run test test-release test-asan test-node fuzz-smoke bench models clean

all: build

deps:
	@bash tools/install-deps.sh
	@[ -d node_modules/@exodus/bytes ] || npm install --no-package-lock --no-audit --no-fund --silent

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DUNGARBLE_WERROR=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The main job on a shipped garbled sample, with the shipped models.
SAMPLE ?= samples/zh-hans.gbk-as-1252-shy-stripped.txt
SHARED_SAMPLE := ../shared/samples/guilin-liuzhou-doorway.txt
run: build
	@echo '$$ ungarble fix --explain $(SAMPLE)' >&2
	@./$(BUILD)/ungarble fix --explain $(SAMPLE)
	@if [ -f $(SHARED_SAMPLE) ]; then \
	  echo >&2; echo '$$ ungarble fix --explain $(SHARED_SAMPLE)' >&2; \
	  ./$(BUILD)/ungarble fix --explain $(SHARED_SAMPLE); fi

# Every test: the Release build, the sanitizer build, node differential tests, fuzz smoke runs.
test: deps test-release test-asan fuzz-smoke

test-release: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DUNGARBLE_WERROR=ON \
	  -DUNGARBLE_SANITIZE=ON -DCMAKE_CXX_COMPILER=clang++ -DUNGARBLE_FUZZ=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  UNGARBLE_DIFF_QUICK=1 ctest --output-on-failure -j $(JOBS) -LE slow

fuzz-smoke: test-asan
	@bash fuzz/run.sh $(ASAN_BUILD) 20

bench: deps
	@bash tools/install-deps.sh --bench
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DUNGARBLE_BENCH=ON >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	@bash bench/run.sh $(BUILD)

models: build
	@bash tools/models/build.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
