/* http.h — the request and response every handler sees.
 *
 * The HTTP server (http.c, over libmicrohttpd) gathers a request into one Req: method, path, one
 * parameter table for the query string, the form body (urlencoded or multipart) and cookies, the
 * client address and the caller's identity. A handler writes status, headers and body into a Resp.
 * Handlers never see libmicrohttpd. */
#ifndef ZW_HTTP_H
#define ZW_HTTP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "platform/buf.h"

enum { HTTP_GET = 1, HTTP_POST = 2, HTTP_HEAD = 4, HTTP_PUT = 8, HTTP_DELETE = 16, HTTP_OTHER = 32 };

/* Where a parameter came from. A handler reading a form field ignores query and cookie values of
 * the same name, so a link cannot smuggle a value into a POST. */
enum { SRC_QUERY = 1, SRC_FORM = 2, SRC_COOKIE = 4, SRC_PATH = 8 };

/* Caps on input; requests beyond them are refused before any handler runs. */
enum {
    MAX_FORM_BODY = 1 << 20,       /* urlencoded and JSON bodies: 1 MiB */
    MAX_UPLOAD_BODY = 20 << 20,    /* multipart bodies on upload routes: 20 MiB */
    MAX_FIELDS = 1000,             /* parameters of all sources together */
    MAX_HEADER_BYTES = 16 * 1024,  /* the whole request head */
};

typedef struct Param {
    const char *name;
    const char *value;     /* NUL-terminated, valid UTF-8 */
    size_t len;
    int src;
} Param;

typedef struct Upload {
    const char *field, *filename, *content_type;
    const char *data;      /* raw bytes, not NUL-terminated by contract */
    size_t len;
} Upload;

typedef struct Principal Principal;   /* defined by platform/auth.h */

typedef struct Req {
    Arena *arena;
    int method;
    const char *path;          /* decoded path without the query string */
    const char *client;        /* client IP address as text */
    Param *params;
    size_t nparams, capparams;
    Upload *uploads;
    size_t nuploads;
    const char *body;          /* raw body (JSON API), NUL-terminated; NULL when none */
    size_t body_len;
    int lang;                  /* LANG_ZH or LANG_EN (platform/i18n.h) */
    bool want_json;            /* API route or Accept: application/json */
    const char *nonce;         /* CSP nonce of this response */
    Principal *who;            /* the logged-in user; NULL for the public */
    const struct Route *route;
    void *conn;                /* opaque to handlers; used by req_header() */
} Req;

typedef struct Header { const char *name, *value; } Header;

typedef struct Resp {
    int status;
    const char *content_type;
    Buf body;
    Header headers[16];
    int nheaders;
    const void *static_body;   /* when set, sent instead of body (embedded assets) */
    size_t static_len;
    const char *page_menu;     /* set by page_begin for page_end: current menu entry */
    int page_mode;             /* set by page_begin: 0 none, 1 full frame, 2 bare, 3 print */
} Resp;

/* ---- Reading the request ---- */

/* Returns the value of the first parameter called `name` from one of the sources in `srcmask`,
 * or NULL. */
const char *req_param_src(const Req *r, const char *name, int srcmask);
/* Query, form or path parameter (not cookies). */
const char *req_param(const Req *r, const char *name);
const char *req_cookie(const Req *r, const char *name);
/* Value of a path parameter such as :id in the route pattern, or NULL. */
const char *req_path_param(const Req *r, const char *name);
/* Returns a request header (case-insensitive name), or NULL. */
const char *req_header(const Req *r, const char *name);
/* Returns the first upload in field `field`, or NULL. */
const Upload *req_upload(const Req *r, const char *field);
/* Adds a parameter; returns false when the field cap is reached. */
bool req_add_param(Req *r, const char *name, const char *value, size_t len, int src);

/* ---- Writing the response ---- */

void resp_header(Resp *w, const char *name, const char *value);
void resp_redirect(Req *r, Resp *w, const char *location);
/* Redirects (303) and carries a one-time message for the next page (post → redirect → get). */
void resp_redirect_flash(Req *r, Resp *w, const char *location, const char *message);
/* The same for a refusal: the next page shows the message as an error. */
void resp_redirect_error(Req *r, Resp *w, const char *location, const char *message);
void resp_text(Resp *w, int status, const char *text);
void resp_set_cookie(Req *r, Resp *w, const char *name, const char *value, long max_age, bool http_only);

/* ---- Server ---- */

typedef struct ServerOpts {
    const char *listen;        /* "127.0.0.1:8080" */
    unsigned threads;
    bool test_routes;          /* ZUWEI_TEST: enable /debug/ routes */
    bool quiet;                /* no access log */
} ServerOpts;

/* Runs the server until SIGTERM or SIGINT; then stops accepting, lets requests in flight finish
 * and returns 0. Returns non-zero when it cannot listen. */
int http_serve(const ServerOpts *o);

/* Decodes %XX and '+' in place; returns the new length. Used for query strings and forms. */
size_t url_decode(char *s, size_t n);
/* Parses an application/x-www-form-urlencoded string into r's parameters. Returns 0, or 400 when
 * a value is not valid UTF-8, or 413 when the field cap is reached. */
int parse_urlencoded(Req *r, const char *s, size_t n, int src);
/* Parses a multipart/form-data body. Returns 0, 400 on malformed input or invalid UTF-8 in a text
 * field, 413 on too many fields. */
int parse_multipart(Req *r, const char *body, size_t n, const char *boundary);
/* Parses a Cookie header. Cookies that are not valid UTF-8 are ignored. */
void parse_cookies(Req *r, const char *header);

#endif
