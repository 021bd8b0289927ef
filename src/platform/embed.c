/* embed.c — lookup over the table of files compiled into the binary. */
#include "platform/embed.h"
#include <string.h>

/* Returns the embedded file called `name`, or NULL: a binary search of the table, which
 * scripts/embed writes in strcmp order. */
const EmbeddedFile *embed_find(const char *name) {
    size_t lo = 0, hi = embedded_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(embedded_files[mid].name, name);
        if (c == 0) return &embedded_files[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

size_t embed_size(const EmbeddedFile *f) {
    return (size_t)(f->end - f->data) - 1;
}
