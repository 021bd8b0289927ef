/* demo_committees.c — the committees of the demo county: a party-group leader (党小组组长) and a
 * group committee (组委会) in every village group, formed about three years ago at a group assembly
 * through formation_record_and_confirm_tx(), the same checks and write path as the web form. The
 * eligible voters are counted from the roll by that function; the tallies we give it are plausible
 * (75–95% present, a few void ballots, winners with more than half of the ballots cast). A handful
 * of first formations miss the quorum and are held again two to four weeks later; a few groups have
 * 2 or 6 members (with the reason that acknowledges it), a village cadre with a reason, or a post of
 * their own (按需设职). Later, a few members resign and are not replaced, and a few are replaced by
 * the village (调配) through the committees' own audited changes. */
#include "committees/committees.h"
#include "committees/store.h"
#include "demo/demo.h"
#include "people/people.h"
#include "people/store.h"
#include "platform/date.h"
#include "platform/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A villager as the committee part sees them. */
typedef struct Villager {
    int64_t id;
    char name[96], sex;
    int32_t birth;
    unsigned flags;
    bool resident, rep, taken;
} Villager;

/* The people of one group, read from the roll: as villagers, and as the counting rules see them
 * (e[0..ne), the rows group_roll() would give, so roll_count() on them counts what the
 * committees' formation path counts). */
typedef struct Roll { Villager *v; RollEntry *e; int n, ne, cap; } Roll;

/* Grows the buffers of roll to hold one more person. Returns 0 or -1. */
static int roll_grow(Roll *roll) {
    if (roll->n < roll->cap) return 0;
    int cap = roll->cap ? roll->cap * 2 : 256;
    Villager *nv = realloc(roll->v, (size_t)cap * sizeof *nv);
    if (!nv) return -1;
    roll->v = nv;
    RollEntry *ne = realloc(roll->e, (size_t)cap * sizeof *ne);
    if (!ne) return -1;
    roll->e = ne;
    roll->cap = cap;
    return 0;
}

/* The roll of the county read in one pass, group by group: one statement over every person in
 * the order of their group, then id, with each person's latest move into their group from one
 * aggregate (~0.4 s; a statement per group with a person_event lookup per person took ~0.5 s of
 * the committees' 1.6 s). `rc` is the last step's result: SQLITE_ROW while a row waits. */
typedef struct RollScan { Stmt *st; int rc; } RollScan;

static RollScan roll_scan(void) {
    Stmt *st = db_prep("SELECT p.unit_id, p.id, p.name, p.sex, p.birth, p.flags, p.status, coalesce(h.rep_id = p.id, 0),"
                       " coalesce(p.status_date, ''), coalesce(m.joined, '')"
                       " FROM person p LEFT JOIN household h ON h.id = p.household_id"
                       " LEFT JOIN (SELECT person_id, to_unit, max(on_date) AS joined FROM person_event WHERE kind = 'moved'"
                       " GROUP BY person_id, to_unit) m ON m.person_id = p.id AND m.to_unit = p.unit_id"
                       " ORDER BY p.unit_id, p.id");
    return (RollScan){st, st ? db_step(st) : SQLITE_ERROR};
}

/* Reads the people of group `unit_id` from the scan into roll (reusing its buffers); the groups
 * are asked for in id order. A person joined the group on the date of their latest move into it,
 * as in group_roll(). Returns 0 or -1. */
