/* html.h — the one way to write HTML.
 *
 * html(b, fmt, ...) is printf-shaped and checked by gcc; every %s it formats is HTML-escaped
 * (safe in text and in double- or single-quoted attributes). Markup that must not be escaped goes
 * through html_raw(), a separate call that the lint (scripts/lint) only allows in platform code
 * and in reviewed places. Supported conversions: %s %.*s %d %i %u %ld %lu %lld %llu %zu %x %c %%
 * and %f with precision; anything else is a programming error and prints "?". */
#ifndef ZW_HTML_H
#define ZW_HTML_H
#include "platform/buf.h"

void html(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends markup as is. Only for trusted, program-made markup (icons, fragments already built
 * with html()). */
void html_raw(Buf *b, const char *markup);
/* Appends text escaped for HTML. */
void html_escape(Buf *b, const char *s, size_t n);
/* html(b, "%s", s) without reading a format, for the cells of long lists (NULL writes nothing). */
void html_text(Buf *b, const char *s);
/* Appends a string escaped for use inside a URL query value (percent-encoding). */
void url_escape(Buf *b, const char *s);

#endif
