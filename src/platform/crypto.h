/* crypto.h — every use of cryptography in one place (libsodium underneath).
 *
 * Passwords: argon2id (crypto_pwhash_str). Session and API tokens: 256 random bits, stored as a
 * keyed BLAKE2b hash. Sensitive fields (resident ID numbers): XSalsa20-Poly1305 secretbox with a
 * key kept in a file outside the database, plus a keyed BLAKE2b "blind index" so a number can be
 * found without decrypting every row. Algorithms are recorded next to what they protect (the
 * "alg" prefix of stored values) so a 国密 profile (SM3/SM4) can be added later without guessing. */
#ifndef ZW_CRYPTO_H
#define ZW_CRYPTO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Loads the 32-byte master key from `path`, creating it (mode 0600) when `create` is set and the
 * file does not exist. Returns 0, or -1 with a message in err. */
int crypto_load_key(const char *path, bool create, char *err, size_t errsz);
bool crypto_ready(void);

/* Hashes a password for storage (argon2id, interactive limits). Returns 0 or -1. */
int crypto_password_hash(const char *password, char out[128]);
bool crypto_password_verify(const char *stored, const char *password);

/* Fills buf with n random bytes from the system CSPRNG. */
void crypto_random(void *buf, size_t n);
/* Fills out with n random bytes for a nonce (a secretbox's, a page's script nonce), taken from
 * this thread's pool of system random bytes: one system call per 4 KiB. Not for keys or tokens. */
void crypto_nonce(void *out, size_t n);
/* Fills `out` with a new random token as 43 URL-safe base64 characters (256 bits) + NUL. */
void crypto_token(char out[48]);
/* Keyed hash of a token for storage and lookup: 64 hex characters + NUL. */
void crypto_token_hash(const char *token, char out[65]);

/* Encrypts a short text field; `out` receives "sb1:" + base64(nonce|cipher). Returns 0 or -1. */
int crypto_seal(const char *plain, char *out, size_t outsz);
/* Decrypts what crypto_seal wrote; returns 0, or -1 when the value was tampered with. */
int crypto_open(const char *sealed, char *out, size_t outsz);
/* Blind index of a normalised value under a purpose label ("idnum"): 32 hex characters + NUL. */
void crypto_blind_index(const char *purpose, const char *value, char out[33]);
/* SHA-256 of data as 64 hex characters (audit hash chain). */
void crypto_sha256_hex(const void *data, size_t n, char out[65]);

#endif
