/* i18n.c — message lookup by Chinese text through an open-addressing hash built at start-up. */
#include "platform/i18n.h"
#include "platform/date.h"
#include "platform/html.h"
#include <string.h>

enum { SLOTS = 8192 };               /* power of two, kept under half full */
static const Msg *slots[SLOTS];

static uint32_t hash_str(const char *s) {
    uint32_t h = 2166136261u;        /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

int i18n_init(const Msg *const *tables, const char **conflict) {
    int conflicts = 0;
    memset(slots, 0, sizeof slots);
    if (conflict) *conflict = NULL;
    for (; *tables; tables++)
        for (const Msg *m = *tables; m->zh; m++) {
            uint32_t i = hash_str(m->zh) & (SLOTS - 1);
            while (slots[i] && strcmp(slots[i]->zh, m->zh) != 0) i = (i + 1) & (SLOTS - 1);
            if (slots[i] && strcmp(slots[i]->en, m->en) != 0) {
                conflicts++;
                if (conflict && !*conflict) *conflict = m->zh;
            }
            slots[i] = m;
        }
    return conflicts;
}

const char *i18n_en(const char *zh) {
    uint32_t i = hash_str(zh) & (SLOTS - 1);
    for (; slots[i]; i = (i + 1) & (SLOTS - 1))
        if (strcmp(slots[i]->zh, zh) == 0) return slots[i]->en;
    return NULL;
}

const char *T(const Req *r, const char *zh) {
    if (!r || r->lang != LANG_EN) return zh;
    const char *en = i18n_en(zh);
    return en ? en : zh;
}

/* Copies `s` into the arena replacing each "{n}" with n and "{m}" with m, with thousands
 * separators when `grouped`; `s` itself when it has no placeholder. One pass: a 3-byte
 * placeholder becomes at most 27 bytes ("-", 20 digits, 6 commas), so 9 bytes of room per byte
 * of `s` always suffice. */
static const char *fill(const Req *r, const char *s, long long n, long long m, bool grouped) {
    const char *brace = strchr(s, '{');
    if (!brace) return s;
    char *out = arena_alloc(r->arena, strlen(s) * 9 + 1), *o = out;
    memcpy(o, s, (size_t)(brace - s));
    o += brace - s;
    for (const char *p = brace; *p; p++) {
        if (p[0] == '{' && (p[1] == 'n' || p[1] == 'm') && p[2] == '}') {
            long long v = p[1] == 'n' ? n : m;
            unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
            char digits[24];
            int k = 0;
            do { digits[k++] = (char)('0' + u % 10); u /= 10; } while (u);
            if (v < 0) *o++ = '-';
            while (k) {
                *o++ = digits[--k];
                if (grouped && k && k % 3 == 0) *o++ = ',';
            }
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = 0;
    return out;
}

/* An English text may give a singular and a plural form, "{n} person|{n} people": the first is
 * for n = 1. Chinese texts have one form. */
static const char *number_form(const Req *r, const char *zh, long long n) {
    const char *t = T(r, zh), *bar;
    if (t == zh || !(bar = strchr(t, '|'))) return t;
    return n == 1 ? arena_strndup(r->arena, t, (size_t)(bar - t)) : bar + 1;
}

const char *Tn(const Req *r, const char *zh, long long n) { return fill(r, number_form(r, zh, n), n, 0, false); }
void html_Tn(Buf *b, const Req *r, const char *zh, long long n) {
    const char *t = T(r, zh), *end = t + strlen(t), *bar = t == zh ? NULL : strchr(t, '|');
    if (bar && n == 1) end = bar;
    else if (bar) t = bar + 1;
    const char *p = t;
    for (const char *c = t; c + 3 <= end; c++) {
        if (c[0] != '{' || c[1] != 'n' || c[2] != '}') continue;
        html_escape(b, p, (size_t)(c - p));
        buf_put_int(b, n);
        p = c + 3;
        c += 2;
    }
    html_escape(b, p, (size_t)(end - p));
}

const char *Tn2(const Req *r, const char *zh, long long n, long long m) {
    return fill(r, number_form(r, zh, n), n, m, false);
}
const char *Tcount(const Req *r, const char *zh, long long n) { return fill(r, number_form(r, zh, n), n, 0, true); }

const char *Tparen(const Req *r, const char *s) {
    return arena_printf(r->arena, r->lang == LANG_EN ? " (%s)" : "（%s）", s);
}

void i18n_pick(Req *r, Resp *w) {
    const char *q = req_param_src(r, "lang", SRC_QUERY);
    if (q && (strcmp(q, "en") == 0 || strcmp(q, "zh") == 0)) {
        r->lang = q[0] == 'e' ? LANG_EN : LANG_ZH;
        resp_set_cookie(r, w, "lang", q, 365L * 86400, false);
        return;
    }
    const char *c = req_cookie(r, "lang");
    r->lang = c && strcmp(c, "en") == 0 ? LANG_EN : LANG_ZH;
}

const char *fmt_date(const Req *r, int32_t day) {
    char tmp[32];
    if (r->lang == LANG_EN) date_format(day, tmp, sizeof tmp);
    else date_format_zh(day, tmp, sizeof tmp);
    return arena_strdup(r->arena, tmp);
}
