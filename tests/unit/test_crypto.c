/* test_crypto.c -- unit tests for the nonce pool and the sealing of fields (src/platform/crypto.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "platform/crypto.h"

static char keyfile[] = "/tmp/zw-crypto-XXXXXX";

static int group_setup(void **state) {
    int fd = mkstemp(keyfile);
    if (fd < 0) return -1;
    close(fd);
    unlink(keyfile);   /* crypto_load_key creates it */
    char err[256];
    return crypto_load_key(keyfile, true, err, sizeof err);
}

static int group_teardown(void **state) {
    unlink(keyfile);
    return 0;
}

static int cmp16(const void *a, const void *b) { return memcmp(a, b, 16); }

/* 1,000 nonces of 16 bytes cross the 4 KiB pool's refill three times; none repeats, none is
 * zero (used bytes are wiped in the pool, never handed out again). */
static void test_nonces_distinct_across_refills(void **state) {
    enum { N = 1000 };
    unsigned char (*n)[16] = malloc(sizeof(unsigned char[16]) * N);
    static const unsigned char zero[16];
    for (int i = 0; i < N; i++) {
        crypto_nonce(n[i], 16);
        assert_memory_not_equal(n[i], zero, 16);
    }
    qsort(n, N, 16, cmp16);
    for (int i = 1; i < N; i++) assert_memory_not_equal(n[i - 1], n[i], 16);
    free(n);
}

/* Odd sizes that do not divide the pool, and a request bigger than the pool, are served whole. */
static void test_nonce_sizes(void **state) {
    unsigned char a[24], b[24];
    for (int i = 0; i < 400; i++) {
        crypto_nonce(a, sizeof a);
        crypto_nonce(b, sizeof b);
        assert_memory_not_equal(a, b, sizeof a);
    }
    unsigned char *big = calloc(1, 5000), *zero = calloc(1, 5000);
    crypto_nonce(big, 5000);
    assert_memory_not_equal(big + 4096, zero, 904);
    free(big);
    free(zero);
}

/* Sealing the same text twice gives two ciphertexts (fresh nonces) that both open to it. */
static void test_seal_open(void **state) {
    char s1[200], s2[200], out[64];
    assert_int_equal(crypto_seal("52222219800101001X", s1, sizeof s1), 0);
    assert_int_equal(crypto_seal("52222219800101001X", s2, sizeof s2), 0);
    assert_string_not_equal(s1, s2);
    assert_int_equal(crypto_open(s1, out, sizeof out), 0);
    assert_string_equal(out, "52222219800101001X");
    assert_int_equal(crypto_open(s2, out, sizeof out), 0);
    assert_string_equal(out, "52222219800101001X");
    s1[10] = s1[10] == 'A' ? 'B' : 'A';
    assert_int_equal(crypto_open(s1, out, sizeof out), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nonces_distinct_across_refills),
        cmocka_unit_test(test_nonce_sizes),
        cmocka_unit_test(test_seal_open),
    };
    return cmocka_run_group_tests_name("crypto", tests, group_setup, group_teardown);
}
