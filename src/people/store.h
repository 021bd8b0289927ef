/* store.h — the scoped read side of the registry: searching people, lists of households, a
 * household's members, a person's history, and the roll of a group on a date.
 *
 * Every function takes the caller's scope (a unit path such as "/1/12/", platform/auth.h) and sees
 * only rows whose group lies inside it; a row outside is reported as not found, exactly like one
 * that does not exist. Writes are not here: they go through roll.c (people.h). The second half of
 * this header declares what pages.c shares with api.c and export.c (fields, filters, JSON). */
#ifndef ZW_PEOPLE_STORE_H
#define ZW_PEOPLE_STORE_H
#include "people/counting.h"
#include "people/people.h"
#include "platform/page.h"
#include "platform/validate.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

enum {
    PEOPLE_PAGE = 50,             /* rows per page of a list */
    PEOPLE_COUNT_CAP = 1000,      /* filtered lists count up to this and then say "1,000+" (cost ∝ cap) */
    PEOPLE_QUERY_MAX = 60,        /* characters of a search text (a name is at most 30) */
    PEOPLE_EXPORT_CAP = 300000,   /* rows of one export (people or households) */
    HOUSEHOLD_MEMBERS_MAX = 60,   /* members shown on a household page */
    PERSON_EVENTS_MAX = 50,       /* history entries shown on a person page */
};

/* Age bands of the list filter, computed from the birth date against a day. */
typedef enum { AGE_ANY, AGE_0_17, AGE_18_35, AGE_36_59, AGE_60_UP } AgeBand;

/* A search of the roll. `scope` is the caller's scope or a unit inside it (the unit filter). */
typedef struct PeopleQuery {
    const char *scope;
    const char *q;           /* NULL/"": everyone; see people_search for how q is read */
    unsigned flag;           /* one PF_* bit, 0 = any */
    const char *status;      /* NULL/"" = any */
    AgeBand age;
    int32_t today;           /* the day ages are computed for */
} PeopleQuery;

/* One person as lists show them (joined with the group and the household). */
typedef struct PersonRow {
    int64_t id, unit_id, household_id;
    char name[96];
    char sex;                /* 'M' or 'F' */
    char birth[11];          /* YYYY-MM-DD */
    char idmask[24];
    bool idnum_legacy;
    char phone[24];          /* as stored: callers mask it for lists */
    char ethnicity[32], education[32];
    char status[12], status_date[11], relation[16];
    unsigned flags;
    char unit_name[244];
    char hh_no[24];
    bool is_head, is_rep;
} PersonRow;

/* A household as its group's list shows it. */
typedef struct HouseholdRow {
    int64_t id;
    char hh_no[24], head_name[96], poverty[12];
    int members, labour, migrants;
    int64_t farmland_c;
    char ended_at[12], end_reason[12];   /* group_ended_households() only */
} HouseholdRow;

/* A household as the export lists it: where it is, and its whole profile. */
typedef struct HouseholdLine {
    char township[244], village[244], group[244];
    char hh_no[24], address[304], head_name[96], rep_name[96], poverty[12];
    int members, labour, migrants;
    int64_t farmland_c, forest_c, livestock, poultry;
} HouseholdLine;

/* Called once per household of an export; return non-zero to stop. */
typedef int (*HouseholdLineFn)(void *ctx, const HouseholdLine *h);

/* One entry of a person's history; unit names outside the caller's scope are left empty. */
typedef struct PersonEvent {
    char kind[12], on_date[11], detail[64];
    char from_unit[244], to_unit[244];
    int64_t from_household, to_household;
    char from_hh_no[24], to_hh_no[24];
} PersonEvent;

/* A person or household found inside a scope, with the group it belongs to. */
typedef struct InScope { int64_t unit_id; char unit_path[128], unit_name[244]; } InScope;

/* Called once per row of a search; return non-zero to stop. */
typedef int (*PersonRowFn)(void *ctx, const PersonRow *p);

/* Searches the roll. q is read by its shape: a full 15- or 18-character ID number finds that
 * person; 4 characters of digits (the last may be X) match the last four of the ID number; Latin
 * letters match the start of the pinyin initials (ZSF → 张三丰); anything else matches the start
 * of the name, and — when the scope is a village or a group — also inside the name. Rows come in
 * the order of the index that serves the query (name, initials, or group then name). Calls fn for
 * up to `limit` rows after skipping `offset`. Returns the number of rows, or -1 on error. */
int people_search(const PeopleQuery *q, int offset, int limit, PersonRowFn fn, void *ctx);
/* One page of a search and how many match: */
typedef struct PeoplePage {
    PersonRow *rows;              /* room for PEOPLE_PAGE rows, given by the caller */
    int n;                        /* the page's rows */
    bool more;                    /* a match follows the page */
    long long total;              /* matches; PEOPLE_COUNT_CAP when capped */
    bool capped;                  /* more than PEOPLE_COUNT_CAP match and they were not counted */
} PeoplePage;
/* Finds the page at `offset` and the number of matches: exact from the scope's counters
 * (unit_roll) for its whole roll or one status or one flag without search text or age band, else
 * counted up to PEOPLE_COUNT_CAP. When the page is the last, its own walk has seen every match
 * and nothing is counted again: a narrow search (a whole name, a name fragment in a village) is
 * walked once instead of twice. Returns 0, or -1 on error. */