static int roll_load(RollScan *scan, int64_t unit_id, Roll *roll) {
    Stmt *st = scan->st;
    roll->n = roll->ne = 0;
    while (scan->rc == SQLITE_ROW && db_col_int(st, 0) < unit_id) scan->rc = db_step(st);
    for (; scan->rc == SQLITE_ROW && db_col_int(st, 0) == unit_id; scan->rc = db_step(st)) {
        if (roll_grow(roll) != 0) return -1;
        Villager *p = &roll->v[roll->n++];
        p->id = db_col_int(st, 1);
        snprintf(p->name, sizeof p->name, "%s", db_col_text(st, 2));
        p->sex = db_col_text(st, 3)[0];
        p->birth = 0;
        date_parse(db_col_text(st, 4), &p->birth);
        p->flags = (unsigned)db_col_int(st, 5);
        p->resident = strcmp(db_col_text(st, 6), "resident") == 0;
        p->rep = db_col_int(st, 7) != 0;
        p->taken = false;
        RollEntry *e = &roll->e[roll->ne];
        *e = (RollEntry){0, ROLL_RESIDENT, 0, INT32_MIN, p->rep, p->flags};
        if (date_parse(db_col_text(st, 4), &e->birth) != 0 || roll_status_parse(db_col_text(st, 6), &e->status) != 0)
            continue;   /* left out of the counts, as group_roll() leaves it out */
        if (*db_col_text(st, 8)) date_parse(db_col_text(st, 8), &e->status_date);
        if (*db_col_text(st, 9)) date_parse(db_col_text(st, 9), &e->joined);
        roll->ne++;
    }
    return scan->rc == SQLITE_ROW || scan->rc == SQLITE_DONE ? 0 : -1;
}

/* How likely a villager is to be put forward: party members, 春晖使者, 致富能手, veterans, retired
 * officials and the legally literate are weighted up; women stand less often (about a quarter of
 * the members). 0 when the person cannot stand: not living in the group, outside 25–65 on `on`,
 * already chosen, or a village cadre (they serve only in the few groups that record a reason). */
static int stand_weight(const Villager *p, int32_t on) {
    int age = age_on(p->birth, on);
    if (!p->resident || p->taken || age < 25 || age > 65 || (p->flags & PF_CADRE)) return 0;
    int w = 10;
    if (p->flags & PF_PARTY) w += 30;
    if (p->flags & PF_CHUNHUI) w += 30;
    if (p->flags & PF_WEALTH) w += 30;
    if (p->flags & PF_VETERAN) w += 20;
    if (p->flags & (PF_RETIRED | PF_LEGAL)) w += 10;
    if (age >= 35 && age <= 58) w += 5;
    return p->sex == 'F' ? w / 2 : w;
}

/* Picks a candidate by weight and marks them taken. Returns the index, or -1 when nobody can stand. */
static int pick_candidate(Rng *r, Roll *roll, int32_t on) {
    long total = 0;
    for (int i = 0; i < roll->n; i++) total += stand_weight(&roll->v[i], on);
    if (total <= 0) return -1;
    long x = (long)rng_below(r, (uint32_t)total);
    for (int i = 0; i < roll->n; i++) {
        int w = stand_weight(&roll->v[i], on);
        if (x < w) { roll->v[i].taken = true; return i; }
        x -= w;
    }
    return -1;
}

/* A village cadre of the group who may stand (resident, 25–65), or -1. */
static int pick_cadre(Roll *roll, int32_t on) {
    for (int i = 0; i < roll->n; i++) {
        Villager *p = &roll->v[i];
        int age = age_on(p->birth, on);
        if ((p->flags & PF_CADRE) && p->resident && !p->taken && age >= 25 && age <= 65) { p->taken = true; return i; }
    }
    return -1;
}

/* The party group's leader: a resident party member aged 30–70, preferring 40–60. Returns the
 * index or -1 when the group has none. */
static int pick_leader(Rng *r, const Roll *roll, int32_t today) {
    int best = -1, best_score = -1;
    for (int i = 0; i < roll->n; i++) {
        const Villager *p = &roll->v[i];
        int age = age_on(p->birth, today);
        if (!(p->flags & PF_PARTY) || !p->resident || age < 30 || age > 70) continue;
        int score = (int)rng_below(r, 100) + (age >= 40 && age <= 60 ? 60 : 0) + (p->sex == 'M' ? 20 : 0);
        if (score > best_score) { best = i; best_score = score; }
    }
    return best;
}

/* The special cases of a group, chosen by its place in the county so that even the small county
 * (6 groups) shows each of them once. */
