# mentorscout — one GNU Makefile for the program, its tests and benchmarks.
#
#   make            build build/mentorscout (installs missing -dev packages)
#   make check      Criterion suite, then again under ASan+UBSan
#   make check-valgrind  the module tests under valgrind (memcheck)
#   make demo       build, generate the sample web, serve it, crawl, rank
#   make bench      benchmarks (figures to stdout and bench/results/*.json)
#   make install    PREFIX=/usr/local DESTDIR=
#   make deps       install missing Debian build dependencies (as root)
#
# The user's CFLAGS are kept; DEVELOPER=1 (default) adds -Werror;
# SANITIZE=address,undefined builds with the sanitizers into build-san/.

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
DEVELOPER ?= 1
SANITIZE  ?=
VERSION   := 0.1.0

ifeq ($(SANITIZE),)
BUILD     ?= build
else
BUILD     ?= build-san
endif

PKGS      := libcurl libxml-2.0 jansson libpcre2-8
TESTPKGS  := criterion libmicrohttpd zlib

CFLAGS    ?= -O2 -g
WARN      := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes
ifeq ($(DEVELOPER),1)
WARN      += -Werror
endif
CPPFLAGS  += -D_GNU_SOURCE -DMS_VERSION='"$(VERSION)"' -I.
ifneq ($(SANITIZE),)
CFLAGS    += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS   += -fsanitize=$(SANITIZE)
endif

# pkg-config is asked lazily: before 'make deps' ran it may know nothing.
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -llmdb -lm
TEST_CFLAGS = $(shell pkg-config --cflags $(TESTPKGS) 2>/dev/null)
TEST_LIBS   = $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null) -lpthread
# Tools (generators, the fixture server) must not link Criterion: its
# start-up code takes over a process started from inside a test.
TOOL_LIBS   = $(shell pkg-config --libs $(filter-out criterion,$(TESTPKGS)) 2>/dev/null) -lpthread

MODULES   := util config store analyzer crawler ranker report
LIB_SRC   := $(wildcard $(addsuffix /*.c,$(MODULES))) \
             $(filter-out cli/main.c,$(wildcard cli/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB       := $(BUILD)/libmentorscout.a
BIN       := $(BUILD)/mentorscout

# Test support code (fixture server, helpers) and one binary per test file.
TLIB_SRC  := $(wildcard tests/lib/*.c tests/server/*.c)
TLIB_OBJ  := $(TLIB_SRC:%.c=$(BUILD)/%.o)
TLIB      := $(BUILD)/libmstest.a
TEST_SRC  := $(sort $(wildcard tests/*/test_*.c))
TEST_BIN  := $(TEST_SRC:%.c=$(BUILD)/%)

