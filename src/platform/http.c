/* http.c — libmicrohttpd underneath, Req/Resp above.
 *
 * The daemon runs a thread pool, each thread with its own epoll loop, so a blocking SQLite query
 * holds up only its own thread's connections. The access handler is called several times per
 * request: on the first call we only set up the request (this is also what keeps keep-alive
 * connections working: answering on the first call would end the connection for a body that was
 * never read), upload chunks are gathered under a cap, and on the last call the request is routed,
 * authorised, handled and answered. */
#include "platform/http.h"
#include "platform/auth.h"
#include "platform/crypto.h"
#include "platform/db.h"
#include "platform/html.h"
#include "platform/i18n.h"
#include "platform/json.h"
#include "platform/log.h"
#include "platform/metrics.h"
#include "platform/page.h"
#include "platform/router.h"
#include "platform/textenc.h"
#include <arpa/inet.h>
#include <microhttpd.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct Ctx {
    Req req;
    Resp resp;
    Buf body;
    size_t cap;
    int early_status;          /* set when the request is refused before its body is read */
    const Route *route;
    bool method_mismatch;
    char client[INET6_ADDRSTRLEN];
} Ctx;

static _Atomic int in_flight;
static void h_healthz(Req *r, Resp *w);
static void h_metrics(Req *r, Resp *w);
static bool test_routes;

/* ---------------------------------------------------------------------------------------------
 * Response helpers for handlers */

const char *req_header(const Req *r, const char *name) {
    return r->conn ? MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name) : NULL;
}

void resp_header(Resp *w, const char *name, const char *value) {
    if (w->nheaders < (int)(sizeof w->headers / sizeof w->headers[0])) w->headers[w->nheaders++] = (Header){name, value};
}

void resp_text(Resp *w, int status, const char *text) {
    w->status = status;
    w->content_type = "text/plain; charset=utf-8";
    buf_reset(&w->body);
    buf_puts(&w->body, text);
}

void resp_redirect(Req *r, Resp *w, const char *location) {
    (void)r;
    w->status = 303;
    resp_header(w, "Location", location);
}

/* Redirects and leaves the message in a short-lived, percent-encoded cookie; a leading '!' marks
 * an error. The next page shows it once and clears it (page.c). */
static void redirect_with(Req *r, Resp *w, const char *location, const char *message, bool error) {
    resp_redirect(r, w, location);
    Buf b = BUF_INIT;
    if (error) buf_putc(&b, '!');
    url_escape(&b, message);
    resp_set_cookie(r, w, "flash", arena_strdup(r->arena, b.p ? b.p : ""), 60, true);
    buf_free(&b);
}

void resp_redirect_flash(Req *r, Resp *w, const char *location, const char *message) {
    redirect_with(r, w, location, message, false);
}

void resp_redirect_error(Req *r, Resp *w, const char *location, const char *message) {
    redirect_with(r, w, location, message, true);
}

void resp_set_cookie(Req *r, Resp *w, const char *name, const char *value, long max_age, bool http_only) {
    const char *proto = req_header(r, "X-Forwarded-Proto");
    bool secure = proto && strcmp(proto, "https") == 0;
    resp_header(w, "Set-Cookie",
                arena_printf(r->arena, "%s=%s; Path=/; Max-Age=%ld; SameSite=Lax%s%s", name, value, max_age,
                             http_only ? "; HttpOnly" : "", secure ? "; Secure" : ""));
}

/* ---------------------------------------------------------------------------------------------
 * Gathering the request */

static int method_code(const char *m) {
    if (strcmp(m, "GET") == 0) return HTTP_GET;
    if (strcmp(m, "POST") == 0) return HTTP_POST;
    if (strcmp(m, "HEAD") == 0) return HTTP_HEAD;
    if (strcmp(m, "PUT") == 0) return HTTP_PUT;
    if (strcmp(m, "DELETE") == 0) return HTTP_DELETE;
    return HTTP_OTHER;
}

typedef struct Gather { Req *r; int status; int src; } Gather;

static enum MHD_Result gather_value(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                    const char *value, size_t value_size) {
    Gather *g = cls;
    (void)kind;
    if (!value) { value = ""; value_size = 0; }
    if (!utf8_valid(key, key_size) || !utf8_valid(value, value_size) || memchr(key, 0, key_size) ||
        memchr(value, 0, value_size)) {
        g->status = 400;
        return MHD_NO;
    }
    if (!req_add_param(g->r, arena_strndup(g->r->arena, key, key_size), arena_strndup(g->r->arena, value, value_size),
                       value_size, g->src)) {
        g->status = 413;
        return MHD_NO;
    }
    return MHD_YES;
}

