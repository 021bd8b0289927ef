/* people.h — the roll of villagers (组民) and households (户): types and the write path.
 *
 * Every count in the product starts here: voters for quorum, households for visits, members for
 * committees. Writes go through roll.c (validation, sealing of ID numbers, history, audit);
 * queries, pages and the API live in store.c, pages.c and api.c. */
#ifndef ZW_PEOPLE_H
#define ZW_PEOPLE_H
#include "platform/audit.h"
#include "platform/db.h"
#include "platform/i18n.h"
#include "platform/router.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Person flags (person.flags), as PRODUCT.md lists them. */
enum {
    PF_PARTY = 1 << 0,     /* 党员 */
    PF_CHUNHUI = 1 << 1,   /* 春晖使者 returnee volunteer */
    PF_WEALTH = 1 << 2,    /* 致富能手 */
    PF_VETERAN = 1 << 3,   /* 复转军人 */
    PF_RETIRED = 1 << 4,   /* 退休公职人员 */
    PF_CADRE = 1 << 5,     /* 村两委干部 */
    PF_LEGAL = 1 << 6,     /* 法律明白人 */
    PF_LABOUR = 1 << 7,    /* 劳动力 */
    PF_ALL = (1 << 8) - 1,
    PF_RARE = PF_ALL & ~PF_LABOUR,   /* the flags of the partial indexes (015, 019): their WHERE says 127 */
};

typedef struct FlagName { unsigned bit; const char *key, *zh; } FlagName;
extern const FlagName person_flags[];   /* ends with {0, NULL, NULL} */

/* The counts unit_roll keeps for each unit's whole subtree (012, 014_roll_filters.sql), in column
 * order: people, the three statuses other than 'resident' (in RollStatus order, counting.h),
 * then one per flag in bit order, named by its key. ROLL_SUMS counts them over person rows (as
 * c.<column>), ROLL_TOTALS adds those up over a unit's groups, ROLL_ADD adds an upsert's values
 * to a row: the bulk load and `zuwei check` recount with them. */
enum { ROLL_STATUS_COL = 1, ROLL_FLAG_COL = 4, ROLL_NCOLS = 12 };
/* One count per flag in bit order, named by its key: over person rows, their totals over a unit's
 * groups, and an upsert's addition (unit_roll's and unit_profile's flag columns). */
#define FLAG_COLS "party, chunhui, wealth, veteran, retired, cadre, legal, labour"
#define FLAG_SUMS \
    "sum((flags & 1) != 0) AS party, sum((flags & 2) != 0) AS chunhui, sum((flags & 4) != 0) AS wealth," \
    " sum((flags & 8) != 0) AS veteran, sum((flags & 16) != 0) AS retired, sum((flags & 32) != 0) AS cadre," \
    " sum((flags & 64) != 0) AS legal, sum((flags & 128) != 0) AS labour"
#define FLAG_TOTALS \
    "sum(c.party), sum(c.chunhui), sum(c.wealth), sum(c.veteran), sum(c.retired), sum(c.cadre), sum(c.legal)," \
    " sum(c.labour)"
#define FLAG_ADD \
    "party = party + excluded.party, chunhui = chunhui + excluded.chunhui, wealth = wealth + excluded.wealth," \
    " veteran = veteran + excluded.veteran, retired = retired + excluded.retired, cadre = cadre + excluded.cadre," \
    " legal = legal + excluded.legal, labour = labour + excluded.labour"
#define ROLL_COLS "people, migrant, moved, deceased, " FLAG_COLS
#define ROLL_SUMS \
    "count(*) AS people, sum(status = 'migrant') AS migrant, sum(status = 'moved') AS moved," \
    " sum(status = 'deceased') AS deceased, " FLAG_SUMS
#define ROLL_TOTALS "sum(c.people), sum(c.migrant), sum(c.moved), sum(c.deceased), " FLAG_TOTALS
#define ROLL_ADD \
    "people = people + excluded.people, migrant = migrant + excluded.migrant," \
    " moved = moved + excluded.moved, deceased = deceased + excluded.deceased, " FLAG_ADD

/* The counts unit_profile keeps for each unit's whole subtree (024_unit_profile.sql), as ROLL_*
 * above: its current households' (PROFILE_HH_*, summed over household rows that are not ended)
 * and its living roll's flags (FLAG_*, over person rows at home or away working). */
#define PROFILE_HH_COLS "households, farmland_c, forest_c, livestock, poultry, lifted, monitored"
#define PROFILE_HH_SUMS \
    "count(*) AS households, sum(farmland_c) AS farmland_c, sum(forest_c) AS forest_c, sum(livestock) AS livestock," \
    " sum(poultry) AS poultry, sum(poverty = 'lifted') AS lifted, sum(poverty = 'monitored') AS monitored"
#define PROFILE_HH_TOTALS \
    "sum(c.households), sum(c.farmland_c), sum(c.forest_c), sum(c.livestock), sum(c.poultry), sum(c.lifted)," \
    " sum(c.monitored)"
