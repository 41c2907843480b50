# Fuzz targets (libFuzzer, clang) and their corpus replay.  Included from GNUmakefile,
# after its variables.
#
#   make fuzz-binary [FUZZ_TIME=60]  fuzz the binary log decoder; new inputs go to
#                                    $(O)/fuzz/binary (merge the useful ones into
#                                    tests/fuzz/corpus/binary by hand)
#   make fuzz-text [FUZZ_TIME=60]    fuzz the text encoder; new inputs go to
#                                    $(O)/fuzz/text, crashes to $(O)/fuzz/text-crash-*;
#                                    keep the inputs that add coverage with
#                                    $(O)/tests/fuzz/text_fuzz -merge=1 -use_counters=0 \
#                                        tests/fuzz/corpus/text $(O)/fuzz/text
#                                    (-use_counters=0: new edges only, fewer files)
#   make fuzz-plugin [FUZZ_TIME=60]  fuzz the plugins.d parser (tests/fuzz/corpus/plugin)
#   make fuzz-chain [FUZZ_TIME=60]   fuzz the binary log's hash chain verification
#                                    (tests/fuzz/corpus/chain)
#   make fuzz-conf [FUZZ_TIME=60]    fuzz the lauditd.conf parser; new inputs go to
#                                    $(O)/fuzz/conf, crashes to $(O)/fuzz/conf-crash-*;
#                                    keep what adds coverage as for fuzz-text, into
#                                    tests/fuzz/corpus/conf
#   make fuzz-rules [FUZZ_TIME=60]   fuzz the audit.rules parser and its listing; new inputs
#                                    go to $(O)/fuzz/rules, crashes to $(O)/fuzz/rules-crash-*
#   make fuzz-text-seeds             write the text encoder's seeds (tests/fuzz/text_seeds.c)
#                                    into tests/fuzz/corpus/text
#   make test-fuzz                   run every corpus file through its target without
#                                    libFuzzer, under ASan and UBSan (part of make test)
#
# FUZZ_FLAGS: more libFuzzer options, e.g. FUZZ_FLAGS='-fork=2 -ignore_crashes=1' to go
# on after a crash.

FUZZ_TIME      ?= 60
FUZZ_CFLAGS    := -g -O1 -std=gnu11 $(WARN) -I. -D_GNU_SOURCE
FUZZ_SANITIZE  := -fsanitize=address,undefined -fno-omit-frame-pointer
# The text encoder's sources (text.c writes the records, text_path.c picks the PATH items)
FUZZ_TXT_LIB   := formats/text.c formats/text_path.c
FUZZ_BIN_SRCS  := tests/fuzz/binary_fuzz.c formats/binary_enc.c formats/binary_filter.c \
		  formats/binary_dec.c \
		  formats/wire.c $(FUZZ_TXT_LIB)
