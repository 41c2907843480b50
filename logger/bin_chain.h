/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The binary log's hash chain (format version 3, formats/FORMAT.md): every unit
 * of the log (a segment header, a block) is followed by a link holding its
 * number in the chain and its SHA-256 chained to the unit before it; every
 * segment ends with a seal naming the chain's head, signed with Ed25519 when a
 * key is given.  The writer adds links and seals in file order (bin_chain_*);
 * lausearch --verify checks them (bin_verify_*).  SHA-256 and Ed25519 are
 * OpenSSL's libcrypto; like the rest of formats/, no file I/O.
 */
#ifndef LAUDITD_FORMATS_BINARY_CHAIN_H
#define LAUDITD_FORMATS_BINARY_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#define BIN_CHAIN_HASH	   32  /* SHA-256 */
#define BIN_CHAIN_LINK_MAX 80  /* the longest link (after a segment header) */
#define BIN_CHAIN_SEAL	   128 /* a seal's length */
#define BIN_CHAIN_KEY	   32  /* an Ed25519 private key (its seed) or public key */
#define BIN_CHAIN_WHAT_MAX 256

struct bin_chain;

/*
 * bin_chain_new() - the writer's chain state.
 * @head: the hash of the last unit already in the log, or NULL (a new chain: 32
 *        zero bytes); @seq: the number the next unit gets.
 * @key: an Ed25519 private key (BIN_CHAIN_KEY bytes) to sign the seals with, or NULL.
 * Return: the state, or NULL with errno set (ENOMEM, EINVAL for a bad key).
 */
struct bin_chain *bin_chain_new(const uint8_t *head, uint64_t seq, const uint8_t *key);

/* bin_chain_free() - accepts NULL. */
void bin_chain_free(struct bin_chain *c);

/*
 * bin_chain_feed() - take the log's next bytes (segment headers and blocks, in
 * file order, cut anywhere), up to the end of the unit they are in.
 * @link: when a unit ends with the bytes taken, its link is written here
 *        (BIN_CHAIN_LINK_MAX bytes of room) and *@link_len set to its length;
 *        else *@link_len is 0.  The link goes to the log right after those bytes.
 * Return: how many of the @len bytes were taken (at least 1 when @len is not 0).
 */
size_t bin_chain_feed(struct bin_chain *c, const void *p, size_t len, uint8_t *link,
		      size_t *link_len);

/*
 * bin_chain_seal() - the seal that ends the current segment, signed when the
 * chain has a key.  @time_ns: when it is sealed (ns since the epoch).
 * Return: 0 with BIN_CHAIN_SEAL bytes in @seal; -ENODATA when no unit came
 * since the last seal; -EBUSY inside a unit; -EIO when signing failed.
 */
int bin_chain_seal(struct bin_chain *c, uint64_t time_ns, uint8_t *seal);

/*
 * bin_chain_resume() - where a log's chain stands: the hash and number of its
 * last link or seal, found by walking @len bytes of it.
 * Return: 1 with @head (BIN_CHAIN_HASH bytes) and *@seq (the next unit's number)
 * set; 0 when it holds no link or seal.
 */
int bin_chain_resume(const void *buf, size_t len, uint8_t *head, uint64_t *seq);

/* What bin_verify found. */
struct bin_verify_result {
	int intact;	   /* the chain holds from its first unit to its last */
	unsigned int file; /* the problem's: the file, in the order they were given */
	uint64_t offset;   /* and where in it (decompressed bytes) */
	char what[BIN_CHAIN_WHAT_MAX];
	uint64_t segments;  /* chained segments */
	uint64_t unchained; /* segments of version 1 or 2, which carry no chain */
	uint64_t blocks;
	uint64_t seals;
	uint64_t signatures; /* seals whose signature was checked */
	uint64_t first_seq;  /* the number of the first unit read */
	uint64_t units;	     /* units read, seals included */
	int open;	     /* the last segment has no seal yet (being written) */
};

struct bin_verify;

/*
 * bin_verify_new() - a verifier of one chain, given file by file.
 * @key: an Ed25519 public key (BIN_CHAIN_KEY bytes): every seal must carry its
 *       signature; NULL: signatures are not checked.
 * Return: the verifier, or NULL with errno set.
 */
struct bin_verify *bin_verify_new(const uint8_t *key);

/* bin_verify_free() - accepts NULL. */
void bin_verify_free(struct bin_verify *v);

/*
 * bin_verify_file() - the next file of the chain (its decompressed bytes), oldest
 * first.  Stops at the first problem.
 * Return: 0 while the chain holds, 1 once a problem was found (see bin_verify_end()).
 */
int bin_verify_file(struct bin_verify *v, const void *buf, size_t len);

/*
 * bin_verify_end() - after the last file: the verdict in @r.  A chain whose last
 * segment has no seal is intact (it is the one being written), @r->open says so;
 * one in which a segment ends without its seal before another one starts is not.
 */
void bin_verify_end(struct bin_verify *v, struct bin_verify_result *r);

#endif /* LAUDITD_FORMATS_BINARY_CHAIN_H */
