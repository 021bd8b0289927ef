/* test_counting.c -- unit tests for the roll's counting rules (src/people/counting.c): adults,
 * household representatives, labour force and voters on a date, at every boundary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "people/counting.h"
#include "people/people.h"
#include "platform/date.h"

/* A resident born on y-m-d who has always been in the group. */
static RollEntry born(int y, int m, int d) {
    return (RollEntry){days_from_civil(y, m, d), ROLL_RESIDENT, 0, INT32_MIN, false, 0};
}

static int32_t day(int y, int m, int d) { return days_from_civil(y, m, d); }

/* The 18th birthday counts on the day itself, not the day before. */
static void test_eighteenth_birthday(void **state) {
    (void)state;
    RollEntry e = born(2008, 3, 7);
    assert_true(roll_adult(&e, day(2026, 3, 7)));
    assert_true(roll_eligible(&e, day(2026, 3, 7)));
    assert_false(roll_adult(&e, day(2026, 3, 6)));
    assert_false(roll_eligible(&e, day(2026, 3, 6)));
    RollCounts today = roll_count(&e, 1, day(2026, 3, 7)), before = roll_count(&e, 1, day(2026, 3, 6));
    assert_int_equal(today.adults, 1);
    assert_int_equal(before.adults, 0);
    assert_int_equal(before.members, 1);
}

/* Someone whose 18th birthday is tomorrow is not yet a voter. */
static void test_birthday_tomorrow(void **state) {
    (void)state;
    RollEntry e = born(2008, 12, 31);
    assert_false(roll_eligible(&e, day(2026, 12, 30)));
    assert_true(roll_eligible(&e, day(2026, 12, 31)));
}

/* Born on 29 February: adult on 1 March of a common year, on 29 February of a leap year. */
static void test_leap_day(void **state) {
    (void)state;
    RollEntry e = born(2008, 2, 29);
    assert_false(roll_adult(&e, day(2026, 2, 28)));
    assert_true(roll_adult(&e, day(2026, 3, 1)));
    assert_true(roll_adult(&e, day(2026, 3, 2)));
    RollEntry g = born(2012, 2, 29);               /* 18 in 2030, a common year too */
    assert_false(roll_adult(&g, day(2030, 2, 28)));
    assert_true(roll_adult(&g, day(2030, 3, 1)));
    RollEntry h = born(2010, 2, 28);               /* a leap year's 28 February is just a birthday */
    assert_false(roll_adult(&h, day(2028, 2, 27)));
    assert_true(roll_adult(&h, day(2028, 2, 28)));
}

/* A death counts from its date: deceased the day before the meeting → out; the day after → in;
 * on the day itself → out. */
static void test_deceased_boundaries(void **state) {
    (void)state;
    int32_t meeting = day(2026, 5, 10);
    RollEntry e = born(1950, 1, 1);
    e.status = ROLL_DECEASED;
    e.status_date = meeting - 1;
    assert_false(roll_on_roll(&e, meeting));
    assert_false(roll_eligible(&e, meeting));
    e.status_date = meeting + 1;
    assert_true(roll_eligible(&e, meeting));
    e.status_date = meeting;
    assert_false(roll_eligible(&e, meeting));
}

/* Moved out: the same boundaries as a death. */
static void test_moved_boundaries(void **state) {
    (void)state;
    int32_t on = day(2026, 5, 10);
    RollEntry e = born(1980, 6, 1);
    e.status = ROLL_MOVED;
    e.status_date = on - 1;
    assert_false(roll_eligible(&e, on));
    e.status_date = on + 1;
    assert_true(roll_eligible(&e, on));
}

/* Migrant workers keep their vote and stay members; they count as migrants only once away. */
static void test_migrant_keeps_vote(void **state) {
    (void)state;
    int32_t on = day(2026, 5, 10);
    RollEntry e = born(1990, 1, 1);
    e.status = ROLL_MIGRANT;
    e.status_date = on - 30;
    assert_true(roll_eligible(&e, on));
    RollCounts c = roll_count(&e, 1, on);
    assert_int_equal(c.members, 1);
    assert_int_equal(c.adults, 1);
    assert_int_equal(c.migrants, 1);
    c = roll_count(&e, 1, on - 31);
    assert_int_equal(c.migrants, 0);
    assert_int_equal(c.members, 1);
}

/* Joining the group: counted from the day of joining; not before birth either. */
static void test_joined_and_unborn(void **state) {
    (void)state;
    int32_t on = day(2026, 5, 10);
    RollEntry e = born(1990, 1, 1);
    e.joined = on;
    assert_true(roll_on_roll(&e, on));
    e.joined = on + 1;
    assert_false(roll_on_roll(&e, on));
    RollEntry baby = born(2026, 5, 11);
    assert_false(roll_on_roll(&baby, on));
    assert_false(roll_adult(&baby, on));
    assert_true(roll_on_roll(&baby, on + 1));
}

/* A mixed roll: representatives and labour force are counted only while on the roll. */
static void test_count_mixed_roll(void **state) {
    (void)state;
    int32_t on = day(2026, 5, 10);
    RollEntry roll[6] = {born(1960, 1, 1), born(1962, 2, 2), born(2010, 3, 3), born(1985, 4, 4), born(1940, 5, 5),
                         born(2008, 5, 11)};
    roll[0].is_rep = true;                              /* head and representative */
    roll[1].flags = PF_LABOUR;
    roll[3].is_rep = true;                              /* representative away working */
    roll[3].status = ROLL_MIGRANT;
    roll[3].status_date = day(2025, 1, 1);
    roll[3].flags = PF_LABOUR | PF_PARTY;
    roll[4].is_rep = true;                              /* representative who died last year */
    roll[4].status = ROLL_DECEASED;
    roll[4].status_date = day(2025, 12, 1);
    roll[4].flags = PF_LABOUR;
    RollCounts c = roll_count(roll, 6, on);
    assert_int_equal(c.members, 5);
    assert_int_equal(c.adults, 3);                      /* the 2008-05-11 one turns 18 tomorrow */
    assert_int_equal(c.reps, 2);
    assert_int_equal(c.labour, 2);
    assert_int_equal(c.migrants, 1);
    c = roll_count(roll, 6, on + 1);
    assert_int_equal(c.adults, 4);
    assert_int_equal(roll_count(roll, 0, on).members, 0);
}

/* Status names from the database map onto RollStatus; anything else is refused. */
static void test_status_parse(void **state) {
    (void)state;
    RollStatus s;
    assert_int_equal(roll_status_parse("resident", &s), 0);
    assert_int_equal(s, ROLL_RESIDENT);
    assert_int_equal(roll_status_parse("deceased", &s), 0);
    assert_int_equal(s, ROLL_DECEASED);
    assert_int_equal(roll_status_parse("migrant", &s), 0);
    assert_int_equal(s, ROLL_MIGRANT);
    assert_int_equal(roll_status_parse("moved", &s), 0);
    assert_int_equal(s, ROLL_MOVED);
    assert_int_equal(roll_status_parse("gone", &s), -1);
    assert_int_equal(roll_status_parse(NULL, &s), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eighteenth_birthday), cmocka_unit_test(test_birthday_tomorrow),
        cmocka_unit_test(test_leap_day),            cmocka_unit_test(test_deceased_boundaries),
        cmocka_unit_test(test_moved_boundaries),    cmocka_unit_test(test_migrant_keeps_vote),
        cmocka_unit_test(test_joined_and_unborn),   cmocka_unit_test(test_count_mixed_roll),
        cmocka_unit_test(test_status_parse),
    };
    return cmocka_run_group_tests_name("counting", tests, NULL, NULL);
}
