/* fuzz_params.c -- libFuzzer target for the request parsers (src/platform/params.c): the input
 * is read as a query string and a form body, as a Cookie header, and as a multipart body with a
 * fixed boundary and with its own first line as the boundary. Every parameter and upload that
 * comes out is read in full, so ASan sees any pointer or length that runs past its buffer. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "platform/buf.h"
#include "platform/http.h"
#include "platform/textenc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads every parameter and upload of r and traps when one breaks the parsers' promises:
 * values NUL-terminated at their length, valid UTF-8 without NUL for non-cookie sources. */
static void touch(const Req *r) {
    size_t sum = 0;
    if (r->nparams > MAX_FIELDS) __builtin_trap();
    for (size_t i = 0; i < r->nparams; i++) {
        const Param *p = &r->params[i];
        sum += strlen(p->name);
        for (size_t k = 0; k < p->len; k++) sum += (unsigned char)p->value[k];
        if (p->value[p->len] != 0) __builtin_trap();
        if (!utf8_valid(p->name, strlen(p->name)) || !utf8_valid(p->value, p->len)) __builtin_trap();
        if (p->src != SRC_COOKIE && memchr(p->value, 0, p->len)) __builtin_trap();
    }
    for (size_t i = 0; i < r->nuploads; i++) {
        const Upload *u = &r->uploads[i];
        sum += strlen(u->field) + strlen(u->filename) + strlen(u->content_type);
        for (size_t k = 0; k < u->len; k++) sum += (unsigned char)u->data[k];
    }
    if (r->nparams) (void)req_param(r, r->params[0].name);
    __asm__ volatile("" : : "r"(sum));
}

/* Runs one parser on a fresh request and checks what it produced. */
static void run(int which, const char *s, size_t n, const char *boundary) {
    Req r = {.arena = arena_new(), .method = HTTP_POST};
    int rc = 0;
    switch (which) {
    case 0: rc = parse_urlencoded(&r, s, n, SRC_QUERY); break;
    case 1: rc = parse_urlencoded(&r, s, n, SRC_FORM); break;
    case 2: parse_cookies(&r, s); break;
    default: rc = parse_multipart(&r, s, n, boundary); break;
    }
    if (rc != 0 && rc != 400 && rc != 413) __builtin_trap();
    touch(&r);
    arena_free(r.arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* An exact-size copy so reads past the end are caught, and a NUL-terminated one for cookies. */
    char *exact = malloc(size ? size : 1);
    memcpy(exact, data, size);
    char *cstr = malloc(size + 1);
    memcpy(cstr, data, size);
    cstr[size] = 0;

    run(0, exact, size, NULL);
    run(1, exact, size, NULL);
    run(2, cstr, size, NULL);
    run(3, exact, size, "XyZ");

    /* The first line (without "--" and CR) as the boundary, the rest as the body. */
    const char *nl = memchr(exact, '\n', size);
    if (nl) {
        size_t bl = (size_t)(nl - exact);
        const char *b = exact;
        if (bl >= 2 && b[0] == '-' && b[1] == '-') { b += 2; bl -= 2; }
        if (bl && b[bl - 1] == '\r') bl--;
        char *boundary = malloc(bl + 1);
        memcpy(boundary, b, bl);
        boundary[bl] = 0;
        run(3, exact, size, boundary);
        run(3, nl + 1, size - (size_t)(nl + 1 - exact), boundary);
        free(boundary);
    }
    free(cstr);
    free(exact);
    return 0;
}
