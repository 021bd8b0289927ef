/* embed.c — lookup over the table of files compiled into the binary. */
#include "platform/embed.h"
#include <string.h>

/* Returns the embedded file called `name`, or NULL. A linear scan: the table is small and the
 * asset route caches what it finds. */
const EmbeddedFile *embed_find(const char *name) {
    for (const EmbeddedFile *f = embedded_files; f->name; f++)
        if (strcmp(f->name, name) == 0) return f;
    return NULL;
}

size_t embed_size(const EmbeddedFile *f) {
    return (size_t)(f->end - f->data) - 1;
}