/* Extracts the boundary parameter of a multipart Content-Type into the arena, or NULL. */
static const char *multipart_boundary(Arena *a, const char *ct) {
    const char *b = strcasestr(ct, "boundary=");
    if (!b) return NULL;
    b += 9;
    if (*b == '"') {
        const char *e = strchr(++b, '"');
        return e ? arena_strndup(a, b, (size_t)(e - b)) : NULL;
    }
    size_t n = strcspn(b, "; ");
    return arena_strndup(a, b, n);
}

/* Fills the parameter table from query, cookies and body. Returns 0 or an HTTP status. */
static int gather(Ctx *x, struct MHD_Connection *c) {
    Req *r = &x->req;
    if (!utf8_valid(r->path, strlen(r->path))) return 400;
    Gather g = {r, 0, SRC_QUERY};
    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, gather_value, &g);
    if (g.status) return g.status;
    const char *cookie = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
    if (cookie) parse_cookies(r, cookie);
    if (x->body.len == 0) return 0;
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (!ct) ct = "";
    if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
        return parse_urlencoded(r, x->body.p, x->body.len, SRC_FORM);
    if (strncasecmp(ct, "multipart/form-data", 19) == 0) {
        const char *boundary = multipart_boundary(r->arena, ct);
        return boundary ? parse_multipart(r, x->body.p, x->body.len, boundary) : 400;
    }
    if (strncasecmp(ct, "application/json", 16) == 0) {
        if (!utf8_valid(x->body.p, x->body.len)) return 400;
        r->body = x->body.p;
        r->body_len = x->body.len;
        return 0;
    }
    return 415;
}

/* ---------------------------------------------------------------------------------------------
 * Answering */

static void security_headers(Req *r, struct MHD_Response *resp) {
    char csp[400];
    snprintf(csp, sizeof csp,
             "default-src 'none'; script-src 'self' 'nonce-%s'; style-src 'self'; img-src 'self' data:; "
             "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; "
             "manifest-src 'self'; worker-src 'self'", r->nonce ? r->nonce : "");
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
}

static unsigned long elapsed_usec(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (unsigned long)((t1.tv_sec - t0->tv_sec) * 1000000L + (t1.tv_nsec - t0->tv_nsec) / 1000);
}

static enum MHD_Result send_resp(struct MHD_Connection *c, Ctx *x, const struct timespec *t0, const char *method) {
    Req *r = &x->req;
    Resp *w = &x->resp;
    struct MHD_Response *resp;
    size_t bytes;
    if (w->static_body) {
        bytes = w->static_len;
        resp = MHD_create_response_from_buffer(w->static_len, (void *)w->static_body, MHD_RESPMEM_PERSISTENT);
    } else {
        bytes = w->body.len;
        resp = MHD_create_response_from_buffer(w->body.len, w->body.p ? w->body.p : (char *)"", 
                                               w->body.p ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
        w->body = (Buf)BUF_INIT;      /* MHD frees it now */
    }
    if (!resp) return MHD_NO;
    security_headers(r, resp);
    if (w->content_type) MHD_add_response_header(resp, "Content-Type", w->content_type);
    for (int i = 0; i < w->nheaders; i++) MHD_add_response_header(resp, w->headers[i].name, w->headers[i].value);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)w->status, resp);
    MHD_destroy_response(resp);
    unsigned long us = elapsed_usec(t0);
    log_access(method, r->path ? r->path : "?", w->status, (unsigned long)bytes, us);
    metrics_request(x->route ? router_index(x->route) : router_count(), w->status, us);
    return ok;
}

static void make_nonce(Req *r) {
    unsigned char raw[16];
    crypto_nonce(raw, sizeof raw);
    char *out = arena_alloc(r->arena, sodium_base64_ENCODED_LEN(sizeof raw, sodium_base64_VARIANT_ORIGINAL));
    sodium_bin2base64(out, sodium_base64_ENCODED_LEN(sizeof raw, sodium_base64_VARIANT_ORIGINAL), raw, sizeof raw,
                      sodium_base64_VARIANT_ORIGINAL);
    r->nonce = out;
}

/* True for routes that answer without looking at the caller (health, metrics, assets): they skip
 * the session lookup, which keeps them cheap. */
static bool status_only(const Ctx *x) {
    return x->route && !x->route->cap && (x->route->handler == h_healthz || x->route->handler == h_metrics ||
                                          strncmp(x->route->pattern, "/assets/", 8) == 0);
}

