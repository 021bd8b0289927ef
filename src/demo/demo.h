/* demo.h — `zuwei demo`: a deterministic reference county (江口县) written into an empty database.
 *
 * The county follows the seed article: 2 streets, 6 towns and 2 townships, 105 administrative
 * villages, 1,620 village groups with their party organisations, ~73,000 households and ~240,000
 * people with valid ID numbers, plus one login for every role. Everything comes from our own PRNG
 * seeded by --seed, so the same seed gives the same county. names.c holds the name and place
 * material the generator draws from. */
#ifndef ZW_DEMO_H
#define ZW_DEMO_H
#include <stddef.h>
#include <stdint.h>

/* A choice with a relative weight (surnames by rough frequency, ethnic groups, ...). */
typedef struct Weighted { const char *text; int weight; } Weighted;

extern const Weighted demo_surnames[];        /* ends with {NULL, 0} */
extern const char *const demo_given_male[];   /* one character each; end with NULL */
extern const char *const demo_given_female[];
extern const char *const demo_given_any[];
extern const char *const demo_place_first[];  /* first syllable of a village or hamlet name */
extern const char *const demo_place_second[]; /* second syllable: 坪 溪 坝 寨 ... */
extern const char *const demo_hamlet_suffix[];/* 寨 组 院子 ... */
extern const Weighted demo_ethnicities[];
extern const char *const demo_numerals[];     /* 一 .. 二十 */

typedef struct DemoTownship { const char *name, *subkind; int code; } DemoTownship;
extern const DemoTownship demo_townships[];   /* the 10 townships; ends with {NULL, NULL, 0} */

/* The generator's PRNG (splitmix64): small, fast and the same on every machine. */
typedef struct Rng { uint64_t s; } Rng;
uint64_t rng_next(Rng *r);
/* A number in [0, n). */
uint32_t rng_below(Rng *r, uint32_t n);
/* True with probability p (0..1). */
int rng_chance(Rng *r, double p);
/* Picks an entry of a {NULL, 0}-terminated weighted table. */
const char *rng_weighted(Rng *r, const Weighted *t);
/* Picks an entry of a NULL-terminated list. */
const char *rng_pick(Rng *r, const char *const *list);

/* Counts of a generated county (also written to the audit entry). */
typedef struct DemoCounts { long townships, villages, groups, households, people, users; } DemoCounts;

/* Counts of the county's life after the roll: committees (demo_committees.c), deliberation
 * (demo_matters.c) and two-way contact (demo_visits.c). Each part writes them into its own audit
 * entry "demo". */
typedef struct DemoLife {
    long committees, members, women, party_members, cadre_members, size_noted, custom_posts, failed_formations;
    long party_leaders, vacancies, replacements;
    long matters, rules_adopted, meetings, votes_failed_quorum, votes_failed_majority, stuck;
    long stage[5];                 /* matters per stage: consult propose decide implement closed */
    long cadre_logins, guide_pairs, guidance, assignments, visits;
} DemoLife;

/* Each part draws from its own generator seeded from --seed, so a change in one part leaves the
 * others as they were. */
Rng demo_rng(uint64_t seed, uint64_t part);
/* A date as YYYY-MM-DD into out (11 bytes). */
void demo_date(int32_t day, char out[11]);

/* Party-group leaders and a committee in every village group, formed through the committees'
 * formation path inside one transaction with one audit entry "demo". Returns 0 or -1 (message on
 * stderr). */
int demo_committees(uint64_t seed, int32_t today, DemoLife *n);
/* Later changes of a few committees, each through the committees' own audited change: members who
 * resign and are not replaced (vacancies), members replaced by assignment (调配). Returns 0 or -1. */
int demo_committee_changes(uint64_t seed, int32_t today, DemoLife *n);
/* Matters in every stage and adopted group rules (组规民约), through the deliberation's demo calls in
 * one transaction with one audit entry "demo". `matters` is the number of ordinary matters. */
int demo_deliberation(uint64_t seed, int32_t today, int matters, DemoLife *n);
/* Household assignments, three years of household visits and the cadres' guidance contacts through
 * the contact module's bulk path, its counters rebuilt from per-month sums and one audit entry
 * "demo", all in one transaction. Returns 0 or -1. */
int demo_contact(uint64_t seed, int32_t today, DemoLife *n);

/* The page cache the demo gives its connection (256 MB): the roll's random ID blind indexes land
 * all over their index. */
#define DEMO_CACHE_SIZE "PRAGMA cache_size = -262144"

/* The connection set up for one of the demo's big transactions (the roll, the visits), each of
 * which writes only rows naming what it has just read or made, into pages new to the file: no
 * per-row foreign-key lookups (`zuwei check` runs foreign_key_check afterwards), and db_bulk_mode
 * (a rollback journal, the sorter's runs in a temporary file). Sorter threads (PRAGMA threads)
 * were tried too: they also compare the row ids of equal keys, which cost more than they saved on
 * two cores. The pragmas work only outside a transaction; demo_bulk_end() puts back what db.c sets
 * on every connection. */
void demo_bulk_begin(void);
void demo_bulk_end(void);

/* `zuwei demo [--seed N] [--scale K] [--small]`; argv[0] == "demo". Expects the database open and
 * empty of units. Returns 0, 1 when the work failed, 2 on a wrong command line. */
int cmd_demo(int argc, char **argv);

#endif
