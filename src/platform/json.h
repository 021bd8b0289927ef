/* json.h — writing JSON answers with jansson. */
#ifndef ZW_JSON_H
#define ZW_JSON_H
#include "platform/http.h"
#include <jansson.h>

/* Sends `v` (reference stolen) with the given status. */
void json_send(Resp *w, int status, json_t *v);
/* Sends {"error":{"code","field","message"}} with the given status; field may be NULL. */
void json_error(Req *r, Resp *w, int status, const char *code, const char *field, const char *message);

#endif
