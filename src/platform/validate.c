/* validate.c — checking declared fields (see validate.h). */
#include "platform/validate.h"
#include "platform/date.h"
#include "platform/i18n.h"
#include "platform/json.h"
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

enum { DEFAULT_TEXT_MAX = 200, DEFAULT_TEXTAREA_MAX = 5000, DEFAULT_IDS_MAX = 500 };

size_t utf8_chars(const char *s) {
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static bool all_digits(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

/* Parses a decimal with at most two fraction digits into hundredths. Returns false on bad input. */
static bool parse_hundredths(const char *s, int64_t *out) {
    int64_t whole = 0, frac = 0;
    int fd = 0;
    const char *p = s;
    if (!*p) return false;
    while (*p >= '0' && *p <= '9') {
        whole = whole * 10 + (*p++ - '0');
        if (whole > 100000000000LL) return false;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9' && fd < 2) { frac = frac * 10 + (*p++ - '0'); fd++; }
        if (fd == 0) return false;
    }
    if (*p) return false;
    if (fd == 1) frac *= 10;
    *out = whole * 100 + frac;
    return true;
}

static bool valid_phone(const char *s) {
    size_t n = strlen(s);
    if (n == 11 && s[0] == '1' && all_digits(s)) return true;          /* mobile */
    /* Landline: 0 + area code (2–3 digits) + '-' + 7–8 digits. */
    const char *dash = strchr(s, '-');
    if (s[0] != '0' || !dash) return false;
    size_t a = (size_t)(dash - s), b = n - a - 1;
    char area[8];
    if (a < 3 || a > 4 || b < 7 || b > 8) return false;
    memcpy(area, s, a);
    area[a] = 0;
    return all_digits(area) && all_digits(dash + 1);
}

const char *field_check(const Req *r, const Field *fd, const char *v, int64_t *out, const char **code) {
    *out = 0;
    *code = NULL;
    if (!v || !*v) {
        if (fd->type == FT_BOOL) return NULL;
        if (fd->required) { *code = "required"; return T(r, "必填"); }
        return NULL;
    }
    size_t chars = utf8_chars(v);
    switch (fd->type) {
    case FT_TEXT: case FT_TEXTAREA: case FT_PASSWORD: {
        int64_t max = fd->max ? fd->max : fd->type == FT_TEXTAREA ? DEFAULT_TEXTAREA_MAX : DEFAULT_TEXT_MAX;
        if ((int64_t)chars > max) {
            *code = "too_long";
            return Tn(r, "不能超过 {n} 个字", max);
        }
        if (fd->min && (int64_t)chars < fd->min) {
            *code = "too_short";
            return Tn(r, "至少 {n} 个字", fd->min);
        }
        /* A textarea keeps line breaks and tabs; no text type takes other control characters. */
        for (const char *p = v; *p; p++) {
            unsigned char c = (unsigned char)*p;
            bool line_break = c == '\n' || c == '\r' || c == '\t';
            if (c >= 0x20 || (line_break && fd->type == FT_TEXTAREA)) continue;
            *code = "format";
            return T(r, fd->type == FT_TEXTAREA ? "取值无效" : "不能包含换行或控制字符");
        }
        break;
    }
    case FT_INT: case FT_ID: {
        char *end;
        const char *p = v[0] == '-' && fd->type == FT_INT ? v + 1 : v;
        if (!all_digits(p) || strlen(p) > 15) { *code = "format"; return T(r, "请填写整数"); }
        long long x = strtoll(v, &end, 10);
        if (fd->type == FT_ID && x <= 0) { *code = "format"; return T(r, "编号无效"); }
        if ((fd->min || fd->max) && (x < fd->min || x > fd->max)) {
            *code = "range";
            return Tn2(r, "应在 {n} 到 {m} 之间", fd->min, fd->max);
        }
        *out = x;
        break;
    }
    case FT_DECIMAL: {
        int64_t h;
        if (!parse_hundredths(v, &h)) { *code = "format"; return T(r, "请填写数字，最多两位小数"); }
        if (fd->max && h > fd->max * 100) {
            *code = "range";
            return Tn(r, "不能大于 {n}", fd->max);
        }
        *out = h;
        break;
    }
    case FT_DATE: {
        int32_t d;
        if (date_parse(v, &d) != 0) { *code = "format"; return T(r, "日期格式应为 2026-03-07"); }
        if ((fd->min || fd->max) && (d < fd->min || d > fd->max)) { *code = "range"; return T(r, "日期超出允许范围"); }
        *out = d;
        break;
    }
    case FT_ENUM: {
        const Choice *c = fd->choices;
        while (c && c->value && strcmp(c->value, v) != 0) c++;
        if (!c || !c->value) { *code = "choice"; return T(r, "请从列表中选择"); }
        break;
    }
    case FT_BOOL:
        *out = strcmp(v, "1") == 0 || strcmp(v, "on") == 0 || strcmp(v, "true") == 0;
        if (!*out && strcmp(v, "0") != 0 && strcmp(v, "false") != 0 && strcmp(v, "off") != 0) {
            *code = "format";
            return T(r, "取值无效");
        }
        break;
    case FT_PHONE:
        if (!valid_phone(v)) { *code = "format"; return T(r, "请填写11位手机号或带区号的固定电话（如 0856-1234567）"); }
        break;
    case FT_IDS: {
        int64_t n = 0, max = fd->max ? fd->max : DEFAULT_IDS_MAX;
        if (v[strlen(v) - 1] == ',') { *code = "format"; return T(r, "编号无效"); }
        for (const char *p = v; *p; n++) {
            size_t len = strcspn(p, ",");
            if (len == 0 || len > 15 || strspn(p, "0123456789") != len || *p == '0') {
                *code = "format";
                return T(r, "编号无效");
            }
            p += len + (p[len] == ',');
        }
        if (n > max) { *code = "range"; return Tn(r, "最多选择 {n} 项", max); }
        *out = n;
        break;
    }
    case FT_DIGITS:
        if (!all_digits(v) || (fd->min && (int64_t)chars < fd->min) || (fd->max && (int64_t)chars > fd->max)) {
            *code = "format";
            if (fd->min == fd->max && fd->min)
                return Tn(r, "应为 {n} 位数字", fd->min);
            return T(r, "只能填写数字");
        }
        break;
    }
    if (fd->check) {
        const char *msg = fd->check(v);
        if (msg) { *code = "format"; return T(r, msg); }
    }
    return NULL;
}

/* The text of an FT_IDS field: a JSON array's entries or the repeated form fields `name`, joined
 * by commas (NULL when absent). An entry that is not a whole number becomes "x", which the check
 * refuses, as does "\x01" for a JSON value that is not an array. */
static const char *ids_text(Req *r, json_t *obj, const char *name) {
    Buf b = BUF_INIT;
    bool any = false;
    if (obj) {
        json_t *a = json_object_get(obj, name), *v;
        size_t i;
        if (!a || json_is_null(a)) return NULL;
        if (!json_is_array(a)) return "\x01";
        json_array_foreach(a, i, v) {
            if (i) buf_putc(&b, ',');
            if (json_is_integer(v)) buf_put_int(&b, json_integer_value(v));
            else buf_putc(&b, 'x');
        }
        any = true;
    } else {
        for (size_t i = 0; i < r->nparams; i++) {
            if (r->params[i].src != SRC_FORM || strcmp(r->params[i].name, name) != 0) continue;
            if (any) buf_putc(&b, ',');
            buf_puts(&b, *r->params[i].value ? r->params[i].value : "x");
            any = true;
        }
    }
    const char *out = any ? arena_strdup(r->arena, b.p ? b.p : "") : NULL;
    buf_free(&b);
    return out;
}

int form_ids(const Form *f, const char *name, int64_t *out, int max) {
    const char *v = form_s(f, name);
    int n = 0;
    for (const char *p = v; p && *p && n < max; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',')) out[n++] = atoll(p);
    return n;
}

/* Trims ASCII spaces and tabs at both ends into an arena copy. */
static const char *trimmed(Arena *a, const char *v) {
    while (*v == ' ' || *v == '\t') v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n')) n--;
    return arena_strndup(a, v, n);
}

/* Takes a field's value from a JSON object: strings as they are, numbers and booleans as text. */
static const char *json_field(Arena *a, json_t *obj, const char *name) {
    json_t *v = json_object_get(obj, name);
    if (!v || json_is_null(v)) return NULL;
    if (json_is_string(v)) return arena_strdup(a, json_string_value(v));
    if (json_is_integer(v)) return arena_printf(a, "%lld", (long long)json_integer_value(v));
    /* %.15g keeps every digit the client sent, so 1.234 is refused like the form text, not rounded. */
    if (json_is_real(v)) return arena_printf(a, "%.15g", json_real_value(v));
    if (json_is_boolean(v)) return json_is_true(v) ? "1" : "0";
    return "\x01";   /* objects and arrays: refused by the type check as a control character */
}

void form_init(Form *f, const Field *fields, int n) {
    memset(f, 0, sizeof *f);
    f->fields = fields;
    f->n = n < FORM_MAX_FIELDS ? n : FORM_MAX_FIELDS;
}

int form_read(Req *r, Form *f, const Field *fields, int n) {
    form_init(f, fields, n);
    f->submitted = true;
    json_t *obj = NULL;
    if (r->body) {
        obj = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, NULL);
        if (!json_is_object(obj)) {
            json_decref(obj);
            obj = NULL;
            f->err[0] = T(r, "请求体不是有效的 JSON 对象");
            f->code[0] = "bad_json";
            return f->nerr = 1;
        }
    }
    for (int k = 0; k < f->n; k++) {
        const char *v = fields[k].type == FT_IDS ? ids_text(r, obj, fields[k].name)
                        : obj                     ? json_field(r->arena, obj, fields[k].name)
                                                  : req_param(r, fields[k].name);
        if (v) v = trimmed(r->arena, v);
        f->s[k] = v;
        f->err[k] = field_check(r, &fields[k], v, &f->i[k], &f->code[k]);
        if (f->err[k]) f->nerr++;
    }
    json_decref(obj);
    return f->nerr;
}

