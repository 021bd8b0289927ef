/* audit.c — the audit log and the one function that performs changes (see audit.h). */
#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/crypto.h"
#include "platform/db.h"
#include "platform/log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

Actor actor_of(const Req *r) {
    Actor a = {0, "anonymous", "", r ? r->client : ""};
    if (r && r->who) {
        a.user_id = r->who->user_id;
        a.username = r->who->username;
    }
    return a;
}

Actor actor_cli(void) { return (Actor){0, "cli", "", "local"}; }

/* The canonical text an entry's hash covers: every field, separated so that no two different
 * entries can produce the same text. */
static void entry_text(Buf *b, const char *prev, int64_t id, const char *at, int64_t user_id, const char *username,
                       const char *on_behalf, const char *action, const char *entity, int64_t entity_id,
                       int64_t unit_id, const char *unit_path, const char *before, const char *after, const char *ip) {
    buf_reset(b);
    buf_printf(b, "%s\x1f%lld\x1f%s\x1f%lld\x1f%zu:%s\x1f%zu:%s\x1f%s\x1f%s\x1f%lld\x1f%lld\x1f%s\x1f%zu:%s\x1f%zu:%s\x1f%s",
               prev, (long long)id, at, (long long)user_id, strlen(username), username, strlen(on_behalf), on_behalf,
               action, entity, (long long)entity_id, (long long)unit_id, unit_path, strlen(before), before,
               strlen(after), after, ip);
}

