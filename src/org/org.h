/* org.h — the org tree mechanism (M1 定机构): units, party organisations, their pages, JSON API
 * and the division-code import. Other mechanisms use the unit lookups and the breadcrumbs below;
 * the store itself is org/units.h. */
#ifndef ZW_ORG_H
#define ZW_ORG_H
#include "org/units.h"
#include "platform/buf.h"
#include "platform/i18n.h"
#include "platform/page.h"
#include "platform/router.h"
#include <jansson.h>

extern const Route org_routes[];
extern const Msg org_msgs[];

/* `zuwei org import FILE.csv`: argv[0] is "org". Expects the database open. Returns 0, 1 when the
 * work failed (reasons on stderr), 2 on a wrong command line. */
int cmd_org(int argc, char **argv);

/* ---- For other mechanisms ---- */

enum { ORG_CRUMBS_MAX = 6 };

/* Loads unit `id` inside the caller's scope. Returns 0, or -1 when it does not exist or lies
 * outside the scope (answer 404). */
int org_unit(const Req *r, int64_t id, Unit *u);
/* Loads the unit named by the path parameter `param` (":id") inside the caller's scope. Returns 0,
 * or answers 404 itself and returns -1. */
int org_unit_param(Req *r, Resp *w, const char *param, Unit *u);
/* The scope a list is narrowed to by its "unit" query parameter: that unit's path when it lies in
 * the caller's scope, the caller's scope when the parameter is absent or empty, NULL when it names
 * no unit the caller may see (answer 404 or an empty list). */
const char *org_scope_param(Req *r);
/* Writes the "unit" filter of a list: a select of the chosen unit (or the caller's own) and its
 * active children. */
void org_unit_select(Req *r, Buf *b);
/* Writes the breadcrumbs of `u`: its ancestors inside the caller's scope, outermost first, then u
 * itself, each linking to its unit page (labels and links live in the request arena). Returns the
 * number written (at most max, and at most ORG_CRUMBS_MAX - 1 so a page can add its own). */
int org_crumbs(Req *r, const Unit *u, Crumb *out, int max);
/* The label of a unit's level for the request's language (县, 街道, 行政村, 村民组, ...). */
const char *org_kind_label(const Req *r, const Unit *u);
/* The JSON form of a unit (new reference). */
json_t *unit_json(const Unit *u);

/* What the other mechanisms add to a unit's page, so that org names none of them: links to their
 * pages about the unit (a row of buttons) and cards under the facts. app.c lists both. */
typedef struct UnitLink {
    const char *before, *after;   /* the link is before + the unit's id + after */
    const char *label;            /* Chinese, for T() */
    unsigned kinds;               /* the kinds of unit it is shown on: UNIT_KIND_BIT()s or UNIT_ANY_KIND */
    unsigned cap;                 /* needed on the unit's path */
} UnitLink;
#define UNIT_KIND_BIT(k) (1u << (k))
#define UNIT_ANY_KIND 0xfu
typedef void (*UnitCardFn)(Req *r, Buf *b, const Unit *u);
/* Registers the links ({NULL} ends them) and the cards (NULL ends them). Call once at start-up. */
void org_set_unit_extras(const UnitLink *links, const UnitCardFn *cards);

/* ---- Inside the mechanism (pages.c, api.c, party.c, import.c) ---- */

/* Answers GET /org/:id/children as JSON ({items, page, per_page, total}). */
void org_children_json(Req *r, Resp *w, const Unit *u);
/* Writes the party-organisation card of the unit page. */
void org_party_card(Req *r, Buf *b, const Unit *u, bool can_edit);
/* Page handler of GET/POST /org/:id/party. */
void org_party_page(Req *r, Resp *w);
/* API handlers (api.c). */
void api_unit_get(Req *r, Resp *w);
void api_unit_children(Req *r, Resp *w);
void api_unit_create(Req *r, Resp *w);
void api_unit_update(Req *r, Resp *w);
void api_unit_move(Req *r, Resp *w);
void api_unit_end(Req *r, Resp *w);

/* Result of an import. */
typedef struct ImportResult {
    int rows, created, renamed, unchanged;
} ImportResult;

/* Imports a division-code list (header code,name,parent_code,kind; UTF-8 with or without BOM, or
 * GB18030) as actor `a`. Every row is checked first; when any is bad nothing is imported and each
 * problem is appended to `errors` as a line "第 N 行 第 M 列: reason". Otherwise all rows are
 * written in one transaction with one audit entry: new codes are created, existing codes with
 * another name renamed, the rest left alone. Returns 0, or -1 after a bad file or row, or -2 on
 * a database error (message in errors). */
int org_import_csv(const Actor *a, const char *data, size_t n, ImportResult *res, Buf *errors);

#endif
