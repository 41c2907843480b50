# lausearch and laureport: search binary logs and report on them (logger/lausearch.c,
# logger/laureport.c over formats/).  Programs of their own: GNUmakefile keeps
# logger/lausearch.c, logger/laureport.c, logger/search_*.c and logger/report_*.c out of
# lauditd.  Included from GNUmakefile, after its variables.

.PHONY: install-lausearch install-laureport

LAUSEARCH_SRCS := logger/lausearch.c logger/search_input.c logger/search_match.c \
	logger/search_order.c logger/search_out.c logger/search_json.c logger/search_time.c \
	logger/search_checkpt.c logger/search_pool.c logger/search_verify.c logger/bin_chain.c
LAUSEARCH_OBJS := $(patsubst %.c,$(O)/%.o,$(LAUSEARCH_SRCS))

$(O)/lausearch: $(LAUSEARCH_OBJS) $(LIB_OBJS)
	$(CC) $(LDFLAGS) $^ -o $@ -lauparse -laudit -llz4 -lz -lcrypto -lpthread

all: $(O)/lausearch
install: install-lausearch

install-lausearch: $(O)/lausearch
	install -D -m 0755 $(O)/lausearch $(DESTDIR)$(PREFIX)/sbin/lausearch
	install -D -m 0644 man/lausearch.8 $(DESTDIR)$(PREFIX)/share/man/man8/lausearch.8

# laureport shares lausearch's inputs, time forms and event order
LAUREPORT_SRCS := logger/laureport.c logger/report_parse.c logger/report_out.c \
	logger/search_input.c logger/search_order.c logger/search_time.c logger/search_pool.c
LAUREPORT_OBJS := $(patsubst %.c,$(O)/%.o,$(LAUREPORT_SRCS))

$(O)/laureport: $(LAUREPORT_OBJS) $(LIB_OBJS)
	$(CC) $(LDFLAGS) $^ -o $@ -laudit -llz4 -lz -lpthread

all: $(O)/laureport
install: install-laureport

install-laureport: $(O)/laureport
	install -D -m 0755 $(O)/laureport $(DESTDIR)$(PREFIX)/sbin/laureport
	install -D -m 0644 man/laureport.8 $(DESTDIR)$(PREFIX)/share/man/man8/laureport.8

# bench/binary_size measures the binary format: it links the formats objects and
# lz4, which the generic bench rule does not (this explicit rule takes precedence).
$(O)/bench/binary_size: bench/binary_size.c $(LIB_OBJS) $(O)/logger/bin_chain.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< $(LIB_OBJS) $(O)/logger/bin_chain.o -o $@ $(LDFLAGS) -llz4 -lz -laudit -lcrypto

# bench/search_gen writes the search benchmark's log (formats objects, lz4, zlib).
$(O)/bench/search_gen: bench/search_gen.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< $(LIB_OBJS) -o $@ $(LDFLAGS) -llz4 -lz -laudit

# The search benchmark (bench/search.sh): lausearch on a 10,000,000-event binary
# log, ausearch on a part of it as text.  No root.  N=, SUB= in the environment.
.PHONY: bench-search
bench-search: $(O)/lausearch $(O)/laureport $(O)/bench/search_gen
	bench/search.sh $(O)

# lausearch against the golden segment: its RAW text, the real ausearch reading it
# back unchanged, a rotated directory (plain, lz4, torn), -m and <no matches>;
# then, for each line of golden.queries, lausearch on the segment (format version 2,
# and the same records in version 1) prints what ausearch prints on its text
# (output and exit status).
LAUSEARCH_T := $(O)/tests/lausearch
GOLDEN      := tests/data/binary/golden

.PHONY: test-lausearch