int people_page(const PeopleQuery *q, int offset, PeoplePage *pg);
/* True when the search q matches names inside as well as from the start (small scopes). */
bool people_query_contains(const PeopleQuery *q);

/* Finds person `id` inside `scope`: fills *where and returns true, or false when absent or
 * outside. */
bool person_in_scope(const char *scope, int64_t id, InScope *where);
bool household_in_scope(const char *scope, int64_t id, InScope *where);
/* Loads a person's row (with group and household) inside `scope`; false when absent/outside. */
bool person_row_get(const char *scope, int64_t id, PersonRow *p);
/* Lists the members of a household (head first, then by birth), at most `max`. Returns the count
 * or -1. */
int household_members(int64_t household_id, PersonRow *out, int max);
/* Lists the active households of group `unit_id`, ordered by 户号, paged. Returns the count
 * written, or -1; the total in *total. */
int group_households(int64_t unit_id, int offset, int limit, HouseholdRow *out, long long *total);
/* Lists the ended (注销) households of group `unit_id`, the latest ended first, paged (id, hh_no,
 * head_name, members, ended_at, end_reason). Returns the count written or -1. */
int group_ended_households(int64_t unit_id, int offset, int limit, HouseholdRow *out);
/* How many ended households group `unit_id` has (-1 on error). */
long long group_ended_count(int64_t unit_id);
/* Calls fn for up to `limit` active households of the groups inside `scope`, group by group in
 * the order of the people list (unit path), then by 户号. Returns the number of rows, or -1. */
int scope_households(const char *scope, int limit, HouseholdLineFn fn, void *ctx);
/* Finds a household of group `unit_id` by its 户号. Returns its id or 0. */
int64_t household_by_no(int64_t unit_id, const char *hh_no);
/* True when household `id` is ended (注销); *day is then the day it ended. */
bool household_end_day(int64_t id, int32_t *day);
/* True when another household of the group (not `except_id`) already has this 户号. */
bool household_no_taken(int64_t unit_id, const char *hh_no, int64_t except_id);
/* True when a 户号 is 1–9 digits, so that new numbers can follow it. */
bool hh_no_numeric(const char *s);
/* Writes v (at most 10 digits) padded with zeros to `width` (at most 9): 14, 4 → 0014. */
void hh_no_format(char out[24], long long v, int width);
/* The 户号 after the group's highest number of digits only (ended households' too), as wide: a
 * new household's number when the office gives none. "1" in a group without one. */
void household_next_no(int64_t unit_id, char out[24]);
/* The history of a person, newest first, at most `max`. Returns the count or -1. */
int person_events(const char *scope, int64_t person_id, PersonEvent *out, int max);

/* Loads the roll of a group as RollEntry rows (caller frees *out). Returns the count or -1. */
int group_roll(int64_t group_id, RollEntry **out);
/* Counts the roll of a group on day `on` (counting.h). Returns 0 or -1. */
int group_roll_counts(int64_t group_id, int32_t on, RollCounts *out);
/* The two figures quorum checks need: villagers aged 18+ eligible to vote and household
 * representatives, both on day `on`. Returns 0 or -1. Used by elections and votes. */
int group_eligible_counts(int64_t group_id, int32_t on, int *adults, int *reps);

/* ---- Shared by pages.c, api.c and export.c (defined in pages.c) ---- */

/* Fields of the person form (the flags follow as checkboxes named by person_flags keys) and of
 * the household form. */
extern const Field person_fields[];
extern const int person_nfields;
extern const Field household_fields[];
extern const int household_nfields;
extern const Choice relation_choices[], status_choices[], poverty_choices[], sex_choices[];
/* The Chinese label of a choice value, or the value itself. */
const char *choice_label(const Choice *c, const char *value);

/* Reads the list filters (?q= flag= status= age= unit=) into q for the caller. Returns false
 * when the unit filter names a unit outside the caller's scope (the list is then empty). A filter
 * the list does not offer (a flag, status or age band not among its choices, a search text over
 * PEOPLE_QUERY_MAX characters) is recorded in *bad; lists answer 422 with it. */
bool people_filters(Req *r, PeopleQuery *q, FilterError *bad);
/* 138****5678: a phone number with its middle hidden, into the request arena. */
const char *phone_masked(Req *r, const char *phone);
/* Age on `today` of a YYYY-MM-DD birth date, or -1. */
int age_from_iso(const char *birth, int32_t today);
/* Hundredths of a mu as page text with two decimals ("12.50"), and as a spreadsheet number
 * ("12.5", "3"); both live in the request arena. */