enum { CASE_FAILS = 1, CASE_SIZE2 = 2, CASE_SIZE6 = 4, CASE_CADRE = 8, CASE_VACANCY = 16, CASE_REPLACED = 32,
       CASE_CUSTOM = 64 };

static unsigned group_cases(int i) {
    unsigned c = 0;
    if (i % 97 == 1) c |= CASE_FAILS;
    if (i % 113 == 2) c |= CASE_SIZE2;
    if (i % 59 == 3) c |= CASE_SIZE6;
    if (i % 41 == 4) c |= CASE_CADRE;
    if (i % 37 == 5) c |= CASE_VACANCY;
    if (i % 43 == 0) c |= CASE_REPLACED;
    if (i % 7 == 6 || i % 11 == 4) c |= CASE_CUSTOM;
    return c;
}

static const char *const custom_posts[] = {"产业委员", "宣传委员", "治安委员", "妇女委员", "文化委员", "产业委员", NULL};

/* Votes of a winner out of `returned` ballots of which `voids` are void: more than half of the
 * ballots cast, at most the valid ones. */
static int winner_votes(Rng *r, int returned, int voids) {
    int lo = returned / 2 + 1, hi = returned - voids;
    if (hi < lo) hi = lo;
    int top = lo + (int)((hi - lo) * 0.9);
    int v = top - (int)rng_below(r, (uint32_t)(top - lo) / 2 + 1);
    return v < lo ? lo : v;
}

/* One formation meeting's plan: seats and candidates, with the posts they stand for. */
typedef struct Plan {
    FormationCandidateIn c[16];
    int n, seats;
    const char *size_note;
} Plan;

/* Adds the candidates of one post: one, or two when contested (the loser gets what is left). */
static int plan_post(Rng *r, Plan *pl, Roll *roll, int32_t on, const char *post, const char *post_name, int returned,
                     int voids) {
    int i = pick_candidate(r, roll, on);
    if (i < 0) return -1;
    int w = winner_votes(r, returned, voids);
    pl->c[pl->n++] = (FormationCandidateIn){roll->v[i].id, post, post_name, w, -1, NULL, NULL};
    if (rng_chance(r, 0.4) && returned - voids - w > 0) {
        int j = pick_candidate(r, roll, on);
        if (j >= 0)
            pl->c[pl->n++] = (FormationCandidateIn){roll->v[j].id, post, post_name,
                                                    (int)rng_below(r, (uint32_t)(returned - voids - w + 1)), -1, NULL, NULL};
    }
    return 0;
}

/* Plans the candidates of a formation with `returned` ballots (`voids` void). The chair is the
 * party group's leader in about 40% of groups (交叉任职) when that person may stand. */
static int plan_formation(Rng *r, Plan *pl, Roll *roll, int32_t on, unsigned cases, int leader, int returned, int voids) {
    pl->n = 0;
    pl->size_note = NULL;
    for (int i = 0; i < roll->n; i++) roll->v[i].taken = false;
    if (leader >= 0 && rng_chance(r, 0.4) && stand_weight(&roll->v[leader], on) > 0) {
        roll->v[leader].taken = true;
        pl->c[pl->n++] = (FormationCandidateIn){roll->v[leader].id, "chair", NULL, winner_votes(r, returned, voids), -1, NULL, NULL};
    } else if (plan_post(r, pl, roll, on, "chair", NULL, returned, voids) != 0) {
        return -1;
    }
    if (plan_post(r, pl, roll, on, "mediator", NULL, returned, voids) != 0) return -1;
    pl->seats = 2;
    if (cases & CASE_SIZE2) {
        pl->size_note = "本组仅十余户，经组民大会同意暂设 2 名成员";
        return 0;
    }
    if (cases & CASE_CADRE) {
        int c = pick_cadre(roll, on);
        if (c >= 0) {
            pl->c[pl->n++] = (FormationCandidateIn){roll->v[c].id, "supervisor", NULL, winner_votes(r, returned, voids), -1,
                                                    "本组党员群众推荐，村两委干部兼任，村党支部同意", NULL};
        } else if (plan_post(r, pl, roll, on, "supervisor", NULL, returned, voids) != 0) {
            return -1;
        }
    } else if (plan_post(r, pl, roll, on, "supervisor", NULL, returned, voids) != 0) {
        return -1;
    }
    if (plan_post(r, pl, roll, on, "environment", NULL, returned, voids) != 0) return -1;
    pl->seats = 4;
    if (cases & (CASE_CUSTOM | CASE_SIZE6)) {
        if (plan_post(r, pl, roll, on, "custom", rng_pick(r, custom_posts), returned, voids) != 0) return -1;
        pl->seats = 5;
    }
    if (cases & CASE_SIZE6) {
        if (plan_post(r, pl, roll, on, "member", NULL, returned, voids) != 0) return -1;
        pl->seats = 6;
        pl->size_note = "本组居住分散、户数较多，经组民大会同意设 6 名成员";
    }
    return 0;
}

