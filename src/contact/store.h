/* store.h — inside the contact mechanism: records, assignments and the compliance counters.
 *
 * Reading and writing visits, guidance contacts and assignments, and keeping the counters of
 * docs/compliance.md in step. Every write function here runs inside the caller's transaction
 * (normally change_apply's) and updates the counters in that same transaction; none writes an
 * audit entry — the pages and the API do that through change_apply(). */
#ifndef ZW_CONTACT_STORE_H
#define ZW_CONTACT_STORE_H
#include "contact/compliance.h"
#include "contact/contact.h"
#include "platform/buf.h"
#include "platform/db.h"
#include "platform/memtable.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    CONTACT_EDIT_DAYS = 7,           /* the author may edit a record for 7 days */
    CONTACT_PAGE = 50,               /* rows per page */
    CONTACT_PHOTO_MAX = 5 << 20,     /* 5 MiB */
    CONTACT_BATCH_MAX = 200,         /* visits per batch upload */
};

/* A household visit (入户走访). Text fields live in the caller's arena or are literals. */
typedef struct Visit {
    int64_t id, member_id, member_unit, household_id, unit_id, entered_by;
    int32_t day;
    unsigned duties;
    bool on_behalf, voided;
    const char *client_id;           /* NULL when entered online */
    const char *purpose, *requests, *problems, *help, *follow_up;
    const char *created_at, *void_reason;
    /* filled by visit_load */
    const char *member_name, *hh_label, *unit_name, *unit_path, *entered_name;
    bool has_photo;
} Visit;

/* A guidance contact (联系指导). */
typedef struct Guidance {
    int64_t id, user_id, committee_id, unit_id, entered_by;
    int32_t day;
    unsigned duties;
    bool voided;
    const char *client_id, *how, *checked, *problems, *advice, *follow_up;
    const char *created_at, *void_reason;
    const char *cadre_name, *unit_name, *unit_path;
} Guidance;

/* The county's thresholds from the setting table, with the defaults of LEGAL.md. */
CompliancePolicy contact_policy(void);

/* Makes sure the counters of a month (YYYYMM) or quarter (YYYYQ) exist and that seat changes
 * since the last call are counted. Inside a transaction when in_tx, else in its own. Returns 0 or
 * -1. A month or quarter after the current one is never materialised. */
int contact_prepare_month(int month, bool in_tx);
int contact_prepare_quarter(int quarter, bool in_tx);

/* Writes inside the caller's transaction; counters follow. Return 0 or -1. */
int visit_insert(Visit *v);
int visit_update(const Visit *before, const Visit *after);
int visit_void(const Visit *v, const char *reason, int64_t by);
int guidance_insert(Guidance *g);
int guidance_update(const Guidance *before, const Guidance *after);
int guidance_void(const Guidance *g, const char *reason, int64_t by);
/* Stores a visit's photo (already stripped of EXIF). */
int visit_photo_put(int64_t visit_id, const char *mime, const void *data, size_t n);

/* Assignments inside the caller's transaction. The household one ends any current assignment of
 * the household first. Return 0 or -1. */
int assign_household(int64_t person_id, int64_t household_id, int64_t unit_id, const char *start, int64_t by);
int assign_household_end(int64_t id, const char *end);
int assign_guide(int64_t user_id, int64_t committee_id, int64_t unit_id, const char *start, int64_t by);
int assign_guide_end(int64_t id, const char *end, const char *note);

/* Loads a visit / guidance contact inside scope; false when absent or outside. Strings are put in
 * the arena. */
bool visit_load(Arena *a, const char *scope, int64_t id, Visit *v);
bool guidance_load(Arena *a, const char *scope, int64_t id, Guidance *g);
/* The id of the visit with this client id, or 0. */
int64_t visit_by_client_id(const char *client_id);
int64_t guidance_by_client_id(const char *client_id);

/* The member's group on a day: the committee's unit of a seat covering `day`, or 0 when the
 * person held no seat then. */
int64_t member_unit_on(int64_t person_id, int32_t day);
/* The committee id and group of the cadre's active (on `day`) assignment to `committee_id`;
 * 0 when there is none. */
int64_t guide_assigned_on(int64_t user_id, int64_t committee_id, int32_t day);

/* Counter steps used by records.c: a member's visits in a month, a cadre's contacts with a
 * committee in a quarter, by d (+1 or -1); the pair's counters after its assignments changed. */
int contact_bump_visit(int64_t person, int64_t member_unit, int month, int d);
int contact_bump_guidance(int64_t user_id, int64_t committee_id, int64_t unit_id, int quarter, int d);
int contact_refresh_pair(int64_t user_id, int64_t committee_id);
/* Moves the visit list's totals (visit_tally) of a household group and its ancestors in a month:
 * dv visits in force, dx voided ones. */
int contact_tally_visit(int64_t unit_id, int month, int dv, int dx);
/* Rows in memory handed to SQL as the table contact_rows(:src) (counters.c, a MemTable of
 * platform/memtable.h): its columns c0..c15 are what the source's column function gives. */
/* Registers contact_rows on this connection unless it is there. Returns 0 or -1. */
int contact_rows_register(void);
/* The cached statement for SQL (a literal reading contact_rows(:src)), the table registered
 * first; NULL on error. */
#define contact_rows_prep(SQL) (contact_rows_register() == 0 ? db_prep(SQL) : NULL)
/* Binds rows to :src of st (from contact_rows_prep) and runs it. Returns 0 or an SQLite error
 * code (SQLITE_ERROR for a NULL st). */
int contact_rows_exec(Stmt *st, const MemSource *rows);

/* A member's visits to the households of a group in a month, as the demo reports them
 * (contact_demo_visit_sum). */
typedef struct ContactVisitSum { int64_t member, member_unit, unit; int month, visits; } ContactVisitSum;
/* Recomputes every counter inside the caller's transaction like contact_rebuild; with sums
 * (n > 0, reordered here), counting the visits from them instead of the visit rows. Returns 0 or
 * -1. */
int contact_rebuild_tx(ContactVisitSum *sums, size_t n);

/* A JSON array "[1,12,345]" of the unit ids on a materialised path, into out. */
void path_ids_json(const char *path, char *out, size_t outsz);

#endif
