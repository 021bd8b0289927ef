/* fuzz_csv.c -- libFuzzer target for the CSV reader: any bytes, small caps
 * so the cap paths are reached too; every delivered field is read in full
 * so ASan sees any pointer or length that runs past its buffer. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "platform/csv.h"

/* Touches every byte of every field and checks the NUL after it. */
static int touch(void *ctx, size_t row, size_t nf, const char *const *f, const size_t *lens) {
    size_t *sum = ctx;
    for (size_t i = 0; i < nf; i++) {
        for (size_t k = 0; k < lens[i]; k++) *sum += (unsigned char)f[i][k];
        if (f[i][lens[i]] != '\0') __builtin_trap();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t sum = 0;
    CsvError e;
    CsvLimits small = {.max_fields = 8, .max_field_len = 64, .max_rows = 50};
    csv_parse((const char *)data, size, NULL, touch, &sum, &e);
    int rc = csv_parse((const char *)data, size, &small, touch, &sum, &e);
    if (rc != e.code || (rc != CSV_OK && e.row == 0)) __builtin_trap();
    return 0;
}
