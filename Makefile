# RnnRunner — every target does its own set-up (native libstdc++ check, NuGet restore, build).
SHELL := /bin/bash
DOTNET_FLAGS := --nologo -c Release
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: run test setup data build bench-imdb bench-engines clean

## run: train the built-in default experiment (experiments/basics/basic-rnn.yaml) and print its results folder
run: data
	./rnnrunner run experiments/basics/basic-rnn.yaml

## test: run every test; prints "tests: N passed, N failed, N skipped" at the end
test: setup data
	@rm -rf artifacts/test-results
	@status=0; dotnet test RnnRunner.sln $(DOTNET_FLAGS) --logger "trx;LogFileName=tests.trx" \
	    --results-directory artifacts/test-results || status=$$?; \
	  scripts/test-summary.sh artifacts/test-results; exit $$status

## setup: native dependencies for TorchSharp and the NuGet restore
setup:
	@scripts/ensure-native-deps.sh
	@dotnet restore RnnRunner.sln --nologo -v quiet

## data: link the shared datasets (../shared/data, when this machine has it) into data/, where specs find them
data:
	@mkdir -p data
	@if [ -d ../shared/data ]; then \
	  for f in ../shared/data/*.tar.gz; do [ -e "$$f" ] && ln -sfn "$$(realpath "$$f")" data/; done; \
	fi; true

## bench-imdb: train the IMDB model suite and write docs/RESULTS.md (about 20 minutes on 2 cores)
bench-imdb: setup data
	./rnnrunner bench imdb

## bench-engines: TorchSharp against the scratch engine, step timings and full IMDB runs → docs/BENCHMARKS.md (about 12 minutes)
bench-engines: setup data
	./rnnrunner bench engines

## build: compile everything
build: setup
	dotnet build RnnRunner.sln $(DOTNET_FLAGS) --no-restore

clean:
	rm -rf artifacts runner/*/bin runner/*/obj tests/*/bin tests/*/obj