static char *dump(json_t *v) {
    return v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

int audit_append(const Actor *a, const char *action, const char *entity, int64_t entity_id, int64_t unit_id,
                 json_t *before, json_t *after) {
    char *bj = dump(before), *aj = dump(after);
    json_decref(before);
    json_decref(after);
    char prev[65] = "0";
    Stmt *st = db_prep("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
    int64_t id = 1;
    if (db_step(st) == SQLITE_ROW) {
        id = db_col_int(st, 0) + 1;
        str_copy(prev, sizeof prev, db_col_text(st, 1));
    }
    sqlite3_reset(st);
    char path[256] = "";
    if (unit_id) {
        st = db_prep("SELECT path FROM unit WHERE id = :id");
        db_bind_int(st, ":id", unit_id);
        if (db_step(st) == SQLITE_ROW) str_copy(path, sizeof path, db_col_text(st, 0));
        sqlite3_reset(st);
    }
    char at[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    Buf text = BUF_INIT;
    entry_text(&text, prev, id, at, a->user_id, a->username, a->on_behalf ? a->on_behalf : "", action, entity,
               entity_id, unit_id, path, bj ? bj : "", aj ? aj : "", a->ip ? a->ip : "");
    char hash[65];
    crypto_sha256_hex(text.p, text.len, hash);
    buf_free(&text);
    int prevkey = db_unlock(DB_KEY_AUDIT);
    st = db_prep("INSERT INTO audit (id, at, user_id, username, on_behalf, action, entity, entity_id, unit_id, unit_path,"
                 " before, after, ip, prev_hash, hash) VALUES (:id, :at, :uid, :un, :ob, :act, :ent, :eid, :unit, :path,"
                 " :before, :after, :ip, :prev, :hash)");
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":at", at);
    if (a->user_id) db_bind_int(st, ":uid", a->user_id);
    db_bind_text(st, ":un", a->username);
    db_bind_text(st, ":ob", a->on_behalf ? a->on_behalf : "");
    db_bind_text(st, ":act", action);
    db_bind_text(st, ":ent", entity);
    if (entity_id) db_bind_int(st, ":eid", entity_id);
    if (unit_id) db_bind_int(st, ":unit", unit_id);
    db_bind_text(st, ":path", path);
    db_bind_text(st, ":before", bj);
    db_bind_text(st, ":after", aj);
    db_bind_text(st, ":ip", a->ip ? a->ip : "");
    db_bind_text(st, ":prev", prev);
    db_bind_text(st, ":hash", hash);
    int rc = db_exec(st);
    db_relock(prevkey);
    free(bj);
    free(aj);
    return rc == 0 ? 0 : CHANGE_DB_ERROR;
}

int change_apply(const Actor *a, Change *c) {
    if (db_begin() != 0) {
        json_decref(c->before);
        json_decref(c->after);
        return CHANGE_DB_ERROR;
    }
    int64_t id = c->entity_id;
    int rc = c->apply ? c->apply(c->ctx, &id) : 0;
    if (rc != 0) {
        db_rollback();
        json_decref(c->before);
        json_decref(c->after);
        return rc;
    }
    c->entity_id = id;
    if (audit_append(a, c->action, c->entity, id, c->unit_id, c->before, c->after) != 0 || db_commit() != 0) {
        db_rollback();
        return CHANGE_DB_ERROR;
    }
    return 0;
}

int audit_event(const Actor *a, const char *action, const char *entity, int64_t entity_id, int64_t unit_id,
                json_t *detail) {
    Change c = {action, entity, entity_id, unit_id, NULL, detail, NULL, NULL};
    return change_apply(a, &c);
}

int64_t audit_verify(char *why, size_t whysz, int64_t *checked) {
    Stmt *st = db_prep("SELECT id, at, coalesce(user_id, 0), username, on_behalf, action, entity, coalesce(entity_id, 0),"
                       " coalesce(unit_id, 0), unit_path, coalesce(before, ''), coalesce(after, ''), ip, prev_hash, hash"
                       " FROM audit ORDER BY id");
    char prev[65] = "0";
    int64_t expect_id = 1, bad = 0;
    *checked = 0;
    Buf text = BUF_INIT;
    while (db_step(st) == SQLITE_ROW) {
        int64_t id = db_col_int(st, 0);
        if (id != expect_id) {
            snprintf(why, whysz, "entry %lld is missing (found %lld next)", (long long)expect_id, (long long)id);
            bad = expect_id;
            break;
        }
        if (strcmp(db_col_text(st, 13), prev) != 0) {
            snprintf(why, whysz, "entry %lld does not point at the hash of entry %lld", (long long)id, (long long)id - 1);
            bad = id;
            break;
        }
        entry_text(&text, prev, id, db_col_text(st, 1), db_col_int(st, 2), db_col_text(st, 3), db_col_text(st, 4),
                   db_col_text(st, 5), db_col_text(st, 6), db_col_int(st, 7), db_col_int(st, 8), db_col_text(st, 9),
                   db_col_text(st, 10), db_col_text(st, 11), db_col_text(st, 12));
        char hash[65];
        crypto_sha256_hex(text.p, text.len, hash);
        if (strcmp(hash, db_col_text(st, 14)) != 0) {
            snprintf(why, whysz, "entry %lld was changed after it was written (hash mismatch)", (long long)id);
            bad = id;
            break;
        }
        str_copy(prev, sizeof prev, hash);
        expect_id++;
        (*checked)++;
    }
    if (st) sqlite3_reset(st);
    buf_free(&text);
    return bad;
}

/* Prints the rows of st ("path entries") after `what`; returns their number or -1. */
static int print_tally_rows(Stmt *st, const char *what) {
    if (!st) return -1;
    int n = 0;
    while (db_step(st) == SQLITE_ROW) {
        fprintf(stderr, "audit tally: %s '%s' %lld\n", what, db_col_text(st, 0), (long long)db_col_int(st, 1));
        n++;
    }
    sqlite3_reset(st);
    return n;
}

int audit_tally_check(void) {
    int kept = print_tally_rows(db_prep("SELECT path, entries FROM audit_tally WHERE entries != 0"
                                        " EXCEPT SELECT path, entries FROM audit_tally_recount"), "kept");
    int recounted = print_tally_rows(db_prep("SELECT path, entries FROM audit_tally_recount"
                                             " EXCEPT SELECT path, entries FROM audit_tally WHERE entries != 0"), "recounted");
    return kept < 0 || recounted < 0 ? -1 : kept + recounted;
}
