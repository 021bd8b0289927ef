/* params.c — turning query strings, form bodies and cookies into the request's parameter table.
 *
 * Our own small parsers rather than libmicrohttpd's post processor: one code path for every
 * source, strict UTF-8 checking, and a libFuzzer target (tests/fuzz/fuzz_params.c) over all of it. */
#include "platform/http.h"
#include "platform/textenc.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

bool req_add_param(Req *r, const char *name, const char *value, size_t len, int src) {
    if (r->nparams >= MAX_FIELDS) return false;
    if (r->nparams == r->capparams) {
        size_t cap = r->capparams ? r->capparams * 2 : 16;
        Param *p = arena_alloc(r->arena, cap * sizeof *p);
        if (r->nparams) memcpy(p, r->params, r->nparams * sizeof *p);
        r->params = p;
        r->capparams = cap;
    }
    r->params[r->nparams++] = (Param){name, value, len, src};
    return true;
}

const char *req_param_src(const Req *r, const char *name, int srcmask) {
    for (size_t i = 0; i < r->nparams; i++)
        if ((r->params[i].src & srcmask) && strcmp(r->params[i].name, name) == 0) return r->params[i].value;
    return NULL;
}

const char *req_param(const Req *r, const char *name) {
    /* On a POST only the body and the path count: a query string cannot override a form field. */
    int mask = r->method == HTTP_POST ? SRC_FORM | SRC_PATH : SRC_QUERY | SRC_PATH;
    return req_param_src(r, name, mask);
}

const char *req_cookie(const Req *r, const char *name) { return req_param_src(r, name, SRC_COOKIE); }

const char *req_path_param(const Req *r, const char *name) { return req_param_src(r, name, SRC_PATH); }

const Upload *req_upload(const Req *r, const char *field) {
    for (size_t i = 0; i < r->nuploads; i++)
        if (strcmp(r->uploads[i].field, field) == 0) return &r->uploads[i];
    return NULL;
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

size_t url_decode(char *s, size_t n) {
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            s[o++] = ' ';
        } else if (s[i] == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
                   hexval((unsigned char)s[i + 2]) >= 0) {
            s[o++] = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
            i += 2;
        } else {
            s[o++] = s[i];
        }
    }
    s[o] = 0;
    return o;
}

/* A decoded value must be valid UTF-8 without NUL bytes: NUL would cut C strings short and let
 * two different inputs look alike. */
static bool clean_text(const char *s, size_t n) {
    return utf8_valid(s, n) && memchr(s, 0, n) == NULL;
}

int parse_urlencoded(Req *r, const char *s, size_t n, int src) {
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != '&') j++;
        if (j > i) {
            size_t eq = i;
            while (eq < j && s[eq] != '=') eq++;
            char *name = arena_strndup(r->arena, s + i, eq - i);
            size_t nlen = url_decode(name, eq - i);
            size_t vraw = eq < j ? j - eq - 1 : 0;
            char *val = arena_strndup(r->arena, eq < j ? s + eq + 1 : "", vraw);
            size_t vlen = url_decode(val, vraw);
            if (!clean_text(name, nlen) || !clean_text(val, vlen)) return 400;
            if (!req_add_param(r, name, val, vlen, src)) return 413;
        }
        i = j + 1;
    }
    return 0;
}

void parse_cookies(Req *r, const char *h) {
    while (h && *h) {
        while (*h == ' ' || *h == ';') h++;
        const char *eq = strchr(h, '='), *end = strchr(h, ';');
        if (!end) end = h + strlen(h);
        if (!eq || eq > end) { h = end; continue; }
        size_t nlen = (size_t)(eq - h), vlen = (size_t)(end - eq - 1);
        if (nlen && utf8_valid(h, nlen) && utf8_valid(eq + 1, vlen))
            if (!req_add_param(r, arena_strndup(r->arena, h, nlen), arena_strndup(r->arena, eq + 1, vlen), vlen,
                               SRC_COOKIE))
                return;
        h = end;
    }
}

