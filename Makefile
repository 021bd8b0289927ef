# Zuwei — one plain Makefile. `make run` installs, builds and serves; `make test` runs everything.
PKGS     := libmicrohttpd sqlite3 jansson libsodium xlsxwriter libzip expat libqrencode
CC       ?= gcc
OPT      ?= -O2
CFLAGS   ?=
WARN     := -Wall -Wextra -Wformat=2 -Wshadow -Wno-unused-parameter -Werror
BASEFLAGS = -std=c17 -D_GNU_SOURCE -g $(OPT) $(WARN) -Isrc -Ibuild $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS      = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
BUILD    ?= build

SRC      := $(shell find src -name '*.c' -not -name main.c | sort)
OBJ      := $(SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded.o
UNIT     := $(wildcard tests/unit/test_*.c)
UNITBIN  := $(UNIT:tests/unit/%.c=$(BUILD)/tests/%)
EMBED    := $(sort $(wildcard src/migrations/*.sql) $(shell find assets -type f 2>/dev/null))

.PHONY: all run test unit api e2e lint asan bench fuzz deps clean FORCE
all: $(BUILD)/zuwei

deps:
	@scripts/install-deps

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(BASEFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

# Migrations and assets are compiled into the binary: one file to deploy. The list of embedded
# files is kept in embed.list (rewritten only when it changes) so removing a file rebuilds too.
$(BUILD)/gen/embed.list: FORCE
	@mkdir -p $(dir $@)
	@echo $(EMBED) | cmp -s - $@ || echo $(EMBED) > $@

$(BUILD)/gen/embedded.c: scripts/embed $(EMBED) $(BUILD)/gen/embed.list
	@scripts/embed $(EMBED) > $@

$(BUILD)/gen/embedded.o: $(BUILD)/gen/embedded.c
	@$(CC) $(BASEFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libzuwei.a: $(OBJ)
	@rm -f $@
	@ar rcs $@ $^

# Every object goes into the binary: the mechanisms are reached only through app.c's tables.
$(BUILD)/zuwei: $(BUILD)/src/main.o $(OBJ)
	@echo "  LD  $@"
	@$(CC) $(BASEFLAGS) $(CFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/fixture.h $(BUILD)/libzuwei.a
	@mkdir -p $(dir $@)
	@echo "  LD  $@"
	@$(CC) $(BASEFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libzuwei.a $(LIBS) $(shell pkg-config --libs cmocka)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

run: deps $(BUILD)/zuwei
	@scripts/run-demo

unit: $(UNITBIN)
	@scripts/run-unit $(UNITBIN)

node_modules/.installed: package.json
	@npm install --no-audit --no-fund --silent && touch $@

api: $(BUILD)/zuwei node_modules/.installed
	@ZUWEI_BIN=$(abspath $(BUILD)/zuwei) node --test --test-concurrency=2 tests/api/

e2e: $(BUILD)/zuwei node_modules/.installed
	@ZUWEI_BIN=$(abspath $(BUILD)/zuwei) node --test --test-concurrency=1 tests/e2e/

lint:
	@scripts/lint

test: deps
	@scripts/test-all

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan CC=clang OPT="-O1" \
	  CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" unit api

bench: $(BUILD)/zuwei
	@bench/run

fuzz:
	@scripts/fuzz

clean:
	rm -rf build build-asan build-fuzz