/* Sets the party group's leader of group `unit_id` to a party member of the group. */
static int set_leader(int64_t unit_id, const Villager *p) {
    Stmt *st = db_prep("UPDATE party_org SET leader_name = :n, leader_person_id = :p WHERE unit_id = :u AND kind = 'group'"
                       " AND end_date IS NULL");
    if (!st) return -1;
    db_bind_text(st, ":n", p->name);
    db_bind_int(st, ":p", p->id);
    db_bind_int(st, ":u", unit_id);
    return db_exec(st);
}

/* Holds the formation meeting(s) of one group: a first meeting that misses its quorum in the
 * groups of CASE_FAILS, then the one that forms the committee. Returns 0, or -1 with the reason
 * on stderr. */
static int form_group(Rng *r, const Actor *a, int64_t unit_id, const char *gname, Roll *roll, unsigned cases, int leader,
                      int32_t held, DemoLife *n) {
    bool reps = rng_chance(r, 0.7);
    for (int attempt = (cases & CASE_FAILS) ? 0 : 1; attempt < 2; attempt++) {
        int32_t day = attempt == 0 ? held - 14 - (int)rng_below(r, 14) : held;
        RollCounts counts = roll_count(roll->e, roll->ne, day);
        int eligible = reps ? counts.reps : counts.adults;
        double share = attempt == 0 ? 0.45 + 0.15 * (double)rng_below(r, 100) / 100.0
                                    : 0.75 + 0.20 * (double)rng_below(r, 100) / 100.0;
        int present = (int)(eligible * share + 0.5);
        if (attempt == 1 && 3 * present < 2 * eligible) present = (2 * eligible + 2) / 3;
        if (present > eligible) present = eligible;
        int returned = present - (present > 20 && rng_chance(r, 0.3) ? 1 : 0);
        int voids = (int)rng_below(r, (uint32_t)(returned / 25 + 2));
        Plan pl;
        if (plan_formation(r, &pl, roll, day, cases, leader, returned, voids) != 0) {
            fprintf(stderr, "zuwei demo: %s has too few villagers to form a committee\n", gname);
            return -1;
        }
        char on[11], place[80];
        demo_date(day, on);
        snprintf(place, sizeof place, "%s活动室", gname);
        FormationInput in = {unit_id, on, place, "assembly", reps ? "household_reps" : "direct", "村\"两委\"、党小组",
                             pl.seats, present, present, returned, voids, 0, 0, 0, pl.c, pl.n, NULL, 0, pl.size_note};
        int64_t committee = 0;
        char why[400] = "";
        int rc = formation_record_and_confirm_tx(a, &in, &committee, why, sizeof why);
        if (attempt == 0) {
            if (rc != FORMATION_REFUSED) {
                fprintf(stderr, "zuwei demo: %s: a formation without quorum was not refused (%d)\n", gname, rc);
                return -1;
            }
            n->failed_formations++;
            continue;
        }
        if (rc != 0) {
            fprintf(stderr, "zuwei demo: %s: formation refused: %s\n", gname, rc == FORMATION_DB ? db_errmsg() : why);
            return -1;
        }
        n->committees++;
        n->members += pl.seats;
        if (pl.size_note) n->size_noted++;
        for (int i = 0; i < pl.n; i++) {
            if (pl.c[i].cadre_reason) n->cadre_members++;
            if (strcmp(pl.c[i].post, "custom") == 0 && 2 * pl.c[i].votes > returned) n->custom_posts++;
        }
    }
    return 0;
}