static int field_index(const Form *f, const char *name) {
    for (int k = 0; k < f->n; k++)
        if (strcmp(f->fields[k].name, name) == 0) return k;
    return -1;
}

void form_set(Form *f, const char *name, const char *value) {
    int k = field_index(f, name);
    if (k >= 0) f->s[k] = value;
}

const char *form_s(const Form *f, const char *name) {
    int k = field_index(f, name);
    return k >= 0 && f->s[k] && *f->s[k] ? f->s[k] : NULL;
}

int64_t form_i(const Form *f, const char *name) {
    int k = field_index(f, name);
    return k >= 0 ? f->i[k] : 0;
}

bool form_has(const Form *f, const char *name) { return form_s(f, name) != NULL; }

/* Puts value in field k as if it had been submitted, replacing the field's error with its own. */
static void fill_field(Req *r, Form *f, int k, const char *value) {
    if (f->err[k]) f->nerr--;
    f->s[k] = value;
    f->err[k] = field_check(r, &f->fields[k], value, &f->i[k], &f->code[k]);
    if (f->err[k]) f->nerr++;
}

void form_fill_absent(Req *r, Form *f, const char *name, const char *value) {
    int k = field_index(f, name);
    if (k >= 0 && !f->s[k]) fill_field(r, f, k, value);
}

