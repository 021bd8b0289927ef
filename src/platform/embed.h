/* embed.h — files compiled into the binary (migrations, assets) by scripts/embed.
 *
 * The build generates build/gen/embedded.c holding every file under src/migrations/ and assets/
 * as read-only data, so a deployment is one executable and one database file. */
#ifndef ZW_EMBED_H
#define ZW_EMBED_H
#include <stddef.h>

typedef struct EmbeddedFile {
    const char *name;               /* path relative to the repository root, e.g. "assets/css/app.css" */
    const unsigned char *data;      /* contents, followed by one NUL byte */
    size_t unused;                  /* kept zero; use embed_size() */
    const unsigned char *end;       /* one past the trailing NUL */
} EmbeddedFile;

extern const EmbeddedFile embedded_files[];   /* in name order, ended by {NULL} */
extern const size_t embedded_count;           /* entries before the {NULL} */

/* Returns the embedded file with this exact name, or NULL when there is none. */
const EmbeddedFile *embed_find(const char *name);

/* Returns the size of an embedded file's contents in bytes (without the trailing NUL). */
size_t embed_size(const EmbeddedFile *f);

#endif
