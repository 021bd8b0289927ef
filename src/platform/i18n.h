/* i18n.h — the message tables: Simplified Chinese first, English on request.
 *
 * Code writes its UI text in Chinese: T(r, "首页"). Each mechanism contributes a table of
 * {Chinese, English} pairs (registered in src/app.c); with English switched on (cookie lang=en or
 * ?lang=en) T returns the English text, falling back to the Chinese when a pair is missing (the
 * lint lists such gaps). */
#ifndef ZW_I18N_H
#define ZW_I18N_H
#include "platform/http.h"

enum { LANG_ZH = 0, LANG_EN = 1 };

typedef struct Msg { const char *zh, *en; } Msg;

/* Registers the message tables (NULL-terminated list of tables, each ending with {NULL, NULL}).
 * A Chinese text may be listed in several tables, always with the same English. Returns how many
 * entries break that rule (the last one listed wins), and sets *conflict (unless NULL) to the
 * first such Chinese text. */
int i18n_init(const Msg *const *tables, const char **conflict);
/* Returns the text for the request's language. */
const char *T(const Req *r, const char *zh);
/* Like T, then replaces "{n}" (and "{m}") with the numbers; the result lives in the request arena.
 * An English text "{n} person|{n} people" gives its first form for n = 1, the second otherwise. */
const char *Tn(const Req *r, const char *zh, long long n);
/* Writes Tn(r, zh, n) into b, HTML-escaped, as html(b, "%s", Tn(…)) would, without building the
 * text first: for the counts in every row of a list. */
void html_Tn(Buf *b, const Req *r, const char *zh, long long n);
const char *Tn2(const Req *r, const char *zh, long long n, long long m);
/* Like Tn for a count that may be large: the number with thousands separators ("共 237,120 条").
 * Tn stays for years, ages and numbers that are names. */
const char *Tcount(const Req *r, const char *zh, long long n);
/* An aside in the request's language's brackets: "（s）" in Chinese, " (s)" in English. */
const char *Tparen(const Req *r, const char *s);
/* Returns the English text for `zh`, or NULL when the table has none. */
const char *i18n_en(const char *zh);
/* Sets r->lang from ?lang= or the lang cookie; remembers an explicit choice in a cookie. */
void i18n_pick(Req *r, Resp *w);
/* Formats a date (days since 1970-01-01) for the request's language: 2026年3月7日 / 2026-03-07. */
const char *fmt_date(const Req *r, int32_t day);

#endif