/* ---------------------------------------------------------------------------------------------
 * multipart/form-data (RFC 7578). */

static const char *memmem_s(const char *h, size_t hn, const char *n, size_t nn) {
    return nn <= hn ? memmem(h, hn, n, nn) : NULL;
}

/* Finds `key="value"` in a Content-Disposition header line; returns an arena copy or NULL. */
static char *disposition_param(Arena *a, const char *line, size_t n, const char *key) {
    size_t kl = strlen(key);
    for (size_t i = 0; i + kl + 2 <= n; i++) {
        if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == ';') && strncasecmp(line + i, key, kl) == 0 &&
            line[i + kl] == '=' && line[i + kl + 1] == '"') {
            const char *v = line + i + kl + 2;
            const char *e = memchr(v, '"', n - (size_t)(v - line));
            if (!e) return NULL;
            return arena_strndup(a, v, (size_t)(e - v));
        }
    }
    return NULL;
}

/* Parses one part's head (lines up to the blank line). Returns 0 or 400. */
static int part_head(Req *r, const char *h, size_t n, char **name, char **filename, char **ctype) {
    *name = *filename = *ctype = NULL;
    size_t i = 0;
    while (i < n) {
        const char *eol = memmem_s(h + i, n - i, "\r\n", 2);
        size_t ln = eol ? (size_t)(eol - (h + i)) : n - i;
        const char *line = h + i;
        if (ln > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
            *name = disposition_param(r->arena, line, ln, "name");
            *filename = disposition_param(r->arena, line, ln, "filename");
        } else if (ln > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
            const char *v = line + 13;
            while (v < line + ln && *v == ' ') v++;
            *ctype = arena_strndup(r->arena, v, (size_t)(line + ln - v));
        }
        i += ln + 2;
    }
    if (!*name || !utf8_valid(*name, strlen(*name))) return 400;
    if (*filename && !utf8_valid(*filename, strlen(*filename))) return 400;
    return 0;
}

int parse_multipart(Req *r, const char *body, size_t n, const char *boundary) {
    size_t bl = strlen(boundary);
    if (bl == 0 || bl > 200) return 400;
    char *delim = arena_alloc(r->arena, bl + 5);
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, boundary, bl + 1);
    /* The first delimiter may come without the leading CRLF. */
    const char *p;
    if (n >= bl + 2 && body[0] == '-' && body[1] == '-' && memcmp(body + 2, boundary, bl) == 0) {
        p = body + 2 + bl;
    } else {
        const char *f = memmem_s(body, n, delim, bl + 4);
        if (!f) return 400;
        p = f + bl + 4;
    }
    const char *end = body + n;
    size_t cap_uploads = 0;
    for (;;) {
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') return 0;    /* closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') return 400;
        p += 2;
        const char *hend = memmem_s(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!hend) return 400;
        char *name, *filename, *ctype;
        if (part_head(r, p, (size_t)(hend - p), &name, &filename, &ctype)) return 400;
        const char *data = hend + 4;
        const char *next = memmem_s(data, (size_t)(end - data), delim, bl + 4);
        if (!next) return 400;
        size_t dlen = (size_t)(next - data);
        if (filename) {
            if (r->nuploads == cap_uploads) {
                cap_uploads = cap_uploads ? cap_uploads * 2 : 4;
                Upload *u = arena_alloc(r->arena, cap_uploads * sizeof *u);
                if (r->nuploads) memcpy(u, r->uploads, r->nuploads * sizeof *u);
                r->uploads = u;
            }
            if (r->nuploads >= 16) return 413;
            r->uploads[r->nuploads++] = (Upload){name, filename, ctype ? ctype : "application/octet-stream", data, dlen};
        } else {
            if (!clean_text(data, dlen)) return 400;
            if (!req_add_param(r, name, arena_strndup(r->arena, data, dlen), dlen, SRC_FORM)) return 413;
        }
        p = next + bl + 4;
    }
}
