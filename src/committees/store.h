/* store.h — inside the committees mechanism: the rows of committees, members and formations, the
 * settings they follow, the changes (audited) and the scoped queries that pages.c, api.c and
 * notice.c share. Every read takes the caller's scope (a unit path); a row outside it is not found. */
#ifndef ZW_COMMITTEES_STORE_H
#define ZW_COMMITTEES_STORE_H
#include "committees/committees.h"
#include "committees/verdict.h"
#include "org/units.h"
#include "platform/validate.h"
#include <stdbool.h>
#include <stdint.h>

enum { COMMITTEE_PAGE = 50, MEMBERS_MAX = 40, CANDS_MAX = 40, PROXIES_MAX = 200, NOTE_SIZE = 804 };

/* ---- Settings (the `setting` table, with LEGAL.md's defaults when a key is absent) ---- */

/* Reads an integer setting; returns dflt when absent or not a number. */
int committee_setting_int(const char *key, int dflt);
/* The county's committee policy: committee.min_size, max_size, min_age, allow_migrant. */
CommitteePolicy committee_policy(void);

/* ---- Posts ---- */

extern const Choice committee_post_choices[];      /* chair mediator supervisor environment member custom */
extern const Choice member_end_choices[];
extern const Choice formation_body_choices[], formation_method_choices[], member_joined_choices[];
/* The rules.h post of a stored post value. */
Post committee_post_rule(const char *post);
/* The label of a post: the Chinese name, or the group's own post name (translated by the caller). */
const char *committee_post_label(const char *post, const char *post_name);

/* ---- Rows ---- */

typedef struct Committee {
    int64_t id, unit_id, formation_id;
    char term_start[11], term_end[11], ended_on[11], end_reason[12];
    char size_note[NOTE_SIZE];
    bool attention;
    char unit_path[UNIT_PATH_SIZE], unit_name[UNIT_NAME_SIZE];
} Committee;

typedef struct Member {
    int64_t id, committee_id, person_id, formation_id;
    char name[96], sex, birth[11], status[12];
    unsigned flags;
    int64_t person_unit;
    char post[12], post_name[84];
    char start_date[11], end_date[11], end_reason[12], joined_how[12];
    char end_note[NOTE_SIZE], cadre_reason[NOTE_SIZE], outside_reason[NOTE_SIZE], join_note[NOTE_SIZE];
} Member;

typedef struct Formation {
    int64_t id, unit_id, committee_id;
    char kind[12], held_on[11], place[244], body[16], method[16], convened_by[404], status[10];
    int seats, eligible, present, issued, returned, void_ballots, round, r_issued, r_returned, r_void;
    char result_note[NOTE_SIZE], size_note[NOTE_SIZE], confirmed_at[24];
    char unit_path[UNIT_PATH_SIZE], unit_name[UNIT_NAME_SIZE];
} Formation;

typedef struct FCand {
    int64_t id, person_id;
    char name[96], sex, birth[11], idmask[24];
    unsigned flags;
    char post[12], post_name[84];
    int votes, runoff_votes;        /* runoff_votes -1 when none */
    bool elected;
    char cadre_reason[NOTE_SIZE], outside_reason[NOTE_SIZE];
} FCand;

typedef struct FProxy {
    int64_t id, voter_id, proxy_id;
    char voter_name[96], proxy_name[96], relation[44];
} FProxy;

/* Loads committee `id` (with its group) inside `scope`. Returns 0 or -1. */
int committee_get(const char *scope, int64_t id, Committee *c);
/* The active committee of group `unit_id`, or 0. */
int64_t committee_active_id(int64_t unit_id);
/* Members of a committee (active only, or all with past ones), chair first. Returns the count or -1. */
int committee_members(int64_t committee_id, bool active_only, Member *out, int max);
/* Past committees of a group (ended), newest first. Returns the count or -1. */
int committee_history(int64_t unit_id, Committee *out, int max);
/* Loads formation `id` inside `scope`. Returns 0 or -1. */
int formation_get(const char *scope, int64_t id, Formation *f);
/* Formations of a group, newest first. Returns the count or -1. */
int group_formations(int64_t unit_id, Formation *out, int max);
int formation_cands(int64_t formation_id, FCand *out, int max);
int formation_proxies(int64_t formation_id, FProxy *out, int max);
/* Judges a stored formation with its candidates (facts of each person from the registry). */
void formation_evaluate(const Formation *f, const FCand *c, int n, const char *size_note, Verdict *v);
/* Writes a verdict problem as a sentence in the request's language. */
const char *verdict_problem_text(const Req *r, const Problem *p, const FCand *c, int n);

