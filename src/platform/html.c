/* html.c — the escaping HTML writer (see html.h). */
#include "platform/html.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Bytes that need an entity in text and in attribute values. */
static const bool needs_entity[256] = {['&'] = true, ['<'] = true, ['>'] = true, ['"'] = true, ['\''] = true};

/* True when one of the 8 bytes of w is below 0x40. All five bytes that need an entity are, while
 * letters and every byte of a Chinese character (UTF-8, 0x80 and up) are not, so most words of a
 * page's text are passed whole; a word with digits or punctuation is looked at byte by byte. */
static bool word_has_low_byte(uint64_t w) {
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    return ((w - 0x40 * ones) & ~w & highs) != 0;
}

/* Appends bytes that need no entity; buf_reserve(b, n) has been done. */
static void put_plain(Buf *b, const char *s, size_t n) {
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void html_escape(Buf *b, const char *s, size_t n) {
    size_t start = 0, i = 0;
    buf_reserve(b, n);
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!word_has_low_byte(w)) { i += 8; continue; }
        }
        size_t end = i + 8 < n ? i + 8 : n;
        for (; i < end; i++) {
            if (!needs_entity[(unsigned char)s[i]]) continue;
            const char *rep;
            switch (s[i]) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            default: rep = "&#39;"; break;
            }
            buf_append(b, s + start, i - start);
            buf_puts(b, rep);
            start = i + 1;
        }
    }
    if (start == 0) put_plain(b, s, n);   /* the usual case: nothing to escape, room reserved */
    else buf_append(b, s + start, n - start);
}

void html_raw(Buf *b, const char *markup) { buf_puts(b, markup); }

void html_text(Buf *b, const char *s) {
    if (s) html_escape(b, s, strlen(s));
}

void url_escape(Buf *b, const char *s) {
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            buf_putc(b, (char)c);
        } else {
            buf_putc(b, '%');
            buf_putc(b, hex[c >> 4]);
            buf_putc(b, hex[c & 15]);
        }
    }
}

/* Formats one non-string conversion with the next argument. */
static void format_number(Buf *b, int prec, char conv, int lmod, va_list *ap) {
    char out[64];
    switch (conv) {
    case 'd': case 'i':   /* the common case, without printf */
        if (lmod == 2) buf_put_int(b, va_arg(*ap, long long));
        else if (lmod == 1) buf_put_int(b, va_arg(*ap, long));
        else if (lmod == 3) buf_put_int(b, va_arg(*ap, ssize_t));
        else buf_put_int(b, va_arg(*ap, int));
        return;
    case 'u': case 'x':
        if (lmod == 2) snprintf(out, sizeof out, conv == 'u' ? "%llu" : "%llx", va_arg(*ap, unsigned long long));
        else if (lmod == 1) snprintf(out, sizeof out, conv == 'u' ? "%lu" : "%lx", va_arg(*ap, unsigned long));
        else if (lmod == 3) snprintf(out, sizeof out, conv == 'u' ? "%zu" : "%zx", va_arg(*ap, size_t));
        else snprintf(out, sizeof out, conv == 'u' ? "%u" : "%x", va_arg(*ap, unsigned));
        break;
    case 'f':
        snprintf(out, sizeof out, "%.*f", prec < 0 ? 6 : prec, va_arg(*ap, double));
        break;
    case 'c': {
        char c = (char)va_arg(*ap, int);
        html_escape(b, &c, 1);
        return;
    }
    default:
        snprintf(out, sizeof out, "?");
    }
    buf_puts(b, out);
}

void html(Buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    const char *lit = fmt, *p;
    while ((p = strchr(lit, '%'))) {   /* the literal runs between conversions are copied whole */
        buf_append(b, lit, (size_t)(p - lit));
        p++;
        if (*p == '%') { buf_putc(b, '%'); lit = p + 1; continue; }
        int star = 0, prec = -1;
        if (*p == '.') {
            p++;
            if (*p == '*') { star = 1; p++; }
            else { prec = 0; while (*p >= '0' && *p <= '9') prec = prec * 10 + (*p++ - '0'); }
        }
        int lmod = 0;
        if (*p == 'l') { lmod = 1; p++; if (*p == 'l') { lmod = 2; p++; } }
        else if (*p == 'z') { lmod = 3; p++; }
        if (*p == 's') {
            int n = star ? va_arg(ap, int) : prec;
            const char *s = va_arg(ap, const char *);
            if (!s) s = "";
            size_t len = n >= 0 ? strnlen(s, (size_t)n) : strlen(s);
            html_escape(b, s, len);
        } else if (*p) {
            format_number(b, prec, *p, lmod, (va_list *)&ap);
        } else {
            lit = p;
            break;
        }
        lit = p + 1;
    }
    buf_puts(b, lit);
    va_end(ap);
}
