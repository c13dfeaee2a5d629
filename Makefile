# enforcesim: plain make, no generators. `make help` lists the targets.
# Variants: SAN=1 (AddressSanitizer + UndefinedBehaviorSanitizer), WERROR=1 (CI),
# MPI=1 (also build enforcesim-mpi with mpicc; `make test` builds it whenever mpicc exists).

CC      ?= cc
comma   := ,
SAN     ?= 0
MPI     ?= 0
MPICC   ?= mpicc
WERROR  ?= 0
PKGS    := gsl libconfig hdf5-serial

BUILD   := build/$(if $(filter 1,$(SAN)),san,rel)
BIN     := $(if $(filter 1,$(SAN)),$(BUILD)/enforcesim,enforcesim)

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wundef \
           -Wwrite-strings -fno-common
ifeq ($(WERROR),1)
WARN    += -Werror
endif
SANFLAGS := -fsanitize=address$(comma)undefined
# -O3: the model takes 0.97 of -O2's time, the engine's benchmarks the same
# (docs/development.md, Benchmarks). The data are the same bits: neither
# level reassociates floating point or, on the x86-64 baseline, fuses it.
OPT     := $(if $(filter 1,$(SAN)),-O1 -g -fno-omit-frame-pointer $(SANFLAGS) -fno-sanitize-recover=undefined,-O3 -g)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhdf5_hl
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -DHAVE_INLINE $(OPT) $(WARN) -MMD -MP $(PKG_CFLAGS)
LDFLAGS += $(if $(filter 1,$(SAN)),$(SANFLAGS))
# PLplot (Debian libplplot-dev; its svg device is in libplplot17) draws the
# charts of `enforcesim report`; without it report exits 2 naming the package.
HAVE_PLPLOT := $(shell pkg-config --exists plplot 2>/dev/null && echo 1)
PLPLOT_CFLAGS := $(if $(HAVE_PLPLOT),$(shell pkg-config --cflags plplot) -DES_HAVE_PLPLOT)
PLPLOT_LIBS   := $(if $(HAVE_PLPLOT),$(shell pkg-config --libs plplot))
LDLIBS  += $(PKG_LIBS) $(PLPLOT_LIBS) -lz -lpthread -lm

VERSION    := 0.1.0

