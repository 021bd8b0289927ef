/* assets.c — serving the CSS, scripts and icons compiled into the binary.
 *
 * Each asset gets a strong ETag (a hash of its bytes) computed once at start-up; pages link assets
 * as /assets/…?v=HASH so browsers may cache them for a year and still see a new build at once. */
#include "platform/embed.h"
#include "platform/http.h"
#include "platform/page.h"
#include "platform/router.h"
#include <stdio.h>
#include <string.h>

enum { MAX_ASSETS = 256 };

typedef struct Asset {
    const EmbeddedFile *file;
    const char *type;
    char etag[20];       /* "\"" + 16 hex + "\"" */
    char url[160];
} Asset;

static Asset assets[MAX_ASSETS];
static int nassets;

static const char *content_type(const char *name) {
    const char *dot = strrchr(name, '.');
    if (!dot) return "application/octet-stream";
    if (strcmp(dot, ".css") == 0) return "text/css; charset=utf-8";
    if (strcmp(dot, ".js") == 0) return "text/javascript; charset=utf-8";
    if (strcmp(dot, ".svg") == 0) return "image/svg+xml";
    if (strcmp(dot, ".png") == 0) return "image/png";
    if (strcmp(dot, ".json") == 0 || strcmp(dot, ".webmanifest") == 0) return "application/json";
    if (strcmp(dot, ".txt") == 0) return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

static uint64_t fnv64(const unsigned char *p, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

/* Builds the asset table from the embedded files under assets/. Call once at start-up. */
void assets_init(void) {
    nassets = 0;
    for (const EmbeddedFile *f = embedded_files; f->name && nassets < MAX_ASSETS; f++) {
        if (strncmp(f->name, "assets/", 7) != 0) continue;
        Asset *a = &assets[nassets++];
        a->file = f;
        a->type = content_type(f->name);
        uint64_t h = fnv64(f->data, embed_size(f));
        snprintf(a->etag, sizeof a->etag, "\"%016llx\"", (unsigned long long)h);
        snprintf(a->url, sizeof a->url, "/%s?v=%08llx", f->name, (unsigned long long)(h >> 32));
    }
}

static const Asset *find_asset(const char *name) {
    for (int i = 0; i < nassets; i++)
        if (strcmp(assets[i].file->name, name) == 0) return &assets[i];
    return NULL;
}

const char *asset_url(const char *path) {
    const Asset *a = find_asset(path);
    return a ? a->url : "/";
}

static void h_asset(Req *r, Resp *w) {
    const Asset *a = find_asset(r->path + 1);
    if (!a) { page_error(r, w, 404, NULL); return; }
    resp_header(w, "ETag", a->etag);
    resp_header(w, "Cache-Control", "public, max-age=31536000, immutable");
    const char *inm = req_header(r, "If-None-Match");
    if (inm && strstr(inm, a->etag)) {
        w->status = 304;
        return;
    }
    w->content_type = a->type;
    w->static_body = a->file->data;
    w->static_len = embed_size(a->file);
}

const Route asset_routes[] = {
    {HTTP_GET, "/assets/*", h_asset, 0, 0, "/assets"},
    {0, NULL, NULL, 0, 0, NULL},
};