#define PROFILE_HH_ADD \
    "households = households + excluded.households, farmland_c = farmland_c + excluded.farmland_c," \
    " forest_c = forest_c + excluded.forest_c, livestock = livestock + excluded.livestock," \
    " poultry = poultry + excluded.poultry, lifted = lifted + excluded.lifted, monitored = monitored + excluded.monitored"

typedef struct Person {
    int64_t id, unit_id, household_id;
    char name[96];              /* up to 30 characters */
    char sex;                   /* 'M' or 'F' */
    int32_t birth;              /* days since 1970-01-01 */
    char idnum[20];             /* clear text only while writing or after an audited reveal */
    char idmask[24];
    bool idnum_legacy;
    char phone[24];
    char ethnicity[32], education[32];
    char relation[16];          /* head spouse child parent grandchild grandparent sibling child_in_law other */
    char status[12];            /* resident moved migrant deceased */
    int32_t status_date;        /* 0 when none */
    unsigned flags;
} Person;

typedef struct Household {
    int64_t id, unit_id, head_id, rep_id;
    char hh_no[24], address[304];
    int64_t farmland_c, forest_c;   /* mu × 100 */
    int64_t livestock, poultry;
    char poverty[12];               /* none lifted monitored */
    char family_rules[6004];
    int members, labour, migrants;  /* from the roll */
    char ended_at[12];              /* 注销: YYYY-MM-DD, "" while current */
    char end_reason[12];            /* moved deceased merged other, "" while current */
} Household;

/* Errors of the write path: a field and a Chinese message. */
typedef struct PersonErr { const char *field, *code, *message; } PersonErr;

/* Checks a person's fields (name, sex, birth, ID number and its agreement with birth and sex,
 * phone, enumerations). Returns true when valid, else fills err. Pure: no database. */
bool person_check(const Person *p, int32_t today, PersonErr *err);

/* Seals p->idnum into the columns' values: ciphertext, blind index, mask, last four. Empty idnum
 * gives NULLs. Returns 0 or -1 (crypto not ready). */
typedef struct SealedId { char sealed[160], blind[33], mask[24], tail[8]; bool present; } SealedId;
int people_seal_idnum(const char *idnum, SealedId *out);
/* The same with the blind index already worked out by people_idnum_blind() (NULL: work it out
 * here), for the roster import, which needs it earlier to look the number up. */
int people_seal_idnum_blind(const char *idnum, const char *blind, SealedId *out);
/* Blind index of an ID number as typed (normalised: trimmed, x → X). */
void people_idnum_blind(const char *idnum, char out[33]);

/* Inserts a person inside the caller's transaction (no audit entry: the caller writes one).
 * Returns 0, PEOPLE_DUP_ID when the ID number is already on the roll, or -1. Sets p->id. */
enum { PEOPLE_DUP_ID = 1, PEOPLE_HH_LIVED_IN = 2, PEOPLE_HH_NO_TAKEN = 3, PEOPLE_MEMBERS_CHANGED = 4 };
int person_insert(Person *p, const char *event_date);
int household_insert(Household *h);
/* Sets a household's head and representative. Returns 0 or -1. */
int household_set_head_rep(int64_t household_id, int64_t head_id, int64_t rep_id);
/* Binds a person's columns (:unit :hh :rel :name :ini :sex :birth :phone :eth :edu :status :sdate
 * :flags, and with s the sealed ID number's :sealed :blind :mask :tail :legacy) into an INSERT or
 * UPDATE of person. */
void person_bind(Stmt *st, const Person *p, const SealedId *s);
/* Adds a history row (person_event); unit and household ids 0 are stored as NULL. Returns 0 or
 * an SQLite error code. */
int person_event_add(int64_t person, const char *kind, const char *date, int64_t fu, int64_t tu, int64_t fh, int64_t th,
                     const char *detail);
/* The id of the person with this ID number (any status), or 0. */
int64_t person_id_by_idnum(const char *idnum);

/* Bulk load (批量写入) of new households and people inside the caller's transaction, for the
 * roster import and the demo county (bulk.c):
 *     people_bulk_begin(&b, drop)            ids from b.first_person / b.first_household on are new;
 *     people_bulk_households(&b, rows, n)    any number of times, households before their people;
 *     people_bulk_people(&b, rows, n)        any number of times;
 *     people_bulk_heads(&b, rows, n)         the households' heads and representatives, once
 *                                            those people are in;
 *     people_bulk_end(&b, date)              indexes, counters and 'created' history rows.
 * The caller gives every new row its id, counting up from b.next_household and b.next_person (the
 * transaction holds the write lock, so nobody else takes them), and writes no other people between
 * begin and end: end counts and records every person from b.first_person on. Every call returns 0
 * or -1; after -1 the caller rolls back, which restores any dropped index. */
typedef struct PeopleBulk {
    int64_t first_person, next_person;
    int64_t first_household, next_household;
    bool indexes_dropped;      /* person's and household's indexes are to be built again at the end */
    char index_sql[2048];      /* their CREATE statements, as the schema held them */
    bool bypass_triggers;      /* the counting triggers are off while people go in */
} PeopleBulk;