/* Counts the women and party members among the committees' members (for the audit entry). */
static void count_composition(DemoLife *n) {
    Stmt *st = db_prep("SELECT count(*) FILTER (WHERE p.sex = 'F'), count(*) FILTER (WHERE p.flags & 1)"
                       " FROM committee_member cm JOIN person p ON p.id = cm.person_id WHERE cm.end_date IS NULL");
    if (st && db_step(st) == SQLITE_ROW) {
        n->women = db_col_int(st, 0);
        n->party_members = db_col_int(st, 1);
    }
    if (st) sqlite3_reset(st);
}

/* The groups of the county in order: id and name. */
typedef struct GroupRef { int64_t id; char name[UNIT_NAME_SIZE]; } GroupRef;

static GroupRef *load_groups(int *count) {
    *count = (int)db_one_int(db_prep("SELECT count(*) FROM unit WHERE kind = 'group'"), 0);
    GroupRef *g = calloc((size_t)(*count > 0 ? *count : 1), sizeof *g);
    Stmt *st = db_prep("SELECT id, name FROM unit WHERE kind = 'group' ORDER BY id");
    int i = 0;
    while (g && st && i < *count && db_step(st) == SQLITE_ROW) {
        g[i].id = db_col_int(st, 0);
        snprintf(g[i].name, sizeof g[i].name, "%s", db_col_text(st, 1));
        i++;
    }
    if (st) sqlite3_reset(st);
    *count = i;
    return g;
}

int demo_committees(uint64_t seed, int32_t today, DemoLife *n) {
    Rng r = demo_rng(seed, 2);
    int ngroups;
    GroupRef *groups = load_groups(&ngroups);
    if (!groups) return -1;
    Roll roll = {0};
    Actor a = actor_cli();
    int rc = db_begin() == 0 ? 0 : -1;
    RollScan scan = roll_scan();
    for (int i = 0; rc == 0 && i < ngroups; i++) {
        if (roll_load(&scan, groups[i].id, &roll) != 0) { rc = -1; break; }
        int leader = pick_leader(&r, &roll, today);
        if (leader >= 0) {
            if (set_leader(groups[i].id, &roll.v[leader]) != 0) { rc = -1; break; }
            n->party_leaders++;
        }
        int32_t held = today - 3 * 365 - 20 - (int)rng_below(&r, 60);
        rc = form_group(&r, &a, groups[i].id, groups[i].name, &roll, group_cases(i), leader, held, n);
    }
    if (scan.st) sqlite3_reset(scan.st);
    if (rc == 0) {
        count_composition(n);
        json_t *after = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "part", "committees", "committees",
                                  (json_int_t)n->committees, "members", (json_int_t)n->members, "women", (json_int_t)n->women,
                                  "party_members", (json_int_t)n->party_members, "cadre_members", (json_int_t)n->cadre_members,
                                  "size_noted", (json_int_t)n->size_noted, "failed_formations",
                                  (json_int_t)n->failed_formations, "party_leaders", (json_int_t)n->party_leaders);
        rc = audit_append(&a, "demo", "committee", 0, 0, NULL, after) == 0 ? 0 : -1;
    }
    if (rc != 0 || db_commit() != 0) {
        if (rc == 0) fprintf(stderr, "zuwei demo: committees: %s\n", db_errmsg());
        db_rollback();
        rc = -1;
    }
    free(roll.v);
    free(roll.e);
    free(groups);
    return rc;
}

/* ---------------------------------------------------------------------------------------------
 * Later changes: vacancies and replacements (调配) */