LIB_SRC  := $(sort $(wildcard sim/core/*.c sim/engine/*.c sim/rng/*.c sim/model/*.c sim/experiment/*.c sim/io/*.c sim/report/*.c))
CLI_SRC  := $(filter-out sim/cli/mpi_main.c,$(sort $(wildcard sim/cli/*.c)))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIB      := $(BUILD)/libenforcesim.a
# The MPI mode (sim/cli/mpi_main.c) replaces main.c; serial HDF5 as always
# (only rank 0 writes). Not under SAN: Open MPI's own allocations trip LeakSanitizer.
MPI_BIN  := enforcesim-mpi
MPI_OBJ  := $(BUILD)/sim/cli/mpi_main.mpi.o $(filter-out $(BUILD)/sim/cli/main.o,$(CLI_OBJ))
HAVE_MPICC := $(shell command -v $(MPICC) 2>/dev/null)
TEST_MPI := $(if $(and $(HAVE_MPICC),$(filter 0,$(SAN))),$(MPI_BIN))

# What building and running need (make deps, make run), and what only the
# tests need on top (make deps-test, which make test runs first): MPI, Slurm
# and munge for the cluster tests, clang for the fuzz targets, Debian's Python
# readers for the h5py/xarray checks, git for the build-stamp test, chromium
# for the report's page checks.
DEB_PKGS      := gcc make pkg-config libgsl-dev libconfig-dev libhdf5-dev librandom123-dev zlib1g-dev libplplot-dev
DEB_TEST_PKGS := git hdf5-tools chromium \
                 python3 python3-h5py python3-xarray python3-h5netcdf python3-netcdf4 python3-pandas python3-numpy \
                 clang libclang-rt-14-dev openmpi-bin libopenmpi-dev \
                 slurmctld slurmd slurm-client munge

.PHONY: all deps deps-test run run-baseline test test-run bench clean help format fuzz fuzz-build fuzz-minimize valgrind-bad-inputs
all: $(BIN) $(if $(filter 1,$(MPI)),$(MPI_BIN))

help:
	@echo "make            build ./enforcesim"
	@echo "make deps       install the missing Debian packages that building and running need (root or sudo)"
	@echo "make deps-test  also those the tests need (MPI, Slurm, clang, Python readers); make test runs it"
	@echo "make run        deps, build, run configs/baseline.cfg into results/baseline.h5 and .html"
	@echo "make test       deps-test, then unit and end-to-end tests; last line 'N passed, N failed, N skipped'"
	@echo "make format     clang-format every C source (.clang-format)"
	@echo "make bench      engine and model benchmarks (results/bench.jsonl)"
	@echo "make SAN=1 ...  the same with AddressSanitizer and UBSan"
	@echo "make MPI=1      also build ./enforcesim-mpi (Open MPI: mpirun -np N ./enforcesim-mpi run CONFIG ...)"
	@echo "make fuzz       libFuzzer on the config loader and the result reader, FUZZ_SECONDS each (60)"
	@echo "make fuzz-minimize  merge build/fuzz/corpus into the committed seed corpora (-merge=1)"
	@echo "make valgrind-bad-inputs  the bad-input corpus under valgrind (slow; not in CI)"

# The build stamp (Redis's release.h pattern): $(STAMP) is regenerated on every
# make, but replaced only when its text changes, so version.o is rebuilt exactly
# when HEAD moves or the tree becomes (or stops being) dirty, and never otherwise.
# Dirty means any tracked file differs from HEAD or an untracked, unignored file
# exists: either could be in the binary.
STAMP := $(BUILD)/gen/es_stamp.h
$(STAMP): FORCE
	@mkdir -p $(dir $@)
	@c=$$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown); \
	if [ "$$c" != unknown ] && [ -n "$$(git status --porcelain 2>/dev/null)" ]; then c="$$c-dirty"; fi; \
	printf '#define ES_VERSION "%s"\n#define ES_GIT_COMMIT "%s"\n' '$(VERSION)' "$$c" >$@.new; \
	if cmp -s $@.new $@; then rm -f $@.new; else mv -f $@.new $@; fi
FORCE:
$(BUILD)/sim/cli/version.o: $(STAMP)
$(BUILD)/sim/cli/version.o: CFLAGS += -I$(BUILD)/gen
$(BUILD)/sim/report/%.o: CFLAGS += $(PLPLOT_CFLAGS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/sim/cli/mpi_main.mpi.o: sim/cli/mpi_main.c
	@mkdir -p $(dir $@)
	$(MPICC) $(CFLAGS) -c $< -o $@

$(MPI_BIN): $(MPI_OBJ) $(LIB)
	$(MPICC) $(LDFLAGS) -o $@ $(MPI_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) tests/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isim -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)

# The fuzz regression test includes the fuzz targets' sources.
$(BUILD)/tests/test_fuzz_regress: tests/fuzz/fuzz_cfg.c tests/fuzz/fuzz_h5.c tests/fuzz/fuzz.h tests/fuzz/fuzz_util.h

# $(1): the packages; installs the missing ones (root, or passwordless sudo).
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "$@: all Debian packages present"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; \
	else echo "$@: missing packages; run: sudo apt-get update && sudo apt-get install -y --no-install-recommends $$missing" >&2; exit 1; fi; \
	echo "$@: installing $$missing"; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing
endef

deps:
	$(call install_missing,$(DEB_PKGS))

deps-test: deps
	$(call install_missing,$(DEB_TEST_PKGS))

# A sub-make after deps, so that a PLplot installed just now is seen.
run: deps
	@$(MAKE) --no-print-directory run-baseline

run-baseline: all
	./$(BIN) run configs/baseline.cfg -o results/baseline.h5 --force
	./$(BIN) info results/baseline.h5
	$(if $(HAVE_PLPLOT),./$(BIN) report results/baseline.h5 -o results/baseline.html --force && echo "report: results/baseline.html",@echo "report: skipped (install libplplot-dev, then make clean run)")

# A sub-make after deps-test, so that an mpicc installed just now is seen
# (TEST_MPI is decided when the Makefile is read).
test:
	@$(MAKE) --no-print-directory deps-test
	@$(MAKE) --no-print-directory test-run

test-run: $(BIN) $(TEST_BIN) $(TEST_MPI)
	@ES_BIN=$(abspath $(BIN)) ES_BUILD=$(abspath $(BUILD)) ES_SAN=$(SAN) \
	    ES_MPI_BIN=$(if $(TEST_MPI),$(abspath $(MPI_BIN))) sh tests/run.sh

bench: all
	@sh tests/bench/run.sh $(BUILD)

clean:
	rm -rf build enforcesim enforcesim-mpi

# .clang-format (100 columns); Debian package clang-format.
format:
	clang-format -i $$(git ls-files 'sim/*.c' 'sim/*.h' 'tests/*.c' 'tests/*.h')

# ---- fuzzing (docs/development.md, Fuzzing and bad inputs; tests/fuzz/README.md) ----
# clang's libFuzzer with ASan + UBSan; the library is rebuilt instrumented
# for coverage in build/fuzz (Debian: clang and libclang-rt-14-dev).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := cfg h5
FUZZ_BUILD   := build/fuzz
FUZZ_SAN     := -fsanitize=address$(comma)undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  := -std=c11 -D_POSIX_C_SOURCE=200809L -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) $(WARN) -MMD -MP
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_LIB     := $(FUZZ_BUILD)/libenforcesim.a
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
# A real result for the reader's seeds, made by this build: one scenario,
# one replication, three months (the committed seeds are small hand-made files).
FUZZ_H5_SEED := $(FUZZ_BUILD)/seeds/h5/tiny_run.h5

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/fuzz_util.h $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -fsanitize=fuzzer -Isim -o $@ $< $(FUZZ_LIB) $(LDLIBS)

$(FUZZ_H5_SEED): enforcesim tests/fuzz/tiny.cfg
	@mkdir -p $(dir $@)
	./enforcesim run tests/fuzz/tiny.cfg -q --force -o $@

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-run-cfg fuzz-run-h5

fuzz-run-%: $(FUZZ_BUILD)/fuzz_% enforcesim $(FUZZ_H5_SEED)
	@sh tests/fuzz/run.sh $* $(FUZZ_SECONDS)

# Adds to the committed seed corpora what local runs found that covers
# something new (libFuzzer -merge=1; the hand-made seeds stay as they are).
# Reader inputs over 64 KiB are left out: real results are made fresh.
fuzz-minimize: $(FUZZ_BIN)
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_BUILD)/corpus/$$t && \
	    find $(FUZZ_BUILD)/corpus/$$t -type f -size +64k -delete && \
	    $(FUZZ_BUILD)/fuzz_$$t -merge=1 tests/fuzz/corpus/$$t $(FUZZ_BUILD)/corpus/$$t \
	        >$(FUZZ_BUILD)/merge-$$t.log 2>&1 || { tail -n 20 $(FUZZ_BUILD)/merge-$$t.log; exit 1; }; \
	    echo "$$t: $$(ls tests/fuzz/corpus/$$t | wc -l) files, $$(cat tests/fuzz/corpus/$$t/* | wc -c) bytes"; \
	done

# ---- the bad-input corpus under valgrind (docs/development.md, Fuzzing and bad inputs; slow, so not in CI) ----
valgrind-bad-inputs: enforcesim
	@command -v valgrind >/dev/null || { echo "valgrind-bad-inputs: install valgrind (apt-get install valgrind)" >&2; exit 1; }
	@start=$$(date +%s); \
	ES_BIN=$(abspath enforcesim) ES_BUILD=$(abspath build/rel) ES_VALGRIND=1 sh tests/e2e/bad_inputs.sh >$(BUILD)/valgrind-bad-inputs.log 2>&1; \
	grep '^FAIL' $(BUILD)/valgrind-bad-inputs.log; \
	echo "valgrind-bad-inputs: $$(grep -c '^PASS' $(BUILD)/valgrind-bad-inputs.log) passed, $$(grep -c '^FAIL' $(BUILD)/valgrind-bad-inputs.log) failed, $$(($$(date +%s) - start)) s"; \
	! grep -q '^FAIL' $(BUILD)/valgrind-bad-inputs.log

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(FUZZ_LIB_OBJ:.o=.d) $(BUILD)/sim/cli/mpi_main.mpi.d