/* A new household as the bulk load writes it (no family rules). */
typedef struct NewHousehold {
    int64_t id, unit_id, head_id, rep_id;   /* head and representative 0: none yet */
    const char *address;                    /* NULL: none */
    int64_t farmland_c, forest_c, livestock, poultry;
    char hh_no[24], poverty[12];            /* poverty "" is "none" */
} NewHousehold;

/* A new person: its fields (p->id set), its sealed ID number and its pinyin initials. */
typedef struct NewPerson {
    const Person *p;
    const SealedId *id;
    const char *initials;
} NewPerson;

/* Starts a bulk load; with `drop_indexes` person's nine secondary indexes and household's list and
 * head indexes are dropped until the end (worth it when the load at least doubles the roll). Must
 * be called inside a transaction. */
int people_bulk_begin(PeopleBulk *b, bool drop_indexes);
int people_bulk_households(PeopleBulk *b, const NewHousehold *rows, size_t n);
int people_bulk_people(PeopleBulk *b, const NewPerson *rows, size_t n);
int people_bulk_heads(PeopleBulk *b, const NewHousehold *rows, size_t n);
/* Ends the load: builds the dropped indexes, adds the new people to the group and household
 * counters, and writes their 'created' history rows dated event_date (YYYY-MM-DD). */
int people_bulk_end(PeopleBulk *b, const char *event_date);

/* Audited single changes for pages and the API. Return 0, PEOPLE_DUP_ID, or CHANGE_DB_ERROR. */
int person_create(const Actor *a, Person *p);
int person_update(const Actor *a, const Person *before, Person *after);
int household_create(const Actor *a, Household *h);
int household_update(const Actor *a, const Household *before, Household *after);
/* Ends (注销) a current household on `on` (YYYY-MM-DD) for `reason`: 0, PEOPLE_HH_LIVED_IN when
 * someone still lives in it or is away working (it stays as it is), or CHANGE_DB_ERROR. Its visit
 * assignment ends the same day (022_household_end.sql). */
int household_end(const Actor *a, const Household *h, const char *on, const char *reason);
/* Makes an ended household current again: 0, PEOPLE_HH_NO_TAKEN when its group has given its 户号
 * to another current household, or CHANGE_DB_ERROR. Its ended visit assignment stays ended. */
int household_restore(const Actor *a, const Household *h);

/* True when `id` is one of ids[0..n). */
static inline bool ids_contain(const int64_t *ids, int n, int64_t id) {
    for (int i = 0; i < n; i++)
        if (ids[i] == id) return true;
    return false;
}

/* 分户: some of a household's living members (at home or away working) form a new household of
 * the same group. The caller has checked the members, the new 户号 and both heads. */
typedef struct HouseholdSplit {
    const Household *from;
    Household *to;               /* unit_id, hh_no and address set; id set by household_split */
    const int64_t *members;      /* the people who move, each a living member of `from` */
    int nmembers;
    int64_t head_id;             /* the new household's head (and representative): one of members */
    int64_t from_head_id;        /* `from`'s head afterwards (one who stays): its head unless renamed */
} HouseholdSplit;
/* Moves the members to the new household, makes head_id its head and representative and gives
 * `from` its head afterwards, and a representative who stayed when theirs left; a new head's
 * relation becomes 'head', a former head's who stays 'other', and each move is in the person's
 * history. Returns 0,
 * PEOPLE_MEMBERS_CHANGED when a member is no longer a living member of `from` (nothing is written),
 * or CHANGE_DB_ERROR. */
int household_split(const Actor *a, HouseholdSplit *s);
/* 并户: every living member of `from` moves into `into` on `on` (YYYY-MM-DD), then `from` is ended
 * for 'merged'. A former head's relation becomes 'other' (the household has its own head).
 * Returns 0, PEOPLE_MEMBERS_CHANGED when `into` has been ended meanwhile or `from` keeps a member
 * (nothing is written), or CHANGE_DB_ERROR. */
int household_merge(const Actor *a, const Household *from, const Household *into, const char *on);

/* 整户迁组: a current household moves to another group `to_unit` as 户号 `hh_no` at `address` on
 * `on` (YYYY-MM-DD), with all its members (each move in their history); its visit assignment ends
 * that day, as the new group's committee visits it. Returns 0, PEOPLE_MEMBERS_CHANGED when it has
 * been ended meanwhile (nothing is written), or CHANGE_DB_ERROR. */
int household_move(const Actor *a, const Household *h, int64_t to_unit, const char *hh_no, const char *address,
                   const char *on);

/* Reading rows (no scope check: callers use the scoped lookups of store.c). */
bool person_load(int64_t id, Person *p);
bool household_load(int64_t id, Household *h);

/* For `zuwei check`: recounts every household's members, labour force, migrants and head's name,
 * and every unit's roll size, against the counters the triggers keep, checks that every person
 * is in a group and carries its village and that nobody lives in an ended household, and prints
 * the result.
 * Returns the number of mismatches (-1 when the database could not be read). */
int people_counts_check(void);
/* Decrypts a person's ID number into out (caller must have audited the reveal). */
int person_reveal_idnum(int64_t id, char out[20]);

extern const Route people_routes[];
extern const Msg people_msgs[];

#endif