/* A resident adult of the group who sits on no committee, or 0. */
static int64_t newcomer_for(Rng *r, int64_t unit_id, int32_t on) {
    char d[11];
    demo_date(on, d);
    Stmt *st = db_prep("SELECT p.id FROM person p WHERE p.unit_id = :u AND p.status = 'resident' AND p.flags & 32 = 0"
                       " AND p.birth BETWEEN date(:d, '-60 years') AND date(:d, '-28 years')"
                       " AND NOT EXISTS (SELECT 1 FROM committee_member cm WHERE cm.person_id = p.id AND cm.end_date IS NULL)"
                       " ORDER BY p.id LIMIT 1 OFFSET :o");
    if (!st) return 0;
    db_bind_int(st, ":u", unit_id);
    db_bind_text(st, ":d", d);
    db_bind_int(st, ":o", rng_below(r, 5));
    int64_t id = db_one_int(st, 0);
    if (id) return id;
    st = db_prep("SELECT p.id FROM person p WHERE p.unit_id = :u AND p.status = 'resident' AND p.flags & 32 = 0"
                 " AND p.birth BETWEEN date(:d, '-65 years') AND date(:d, '-18 years')"
                 " AND NOT EXISTS (SELECT 1 FROM committee_member cm WHERE cm.person_id = p.id AND cm.end_date IS NULL)"
                 " ORDER BY p.id LIMIT 1");
    db_bind_int(st, ":u", unit_id);
    db_bind_text(st, ":d", d);
    return db_one_int(st, 0);
}

/* Ends one non-chair member of committee c on a day about one to two years into the term; with
 * `replace` the village assigns a newcomer to the same post on the same day. Returns 0 or -1. */
static int change_member(Rng *r, const Actor *a, const Committee *c, bool replace, int32_t today, DemoLife *n) {
    Member m[16];
    int k = committee_members(c->id, true, m, 16);
    if (k < 2) return 0;
    const Member *who = &m[1 + (int)rng_below(r, (uint32_t)(k - 1))];
    int32_t start = 0;
    date_parse(c->term_start, &start);
    int32_t day = start + 400 + (int)rng_below(r, 300);
    if (day >= today) day = today - 30;
    char on[11], why[400];
    demo_date(day, on);
    if (!replace) {
        if (member_end(a, c, who->id, on, "resigned", "本人外出务工，申请辞去组委会职务", why, sizeof why) != 0) {
            fprintf(stderr, "zuwei demo: ending a member of %s: %s\n", c->unit_name, why);
            return -1;
        }
        n->vacancies++;
        return 0;
    }
    int64_t pid = newcomer_for(r, c->unit_id, day);
    if (!pid) return 0;
    MemberIn in = {pid, who->post, who->post_name, on, "assigned", "原成员履职不到位，经村党支部研究、组民代表同意调配",
                   NULL, NULL, who->id};
    int code = 0;
    if (member_add(a, c, &in, &code, why, sizeof why) != 0) {
        fprintf(stderr, "zuwei demo: replacing a member of %s: %s (%d)\n", c->unit_name, why, code);
        return -1;
    }
    n->replacements++;
    return 0;
}

int demo_committee_changes(uint64_t seed, int32_t today, DemoLife *n) {
    Rng r = demo_rng(seed, 3);
    int ngroups;
    GroupRef *groups = load_groups(&ngroups);
    if (!groups) return -1;
    Actor a = actor_cli();
    int rc = 0;
    for (int i = 0; rc == 0 && i < ngroups; i++) {
        unsigned cases = group_cases(i);
        if (!(cases & (CASE_VACANCY | CASE_REPLACED))) continue;
        Committee c;
        int64_t id = committee_active_id(groups[i].id);
        if (!id || committee_get(SCOPE_ALL, id, &c) != 0) continue;
        if (cases & CASE_VACANCY) rc = change_member(&r, &a, &c, false, today, n);
        if (rc == 0 && (cases & CASE_REPLACED)) rc = change_member(&r, &a, &c, true, today, n);
    }
    free(groups);
    return rc;
}
