/* units.h — the store of the org tree (组织架构): units and their party organisations.
 *
 * Every function here that lists or fetches units takes the caller's scope (a materialised path
 * such as "/1/12/", see platform/auth.h) and sees only units whose path lies inside it: a unit
 * outside the scope is reported as not found, exactly like one that does not exist. "/" is the
 * scope of the command line and sees everything.
 *
 * Changes go through change_apply() (platform/audit.h) and are refused with a UnitErr that names
 * the field at fault, a stable code and a Chinese message (translate it with T()). Units are
 * ended, never deleted. */
#ifndef ZW_ORG_UNITS_H
#define ZW_ORG_UNITS_H
#include "org/divcode.h"
#include "platform/audit.h"
#include <stdbool.h>
#include <stdint.h>

enum {
    UNIT_NAME_MAX = 60,          /* characters */
    UNIT_NAME_SIZE = 60 * 4 + 1, /* bytes of UTF-8 */
    UNIT_PATH_SIZE = 128,
    LEADER_NAME_MAX = 30,
    UNIT_PAGE = 50,              /* rows per page of children and search results */
};

/* Scope of the command line and of internal work: the whole database. */
#define SCOPE_ALL "/"
/* SQL: the units on a unit path ("/1/12/345/") as a table of their ids (column `value`), for
 * counters kept for a unit and each of its ancestors: FROM unit g, UNIT_PATH_IDS("g.path") j. */
#define UNIT_PATH_IDS(path) "json_each('[' || replace(trim(" path ", '/'), '/', ',') || ']')"

typedef struct Unit {
    int64_t id, parent_id;                /* parent_id 0 for a county */
    UnitKind kind;
    char subkind[8];                      /* '' | street 街道 | town 镇 | xiang 乡 | group 村民组 | hamlet 自然寨 */
    char name[UNIT_NAME_SIZE];
    char code[DIVCODE_SIZE];              /* "" when the unit has no division code */
    char path[UNIT_PATH_SIZE];            /* "/1/12/345/" */
    int depth, sort;
    char start_date[11], end_date[11];    /* end_date "" while the unit is active */
    int64_t active_children;              /* direct children not ended */
    char parent_name[UNIT_NAME_SIZE];     /* "" when there is no parent or it lies outside the scope */
} Unit;

/* Why a change was refused. status is the HTTP status a page or API answers with (404 not found
 * or out of scope, 422 invalid, 500 database error); field is the input at fault (NULL when
 * none); code is a stable machine code; msg is Simplified Chinese. */
typedef struct UnitErr {
    int status;
    const char *field, *code, *msg;
} UnitErr;

/* Input of a new unit or of an edit. Absent text is NULL or "". */
typedef struct UnitInput {
    int64_t parent_id;        /* create only; 0 only for a county (command line) */
    const char *kind;         /* create only: "county", "township", ...; NULL = the kind the parent takes */
    const char *subkind;      /* NULL or "" = derived (a township from its code, a group is 'group') */
    const char *name;
    const char *code;         /* NULL or "" = no division code */
    int sort;
    const char *start_date;   /* create only: 'YYYY-MM-DD'; NULL = today */
} UnitInput;

/* Party organisation (党组织) beside a unit: committee 党委 (township), branch 党支部 (village),
 * group 党小组 (village group). */
typedef struct PartyOrg {
    int64_t id, unit_id, parent_id;
    char kind[12];
    char name[UNIT_NAME_SIZE];
    char leader_name[LEADER_NAME_MAX * 4 + 1];
    char start_date[11], end_date[11];
} PartyOrg;

/* ---- Kinds ---- */

/* "county", "township", "village", "group". */
const char *unit_kind_name(UnitKind k);
/* Parses a kind name; returns 0 and sets *k, or -1. */
int unit_kind_parse(const char *s, UnitKind *k);
/* The Chinese label of a unit's level: 县, 街道/镇/乡 (乡镇 when unknown), 行政村, 村民组/自然寨. */
const char *unit_kind_zh(UnitKind k, const char *subkind);
/* True when a unit of kind k may take children; sets *child to their kind. */
bool unit_child_kind(UnitKind k, UnitKind *child);
/* True when subkind is allowed for kind ('' for county and village). */
bool unit_subkind_fits(UnitKind k, const char *subkind);
/* True when the unit has been ended (撤销). */
bool unit_ended(const Unit *u);

/* ---- Reading (scoped) ---- */

/* Fetches unit `id` inside `scope`. Returns 0, or -1 when it does not exist or lies outside. */
int unit_get(const char *scope, int64_t id, Unit *u);
/* Fetches the unit with division code `code` inside `scope`. Returns 0 or -1. */
int unit_by_code(const char *scope, const char *code, Unit *u);
/* Lists up to `max` direct children of `parent_id` inside `scope`, ordered by sort and name,
 * skipping `offset`; ended children only with `with_ended`. Returns the number written into out,
 * and the total in *total. */
int unit_children(const char *scope, int64_t parent_id, bool with_ended, int offset, int max, Unit *out,
                  long long *total);
