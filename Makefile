# RnnRunner — every target does its own set-up (native libstdc++ check, NuGet restore, build).
SHELL := /bin/bash
DOTNET_FLAGS := --nologo -c Release
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: run test test-fast format format-check test-slurm setup data build bench-imdb bench-engines bench-contention bench-explain clean

## run: train the built-in default experiment (experiments/basics/basic-rnn.yaml) and print its results folder
run: data
	./rnnrunner run experiments/basics/basic-rnn.yaml

# The numeric tests — the scratch engine's kernels, gradient checks and engine parity, evaluation against float64,
# masking and length batches — rerun on the narrower paths other CPUs take: the .NET runtime's switches hide
# AVX-512 (or AVX2) from the JIT, and libtorch's ATEN_CPU_CAPABILITY / MKL_ENABLE_INSTRUCTIONS make its own kernels
# pick AVX2 or generic code, as they would on a machine whose vendor or ISA differs from this one. oneMKL's kernels
# differ by vendor (AVX-512 on Intel, AVX2 `zen` on AMD) and it ignores MKL_ENABLE_INSTRUCTIONS on AMD, so the
# scalar rerun also sets MKL_CBWR=COMPATIBLE, its generic code (TorchKernelPathTests checks it took). (oneDNN is off
# in every run: LibTorchContext.) On .NET 10 the AVX-512 switch is DOTNET_EnableAVX512 (DOTNET_EnableAVX512F no
# longer turns it off: KernelPathTests caught that).
NUMERIC_TESTS := FullyQualifiedName~RnnRunner.Tests.Engines.Scratch|FullyQualifiedName~RnnRunner.Tests.Engines.EvaluationAccuracyTests|FullyQualifiedName~RnnRunner.Tests.Engines.MaskingTests|FullyQualifiedName~RnnRunner.Tests.Training.LengthBatchingTests|FullyQualifiedName~RnnRunner.Tests.Engines.TorchKernelPathTests|FullyQualifiedName~RnnRunner.Tests.Training.GradientNormTests|FullyQualifiedName~RnnRunner.Tests.Export.OnnxParityTests
ISA_avx2 := DOTNET_EnableAVX512=0 ATEN_CPU_CAPABILITY=avx2 MKL_ENABLE_INSTRUCTIONS=AVX2
ISA_scalar := DOTNET_EnableAVX2=0 ATEN_CPU_CAPABILITY=default MKL_CBWR=COMPATIBLE

## test: run every test, then the numeric ones again on AVX2 and on generic code paths (.NET and libtorch); prints "tests: N passed, N failed, N skipped" at the end
test: setup data
	@scripts/ensure-browser.sh
	@rm -rf artifacts/test-results
	@status=0; $(MAKE) --no-print-directory format-check || status=$$?; \
	  dotnet test RnnRunner.sln $(DOTNET_FLAGS) --logger "trx;LogFileName=tests.trx" \
	    --results-directory artifacts/test-results || status=$$?; \
	  for isa in avx2 scalar; do \
	    echo "numeric tests on the $$isa path:"; \
	    if [ $$isa = avx2 ]; then flags="$(ISA_avx2)"; else flags="$(ISA_scalar)"; fi; \
	    env $$flags RNNRUNNER_EXPECT_SCRATCH_KERNELS=$$isa dotnet test RnnRunner.sln $(DOTNET_FLAGS) --no-build \
	      --filter "$(NUMERIC_TESTS)" --logger "trx;LogFileName=scratch-$$isa.trx" \
	      --results-directory artifacts/test-results || status=$$?; \
	  done; \
	  scripts/test-summary.sh artifacts/test-results; exit $$status

## test-slurm: submit grids to a real single-node Slurm on localhost (installs slurm-wlm and munge when missing; SKIP_SLURM=1 skips)
## format: apply the house style (.editorconfig: whitespace, using order, file-scoped namespaces); format-check: fail if
## the whitespace is off (every build checks formatting and namespaces itself, and a test the order of usings)
format: setup
	@dotnet format whitespace RnnRunner.sln && dotnet format style RnnRunner.sln --severity warn

format-check: setup
	@dotnet format whitespace RnnRunner.sln --verify-no-changes \
	  || { echo "format: the code is not in the house style (.editorconfig); run make format" >&2; exit 1; }

## test-fast: the inner loop (under a minute): tests in this process on small data
# The inner loop: every test that runs in this process on small data (no child processes, browser, Slurm scripts or
# IMDB-sized training: see tests/RnnRunner.Tests/Support/TestLevel.cs), no reruns on other kernel paths. make test runs all.
test-fast: setup
	@dotnet test RnnRunner.sln $(DOTNET_FLAGS) --filter "Level!=Process&Level!=Browser&Level!=Slurm&Level!=Data"

test-slurm: setup
	@scripts/test-slurm.sh

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
	./rnnrunner-bench imdb

## bench-engines: TorchSharp against the scratch engine, step timings and full IMDB runs → docs/BENCHMARKS.md (about 12 minutes)
bench-engines: setup data
	./rnnrunner-bench engines

## bench-explain: time rnnrunner explain on IMDB reviews on both engines → docs/EXPLAIN.md (about 3 minutes)
bench-explain: setup data
	./rnnrunner-bench explain

## bench-contention: each engine's epoch quiet and beside a CPU-bound process, and a grid's --jobs 1 against --jobs 2 → rows for docs/CONTENTION.md (about 6 minutes; run it on a quiet machine)
bench-contention: setup data
	scripts/bench-contention.sh

## build: compile everything
build: setup
	dotnet build RnnRunner.sln $(DOTNET_FLAGS) --no-restore

clean:
	rm -rf artifacts runner/*/bin runner/*/obj bench/*/bin bench/*/obj tests/*/bin tests/*/obj