/* Decides and runs what answers the request: an early refusal, an error, or the handler. */
static void answer(Ctx *x, struct MHD_Connection *c) {
    Req *r = &x->req;
    Resp *w = &x->resp;
    make_nonce(r);
    int status = x->early_status ? x->early_status : gather(x, c);
    i18n_pick(r, w);
    r->route = x->route;
    r->want_json = (x->route && (x->route->flags & ROUTE_JSON)) || strncmp(r->path, "/api/", 5) == 0 ||
                   (req_header(r, "Accept") && strstr(req_header(r, "Accept"), "application/json"));
    if (status) { page_error(r, w, status, NULL); return; }
    if (!status_only(x)) auth_attach(r, w);   /* error pages show who is logged in, too */
    if (!x->route) { page_error(r, w, x->method_mismatch ? 405 : 404, NULL); return; }
    if ((x->route->flags & ROUTE_TEST) && !test_routes) { page_error(r, w, 404, NULL); return; }
    if (x->route->cap && !r->who) { page_login_required(r, w); return; }
    if (r->method != HTTP_GET && r->method != HTTP_HEAD && !(x->route->flags & ROUTE_NO_CSRF) && !auth_csrf_ok(r)) {
        page_error(r, w, 403, T(r, "表单已过期或来源不明，请刷新页面后重试。"));
        return;
    }
    if (x->route->cap) {
        if (r->who->must_change_password && !(x->route->flags & ROUTE_ANY_LOGIN)) {
            if (r->want_json) json_error(r, w, 403, "password_change_required", NULL, T(r, "请先修改初始密码。"));
            else resp_redirect(r, w, "/me/password");
            return;
        }
        if (!auth_has(r, x->route->cap)) { page_error(r, w, 403, NULL); return; }
    }
    x->route->handler(r, w);
    if (db_in_tx()) {              /* a handler that forgot to finish a transaction loses it */
        log_error("transaction left open by %s", x->route->pattern);
        db_rollback();
    }
}

/* Answers the request; a GET or HEAD that looks at the database reads one snapshot of it. */
static void dispatch(Ctx *x, struct MHD_Connection *c) {
    bool reading = x->req.method == HTTP_GET || x->req.method == HTTP_HEAD;
    if (reading && !status_only(x)) db_snapshot_begin();
    answer(x, c);
    db_snapshot_end();
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls) {
    (void)cls; (void)version;
    Ctx *x = *con_cls;
    if (!x) {
        x = calloc(1, sizeof *x);
        if (!x) return MHD_NO;
        *con_cls = x;
        atomic_fetch_add(&in_flight, 1);
        x->req.arena = arena_new();
        x->req.conn = c;
        x->req.method = method_code(method);
        x->req.path = arena_strdup(x->req.arena, url);
        x->resp.status = 200;
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((struct sockaddr_in *)ci->client_addr)->sin_addr, x->client, sizeof x->client);
        else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ci->client_addr)->sin6_addr, x->client, sizeof x->client);
        x->req.client = x->client;
        x->route = router_match(&x->req, x->req.method, x->req.path, &x->method_mismatch);
        x->cap = x->route && (x->route->flags & ROUTE_UPLOAD) ? MAX_UPLOAD_BODY : MAX_FORM_BODY;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > x->cap) {
            /* Refuse at once rather than read megabytes we will throw away; MHD closes the connection. */
            struct timespec t0;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            x->early_status = 413;
            dispatch(x, c);
            return send_resp(c, x, &t0, method);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!x->early_status) {
            if (x->body.len + *upload_size > x->cap) {
                x->early_status = 413;
                buf_free(&x->body);
            } else {
                buf_append(&x->body, upload, *upload_size);
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    dispatch(x, c);
    return send_resp(c, x, &t0, method);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode code) {
    (void)cls; (void)c; (void)code;
    Ctx *x = *con_cls;
    if (!x) return;
    buf_free(&x->body);
    buf_free(&x->resp.body);
    arena_free(x->req.arena);
    free(x);
    *con_cls = NULL;
    atomic_fetch_sub(&in_flight, 1);
}

/* MHD splits a query string into its connection memory pool before any handler runs, and when the
 * pool is exhausted the connection hangs until its timeout instead of being answered. This guard
 * sees the URI first: one whose query would need more than half the pool (its bytes plus MHD's
 * record of ~64 bytes for each parameter) is answered 414 here, and the socket's sending side is
 * shut so that MHD's own attempt to answer fails and it closes the connection. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c) {
    (void)cls;
    const char *q = strchr(uri, '?');
    if (!q) return NULL;
    size_t fields = 1;
    for (const char *a = q; (a = strchr(a + 1, '&'));) fields++;
    if (strlen(uri) + fields * 64 <= MAX_HEADER_BYTES / 2) return NULL;
    static const char body[] = "请求地址的参数过多 (too many query parameters)\n";
    char answer[256];
    int n = snprintf(answer, sizeof answer, "HTTP/1.1 414 URI Too Long\r\nConnection: close\r\n"
                     "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n\r\n%s", sizeof body - 1, body);
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (ci && n > 0) {
        (void)!send(ci->connect_fd, answer, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
        shutdown(ci->connect_fd, SHUT_WR);
    }
    return NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx, enum MHD_ConnectionNotificationCode code) {
    (void)cls; (void)c; (void)socket_ctx;
    metrics_conn(code == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

/* ---------------------------------------------------------------------------------------------
 * Built-in routes */

static void h_healthz(Req *r, Resp *w) {
    (void)r;
    resp_text(w, 200, "ok\n");
}

static void h_metrics(Req *r, Resp *w) {
    (void)r;
    w->content_type = "text/plain; version=0.0.4; charset=utf-8";
    metrics_write(&w->body);
}

static void h_debug_sleep(Req *r, Resp *w) {
    const char *ms = req_param(r, "ms");
    long v = ms ? strtol(ms, NULL, 10) : 100;
    if (v < 0) v = 0;
    if (v > 5000) v = 5000;
    usleep((useconds_t)v * 1000);
    resp_text(w, 200, "slept\n");
}

/* Test-only: reports what an upload route received, to test the multipart caps. */
static void h_debug_upload(Req *r, Resp *w) {
    const Upload *u = r->nuploads ? &r->uploads[0] : NULL;
    resp_text(w, 200, arena_printf(r->arena, "upload %zu bytes\n", u ? u->len : (size_t)0));
}

const Route platform_routes[] = {
    {HTTP_GET, "/healthz", h_healthz, 0, 0, NULL},
    {HTTP_GET, "/metrics", h_metrics, 0, 0, NULL},
    {HTTP_GET, "/debug/sleep", h_debug_sleep, 0, ROUTE_TEST, NULL},
    {HTTP_POST, "/debug/upload", h_debug_upload, 0, ROUTE_TEST | ROUTE_UPLOAD | ROUTE_NO_CSRF, NULL},
    {0, NULL, NULL, 0, 0, NULL},
};

/* ---------------------------------------------------------------------------------------------
 * The daemon */

/* Parses "ADDR:PORT" into a sockaddr_in. Returns 0 or -1. */
static int parse_listen(const char *s, struct sockaddr_in *sa) {
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s) return -1;
    char host[64];
    size_t hl = (size_t)(colon - s);
    if (hl >= sizeof host) return -1;
    memcpy(host, s, hl);
    host[hl] = 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535) return -1;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