FUZZ_BIN_DEPS  := $(FUZZ_BIN_SRCS) $(wildcard formats/*.h) ebpf/wire.h
FUZZ_TXT_SRCS  := tests/fuzz/text_fuzz.c formats/wire.c $(FUZZ_TXT_LIB)
FUZZ_TXT_DEPS  := $(FUZZ_TXT_SRCS) $(wildcard formats/*.h) ebpf/wire.h
FUZZ_CONF_SRCS := tests/fuzz/conf_fuzz.c conf/conf.c
FUZZ_CONF_DEPS := $(FUZZ_CONF_SRCS) conf/conf.h
FUZZ_RUL_SRCS  := tests/fuzz/rules_fuzz.c conf/rules.c conf/rules_opt.c conf/rules_field.c \
		  conf/rules_kernel.c conf/rules_list.c
FUZZ_RUL_DEPS  := $(FUZZ_RUL_SRCS) conf/rules.h conf/rules_int.h
FUZZ_PLG_SRCS  := tests/fuzz/plugin_fuzz.c conf/plugin.c
FUZZ_PLG_DEPS  := $(FUZZ_PLG_SRCS) conf/plugin.h conf/conf.h
FUZZ_CHN_SRCS  := tests/fuzz/chain_fuzz.c logger/bin_chain.c
FUZZ_CHN_DEPS  := $(FUZZ_CHN_SRCS) logger/bin_chain.h formats/binary_int.h formats/binary.h
FUZZ_FLAGS     ?=

.PHONY: fuzz-binary fuzz-text fuzz-conf fuzz-rules fuzz-plugin fuzz-chain fuzz-text-seeds test-fuzz

$(O)/tests/fuzz/binary_fuzz: $(FUZZ_BIN_DEPS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_SANITIZE) $(FUZZ_BIN_SRCS) -o $@ \
		-laudit -lz

# The replay is built with $(CC) and sanitizers whatever SANITIZER says.
$(O)/tests/fuzz/binary_replay: tests/fuzz/replay.c $(FUZZ_BIN_DEPS)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_CFLAGS) $(FUZZ_SANITIZE) tests/fuzz/replay.c $(FUZZ_BIN_SRCS) -o $@ \
		-laudit -lz

$(O)/tests/fuzz/text_fuzz: $(FUZZ_TXT_DEPS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_SANITIZE) $(FUZZ_TXT_SRCS) -o $@ -laudit

$(O)/tests/fuzz/text_replay: tests/fuzz/replay.c $(FUZZ_TXT_DEPS)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_CFLAGS) $(FUZZ_SANITIZE) tests/fuzz/replay.c $(FUZZ_TXT_SRCS) -o $@ -laudit

$(O)/tests/fuzz/conf_fuzz: $(FUZZ_CONF_DEPS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_SANITIZE) $(FUZZ_CONF_SRCS) -o $@ -laudit

$(O)/tests/fuzz/conf_replay: tests/fuzz/replay.c $(FUZZ_CONF_DEPS)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_CFLAGS) $(FUZZ_SANITIZE) tests/fuzz/replay.c $(FUZZ_CONF_SRCS) -o $@ -laudit

$(O)/tests/fuzz/rules_fuzz: $(FUZZ_RUL_DEPS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_SANITIZE) $(FUZZ_RUL_SRCS) -o $@ -laudit

$(O)/tests/fuzz/rules_replay: tests/fuzz/replay.c $(FUZZ_RUL_DEPS)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_CFLAGS) $(FUZZ_SANITIZE) tests/fuzz/replay.c $(FUZZ_RUL_SRCS) -o $@ -laudit

$(O)/tests/fuzz/plugin_fuzz: $(FUZZ_PLG_DEPS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_SANITIZE) $(FUZZ_PLG_SRCS) -o $@

$(O)/tests/fuzz/plugin_replay: tests/fuzz/replay.c $(FUZZ_PLG_DEPS)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_CFLAGS) $(FUZZ_SANITIZE) tests/fuzz/replay.c $(FUZZ_PLG_SRCS) -o $@

$(O)/tests/fuzz/chain_fuzz: $(FUZZ_CHN_DEPS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_SANITIZE) $(FUZZ_CHN_SRCS) -o $@ -lz -lcrypto

$(O)/tests/fuzz/chain_replay: tests/fuzz/replay.c $(FUZZ_CHN_DEPS)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_CFLAGS) $(FUZZ_SANITIZE) tests/fuzz/replay.c $(FUZZ_CHN_SRCS) -o $@ -lz -lcrypto

$(O)/tests/fuzz/text_seeds: tests/fuzz/text_seeds.c ebpf/wire.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< -o $@

fuzz-binary: $(O)/tests/fuzz/binary_fuzz
	@mkdir -p $(O)/fuzz/binary
	$< -max_len=6000 -timeout=10 -max_total_time=$(FUZZ_TIME) $(FUZZ_FLAGS) $(O)/fuzz/binary \
		tests/fuzz/corpus/binary

fuzz-text: $(O)/tests/fuzz/text_fuzz
	@mkdir -p $(O)/fuzz/text
	$< -max_len=20000 -timeout=10 -max_total_time=$(FUZZ_TIME) -artifact_prefix=$(O)/fuzz/text- \
		$(FUZZ_FLAGS) $(O)/fuzz/text tests/fuzz/corpus/text

fuzz-conf: $(O)/tests/fuzz/conf_fuzz
	@mkdir -p $(O)/fuzz/conf
	$< -max_len=4096 -timeout=10 -max_total_time=$(FUZZ_TIME) -artifact_prefix=$(O)/fuzz/conf- \
		-dict=tests/fuzz/conf.dict $(FUZZ_FLAGS) $(O)/fuzz/conf tests/fuzz/corpus/conf

fuzz-rules: $(O)/tests/fuzz/rules_fuzz
	@mkdir -p $(O)/fuzz/rules
	$< -max_len=8192 -timeout=10 -max_total_time=$(FUZZ_TIME) -artifact_prefix=$(O)/fuzz/rules- \
		-dict=tests/fuzz/rules.dict $(FUZZ_FLAGS) $(O)/fuzz/rules tests/fuzz/corpus/rules

fuzz-plugin: $(O)/tests/fuzz/plugin_fuzz
	@mkdir -p $(O)/fuzz/plugin
	$< -max_len=2048 -timeout=10 -max_total_time=$(FUZZ_TIME) -artifact_prefix=$(O)/fuzz/plugin- \
		$(FUZZ_FLAGS) $(O)/fuzz/plugin tests/fuzz/corpus/plugin

fuzz-chain: $(O)/tests/fuzz/chain_fuzz
	@mkdir -p $(O)/fuzz/chain
	$< -max_len=8192 -timeout=10 -max_total_time=$(FUZZ_TIME) -artifact_prefix=$(O)/fuzz/chain- \
		$(FUZZ_FLAGS) $(O)/fuzz/chain tests/fuzz/corpus/chain

fuzz-text-seeds: $(O)/tests/fuzz/text_seeds
	@mkdir -p tests/fuzz/corpus/text
	$< tests/fuzz/corpus/text

test-fuzz: $(O)/tests/fuzz/binary_replay $(O)/tests/fuzz/text_replay $(O)/tests/fuzz/conf_replay \
		$(O)/tests/fuzz/rules_replay $(O)/tests/fuzz/plugin_replay $(O)/tests/fuzz/chain_replay
	$(O)/tests/fuzz/binary_replay tests/fuzz/corpus/binary
	$(O)/tests/fuzz/text_replay tests/fuzz/corpus/text
	$(O)/tests/fuzz/conf_replay tests/fuzz/corpus/conf
	$(O)/tests/fuzz/rules_replay tests/fuzz/corpus/rules
	$(O)/tests/fuzz/plugin_replay tests/fuzz/corpus/plugin
	$(O)/tests/fuzz/chain_replay tests/fuzz/corpus/chain

all: $(O)/tests/fuzz/binary_replay $(O)/tests/fuzz/text_replay $(O)/tests/fuzz/conf_replay \
	$(O)/tests/fuzz/rules_replay $(O)/tests/fuzz/plugin_replay $(O)/tests/fuzz/chain_replay
