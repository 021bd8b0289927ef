/* page.h — the page frame and the components every page is built from.
 *
 * A page is one function: it calls page_begin(), writes its content with html(), and calls
 * page_end(). The frame draws the top bar, the side menu (desk), the bottom bar (phone), the
 * breadcrumbs of the org tree and the one-time flash message. Components — form fields with their
 * errors, the pager, badges, icons — are functions too. */
#ifndef ZW_PAGE_H
#define ZW_PAGE_H
#include "platform/http.h"
#include "platform/i18n.h"
#include "platform/validate.h"

typedef struct Crumb { const char *label, *href; } Crumb;

typedef struct PageOpts {
    const Crumb *crumbs;     /* org-tree breadcrumbs, outermost first */
    int ncrumbs;
    const char *back;        /* phone back arrow target; defaults to the last crumb */
    const char *menu;        /* href of the side-menu entry to mark as current */
    const char *unit;        /* unit name shown in the top bar */
    bool bare;               /* no menus (login page) */
    bool print;              /* printable document: A4, no chrome */
} PageOpts;

typedef struct MenuItem { const char *href, *label, *icon; unsigned cap; bool bottom; } MenuItem;

/* Registers the side menu (ends with {NULL}). Items with bottom=true also form the phone bar. */
void page_set_menu(const MenuItem *items);
void page_begin(Req *r, Resp *w, const char *title, const PageOpts *o);
void page_end(Req *r, Resp *w);
/* Writes a whole error page (or a JSON error for API requests). msg NULL = the standard text. */
void page_error(Req *r, Resp *w, int status, const char *msg);
/* Sends the browser to the login page, or answers 401 to an API client. */
void page_login_required(Req *r, Resp *w);

/* ---- Components ---- */

/* Writes the inline SVG of assets/icons/NAME.svg (nothing when there is none). */
void ui_icon(Buf *b, const char *name);
/* A labelled form field for `name` with its current value and error. */
void ui_field(Req *r, Buf *b, const Form *f, const char *name);
/* The hidden CSRF input of the current session. */
void ui_csrf(Req *r, Buf *b);
/* The pager: "上一页 · 第 p / n 页 · 共 total 条 · 下一页"; links keep the current query. */
void ui_pager(Req *r, Buf *b, int page, int per_page, long long total);
/* Ends a list page whose filters named a value the list does not offer (FilterError, an edited or
 * stale link): the message where the list would be, no list, and status 422. */
void ui_filter_refused(Req *r, Resp *w, const char *message);
/* The pager of a list whose count stopped at its cap of 1,000: this page, "more than 1,000",
 * previous and (when `more`) next links. */
void ui_capped_pager(Req *r, Buf *b, int page, bool more);
/* The pager of a list read newest first by id, page by page from a cursor (?before=ID: the entries
 * older than ID), so that no page walks the ones before it: "最新" back to the first page (when
 * `newer`), the total ("more than 1,000" when negative), and "更早" to the entries older than
 * `older_than` (0: none follow). */
void ui_keyset_pager(Req *r, Buf *b, bool newer, int64_t older_than, long long total);
/* The current query string without page=, lang= and empty parameters, URL-escaped (not yet
 * HTML-escaped), for links that keep a list's filters: pagers and exports. */
const char *ui_query_kept(Req *r);
/* Reads ?page= (1-based, capped). */
int ui_page_param(const Req *r);
/* A list (<table class="list">) whose rows turn into cards on a phone, each cell labelled with
 * its column's header (data-label). ui_table_begin() writes the header row and makes each
 * column's opening <td> once; a row is then ui_td(0), its content, ui_td(1), …, ui_tr_end(), so a
 * 50-row page copies the labels instead of translating and escaping them 50 times over. */
enum { UI_TABLE_COLS = 12 };
/* label: Chinese text for T(), NULL for a column without a header or label (e.g. actions);
 * num: right-aligned. */
typedef struct UiCol { const char *label; bool num; } UiCol;
typedef struct UiTable {
    const char *cell[UI_TABLE_COLS];   /* "<tr><td …>" for the first column, "</td><td …>" for the others */
    size_t len[UI_TABLE_COLS];
    int n;
} UiTable;
void ui_table_begin(Req *r, Buf *b, UiTable *t, const UiCol *cols, int n);
/* The number of columns of a static UiCol array, for ui_table_begin(). */
#define UI_NCOLS(cols) ((int)(sizeof(cols) / sizeof((cols)[0])))
/* Opens cell `col` of the current row (col 0 also opens the row). */
void ui_td(Buf *b, const UiTable *t, int col);
/* Closes the last cell and the row. */
void ui_tr_end(Buf *b);
void ui_table_end(Buf *b);
/* A summary figure: <div class="stat"><b>value</b><span>label</span></div>. */
void ui_stat(Buf *b, long long value, const char *label);
/* The URL of an embedded asset with its content hash for cache busting. */
const char *asset_url(const char *path);
/* Every text of the page frame and components, for the message table. */
extern const Msg platform_msgs[];

#endif
