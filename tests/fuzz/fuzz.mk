# Fuzz targets (libFuzzer, clang) and their corpus replay.  Included from GNUmakefile,
# after its variables.
#
#   make fuzz-binary [FUZZ_TIME=60]  fuzz the binary log decoder; new inputs go to
#                                    $(O)/fuzz/binary (merge the useful ones into
#                                    tests/fuzz/corpus/binary by hand)
#   make test-fuzz                   run every corpus file through its target without
#                                    libFuzzer, under ASan and UBSan (part of make test)

FUZZ_TIME      ?= 60
FUZZ_CFLAGS    := -g -O1 -std=gnu11 $(WARN) -I. -D_GNU_SOURCE
FUZZ_SANITIZE  := -fsanitize=address,undefined -fno-omit-frame-pointer
FUZZ_BIN_SRCS  := tests/fuzz/binary_fuzz.c formats/binary.c formats/event.c formats/text.c
FUZZ_BIN_DEPS  := $(FUZZ_BIN_SRCS) $(wildcard formats/*.h) ebpf/event.h

.PHONY: fuzz-binary test-fuzz

$(O)/tests/fuzz/binary_fuzz: $(FUZZ_BIN_DEPS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_SANITIZE) $(FUZZ_BIN_SRCS) -o $@ \
		-laudit -lz

# The replay is built with $(CC) and sanitizers whatever SANITIZER says.
$(O)/tests/fuzz/binary_replay: tests/fuzz/replay.c $(FUZZ_BIN_DEPS)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_CFLAGS) $(FUZZ_SANITIZE) tests/fuzz/replay.c $(FUZZ_BIN_SRCS) -o $@ \
		-laudit -lz

fuzz-binary: $(O)/tests/fuzz/binary_fuzz
	@mkdir -p $(O)/fuzz/binary
	$< -max_len=6000 -timeout=10 -max_total_time=$(FUZZ_TIME) $(O)/fuzz/binary \
		tests/fuzz/corpus/binary

test-fuzz: $(O)/tests/fuzz/binary_replay
	$(O)/tests/fuzz/binary_replay tests/fuzz/corpus/binary

all: $(O)/tests/fuzz/binary_replay
