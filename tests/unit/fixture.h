/* fixture.h — for the unit tests that need a database: a fresh, migrated one with a key, and a
 * small org tree. Include after cmocka.h. */
#ifndef ZW_TEST_FIXTURE_H
#define ZW_TEST_FIXTURE_H
#include "org/units.h"
#include "platform/crypto.h"
#include "platform/db.h"
#include <stdio.h>

/* Points the store at a new database file in `dir` (numbered, so each call gets its own), loads or
 * creates the key file dir/key, and applies the migrations; fails the test when any step fails. */
static inline void fixture_fresh_db(const char *dir) {
    static int n;
    char path[128], err[256];
    db_close_thread();
    snprintf(path, sizeof path, "%s/db%d.sqlite", dir, ++n);
    db_configure(path);
    snprintf(path, sizeof path, "%s/key", dir);
    assert_int_equal(crypto_load_key(path, true, err, sizeof err), 0);
    assert_int_equal(db_migrate(err, sizeof err), 0);
}

/* Builds 江口县 → 太平镇 → 云舍村 (522222101001) with its groups 杨家寨 (001) and 二组 (002) in one
 * transaction; fills *town and *village. */
static inline void fixture_tree(Unit *town, Unit *village) {
    Unit county;
    int64_t id;
    assert_int_equal(db_begin(), 0);
    assert_int_equal(unit_insert_tx(NULL, UNIT_COUNTY, "", "江口县", "522222000000", 0, "2020-01-01", &id), 0);
    unit_get(SCOPE_ALL, id, &county);
    assert_int_equal(unit_insert_tx(&county, UNIT_TOWNSHIP, "town", "太平镇", "522222101000", 0, "2020-01-01", &id), 0);
    unit_get(SCOPE_ALL, id, town);
    assert_int_equal(unit_insert_tx(town, UNIT_VILLAGE, "", "云舍村", "522222101001", 0, "2020-01-01", &id), 0);
    unit_get(SCOPE_ALL, id, village);
    assert_int_equal(unit_insert_tx(village, UNIT_GROUP, "hamlet", "杨家寨", "522222101001001", 1, "2020-01-01", &id), 0);
    assert_int_equal(unit_insert_tx(village, UNIT_GROUP, "group", "二组", "522222101001002", 2, "2020-01-01", &id), 0);
    assert_int_equal(db_commit(), 0);
}

#endif