test-lausearch: $(O)/lausearch
	@rm -rf $(LAUSEARCH_T) && mkdir -p $(LAUSEARCH_T)/dir
	$(O)/lausearch -if $(GOLDEN).bin | cmp - $(GOLDEN).txt
	$(O)/lausearch -if $(GOLDEN).bin | ausearch --format raw | cmp - $(GOLDEN).txt
	cp $(GOLDEN).bin $(LAUSEARCH_T)/dir/audit.log.2
	lz4 -q $(GOLDEN).bin $(LAUSEARCH_T)/dir/audit.log.1.lz4
	head -c 1000 $(GOLDEN).bin > $(LAUSEARCH_T)/dir/audit.log
	$(O)/lausearch -if $(LAUSEARCH_T)/dir > $(LAUSEARCH_T)/out 2> $(LAUSEARCH_T)/err
	grep -q 'dir/audit.log: torn tail at offset ' $(LAUSEARCH_T)/err
	cat $(GOLDEN).txt $(GOLDEN).txt > $(LAUSEARCH_T)/want
	$(O)/lausearch -if $(LAUSEARCH_T)/dir/audit.log 2>/dev/null >> $(LAUSEARCH_T)/want
	cmp $(LAUSEARCH_T)/out $(LAUSEARCH_T)/want
	cat $(GOLDEN).bin | $(O)/lausearch -m DAEMON_START,daemon_end | grep -c '^type=DAEMON_' \
		| grep -qx 2
	! $(O)/lausearch -if $(GOLDEN).bin -m USER_LOGIN 2> $(LAUSEARCH_T)/err
	grep -qx '<no matches>' $(LAUSEARCH_T)/err
	@export TZ=UTC LC_ALL=C; for g in $(GOLDEN).bin $(GOLDEN)-v1.bin; do \
	while read -r q; do \
		$(O)/lausearch -if $$g $$q > $(LAUSEARCH_T)/la 2>&1; a=$$?; \
		ausearch -if $(GOLDEN).txt $$q > $(LAUSEARCH_T)/au 2>&1; b=$$?; \
		if [ $$a != $$b ] || ! cmp -s $(LAUSEARCH_T)/la $(LAUSEARCH_T)/au; then \
			echo "lausearch -if $$g $$q: not what ausearch prints"; \
			diff $(LAUSEARCH_T)/au $(LAUSEARCH_T)/la | head -5; exit 1; \
		fi; \
	done < tests/data/binary/golden.queries; done
	@echo "test-lausearch: passed"

# laureport against the golden segment: each report of laureport on the segment is
# what aureport prints on its text (output and exit status).  -t names the file:
# both read a file of the same name, each in its own directory.
LAUREPORT_T := $(O)/tests/laureport
LAUREPORT_Q := "" -t "-t --summary" -f -x -s -p -k -u -e -l -m -n -r -c -au -tm -h --comm --summary \
	"-f --summary" "-x --summary" "-s --summary" "-p --summary" "-k --summary" \
	"-u --summary" "-e --summary" "-tm --summary" "-h --summary" "--comm --summary" \
	-i "-s -i" "-u -i" "-e -i" "-e -i --summary" "-s -i --summary" "-u -i --summary" \
	--failed --success "-x --failed" "-s --success" "-ts 11/14/23 22:13:21" \
	"-te 11/14/23 22:13:21" "-f -ts 11/14/23 22:13:21 -te 11/14/23 22:13:22"

.PHONY: test-laureport

test-laureport: $(O)/laureport
	@rm -rf $(LAUREPORT_T) && mkdir -p $(LAUREPORT_T)/bin $(LAUREPORT_T)/txt
	@cp $(GOLDEN).bin $(LAUREPORT_T)/bin/audit.log
	@cp $(GOLDEN).txt $(LAUREPORT_T)/txt/audit.log
	@export TZ=UTC LC_ALL=C; bin=$$(realpath $(O)/laureport); t=$(LAUREPORT_T); \
	for q in $(LAUREPORT_Q); do \
		(cd $$t/bin && $$bin -if audit.log $$q > ../la 2>&1); a=$$?; \
		(cd $$t/txt && aureport -if audit.log $$q > ../au 2>&1); b=$$?; \
		if [ $$a != $$b ] || ! cmp -s $$t/la $$t/au; then \
			echo "laureport $$q: not what aureport prints"; \
			diff $$t/au $$t/la | head -5; exit 1; \
		fi; \
	done
	@echo "test-laureport: passed"
