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

/* `zuwei demo [--seed N] [--scale K] [--small]`; argv[0] == "demo". Expects the database open and
 * empty of units. Returns 0, 1 when the work failed, 2 on a wrong command line. */
int cmd_demo(int argc, char **argv);

#endif
