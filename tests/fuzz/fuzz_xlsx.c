/* fuzz_xlsx.c -- libFuzzer target for the .xlsx reader opened from memory,
 * as uploads are. Small caps keep each run fast and reach the cap paths;
 * every delivered cell is read in full so ASan sees any bad pointer. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "platform/xlsx.h"

/* Touches every byte of every cell and checks the NUL after it. */
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
    XlsxLimits lim = {.max_entry_size = 1 << 20, .max_rows = 1000, .max_cols = 64, .max_cell_len = 4096};
    XlsxBook *b = NULL;
    size_t sum = 0;
    if (xlsx_open_mem(&b, data, size, &lim) != XLSX_OK) return 0;
    XlsxError e;
    xlsx_read_rows(b, touch, &sum, &e);
    int y, m, d;
    xlsx_serial_to_date((double)sum, xlsx_date1904(b), &y, &m, &d);
    xlsx_close(b);
    return 0;
}
