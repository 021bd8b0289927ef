/* demo.c — `zuwei demo`: generates the reference county of the seed article into an empty database.
 *
 * The tree (county → 10 townships → 105 villages → 1,620 groups) with its party organisations,
 * then the households and people of every group, are written in one transaction with one audit
 * entry "demo" with the counts: the tree through unit_insert_tx, the roll through the registry's
 * bulk load (people_bulk_*, as the roster import writes it: ID numbers sealed like any other, the
 * counters and 'created' history rows set-based, the person indexes built once at the end). The logins of every role are made
 * afterwards through `zuwei user add ... --no-change` (user_add_hashed: one Argon2 hash of the shared
 * password for all), which audits each. All choices
 * come from a splitmix64 generator seeded by --seed: the same seed, the same county. */
#include "demo/demo.h"
#include "org/org_auth.h"
#include "org/units.h"
#include "people/idnum.h"
#include "people/people.h"
#include "people/pinyin.h"
#include "platform/crypto.h"
#include "platform/date.h"
#include "platform/db.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    COUNTY_VILLAGES = 105,
    COUNTY_GROUPS = 1620,
    GROUP_HOUSEHOLDS = 45,    /* mean households per group at scale 1 (73,000 / 1,620) */
    SMALL_HOUSEHOLDS = 14,    /* enough households in every group to elect a committee, whatever the seed */
    MAX_MEMBERS = 8,
    SEQ_DAYS = 120 * 366,     /* birth days tracked for unique ID sequence numbers */
    CHUNK_PEOPLE = 16384,     /* people made before they are written (and their households) */
    CHUNK_HOUSEHOLDS = CHUNK_PEOPLE,
};

/* A person made and not yet written: its fields, sealed ID number and pinyin initials. */
typedef struct MadePerson { Person p; SealedId id; char initials[64]; } MadePerson;

/* A chunk of the roll made and not yet written: households, their people, and whether sealing
 * the people's ID numbers (done on a helper thread while the next chunk is made) succeeded. */
typedef struct Chunk {
    NewHousehold *hh;
    MadePerson *made;
    size_t nhh, nmade;
    bool sealed_ok;
} Chunk;

#define COUNTY_CODE "522222"

/* Generation state: the PRNG, today, the counters, the used ID sequences per birth day and sex. */
typedef struct Gen {
    Rng rng;
    int32_t today, seq_base;
    int scale;
    DemoCounts n;
    uint16_t *seq;            /* [day - seq_base][sex] next sequence index */
    char start[11];           /* start date of the units */
    bool want_party;          /* the group being made has no resident party member yet */
    bool want_cadre;          /* the group being made is one whose committee has a village cadre */
    PeopleBulk bulk;          /* the roll's bulk load (people.h) */
    Chunk chunk[2];           /* the one being made (cur) and the one being sealed */
    int cur;
    bool sealing;             /* the helper thread seals chunk[1 - cur] */
    pthread_t helper;
    NewPerson *rows;          /* a chunk's people as the bulk load takes them */
} Gen;

/* ---------------------------------------------------------------------------------------------
 * Names */

/* A given name of one or two characters for the sex ('M' or 'F'). */
static void given_name(Gen *g, char sex, char *out, size_t outsz) {
    const char *const *own = sex == 'M' ? demo_given_male : demo_given_female;
    if (rng_chance(&g->rng, 0.25)) snprintf(out, outsz, "%s", rng_pick(&g->rng, own));
    else if (rng_chance(&g->rng, 0.5)) snprintf(out, outsz, "%s%s", rng_pick(&g->rng, demo_given_any), rng_pick(&g->rng, own));
    else snprintf(out, outsz, "%s%s", rng_pick(&g->rng, own), rng_pick(&g->rng, own));
}

/* A two-syllable place name such as 云坪 or 桃溪. */
static void place_name(Gen *g, char *out, size_t outsz) {
    snprintf(out, outsz, "%s%s", rng_pick(&g->rng, demo_place_first), rng_pick(&g->rng, demo_place_second));
}

/* ---------------------------------------------------------------------------------------------
 * People */

/* Birth date of someone `age` years old today, on a random day of that year of life. */
static int32_t birth_for_age(Gen *g, int age) {
    return g->today - (int32_t)(age * 365.2425) - (int32_t)rng_below(&g->rng, 365);
}

/* Makes a valid ID number for the birth date and sex: the county's address code and the next free
 * sequence number of that day (odd for men, even for women). Returns 0 or -1 when the day is full. */
static int make_idnum(Gen *g, int32_t birth, char sex, char out[IDNUM_SIZE]) {
    int32_t d = birth - g->seq_base;
    if (d < 0 || d >= SEQ_DAYS) return -1;
    uint16_t *next = &g->seq[d * 2 + (sex == 'F')];
    if (*next >= 499) return -1;
    int seq = 2 * (*next)++ + (sex == 'M' ? 1 : 2);
    return idnum_make(COUNTY_CODE, birth, seq, out) == IDNUM_OK ? 0 : -1;
}

