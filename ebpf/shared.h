/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Settings user space passes to the eBPF programs (map "la_config", slot 0). */
#ifndef LAUDITD_EBPF_SHARED_H
#define LAUDITD_EBPF_SHARED_H

#include "ebpf/wire.h"

struct la_config {
	__u32 self_tgid;    /* lauditd's own process: never captured */
	__u32 wakeup_bytes; /* wake the consumer once a ring holds this much */
	__u32 argv_bytes;   /* bytes of a new image's argv kept, at most LA_ARGV_MAX */
	__u32 stopped;	    /* set on shutdown: make no new record */
};
_Static_assert(sizeof(struct la_config) == 16, "la_config layout");

#endif /* LAUDITD_EBPF_SHARED_H */
