/* crypto.c — libsodium behind the interface of crypto.h. */
#include "platform/crypto.h"
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned char master[32];
static unsigned char k_token[32], k_seal[32], k_blind[32];
static bool ready;

/* Derives the purpose keys from the master key, so one leaked purpose key exposes nothing else. */
static void derive(void) {
    crypto_kdf_derive_from_key(k_token, sizeof k_token, 1, "zwtoken_", master);
    crypto_kdf_derive_from_key(k_seal, sizeof k_seal, 2, "zwseal__", master);
    crypto_kdf_derive_from_key(k_blind, sizeof k_blind, 3, "zwblind_", master);
    ready = true;
}

int crypto_load_key(const char *path, bool create, char *err, size_t errsz) {
    if (sodium_init() < 0) { snprintf(err, errsz, "libsodium failed to start"); return -1; }
    int fd = open(path, O_RDONLY);
    if (fd < 0 && errno == ENOENT && create) {
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd < 0) { snprintf(err, errsz, "cannot create key file %s: %s", path, strerror(errno)); return -1; }
        randombytes_buf(master, sizeof master);
        ssize_t w = write(fd, master, sizeof master);
        if (w != (ssize_t)sizeof master || fsync(fd) != 0) {
            close(fd);
            unlink(path);
            snprintf(err, errsz, "cannot write key file %s", path);
            return -1;
        }
        close(fd);
        derive();
        return 0;
    }
    if (fd < 0) { snprintf(err, errsz, "cannot read key file %s: %s", path, strerror(errno)); return -1; }
    ssize_t n = read(fd, master, sizeof master);
    close(fd);
    if (n != (ssize_t)sizeof master) { snprintf(err, errsz, "key file %s is not 32 bytes", path); return -1; }
    derive();
    return 0;
}

bool crypto_ready(void) { return ready; }

int crypto_password_hash(const char *password, char out[128]) {
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

bool crypto_password_verify(const char *stored, const char *password) {
    return crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
}

void crypto_random(void *buf, size_t n) { randombytes_buf(buf, n); }

void crypto_token(char out[48]) {
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, 48, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void crypto_token_hash(const char *token, char out[65]) {
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), k_token, sizeof k_token);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* Nonces come from a pool per thread, refilled from the system's random source 4 KiB at a time:
 * one getrandom call per 170 seals instead of one per seal (a roster import seals 240,000 ID
 * numbers), and per 256 pages' script nonces instead of one per page. A pool belongs to one
 * thread and every byte is handed out once. */
enum { NONCE_POOL = 4096 };
static _Thread_local unsigned char nonce_pool[NONCE_POOL];
static _Thread_local size_t nonce_used = NONCE_POOL;

void crypto_nonce(void *out, size_t n) {
    if (n > NONCE_POOL) { randombytes_buf(out, n); return; }
    if (NONCE_POOL - nonce_used < n) {
        randombytes_buf(nonce_pool, sizeof nonce_pool);
        nonce_used = 0;
    }
    memcpy(out, nonce_pool + nonce_used, n);
    sodium_memzero(nonce_pool + nonce_used, n);
    nonce_used += n;
}

int crypto_seal(const char *plain, char *out, size_t outsz) {
    size_t n = strlen(plain);
    unsigned char buf[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 256];
    if (!ready || n > 256) return -1;
    crypto_nonce(buf, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(buf + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n, buf, k_seal);
    size_t total = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    size_t need = 4 + sodium_base64_ENCODED_LEN(total, sodium_base64_VARIANT_ORIGINAL);
    if (outsz < need) return -1;
    memcpy(out, "sb1:", 4);
    sodium_bin2base64(out + 4, outsz - 4, buf, total, sodium_base64_VARIANT_ORIGINAL);
    return 0;
}

int crypto_open(const char *sealed, char *out, size_t outsz) {
    unsigned char buf[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 256];
    size_t len;
    if (!ready || strncmp(sealed, "sb1:", 4) != 0) return -1;
    if (sodium_base642bin(buf, sizeof buf, sealed + 4, strlen(sealed + 4), NULL, &len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return -1;
    if (len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return -1;
    size_t n = len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    if (n + 1 > outsz) return -1;
    if (crypto_secretbox_open_easy((unsigned char *)out, buf + crypto_secretbox_NONCEBYTES,
                                   len - crypto_secretbox_NONCEBYTES, buf, k_seal) != 0)
        return -1;
    out[n] = 0;
    return 0;
}

void crypto_blind_index(const char *purpose, const char *value, char out[33]) {
    unsigned char h[16];
    crypto_generichash_state st;
    crypto_generichash_init(&st, k_blind, sizeof k_blind, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)purpose, strlen(purpose) + 1);
    crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, 33, h, sizeof h);
}

void crypto_sha256_hex(const void *data, size_t n, char out[65]) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, n);
    sodium_bin2hex(out, 65, h, sizeof h);
}
