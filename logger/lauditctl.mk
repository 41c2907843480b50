# lauditctl: auditctl's commands for the running daemon (logger/lauditctl.c), the
# request and reply (ctlproto.c), a rule file's checks (rules_load.c).  A program of
# its own: GNUmakefile keeps logger/lauditctl.c out of lauditd.  Included from
# GNUmakefile, after its variables.

.PHONY: install-lauditctl

LAUDITCTL_OBJS := $(O)/logger/lauditctl.o $(O)/logger/ctlproto.o $(O)/logger/rules_load.o

$(O)/lauditctl: $(LAUDITCTL_OBJS) $(LIB_OBJS)
	$(CC) $(LDFLAGS) $^ -o $@ -laudit -llz4 -lz

all: $(O)/lauditctl
install: install-lauditctl

install-lauditctl: $(O)/lauditctl
	install -D -m 0755 $(O)/lauditctl $(DESTDIR)$(PREFIX)/sbin/lauditctl
	install -D -m 0644 man/lauditctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/lauditctl.8