const char *mu_text(Req *r, int64_t c);
const char *mu_decimal(Req *r, int64_t c);

/* Person create/update from a validated form: fills a birth date and sex left empty from a valid
 * ID number (and reports an unreadable one with the form's other errors), checks the cross-field
 * rules (person_check), the
 * household and the caller's right to edit the groups involved, and writes through roll.c.
 * `before` is NULL for a new person, who joins household `hh`. Errors land on the form; returns
 * 0 on success, 404 when the target household is outside the scope, 422 with form errors, 500. */
int person_save(Req *r, Form *f, const Person *before, int64_t hh, Person *out);
/* Household create/update from a validated form in group `unit_id` (create: before NULL). */
int household_save(Req *r, Form *f, const Household *before, int64_t unit_id, Household *out);
/* 注销 and 恢复 of a household (ending.c) from a validated form (on, reason): return 0, 422 with
 * form errors, 409 with why in *err (someone lives in it; already ended; its number is taken),
 * 403 or 500. */
#define HOUSEHOLD_ENDED_REFUSAL "此户已注销，不能修改或添加成员。要修改，请先恢复此户。"
extern const Field household_end_fields[];
extern const int household_end_nfields;
extern const Choice end_reason_choices[];
int household_end_save(Req *r, Form *f, const Household *h, const InScope *where, PersonErr *err);
int household_restore_save(Req *r, const Household *h, const InScope *where, PersonErr *err);
/* POST /households/:id/end and /restore, and their /api/v1 twins. */
void h_household_end(Req *r, Resp *w);
void h_household_restore(Req *r, Resp *w);
/* Answers a refused (409: err's code and message) or failed change of household h: JSON for the
 * API, else back to its page with the message. */
void household_refused(Req *r, Resp *w, const Household *h, int rc, const PersonErr *err);
/* Answers a done change with household `id`: its JSON with `status`, or its page with a note. */
void household_changed(Req *r, Resp *w, int64_t id, int status, const char *note);
/* 分户, 并户 and 整户迁组 (split.c): GET/POST /households/:id/split, /merge and /move, and their
 * API twins. */
void h_household_split(Req *r, Resp *w);
void h_household_merge(Req *r, Resp *w);
void h_household_move(Req *r, Resp *w);
/* The household page's form to end it (f: its values and errors); the note of an ended one, and
 * the button that restores it. */
void household_end_card(Req *r, Buf *b, const Household *h, const Form *f);
void household_ended_note(Req *r, Buf *b, const Household *h);
void household_restore_button(Req *r, Buf *b, const Household *h);
/* Writes the household page (pages.c); `end_form` holds the end form's values and errors. */
void household_page(Req *r, Resp *w, const Household *h, const InScope *where, Form *end_form);
/* Loads the household named by the path inside the caller's scope; answers 404 otherwise. */
bool load_household(Req *r, Resp *w, Household *h, InScope *where);
/* Opens a page about something in group `unit_id`: its org breadcrumbs, then up to two of ours. */
void roll_page_begin(Req *r, Resp *w, int64_t unit_id, const char *title, const Crumb *extra, int nextra);
/* The household a typed text names: a 户号 of group unit_id first, then a household id (as on its
 * page's address), inside the caller's scope (*where). Returns its id, or 0. */
int64_t household_named(Req *r, int64_t unit_id, const char *text, InScope *where);
/* Form pieces of the registry's pages: a field block's label (as ui_field writes it) and its hint
 * (NULL: the field's own) and error, and a select of members (value: person id). */
void field_open(Req *r, Buf *b, const Form *f, const char *name, const char *label, bool required);
void field_close(Req *r, Buf *b, const Form *f, const char *name, const char *hint);
void member_select(Req *r, Buf *b, const Form *f, const char *name, const char *label, const PersonRow *m, int n);
/* Fills a form with a stored person / household (for an edit page or a partial API update). */
void person_form_fill(Req *r, Form *f, const Person *p);
void household_form_fill(Req *r, Form *f, const Household *h);

/* JSON of a person row (phone masked unless `full_phone`) and of a household with members. */
json_t *person_row_json(Req *r, const PersonRow *p, bool full_phone);
json_t *household_json_out(Req *r, const Household *h, const InScope *where);

/* Export handlers (export.c): GET /people/export.xlsx and .csv, /households/export.xlsx and .csv
 * (the format is the path's extension). */
void people_export(Req *r, Resp *w);
void households_export(Req *r, Resp *w);
/* API handlers (api.c). */
void api_people_list(Req *r, Resp *w);
void api_person_get(Req *r, Resp *w);
void api_person_create(Req *r, Resp *w);
void api_person_update(Req *r, Resp *w);
void api_person_reveal(Req *r, Resp *w);
void api_household_get(Req *r, Resp *w);
void api_household_create(Req *r, Resp *w);
void api_household_update(Req *r, Resp *w);

#endif