# Tools built from bench/ and tests/ (generators, fixture server binary).
TOOL_SRC  := $(wildcard bench/*.c)
TOOL_BIN  := $(TOOL_SRC:%.c=$(BUILD)/%)

SHARED    ?= $(abspath ../shared)
export MS_SHARED_DIR ?= $(SHARED)

DEPS_STAMP := $(BUILD)/.deps-ok

all: $(BIN)

$(DEPS_STAMP):
	@sh tools/deps.sh
	@mkdir -p $(BUILD) && touch $@

deps:
	@sh tools/deps.sh $(DEPS_ARGS)

$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(PKG_CFLAGS) $(TEST_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	@$(AR) rcs $@ $^

$(TLIB): $(TLIB_OBJ)
	@rm -f $@
	@$(AR) rcs $@ $^

$(BIN): $(BUILD)/cli/main.o $(LIB)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TLIB) $(LIB)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(PKG_LIBS)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(TLIB) $(LIB)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(TOOL_LIBS) $(PKG_LIBS)

tests: $(BIN) $(TEST_BIN) $(TOOL_BIN)
tools: $(TOOL_BIN)

# Run every test binary; a failing one fails the target but the others
# still run, so one report shows everything that is wrong.
test: tests
	@MS_BIN=$(abspath $(BIN)) MS_BUILD=$(abspath $(BUILD)) sh tests/run.sh $(TEST_BIN)
	@MS_BUILD=$(abspath $(BUILD)) sh tests/report/render_check.sh
	@MS_BUILD=$(abspath $(BUILD)) sh tests/deploy/check.sh

check: $(DEPS_STAMP)
	$(MAKE) test
	$(MAKE) SANITIZE=address,undefined test

# Under valgrind code runs 20-50x slower: the crawler, end-to-end and
# hardening tests, which time crawls and kill them, are left out unless
# named (VALGRIND_TESTS='$(BUILD)/tests/crawler/test_crawl ...').
VALGRIND_TESTS ?= $(filter $(foreach m,util config store analyzer report,\
			$(BUILD)/tests/$(m)/%),$(TEST_BIN))

check-valgrind: tests
	@MS_BIN=$(abspath $(BIN)) MS_BUILD=$(abspath $(BUILD)) MS_VALGRIND=1 sh tests/run.sh $(VALGRIND_TESTS)

demo: $(BIN) $(TOOL_BIN)
	@MS_BIN=$(abspath $(BIN)) MS_BUILD=$(abspath $(BUILD)) sh tools/demo.sh

bench: $(BIN) $(TOOL_BIN)
	@MS_BIN=$(abspath $(BIN)) MS_BUILD=$(abspath $(BUILD)) sh bench/run.sh

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/mentorscout
	install -m 0644 man/mentorscout.1 $(DESTDIR)$(MANDIR)/man1/mentorscout.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mentorscout $(DESTDIR)$(MANDIR)/man1/mentorscout.1

clean:
	rm -rf build build-san

.PHONY: all deps tests tools test check check-valgrind demo bench install \
	uninstall clean
.SECONDARY: $(LIB_OBJ) $(TLIB_OBJ) $(TEST_SRC:%.c=$(BUILD)/%.o) \
	$(TOOL_SRC:%.c=$(BUILD)/%.o)


# ---------------------------------------------------------------- fuzzing
# make fuzz: the libFuzzer targets fuzz/fuzz_<name>.c, built with clang
# into build-fuzz/ against the library compiled with the same sanitizers
# and -fsanitize=fuzzer-no-link, each run FUZZ_SECONDS from a seed corpus
# (fuzz/run.sh; FUZZ_TARGETS=feed,url picks some).  The regression test
# tests/fuzz/test_regressions links the same target code, built with
# -DMS_FUZZ_REPLAY by the normal compiler, to replay the crash inputs.
FUZZ_CC      ?= clang
FUZZ_CFLAGS  ?= -O1 -g
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
FUZZ_BUILD   := build-fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
FUZZ_SRC     := $(wildcard fuzz/fuzz_*.c)
FUZZ_BIN     := $(FUZZ_SRC:%.c=$(FUZZ_BUILD)/%)
FUZZ_LIB     := $(FUZZ_BUILD)/libmentorscout.a
FUZZ_REPLAY  := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/replay_%.o)

$(FUZZ_BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(CPPFLAGS) $(WARN) $(FUZZ_CFLAGS) $(FUZZ_SAN) \
		-fsanitize=fuzzer-no-link $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
	@rm -f $@
	@$(AR) rcs $@ $^

$(FUZZ_BIN): $(FUZZ_BUILD)/%: $(FUZZ_BUILD)/%.o $(FUZZ_LIB)
	@echo "  LD      $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ \
		$(PKG_LIBS)

$(FUZZ_REPLAY): $(BUILD)/fuzz/replay_%.o: fuzz/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $< (replay)"
	@$(CC) $(CPPFLAGS) -DMS_FUZZ_REPLAY $(WARN) $(CFLAGS) $(PKG_CFLAGS) \
		-MMD -MP -c $< -o $@

$(BUILD)/tests/fuzz/test_regressions: $(BUILD)/tests/fuzz/test_regressions.o \
		$(FUZZ_REPLAY) $(TLIB) $(LIB)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(PKG_LIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_BUILD=$(FUZZ_BUILD) \
		FUZZ_TARGETS=$(FUZZ_TARGETS) MS_SHARED_DIR=$(SHARED) \
		sh fuzz/run.sh

clean-fuzz:
	rm -rf $(FUZZ_BUILD)

.PHONY: fuzz fuzz-build clean-fuzz
.SECONDARY: $(FUZZ_BIN:%=%.o) $(FUZZ_REPLAY)

-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
