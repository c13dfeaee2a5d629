# enforcesim: plain make, no generators. `make help` lists the targets.
# Variants: SAN=1 (AddressSanitizer + UndefinedBehaviorSanitizer), WERROR=1 (CI).

CC      ?= cc
comma   := ,
SAN     ?= 0
WERROR  ?= 0
PKGS    := gsl libconfig hdf5-serial

BUILD   := build/$(if $(filter 1,$(SAN)),san,rel)
BIN     := $(if $(filter 1,$(SAN)),$(BUILD)/enforcesim,enforcesim)

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wundef \
           -Wwrite-strings -fno-common -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN    += -Werror
endif
SANFLAGS := -fsanitize=address$(comma)undefined
OPT     := $(if $(filter 1,$(SAN)),-O1 -g -fno-omit-frame-pointer $(SANFLAGS) -fno-sanitize-recover=undefined,-O2 -g)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhdf5_hl
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) -MMD -MP $(PKG_CFLAGS)
LDFLAGS += $(if $(filter 1,$(SAN)),$(SANFLAGS))
LDLIBS  += $(PKG_LIBS) -lpthread -lm

GIT_COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell git diff --quiet HEAD 2>/dev/null || echo -dirty)
VERSION    := 0.1.0

LIB_SRC  := $(sort $(wildcard sim/core/*.c sim/engine/*.c sim/rng/*.c sim/model/*.c sim/experiment/*.c sim/io/*.c))
CLI_SRC  := $(sort $(wildcard sim/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIB      := $(BUILD)/libenforcesim.a

DEB_PKGS := gcc make pkg-config libgsl-dev libconfig-dev libhdf5-dev librandom123-dev hdf5-tools \
            python3 python3-h5py python3-xarray python3-h5netcdf python3-netcdf4 python3-pandas python3-numpy

.PHONY: all deps run test bench clean help
all: $(BIN)

help:
	@echo "make            build ./enforcesim"
	@echo "make deps       install missing Debian packages (root or sudo)"
	@echo "make run        deps, build, run configs/baseline.cfg into results/baseline.h5"
	@echo "make test       unit and end-to-end tests; last line 'N passed, N failed'"
	@echo "make bench      engine and model benchmarks (results/bench.jsonl)"
	@echo "make SAN=1 ...  the same with AddressSanitizer and UBSan"

$(BUILD)/sim/cli/version.o: CFLAGS += -DES_VERSION='"$(VERSION)"' -DES_GIT_COMMIT='"$(GIT_COMMIT)"'

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) tests/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isim -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)

deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "deps: all Debian packages present"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; \
	else echo "deps: missing packages; run: sudo apt-get update && sudo apt-get install -y --no-install-recommends $$missing" >&2; exit 1; fi; \
	echo "deps: installing $$missing"; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing

run: deps
	$(MAKE) all
	./$(BIN) run configs/baseline.cfg -o results/baseline.h5 --force
	./$(BIN) info results/baseline.h5

test: $(BIN) $(TEST_BIN)
	@ES_BIN=$(abspath $(BIN)) ES_BUILD=$(abspath $(BUILD)) ES_SAN=$(SAN) sh tests/run.sh

bench: all
	@sh tests/bench/run.sh $(BUILD)

clean:
	rm -rf build enforcesim enforcesim-mpi

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
