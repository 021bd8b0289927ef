/* audit.h — every change goes through change_apply(): the row and its audit entry are written in
 * one transaction, and the entry joins a hash chain that `zuwei check` verifies.
 *
 * A mechanism describes a change (what, on which entity, in which unit, before → after as JSON)
 * and gives a callback that performs its SQL writes; change_apply() opens the transaction, runs
 * the callback, appends the audit entry and commits — or rolls everything back. Nothing else
 * writes the audit table (an SQLite authorizer refuses it). Never put secrets or whole request
 * bodies into before/after: name the fields that changed. */
#ifndef ZW_AUDIT_H
#define ZW_AUDIT_H
#include "platform/http.h"
#include <jansson.h>
#include <stdint.h>

enum { DB_KEY_AUTH = 1, DB_KEY_AUDIT = 2 };

/* Who acts: a logged-in user, or the command line ("cli"). */
typedef struct Actor {
    int64_t user_id;          /* 0 for the command line */
    const char *username;
    const char *on_behalf;    /* "" or the villager a cadre acts for (代录) */
    const char *ip;
} Actor;

typedef struct Change {
    const char *action;       /* "create", "update", "move", "end", "reveal", ... */
    const char *entity;       /* "unit", "user", "person", ... */
    int64_t entity_id;        /* 0: set by the callback through *id */
    int64_t unit_id;          /* the unit the record belongs to (0 when none) */
    json_t *before, *after;   /* references stolen; NULL allowed */
    /* Performs the writes. Returns 0, or an error code the caller understands (no audit entry is
     * written and the transaction is rolled back). Sets *id for a created row. */
    int (*apply)(void *ctx, int64_t *id);
    void *ctx;
} Change;

/* Errors of change_apply besides the callback's own codes. */
enum { CHANGE_DB_ERROR = -1000 };

/* The actor behind a request (its user, address, and an on-behalf name when given). */
Actor actor_of(const Req *r);
/* The actor for command-line work. */
Actor actor_cli(void);

/* Runs the change in one transaction with its audit entry. Returns 0, the callback's error, or
 * CHANGE_DB_ERROR. Must not be called inside another transaction. */
int change_apply(const Actor *a, Change *c);
/* Appends an audit entry inside the caller's open transaction (for changes that span several
 * entities, e.g. an import). Returns 0 or CHANGE_DB_ERROR. */
int audit_append(const Actor *a, const char *action, const char *entity, int64_t entity_id, int64_t unit_id,
                 json_t *before, json_t *after);
/* Records an event without a row change (login, reveal of a masked field) in its own
 * transaction. Returns 0 or CHANGE_DB_ERROR. */
int audit_event(const Actor *a, const char *action, const char *entity, int64_t entity_id, int64_t unit_id,
                json_t *detail);

/* Verifies the whole chain. Returns 0 when intact, else the id of the first broken entry, with a
 * description in why. */
int64_t audit_verify(char *why, size_t whysz, int64_t *checked);

/* Compares audit_tally (the entries under each unit path, kept by a trigger on every entry) with a
 * recount from the log, printing each path that differs to stderr. Returns the number of such
 * paths, or -1 on a database error. */
int audit_tally_check(void);

#endif