static void make_phone(Gen *g, char *out, size_t outsz) {
    static const char *const prefixes[] = {"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                                           "152", "155", "157", "158", "159", "180", "181", "182", "183", "187", "188", NULL};
    snprintf(out, outsz, "%s%08u", rng_pick(&g->rng, prefixes), (unsigned)rng_below(&g->rng, 100000000));
}

static const char *education_for(Gen *g, int age) {
    if (age < 7) return "";
    if (age < 13) return "小学";
    if (age < 16) return "初中";
    if (age >= 65) return rng_chance(&g->rng, 0.35) ? "文盲" : rng_chance(&g->rng, 0.7) ? "小学" : "初中";
    static const Weighted adult[] = {{"小学", 18}, {"初中", 45}, {"高中", 15}, {"中专", 8}, {"大专", 8}, {"本科", 6}, {NULL, 0}};
    return rng_weighted(&g->rng, adult);
}

/* Fills the flags and the status of a person from their age and sex, at plausible rates. */
static void person_facts(Gen *g, Person *p, int age) {
    Rng *r = &g->rng;
    unsigned f = 0;
    if (age >= 18) {
        if (rng_chance(r, p->sex == 'M' ? (age >= 45 ? 0.12 : 0.07) : 0.03)) f |= PF_PARTY;
        if (age >= 22 && age <= 55 && rng_chance(r, 0.004)) f |= PF_CHUNHUI;
        if (age >= 28 && age <= 60 && rng_chance(r, 0.012)) f |= PF_WEALTH;
        if (p->sex == 'M' && age >= 23 && rng_chance(r, 0.03)) f |= PF_VETERAN;
        if (age >= 58 && rng_chance(r, 0.012)) f |= PF_RETIRED;
        if (age >= 28 && age <= 60 && rng_chance(r, 0.004)) f |= PF_CADRE | (rng_chance(r, 0.7) ? PF_PARTY : 0);
        if (age >= 25 && age <= 65 && rng_chance(r, 0.008)) f |= PF_LEGAL;
    }
    snprintf(p->status, sizeof p->status, "resident");
    if (age >= 18 && age <= 55 && rng_chance(r, 0.20)) {
        snprintf(p->status, sizeof p->status, "migrant");
        p->status_date = g->today - (int32_t)rng_below(r, 3 * 365);
    } else if (rng_chance(r, 0.006)) {
        snprintf(p->status, sizeof p->status, "moved");
        p->status_date = g->today - (int32_t)rng_below(r, 2 * 365);
    } else if (age >= 70 && rng_chance(r, 0.02)) {
        snprintf(p->status, sizeof p->status, "deceased");
        p->status_date = g->today - (int32_t)rng_below(r, 365);
    }
    if (age >= 16 && age <= 64 && strcmp(p->status, "resident") != 0 && strcmp(p->status, "migrant") != 0) f &= ~PF_LABOUR;
    else if (age >= 16 && age <= 64 && rng_chance(r, 0.93)) f |= PF_LABOUR;
    if (p->status_date && p->status_date < p->birth) p->status_date = p->birth;
    p->flags = f;
}

/* One member to be made: relation, sex, age, and the surname to use. */
typedef struct Member { const char *relation; char sex; int age; const char *surname; } Member;

/* Plans a household of `size` members around a head of age `head_age` (the age pyramid follows
 * from these rules: fewer young children, many elderly). Returns the number planned. */
static int plan_household(Gen *g, int size, const char *surname, Member *m) {
    Rng *r = &g->rng;
    int head_age = 28 + (int)rng_below(r, 30) + (int)rng_below(r, 30);
    char head_sex = rng_chance(r, 0.86) ? 'M' : 'F';
    int n = 0;
    m[n++] = (Member){"head", head_sex, head_age, surname};
    if (size >= 2 && rng_chance(r, 0.88)) {
        int sa = head_age + (int)rng_below(r, 9) - 4;
        m[n++] = (Member){"spouse", head_sex == 'M' ? 'F' : 'M', sa < 20 ? 20 : sa, NULL};
    }
    bool young = head_age < 52;
    if (young) {
        while (n < size && n < MAX_MEMBERS - 1) {
            if (head_age < 48 && n >= 2 && rng_chance(r, 0.35) && head_age + 24 < 95) {
                m[n++] = (Member){"parent", rng_chance(r, 0.5) ? 'M' : 'F', head_age + 22 + (int)rng_below(r, 10), surname};
                continue;
            }
            int ca = head_age - 22 - (int)rng_below(r, 14);
            m[n++] = (Member){"child", rng_chance(r, 0.52) ? 'M' : 'F', ca < 0 ? (int)rng_below(r, 5) : ca, surname};
        }
    } else {
        while (n < size && n < MAX_MEMBERS) {
            int left = size - n;
            if (left >= 3 && rng_chance(r, 0.6)) {
                int ca = head_age - 24 - (int)rng_below(r, 8);
                m[n++] = (Member){"child", 'M', ca, surname};
                m[n++] = (Member){"child_in_law", 'F', ca - 2 + (int)rng_below(r, 5), NULL};
                continue;
            }
            int child_age = head_age - 26;
            if (n >= 2 && child_age > 20 && rng_chance(r, 0.6)) {
                int ga = child_age - 22 - (int)rng_below(r, 10);
                m[n++] = (Member){"grandchild", rng_chance(r, 0.52) ? 'M' : 'F', ga < 0 ? (int)rng_below(r, 4) : ga, surname};
            } else {
                m[n++] = (Member){"child", rng_chance(r, 0.5) ? 'M' : 'F', head_age - 22 - (int)rng_below(r, 16), surname};
            }
        }
    }
    for (int i = 0; i < n; i++)
        if (m[i].age < 0) m[i].age = 0;
    return n;
}

/* Household size drawn to give about 3.3 people per household. */
static int household_size(Gen *g) {
    static const int weights[] = {13, 22, 23, 21, 12, 7, 2};
    int x = (int)rng_below(&g->rng, 100);
    for (int i = 0; i < 7; i++) {
        if (x < weights[i]) return i + 1;
        x -= weights[i];
    }
    return 3;
}

/* Keeps every group with a party member who can lead its party group (30–70, living in the
 * group: forced on the last household when none came by chance) and gives the groups whose
 * committee will seat a village cadre (村两委干部) one such cadre aged 28–60. */
static void note_party_and_cadre(Gen *g, Person *p, int age, bool force_party) {
    bool resident = strcmp(p->status, "resident") == 0;
    if (g->want_cadre && resident && age >= 28 && age <= 60) {
        p->flags |= PF_CADRE | PF_PARTY;
        g->want_cadre = false;
    }
    if (resident && age >= 30 && age <= 70 && (force_party && g->want_party)) p->flags |= PF_PARTY;
    if (resident && age >= 30 && age <= 70 && (p->flags & PF_PARTY)) g->want_party = false;
}

/* Seals the ID numbers and works out the pinyin initials of a chunk's people (arg); runs on the
 * helper thread (sealing is thread-safe: libsodium and the pinyin cache are per thread). */
static void *seal_chunk(void *arg) {
    Chunk *c = arg;
    c->sealed_ok = true;
    for (size_t i = 0; i < c->nmade; i++) {
        MadePerson *mp = &c->made[i];
        if (people_seal_idnum(mp->p.idnum, &mp->id) != 0) c->sealed_ok = false;
        pinyin_initials(mp->p.name, mp->initials, sizeof mp->initials);
    }
    return NULL;
}

/* Writes a sealed chunk through the bulk load: households, people, then the households' heads
 * and representatives. Empties it. Returns 0 or -1. */
static int write_chunk(Gen *g, Chunk *c) {
    for (size_t i = 0; i < c->nmade; i++) g->rows[i] = (NewPerson){&c->made[i].p, &c->made[i].id, c->made[i].initials};
    int rc = c->sealed_ok && people_bulk_households(&g->bulk, c->hh, c->nhh) == 0 &&
             people_bulk_people(&g->bulk, g->rows, c->nmade) == 0 && people_bulk_heads(&g->bulk, c->hh, c->nhh) == 0 ? 0 : -1;
    c->nhh = c->nmade = 0;
    return rc;
}

/* Waits for the chunk being sealed, if any, and writes it. Returns 0 or -1. */
static int finish_sealing(Gen *g) {
    if (!g->sealing) return 0;
    pthread_join(g->helper, NULL);
    g->sealing = false;
    return write_chunk(g, &g->chunk[1 - g->cur]);
}

/* Hands the chunk being made to the helper thread for sealing (after writing the one it sealed
 * before) and goes on making the other: generating, sealing and writing overlap. Returns 0 or -1. */
static int flush_roll(Gen *g) {
    if (finish_sealing(g) != 0) return -1;
    Chunk *c = &g->chunk[g->cur];
    if (pthread_create(&g->helper, NULL, seal_chunk, c) == 0) g->sealing = true;
    else seal_chunk(c);
    g->cur = 1 - g->cur;
    return g->sealing ? 0 : write_chunk(g, c);
}

/* Makes one household of group `unit_id` with its members into the current chunk (flush_roll);
 * with `force_party` the first member who can lead the party group becomes a party member if the
 * group still has none. Returns 0 or -1. */
static int make_household(Gen *g, int64_t unit_id, int number, const char *dominant, bool force_party) {
    Chunk *c = &g->chunk[g->cur];
    if ((c->nmade + MAX_MEMBERS > CHUNK_PEOPLE || c->nhh == CHUNK_HOUSEHOLDS) && flush_roll(g) != 0) return -1;
    c = &g->chunk[g->cur];
    Rng *r = &g->rng;
    const char *surname = dominant && rng_chance(r, 0.55) ? dominant : rng_weighted(r, demo_surnames);
    Member m[MAX_MEMBERS];
    int n = plan_household(g, household_size(g), surname, m);
    NewHousehold *h = &c->hh[c->nhh++];
    memset(h, 0, sizeof *h);
    h->id = g->bulk.next_household++;
    h->unit_id = unit_id;
    snprintf(h->hh_no, sizeof h->hh_no, "%04d", number);
    h->farmland_c = rng_below(r, 1500) + (rng_chance(r, 0.9) ? 100 : 0);
    h->forest_c = rng_chance(r, 0.75) ? rng_below(r, 5000) : 0;
    h->livestock = rng_chance(r, 0.6) ? rng_below(r, 8) : 0;
    h->poultry = rng_chance(r, 0.8) ? rng_below(r, 60) : 0;
    snprintf(h->poverty, sizeof h->poverty, "%s", rng_chance(r, 0.12) ? "lifted" : rng_chance(r, 0.02) ? "monitored" : "none");
    int64_t head = 0, spouse = 0;
    const char *ethnic = rng_weighted(r, demo_ethnicities);
    for (int i = 0; i < n; i++) {
        MadePerson *mp = &c->made[c->nmade++];
        Person *p = &mp->p;
        memset(p, 0, sizeof *p);
        p->id = g->bulk.next_person++;
        p->unit_id = unit_id;
        p->household_id = h->id;
        p->sex = m[i].sex;
        p->birth = birth_for_age(g, m[i].age);
        char given[32];
        given_name(g, p->sex, given, sizeof given);
        snprintf(p->name, sizeof p->name, "%s%s", m[i].surname ? m[i].surname : rng_weighted(r, demo_surnames), given);
        snprintf(p->relation, sizeof p->relation, "%s", m[i].relation);
        if (make_idnum(g, p->birth, p->sex, p->idnum) != 0) return -1;
        if (m[i].age >= 18 && rng_chance(r, 0.85)) make_phone(g, p->phone, sizeof p->phone);
        snprintf(p->ethnicity, sizeof p->ethnicity, "%s", rng_chance(r, 0.85) ? ethnic : rng_weighted(r, demo_ethnicities));
        snprintf(p->education, sizeof p->education, "%s", education_for(g, m[i].age));
        person_facts(g, p, m[i].age);
        note_party_and_cadre(g, p, m[i].age, force_party);
        if (i == 0) head = p->id;
        if (strcmp(p->relation, "spouse") == 0) spouse = p->id;
        g->n.people++;
    }
    g->n.households++;
    h->head_id = head;
    h->rep_id = spouse && rng_chance(r, 0.1) ? spouse : head;   /* 户代表: usually the head */
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * The tree */

/* Inserts a unit under `parent` and reads it back (its path is needed for its children). */
static int add_unit(Gen *g, const Unit *parent, UnitKind kind, const char *subkind, const char *name, const char *code,
                    int sort, Unit *out) {
    int64_t id;
    if (unit_insert_tx(parent, kind, subkind, name, code, sort, g->start, &id) != 0) return -1;
    return unit_get(SCOPE_ALL, id, out);
}

/* Inserts the party organisation of a unit. Returns its id, or 0 on failure. */
static int64_t add_party(Gen *g, int64_t unit_id, int64_t parent, const char *kind, const char *name, const char *leader) {
    Stmt *st = db_prep("INSERT INTO party_org (unit_id, parent_id, kind, name, leader_name, start_date)"
                       " VALUES (:u, nullif(:p, 0), :k, :n, :l, :s)");
    db_bind_int(st, ":u", unit_id);
    db_bind_int(st, ":p", parent);
    db_bind_text(st, ":k", kind);
    db_bind_text(st, ":n", name);
    db_bind_text(st, ":l", leader);
    db_bind_text(st, ":s", g->start);
    return db_exec(st) == 0 ? db_last_id() : 0;
}

/* A leader's name for a party organisation (a person of the dominant surname, usually a man). */
static void leader_name(Gen *g, const char *surname, char *out, size_t outsz) {
    char given[32];
    char sex = rng_chance(&g->rng, 0.8) ? 'M' : 'F';
    given_name(g, sex, given, sizeof given);
    snprintf(out, outsz, "%s%s", surname, given);
}

/* A group's name: mostly ordinal groups of the village (一组, 第三村民组), otherwise a hamlet
 * (自然寨) with its own name. Sets *hamlet for the latter. */
static void group_name(Gen *g, const char *village, int i, char *out, size_t outsz, bool *hamlet) {
    Rng *r = &g->rng;
    const char *num = demo_numerals[i < 20 ? i : 19];
    *hamlet = false;
    int style = (int)rng_below(r, 10);
    if (style < 4) snprintf(out, outsz, "%s组", num);
    else if (style < 6) snprintf(out, outsz, "第%s村民组", num);
    else if (style < 7) snprintf(out, outsz, "%s%s组", village, num);
    else {
        char base[32];
        place_name(g, base, sizeof base);
        snprintf(out, outsz, "%s%s", base, rng_pick(r, demo_hamlet_suffix));
        *hamlet = true;
    }
}

/* Builds a village with its groups, party branch, party groups and people. */
static int make_village(Gen *g, const Unit *town, int64_t committee, int vno, int ngroups, int households, char used[][32],
                        int *nused) {
    Rng *r = &g->rng;
    char vname[48], code[DIVCODE_SIZE];
    for (int tries = 0;; tries++) {
        char base[32];
        place_name(g, base, sizeof base);
        bool dup = false;
        for (int i = 0; i < *nused && !dup; i++) dup = strcmp(used[i], base) == 0;
        if (!dup || tries > 50) {
            snprintf(used[(*nused)++], 32, "%s", base);
            snprintf(vname, sizeof vname, "%s村", base);
            break;
        }
    }
    snprintf(code, sizeof code, "%.9s%03d", town->code, vno % 1000);
    Unit v;
    if (add_unit(g, town, UNIT_VILLAGE, "", vname, code, vno, &v) != 0) return -1;
    g->n.villages++;
    const char *dominant = rng_chance(r, 0.75) ? rng_weighted(r, demo_surnames) : NULL;
    char leader[64], pname[128];
    leader_name(g, dominant ? dominant : rng_weighted(r, demo_surnames), leader, sizeof leader);
    snprintf(pname, sizeof pname, "中共%s支部委员会", vname);
    int64_t branch = add_party(g, v.id, committee, "branch", pname, leader);
    if (!branch) return -1;
    for (int i = 0; i < ngroups; i++) {
        char gname[64];
        bool hamlet;
        group_name(g, vname, i, gname, sizeof gname, &hamlet);
        snprintf(code, sizeof code, "%.12s%03d", v.code, (i + 1) % 1000);
        Unit grp;
        if (add_unit(g, &v, UNIT_GROUP, hamlet ? "hamlet" : "group", gname, code, i + 1, &grp) != 0) return -1;
        g->n.groups++;
        leader_name(g, dominant ? dominant : rng_weighted(r, demo_surnames), leader, sizeof leader);
        snprintf(pname, sizeof pname, "%s党小组", gname);
        if (!add_party(g, grp.id, branch, "group", pname, leader)) return -1;
        int nh = households + (int)rng_below(r, (uint32_t)(households / 2 + 1)) - households / 4;
        g->want_party = true;
        g->want_cadre = (g->n.groups - 1) % 41 == 4;   /* the same groups as demo_committees.c's CASE_CADRE */
        for (int k = 0; k < nh * g->scale; k++)
            if (make_household(g, grp.id, k + 1, dominant, k == nh * g->scale - 1) != 0) return -1;
    }
    return 0;
}

/* Builds the county: all of it, or with `small` one town with 2 villages of 3 groups. */
static int make_county(Gen *g, bool small) {
    Unit county;
    if (add_unit(g, NULL, UNIT_COUNTY, "", "江口县", COUNTY_CODE "000000", 0, &county) != 0) return -1;
    int ntowns = small ? 1 : 10, villages = small ? 2 : COUNTY_VILLAGES, groups = small ? 6 : COUNTY_GROUPS;
    int households = small ? SMALL_HOUSEHOLDS : GROUP_HOUSEHOLDS;
    char used[COUNTY_VILLAGES + 8][32];
    int nused = 0, vdone = 0, gdone = 0;
    for (int t = 0; t < ntowns; t++) {
        const DemoTownship *dt = &demo_townships[small ? 3 : t];
        char code[DIVCODE_SIZE], pname[128], leader[64];
        snprintf(code, sizeof code, COUNTY_CODE "%03d000", dt->code);
        Unit town;
        if (add_unit(g, &county, UNIT_TOWNSHIP, dt->subkind, dt->name, code, t, &town) != 0) return -1;
        g->n.townships++;
        leader_name(g, rng_weighted(&g->rng, demo_surnames), leader, sizeof leader);
        snprintf(pname, sizeof pname, "中共%s%s", dt->name, strcmp(dt->subkind, "street") == 0 ? "工作委员会" : "委员会");
        int64_t committee = add_party(g, town.id, 0, "committee", pname, leader);
        if (!committee) return -1;
        int nv = villages / ntowns + (t < villages % ntowns);
        for (int v = 0; v < nv; v++, vdone++) {
            int ng = groups / villages + (vdone < groups % villages);
            if (make_village(g, &town, committee, v + 1, ng, households, used, &nused) != 0) return -1;
            gdone += ng;
        }
    }
    return gdone == groups ? 0 : -1;
}

/* A stage's start: wall clock and the CPU time of the process (all its threads). */
typedef struct Watch { struct timespec wall, cpu; } Watch;

static Watch watch_start(void) {
    Watch w;
    clock_gettime(CLOCK_MONOTONIC, &w.wall);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &w.cpu);
    return w;
}

static double seconds(const struct timespec *a, const struct timespec *b) {
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* "12.3 s, CPU 10.1 s": the wall and CPU time since `w` (the CPU time shows the work even when
 * other programs share the machine). Writes into out and returns it. */
static const char *watch_text(const Watch *w, char out[48]) {
    Watch now = watch_start();
    snprintf(out, 48, "%.1f s, CPU %.1f s", seconds(&w->wall, &now.wall), seconds(&w->cpu, &now.cpu));
    return out;
}

/* Gives every household the address a roster would show, "金岩村五组 12 号": village, group (whose
 * name may already start with the village's) and the 户号 as a house number. One statement, while
 * household's list index is still dropped. */
static int address_households(void) {
    return db_exec(db_prep("UPDATE household SET address = CASE WHEN substr(g.name, 1, length(v.name)) = v.name THEN g.name"
                           " ELSE v.name || g.name END || ' ' || CAST(household.hh_no AS INTEGER) || ' 号'"
                           " FROM unit g JOIN unit v ON v.id = g.parent_id WHERE g.id = household.unit_id")) ? -1 : 0;
}

/* Builds the county (make_county) with its roll written through the bulk load, in chunks of
 * CHUNK_PEOPLE people: person's secondary indexes are dropped for it (the roll is empty) and built
 * once at the end, where the counters and history rows are written too. Returns 0 or -1. */
static int make_county_roll(Gen *g, bool small) {
    bool mem = true;
    for (int i = 0; i < 2; i++) {
        g->chunk[i].hh = calloc(CHUNK_HOUSEHOLDS, sizeof *g->chunk[i].hh);
        g->chunk[i].made = calloc(CHUNK_PEOPLE, sizeof *g->chunk[i].made);
        mem = mem && g->chunk[i].hh && g->chunk[i].made;
    }
    g->rows = calloc(CHUNK_PEOPLE, sizeof *g->rows);
    int rc = mem && g->rows && people_bulk_begin(&g->bulk, true) == 0 ? make_county(g, small) : -1;
    if (rc == 0) rc = flush_roll(g);
    if (finish_sealing(g) != 0) rc = -1;   /* also after a failure: the helper must be joined */
    if (rc == 0) rc = address_households();
    if (rc == 0) rc = people_bulk_end(&g->bulk, g->start);
    for (int i = 0; i < 2; i++) {
        free(g->chunk[i].hh);
        free(g->chunk[i].made);
    }
    free(g->rows);
    return rc;
}

/* ---------------------------------------------------------------------------------------------
 * Logins */

typedef struct DemoUser { const char *username, *role, *display; int scope_level; } DemoUser;

/* One login per role; scope_level: 0 county, 1 first township, 2 its first village, 3 its first group. */
static const DemoUser demo_users[] = {
    {"demo_admin", "county_admin", "县组织部管理员", 0}, {"demo_township", "township", "乡镇干部", 1},
    {"demo_village", "village", "村干部", 2},           {"demo_member", "member", "组委会成员", 3},
    {"demo_villager", "villager", "组民", 3},           {"demo_auditor", "auditor", "审计员", 0},
    {NULL, NULL, NULL, 0},
};

#define DEMO_PASSWORD "Zuwei-demo-2024"

/* The code of the first unit at each level (county, township, village, group). */
static int first_codes(char codes[4][DIVCODE_SIZE]) {
    static const char *const kinds[] = {"county", "township", "village", "group"};
    for (int i = 0; i < 4; i++) {
        Stmt *st = db_prep("SELECT code FROM unit WHERE kind = :k ORDER BY id LIMIT 1");
        db_bind_text(st, ":k", kinds[i]);
        if (db_step(st) != SQLITE_ROW) return -1;
        snprintf(codes[i], DIVCODE_SIZE, "%s", db_col_text(st, 0));
        sqlite3_reset(st);
    }
    return 0;
}

/* The registry person a demo login stands for: for the committee member, the chair of the first
 * group's committee; for the village cadre, a village-cadre (PF_CADRE) or else the oldest adult
 * living in the first village; for the villager, the first household head of the first group who
 * sits on no committee (their 我家 page); nobody for the other roles. Writes the id as text, ""
 * when none. */
static void demo_person(const char *role, const char *scope_code, char out[24]) {
    Stmt *st = NULL;
    out[0] = 0;
    if (strcmp(role, "member") == 0)
        st = db_prep("SELECT cm.person_id FROM committee_member cm JOIN committee c ON c.id = cm.committee_id"
                     " JOIN unit u ON u.id = c.unit_id WHERE u.code = :code AND cm.end_date IS NULL"
                     " ORDER BY cm.post = 'chair' DESC, cm.id LIMIT 1");
    else if (strcmp(role, "village") == 0)
        st = db_prep("SELECT p.id FROM person p JOIN unit g ON g.id = p.unit_id JOIN unit v ON v.id = g.parent_id"
                     " WHERE v.code = :code AND p.status = 'resident' AND p.birth <= date('now', '-25 years')"
                     " ORDER BY (p.flags & 32) DESC, p.birth LIMIT 1");
    else if (strcmp(role, "villager") == 0)
        st = db_prep("SELECT h.head_id FROM household h JOIN unit u ON u.id = h.unit_id JOIN person p ON p.id = h.head_id"
                     " WHERE u.code = :code AND h.ended_at IS NULL AND p.status = 'resident'"
                     " AND NOT EXISTS (SELECT 1 FROM committee_member cm WHERE cm.person_id = p.id AND cm.end_date IS NULL)"
                     " ORDER BY h.id LIMIT 1");
    if (!st) return;
    db_bind_text(st, ":code", scope_code);
    int64_t id = db_one_int(st, 0);
    if (id) snprintf(out, 24, "%lld", (long long)id);
}

/* Creates the demo logins through `zuwei user add ... --no-change` (user_add_hashed: all share
 * the one password, hashed once into `hash`), the member, the village cadre and the villager
 * linked to their registry entries. Returns the number made. */
static int make_users(const char *hash) {
    char codes[4][DIVCODE_SIZE];
    if (first_codes(codes) != 0) return 0;
    int made = 0;
    for (const DemoUser *u = demo_users; u->username; u++) {
        char person[24];
        demo_person(u->role, codes[u->scope_level], person);
        char *argv[] = {"user", "add", (char *)u->username, "--role", (char *)u->role, "--scope", codes[u->scope_level],
                        "--name", (char *)u->display, "--password", DEMO_PASSWORD, "--no-change",
                        person[0] ? "--person" : NULL, person, NULL};
        if (user_add_hashed(person[0] ? 14 : 12, argv, hash) == 0) made++;
    }
    return made;
}

/* Makes a village-cadre login (role village) for every other village of the first township, so
 * the committees there have cadres who guide them (demo_village has the first village); `hash`
 * is the demo password's. Returns the number made. */
static int make_cadre_logins(const char *hash) {
    Stmt *st = db_prep("SELECT v.code, v.name FROM unit v WHERE v.kind = 'village' AND v.parent_id ="
                       " (SELECT min(id) FROM unit WHERE kind = 'township') ORDER BY v.id LIMIT 40 OFFSET 1");
    char codes[40][DIVCODE_SIZE], names[40][UNIT_NAME_SIZE];
    int n = 0, made = 0;
    while (st && n < 40 && db_step(st) == SQLITE_ROW) {
        snprintf(codes[n], sizeof codes[n], "%s", db_col_text(st, 0));
        snprintf(names[n], sizeof names[n], "%s", db_col_text(st, 1));
        n++;
    }
    if (st) sqlite3_reset(st);
    for (int i = 0; i < n; i++) {
        char username[32], display[UNIT_NAME_SIZE + 16];
        snprintf(username, sizeof username, "demo_village%d", i + 2);
        snprintf(display, sizeof display, "村干部（%.200s）", names[i]);
        char *argv[] = {"user", "add", username, "--role", "village", "--scope", codes[i], "--name", display,
                        "--password", DEMO_PASSWORD, "--no-change", NULL};
        if (user_add_hashed(12, argv, hash) == 0) made++;
    }
    return made;
}

/* Ends (注销) the households nobody lives in any more, on the demo's today, as an office does when
 * it goes through its roll: those whose members all died, or moved away. Their visit assignments
 * end the same day (022_household_end.sql). Returns how many, or -1. */
static long end_empty_households(int32_t today) {
    char day[DATE_ISO_SIZE];
    date_format(today, day, sizeof day);
    Stmt *st = db_prep("UPDATE household SET ended_at = :day, end_reason = CASE WHEN EXISTS (SELECT 1 FROM person p"
                       " WHERE p.household_id = household.id AND p.status = 'moved') THEN 'moved' ELSE 'deceased' END"
                       " WHERE members = 0 AND ended_at IS NULL");
    db_bind_text(st, ":day", day);
    return db_exec(st) ? -1 : (long)sqlite3_changes(db_conn());
}

/* The county's life after the roll: committees, deliberation, logins, two-way contact. Prints
 * what was made and the time of each part. Returns 0 or -1. */
static int make_life(uint64_t seed, int32_t today, bool small, DemoLife *life, long *users) {
    char took[48];
    Watch w = watch_start();
    if (demo_committees(seed, today, life) != 0 || demo_committee_changes(seed, today, life) != 0) return -1;
    printf("committees: %ld (%ld members, %ld women, %ld party members, %ld village cadres, %ld sizes outside 3–5,"
           " %ld formations without quorum held again, %ld vacancies, %ld replacements), %ld party-group leaders (%s)\n",
           life->committees, life->members, life->women, life->party_members, life->cadre_members, life->size_noted,
           life->failed_formations, life->vacancies, life->replacements, life->party_leaders, watch_text(&w, took));
    w = watch_start();
    if (demo_deliberation(seed, today, small ? 14 : 400, life) != 0) return -1;
    printf("matters: %ld (consult %ld, propose %ld, decide %ld, implement %ld, closed %ld; %ld group rules adopted,"
           " %ld votes failed for quorum, %ld for majority), %ld meetings (%s)\n",
           life->matters, life->stage[0], life->stage[1], life->stage[2], life->stage[3], life->stage[4],
           life->rules_adopted, life->votes_failed_quorum, life->votes_failed_majority, life->meetings, watch_text(&w, took));
    w = watch_start();
    char hash[128];
    if (crypto_password_hash(DEMO_PASSWORD, hash) != 0) return -1;
    *users = make_users(hash);
    life->cadre_logins = small ? 0 : make_cadre_logins(hash);
    printf("logins: %ld, village-cadre logins: %ld (%s)\n", *users, life->cadre_logins + 1, watch_text(&w, took));
    w = watch_start();
    if (demo_contact(seed, today, life) != 0) return -1;
    printf("contact: %ld household assignments, %ld visits, %ld guidance contacts by %ld cadre-committee pairs (%s)\n",
           life->assignments, life->visits, life->guidance, life->guide_pairs, watch_text(&w, took));
    long ended = end_empty_households(today);
    if (ended < 0) return -1;
    printf("ended households (nobody lives in them): %ld\n", ended);
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * zuwei demo */

void demo_bulk_begin(void) {
    sqlite3_exec(db_conn(), "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
    db_bulk_mode(true);
}

void demo_bulk_end(void) {
    db_bulk_mode(false);
    sqlite3_exec(db_conn(), "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
}

static const char *arg_after(int argc, char **argv, const char *name) {
    for (int i = 0; i < argc - 1; i++)
        if (strcmp(argv[i], name) == 0) return argv[i + 1];
    return NULL;
}

int cmd_demo(int argc, char **argv) {
    bool small = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--small") == 0) small = true;
        else if ((strcmp(argv[i], "--seed") == 0 || strcmp(argv[i], "--scale") == 0) && i + 1 < argc) i++;
        else { fprintf(stderr, "usage: zuwei demo [--seed N] [--scale K] [--small]\n"); return 2; }
    }
    const char *seed = arg_after(argc, argv, "--seed"), *scale = arg_after(argc, argv, "--scale");
    Gen g = {0};
    uint64_t seed_value = seed ? strtoull(seed, NULL, 10) : 1;
    g.rng.s = seed_value;
    g.scale = scale ? atoi(scale) : 1;
    if (g.scale < 1 || g.scale > 50) { fprintf(stderr, "zuwei demo: --scale must be 1..50\n"); return 2; }
    if (db_one_int(db_prep("SELECT count(*) FROM unit"), 1) != 0) {
        fprintf(stderr, "zuwei demo: the database already has an org tree; the demo county needs an empty database\n");
        return 1;
    }
    char took[48];
    Watch total = watch_start(), w = total;
    g.today = date_today();
    g.seq_base = g.today - SEQ_DAYS + 1;
    g.seq = calloc((size_t)SEQ_DAYS * 2, sizeof *g.seq);
    if (!g.seq) return 1;
    date_format(g.today - 5 * 365, g.start, sizeof g.start);
    /* The roll refers only to units and households it has just made (demo_bulk_begin). */
    sqlite3_exec(db_conn(), DEMO_CACHE_SIZE, NULL, NULL, NULL);
    demo_bulk_begin();
    int rc = db_begin() == 0 ? make_county_roll(&g, small) : -1;
    if (rc == 0) {
        rc = db_exec(db_prep("UPDATE instance SET demo = 1"));
        json_t *after = json_pack("{s:s, s:I, s:i, s:i, s:I, s:I, s:I, s:I}", "kind", small ? "small" : "county", "seed",
                                  (json_int_t)seed_value, "scale", g.scale, "townships", (int)g.n.townships, "villages",
                                  (json_int_t)g.n.villages, "groups", (json_int_t)g.n.groups, "households",
                                  (json_int_t)g.n.households, "people", (json_int_t)g.n.people);
        Actor a = actor_cli();
        if (rc == 0) rc = audit_append(&a, "demo", "instance", 1, 0, NULL, after);
        else json_decref(after);
    }
    if (rc == 0) rc = db_commit();
    if (rc != 0) fprintf(stderr, "zuwei demo: failed: %s\n", db_errmsg());
    if (db_in_tx()) db_rollback();
    demo_bulk_end();
    if (rc != 0) {
        free(g.seq);
        return 1;
    }
    free(g.seq);
    printf("demo county 江口县: %ld townships, %ld villages, %ld groups, %ld households, %ld people (%s)\n",
           g.n.townships, g.n.villages, g.n.groups, g.n.households, g.n.people, watch_text(&w, took));
    DemoLife life = {0};
    if (make_life(seed_value, g.today, small, &life, &g.n.users) != 0) {
        fprintf(stderr, "zuwei demo: the county's roll is written, but its committees, matters or visits failed\n");
        return 1;
    }
    printf("total %s\n", watch_text(&total, took));
    printf("demo logins (password %s for all):\n", DEMO_PASSWORD);
    for (const DemoUser *u = demo_users; u->username; u++) printf("  %-14s %s\n", u->username, u->display);
    if (life.cadre_logins) printf("  demo_village2 … demo_village%ld: 村干部 of the other villages of the first township\n", life.cadre_logins + 1);
    return g.n.users == 6 ? 0 : 1;
}