int http_serve(const ServerOpts *o) {
    struct sockaddr_in sa;
    if (parse_listen(o->listen, &sa) != 0) {
        fprintf(stderr, "zuwei: --listen wants ADDR:PORT with an IPv4 address, e.g. 127.0.0.1:8080 (got \"%s\")\n", o->listen);
        return 2;
    }
    test_routes = o->test_routes;
    log_set_quiet(o->quiet);
    metrics_init(router_count());

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);    /* worker threads inherit the mask; main waits */
    signal(SIGPIPE, SIG_IGN);

    unsigned threads = o->threads ? o->threads : 4;
    /* The connection's memory pool holds the request head, MHD's read buffer and the response
     * head; MHD zeroes all of it for every request, so it is kept at MAX_HEADER_BYTES (a head of up
     * to ~14 KB is read, a bigger one gets 431). At 256 KB the memset was 80 % of the instructions
     * of a small page, at 32 KB still a fifth (docs/decisions/0005-connection-memory-pool.md). */
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MAX_HEADER_BYTES, MHD_OPTION_CONNECTION_TIMEOUT, 60u,
        MHD_OPTION_CONNECTION_LIMIT, 2000u, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "zuwei: cannot listen on %s (in use, or not an address of this machine)\n", o->listen);
        return 1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[64];
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
    printf("zuwei: listening on http://%s:%u/\n", host, di ? di->port : ntohs(sa.sin_port));
    fflush(stdout);

    int sig = 0;
    sigwait(&set, &sig);
    log_info("signal %d: finishing requests in flight", sig);
    MHD_quiesce_daemon(d);                     /* stop accepting; connections already open go on */
    for (int i = 0; i < 3000 && atomic_load(&in_flight) > 0; i++) usleep(10000);
    MHD_stop_daemon(d);
    db_checkpoint();
    db_close_thread();
    log_info("stopped");
    return 0;
}