/* ---- Changes (each one audited; `why` gets a Chinese reason on FORMATION_INVALID) ---- */

/* Creates (*id == 0) or updates a draft formation from in (the lists in `in` replace the stored
 * candidates and proxies when replace_lists). Returns 0 or a FORMATION_* error. */
int formation_save(const Actor *a, int64_t *id, const FormationInput *in, bool replace_lists, char *why, size_t whysz);
/* Adds a candidate to a draft formation / removes one / adds or removes a proxy. */
int formation_cand_add(const Actor *a, const Formation *f, int64_t person_id, const char *post, const char *post_name,
                       char *why, size_t whysz);
int formation_cand_remove(const Actor *a, const Formation *f, int64_t cand_id);
int formation_proxy_add(const Actor *a, const Formation *f, int64_t voter, int64_t proxy, const char *relation, char *why,
                        size_t whysz);
int formation_proxy_remove(const Actor *a, const Formation *f, int64_t proxy_row);
/* Confirms a draft formation: creates the committee. Fills v. Returns 0, FORMATION_REFUSED, or
 * FORMATION_DB. */
int formation_confirm(const Actor *a, const Formation *f, const char *size_note, int64_t *committee_id, Verdict *v);
int formation_confirm_tx(const Actor *a, const Formation *f, const char *size_note, int64_t *committee_id, Verdict *v);

/* A member joining between elections (补选 or 调配). */
typedef struct MemberIn {
    int64_t person_id;
    const char *post, *post_name, *start_date, *how, *note, *cadre_reason, *outside_reason;
    int64_t replaces;                 /* a member of this committee who leaves ('replaced'), 0 = none */
} MemberIn;
/* Adds a member after checking the rules. Returns 0, or FORMATION_INVALID with the rule in *code
 * (rules.h) or why. */
int member_add(const Actor *a, const Committee *c, const MemberIn *in, int *code, char *why, size_t whysz);
/* Ends a member's post. Returns 0, FORMATION_INVALID (not an active member, bad date) or FORMATION_DB. */
int member_end(const Actor *a, const Committee *c, int64_t member_id, const char *date, const char *reason,
               const char *note, char *why, size_t whysz);
/* Sets committee.attention (需关注) from its active members: size outside the policy or no chair.
 * Returns 0 or an SQLite error. */
int committee_refresh_attention(int64_t committee_id);
/* Records the reason that acknowledges a committee size outside the policy. */
int committee_ack(const Actor *a, const Committee *c, const char *note);

/* ---- Lists and counts ---- */

typedef struct CommitteeFilter {
    const char *scope;               /* the caller's scope or a unit inside it */
    bool attention, nochair;
    int ending_days;                 /* > 0: term ends within this many days */
    int32_t today;
} CommitteeFilter;

typedef struct CommitteeRow {
    int64_t id, unit_id;
    char group_name[UNIT_NAME_SIZE], village_name[UNIT_NAME_SIZE], term_start[11], term_end[11], chair[96];
    int members, party, women;
    bool attention, nochair;
    char size_note[NOTE_SIZE];
} CommitteeRow;

typedef int (*CommitteeRowFn)(void *ctx, const CommitteeRow *row);
/* Lists active committees matching f, ordered by unit path, through the index of the first filter
 * (tally.c's counts and committee.path kept by triggers); calls fn per row. Returns the rows given
 * or -1; in *total (when not NULL) the number matching: the kept count of the scope's unit for no
 * filter, "need attention" or "no chair" alone, else a count capped at 1000. */
int committee_list(const CommitteeFilter *f, int offset, int limit, CommitteeRowFn fn, void *ctx, long long *total);

/* Composition of the active committees (the numbers the organisation department reports). */
typedef struct Composition {
    int64_t unit_id;                 /* the child unit (0 for the total) */
    char name[UNIT_NAME_SIZE];
    long long groups, committees, members, party, chunhui, wealth, veteran, retired, cadres, women, age[4], attention,
        nochair;
} Composition;
/* Fills one row per child unit of `u` not ended (at most max) and the total, from the counts kept
 * per unit (tally.c): a few index reads per row whatever the county's size. Returns the rows
 * written or -1. */
int composition_rollup(const Unit *u, int32_t today, Composition *rows, int max, Composition *total);
/* Composition of one committee's active members. */
void committee_composition(int64_t committee_id, int32_t today, Composition *out);

#endif
