/* xlsxout.c — workbooks written to a temporary file and sent as the response (see xlsxout.h). */
#include "platform/xlsxout.h"
#include "platform/html.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

lxw_workbook *xlsx_out_open(XlsxOut *o, bool constant_memory) {
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp || strlen(tmp) > sizeof o->path - 20) tmp = "/tmp";
    snprintf(o->path, sizeof o->path, "%s/zuwei-xlsx-XXXXXX", tmp);
    o->wb = NULL;
    int fd = mkstemp(o->path);
    if (fd < 0) return NULL;
    close(fd);
    lxw_workbook_options opts = {.constant_memory = constant_memory, .tmpdir = (char *)tmp, .use_zip64 = 0};
    o->wb = workbook_new_opt(o->path, &opts);
    if (!o->wb) unlink(o->path);
    return o->wb;
}

int xlsx_out_finish(XlsxOut *o, Buf *b) {
    if (!o->wb) return -1;
    bool ok = workbook_close(o->wb) == LXW_NO_ERROR;
    o->wb = NULL;
    FILE *in = ok ? fopen(o->path, "rb") : NULL;
    size_t start = b->len;
    if (in) {
        char chunk[16384];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, in)) > 0) buf_append(b, chunk, got);
        ok = !ferror(in);
        fclose(in);
    }
    unlink(o->path);
    if (!in || !ok) {
        b->len = start;
        if (b->p) b->p[start] = 0;
        return -1;
    }
    return 0;
}

void xlsx_out_discard(XlsxOut *o) {
    if (o->wb) workbook_close(o->wb);
    o->wb = NULL;
    unlink(o->path);
}

void resp_attachment(Req *r, Resp *w, const char *content_type, const char *ascii_name, const char *utf8_name) {
    w->content_type = content_type;
    Buf d = BUF_INIT;
    buf_printf(&d, "attachment; filename=\"%s\"", ascii_name);
    if (utf8_name) {
        buf_puts(&d, "; filename*=UTF-8''");
        url_escape(&d, utf8_name);
    }
    resp_header(w, "Content-Disposition", arena_strdup(r->arena, d.p));
    resp_header(w, "Cache-Control", "no-store");
    buf_free(&d);
}