/* Calls fn with the id and name of each of the first `max` active children of parent_id inside the
 * scope, in display order (for menus and pickers: one index range, no Unit filled). Returns how
 * many, or -1. */
typedef void (*UnitNameFn)(void *ctx, int64_t id, const char *name);
int unit_child_names(const char *scope, int64_t parent_id, int max, UnitNameFn fn, void *ctx);
/* Finds units inside `scope` whose name contains `q` or whose code starts with `q`, paged as
 * unit_children. */
int unit_search(const char *scope, const char *q, bool with_ended, int offset, int max, Unit *out,
                long long *total);
/* The number of units on a path, read from the path alone: 1 for a county ("/1/"), 2 for a
 * township, 3 for a village, 4 for a group (each kind sits only under the one above it). */
int unit_path_levels(const char *path);
/* Writes the path of child `id` under `parent_path` ("/1/12/" and 345: "/1/12/345/") into out.
 * Returns 0, or -1 when it would not fit (a tree four levels deep never comes close). */
int unit_child_path(char out[UNIT_PATH_SIZE], const char *parent_path, int64_t id);
/* The shape of the scope whose unit has path `path`, for choosing how a list is read: *group when
 * it is a village group, *whole when it is the only root (every unit lies in it). Both false when
 * no unit has that path. */
void unit_scope_shape(const char *path, bool *group, bool *whole);
/* Counts the active units of each kind below `u` (not u itself), indexed by UnitKind. */
void unit_descendant_counts(const Unit *u, long long counts[4]);
/* The units whose counts of active units below (unit_below, 025_units_below.sql) differ from a
 * recount of the tree, for `zuwei check`; -1 when they cannot be read. */
int units_below_check(void);
/* Writes the ancestors of `u` that lie inside `scope`, outermost first, then u itself; returns how
 * many were written (at most max). The ancestors carry no child count and no parent name. */
int unit_lineage(const char *scope, const Unit *u, Unit *out, int max);

/* ---- Changes (scoped, audited) ---- */

/* Creates a unit under in->parent_id (which must lie inside `scope` and be active). Checks the
 * kind against the parent, the subkind, the name, the code's format, its nesting in the parent's
 * code and its uniqueness. Returns 0 and sets *id, or -1 with *err filled. */
int unit_create(const Actor *a, const char *scope, const UnitInput *in, int64_t *id, UnitErr *err);
/* Changes name, code, subkind and sort of unit `id` (inside scope). A new code is rewritten into
 * the codes of the unit's descendants. Returns 0 or -1 with *err. */
int unit_update(const Actor *a, const char *scope, int64_t id, const UnitInput *in, UnitErr *err);
/* Moves unit `id` under `new_parent_id` (both inside scope), rewriting the paths of its whole
 * subtree. Refuses a county, an ended unit or parent, a move under itself or a descendant, and a
 * parent of the wrong kind. When the unit's code does not nest in the new parent's, `new_code`
 * (NULL or "" for none) must give one; it is rewritten into the descendants' codes too.
 * Returns 0 or -1 with *err. */
int unit_move(const Actor *a, const char *scope, int64_t id, int64_t new_parent_id, const char *new_code,
              UnitErr *err);
/* Ends unit `id` (and its party organisation) on `end_date` ('YYYY-MM-DD'). Refuses a county, a
 * unit already ended, one with active children, and a date before the unit's start. Returns 0 or
 * -1 with *err. */
int unit_end(const Actor *a, const char *scope, int64_t id, const char *end_date, UnitErr *err);

/* ---- Writing inside the caller's transaction (the CSV import) ---- */

/* Inserts a unit under `parent` (NULL for a county) with its path and depth. No checks beyond the
 * schema's. Returns 0 and sets *id, or an SQLite error code. */
int unit_insert_tx(const Unit *parent, UnitKind kind, const char *subkind, const char *name, const char *code,
                   int sort, const char *start_date, int64_t *id);
/* Renames unit `id`. Returns 0 or an SQLite error code. */
int unit_rename_tx(int64_t id, const char *name);

/* ---- Party organisations ---- */

/* Fetches the active party organisation of unit `unit_id` (inside scope). Returns 0 or -1. */
int party_get(const char *scope, int64_t unit_id, PartyOrg *p);
/* The kind of party organisation a unit of kind k has ("committee", "branch", "group"), or NULL
 * for a county (the county party committee is not kept here). */
const char *party_kind_for(UnitKind k);
/* Chinese label of a party organisation kind: 党委, 党支部, 党小组. */
const char *party_kind_zh(const char *kind);
/* Creates or changes the active party organisation of unit `unit_id` (inside scope, active, not a
 * county). Returns 0 or -1 with *err. */
int party_save(const Actor *a, const char *scope, int64_t unit_id, const char *name, const char *leader_name,
               UnitErr *err);

/* Today as 'YYYY-MM-DD' (honours ZUWEI_TODAY). */
void unit_today(char out[11]);

#endif