void form_fill_empty(Req *r, Form *f, const char *name, const char *value) {
    int k = field_index(f, name);
    if (k >= 0 && (!f->s[k] || !*f->s[k])) fill_field(r, f, k, value);
}

void form_fail(Form *f, const char *name, const char *code, const char *message) {
    int k = field_index(f, name);
    if (k < 0) k = 0;
    if (!f->err[k]) f->nerr++;
    f->err[k] = message;
    f->code[k] = code;
}

void form_json_error(Req *r, Resp *w, const Form *f) {
    if (f->code[0] && strcmp(f->code[0], "bad_json") == 0) {   /* the body itself, not a field */
        json_error(r, w, 400, "bad_json", NULL, f->err[0]);
        return;
    }
    for (int k = 0; k < f->n; k++)
        if (f->err[k]) {
            json_error(r, w, 422, f->code[k] ? f->code[k] : "invalid", f->fields[k].name, f->err[k]);
            return;
        }
    json_error(r, w, 422, f->code[0] ? f->code[0] : "invalid", NULL, f->err[0] ? f->err[0] : "invalid");
}

const Choice FILTER_ON[] = {{"1", ""}, {"0", ""}, {NULL, NULL}};

void filter_fail(FilterError *e, const char *field, const char *code, const char *message) {
    if (e->field) return;
    e->field = field;
    e->code = code;
    e->message = message;
}

int64_t id_parse(const char *s) {
    return s && all_digits(s) && strlen(s) <= 15 ? strtoll(s, NULL, 10) : 0;
}

int64_t path_id(const Req *r, const char *name) { return id_parse(req_param_src(r, name, SRC_PATH)); }

int64_t filter_id(const Req *r, const char *name, FilterError *e) {
    const char *v = req_param_src(r, name, SRC_QUERY);
    if (!v || !*v) return 0;
    int64_t id = id_parse(v);
    if (!id) filter_fail(e, name, "format", T(r, "编号无效，请从页面上的链接进入。"));
    return id;
}

const char *filter_choice(const Req *r, const char *name, const Choice *choices, const char *message, FilterError *e) {
    const char *v = req_param_src(r, name, SRC_QUERY);
    if (!v || !*v) return NULL;
    for (const Choice *c = choices; c->value; c++)
        if (strcmp(v, c->value) == 0) return c->value;
    filter_fail(e, name, "choice", message ? message : T(r, "筛选条件无效，请从页面上的选项中选择。"));
    return NULL;
}
