/* counting.h — who counts on a group's roll on a given date: adults, household representatives
 * (户代表), labour force and voters. Pure functions over a plain array, so elections, votes and
 * the dashboards share one definition and the tests can pin every boundary.
 *
 * The rules, decided here once:
 *  - On the roll on day D: born on or before D, joined the group on or before D, and — when the
 *    person has moved out (已迁出) or died (已去世) — that happened after D. The status date is
 *    the day the change took effect, so a villager who died on D no longer counts on D; one who
 *    died on D + 1 still counts on D. Migrant workers (外出务工) stay on the roll: they keep their
 *    household, their vote and their place in the quorum (村民委员会组织法 counts villagers, not
 *    residents).
 *  - Adult on D: 18 or older on D; the 18th birthday itself counts. Someone born on 29 February
 *    turns 18 on 1 March in a common year (platform/date.h age_on).
 *  - Eligible to vote in the group on D (有选举权): on the roll and adult on D. For village-group
 *    meetings (Art. 28) "villagers aged 18+" and "eligible voters" are the same set, so
 *    RollCounts.adults serves both.
 *  - Household representatives on D: people marked 户代表 who are on the roll on D. A household
 *    whose representative has left counts none until a new one is named.
 *  - Labour force on D: on the roll and flagged 劳动力 (PF_LABOUR).
 *  - The roll is today's roll read backwards through status dates and the day each person joined
 *    the group; someone who has since moved to another group is not in this group's roll. */
#ifndef ZW_PEOPLE_COUNTING_H
#define ZW_PEOPLE_COUNTING_H
#include <stdbool.h>
#include <stdint.h>

typedef enum { ROLL_RESIDENT, ROLL_MIGRANT, ROLL_MOVED, ROLL_DECEASED } RollStatus;

/* One person as the counting rules see them. Dates are day numbers (platform/date.h). */
typedef struct RollEntry {
    int32_t birth;
    RollStatus status;
    int32_t status_date;   /* the day a move-out or death took effect; ignored otherwise */
    int32_t joined;        /* the day the person joined this group; INT32_MIN when always there */
    bool is_rep;           /* 户代表 of their household */
    unsigned flags;        /* person flags (people.h PF_*) */
} RollEntry;

typedef struct RollCounts {
    int members;    /* on the roll */
    int adults;     /* 18+ on the roll = eligible voters */
    int reps;       /* household representatives on the roll */
    int labour;     /* labour force on the roll */
    int migrants;   /* migrant workers on the roll */
} RollCounts;

/* Maps a person.status value ("resident", "migrant", "moved", "deceased") to a RollStatus.
 * Returns 0, or -1 for anything else. */
int roll_status_parse(const char *s, RollStatus *out);
/* True when the person is on the group's roll on day `on`. */
bool roll_on_roll(const RollEntry *e, int32_t on);
/* True when the person is 18 or older on day `on` (birthday included). */
bool roll_adult(const RollEntry *e, int32_t on);
/* True when the person may vote in the group on day `on`. */
bool roll_eligible(const RollEntry *e, int32_t on);
/* Counts the roll of n entries on day `on`. */
RollCounts roll_count(const RollEntry *entries, int n, int32_t on);

#endif
