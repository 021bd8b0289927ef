/* json.c — JSON responses. */
#include "platform/json.h"
#include <stdlib.h>

static int dump_to_buf(const char *s, size_t n, void *ud) {
    buf_append(ud, s, n);
    return 0;
}

void json_send(Resp *w, int status, json_t *v) {
    w->status = status;
    w->content_type = "application/json; charset=utf-8";
    buf_reset(&w->body);
    json_dump_callback(v, dump_to_buf, &w->body, JSON_COMPACT);
    json_decref(v);
}

void json_error(Req *r, Resp *w, int status, const char *code, const char *field, const char *message) {
    (void)r;
    json_t *e = json_object();
    json_object_set_new(e, "code", json_string(code));
    if (field) json_object_set_new(e, "field", json_string(field));
    json_object_set_new(e, "message", json_string(message ? message : ""));
    json_send(w, status, json_pack("{s:o}", "error", e));
}
