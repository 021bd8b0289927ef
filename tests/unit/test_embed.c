/* test_embed.c -- unit tests for the table of files compiled into the binary (src/platform/embed.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "platform/embed.h"

/* embed_find() halves the table, so every entry must be found by its own name: this fails if the
 * table is out of order. Names that are not there, before the first or after the last, are not. */
static void test_every_file_is_found(void **state) {
    assert_true(embedded_count > 10);
    assert_null(embedded_files[embedded_count].name);
    for (size_t i = 0; i < embedded_count; i++) {
        assert_ptr_equal(embed_find(embedded_files[i].name), &embedded_files[i]);
        if (i) assert_true(strcmp(embedded_files[i - 1].name, embedded_files[i].name) < 0);
    }
    assert_null(embed_find(""));
    assert_null(embed_find("assets/icons/none.svg"));
    assert_null(embed_find("zzz"));
    assert_non_null(embed_find("src/migrations/001_platform.sql"));
    const EmbeddedFile *f = embed_find("assets/bench/8k.txt");
    assert_non_null(f);
    assert_int_equal(embed_size(f), 8192);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_file_is_found),
    };
    return cmocka_run_group_tests_name("embed", tests, NULL, NULL);
}
