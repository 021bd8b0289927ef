/* counting.c — the counting rules of a group's roll (see counting.h for the decisions). */
#include "people/counting.h"
#include "people/people.h"
#include "platform/date.h"
#include <string.h>

int roll_status_parse(const char *s, RollStatus *out) {
    static const struct { const char *name; RollStatus st; } map[] = {
        {"resident", ROLL_RESIDENT}, {"migrant", ROLL_MIGRANT}, {"moved", ROLL_MOVED}, {"deceased", ROLL_DECEASED},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (s && strcmp(s, map[i].name) == 0) {
            *out = map[i].st;
            return 0;
        }
    return -1;
}

bool roll_on_roll(const RollEntry *e, int32_t on) {
    if (e->birth > on || e->joined > on) return false;
    if (e->status == ROLL_MOVED || e->status == ROLL_DECEASED) return e->status_date > on;
    return true;
}

bool roll_adult(const RollEntry *e, int32_t on) {
    return e->birth <= on && age_on(e->birth, on) >= 18;
}

bool roll_eligible(const RollEntry *e, int32_t on) {
    return roll_on_roll(e, on) && roll_adult(e, on);
}

RollCounts roll_count(const RollEntry *entries, int n, int32_t on) {
    RollCounts c = {0, 0, 0, 0, 0};
    for (int i = 0; i < n; i++) {
        const RollEntry *e = &entries[i];
        if (!roll_on_roll(e, on)) continue;
        c.members++;
        c.adults += roll_adult(e, on);
        c.reps += e->is_rep;
        c.labour += (e->flags & PF_LABOUR) != 0;
        c.migrants += e->status == ROLL_MIGRANT && e->status_date <= on;   /* away since on or before D */
    }
    return c;
}
