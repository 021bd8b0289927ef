/* main.c — the verbs of the command line: `zuwei serve`, `zuwei init`, `zuwei migrate`, ...
 *
 * One binary is the web server, the JSON API and the admin tool (like Fossil). Exit codes:
 * 0 success, 1 the work failed (message on stderr), 2 the command line was wrong. */
#include "app.h"
#include "demo/demo.h"
#include "org/org.h"
#include "org/org_auth.h"
#include "people/import.h"
#include "platform/config.h"
#include "platform/crypto.h"
#include "platform/db.h"
#include "platform/http.h"
#include "platform/version.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef int (*VerbFn)(Config *c, int argc, char **argv);

typedef struct Verb {
    const char *name;
    VerbFn fn;
    const char *usage;
    const char *help;
} Verb;

/* Creates the database's folder if needed, opens the key (creating it when `create`), and brings
 * the schema up to date. Returns 0 or 1 after printing the reason. */
static int open_store(Config *c, bool create) {
    char dir[1024];
    str_copy(dir, sizeof dir, c->db);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = 0;
        mkdir(dir, 0750);
    }
    struct stat st;
    if (!create && stat(c->db, &st) != 0) {
        fprintf(stderr, "zuwei: no database at %s (run `zuwei init --db %s` first)\n", c->db, c->db);
        return 1;
    }
    char err[512];
    if (crypto_load_key(c->key, create, err, sizeof err) != 0) {
        fprintf(stderr, "zuwei: %s\n", err);
        return 1;
    }
    db_configure(c->db);
    /* Migrations are schema: they may fill columns of the user tables (017: user.scope_path). */
    int prev = db_unlock(DB_KEY_AUTH);
    int rc = db_migrate(err, sizeof err);
    db_relock(prev);
    if (rc != 0) {
        fprintf(stderr, "zuwei: %s\n", err);
        return 1;
    }
    return 0;
}

static int verb_serve(Config *c, int argc, char **argv) {
    (void)argv;
    if (argc > 1) { fprintf(stderr, "zuwei serve: unexpected argument %s\n", argv[1]); return 2; }
    if (open_store(c, true) != 0) return 1;
    db_close_thread();      /* the main thread only waits for signals; workers open their own */
    ServerOpts o = {c->listen, c->threads, c->test, c->quiet};
    return http_serve(&o);
}

static int verb_init(Config *c, int argc, char **argv) {
    (void)argv;
    if (argc > 1) { fprintf(stderr, "zuwei init: unexpected argument %s\n", argv[1]); return 2; }
    if (open_store(c, true) != 0) return 1;
    printf("zuwei: database %s ready (schema %d), key %s\n", c->db, db_schema_version(), c->key);
    return 0;
}

static int verb_migrate(Config *c, int argc, char **argv) {
    (void)argv;
    if (argc > 1) { fprintf(stderr, "zuwei migrate: unexpected argument %s\n", argv[1]); return 2; }
    if (open_store(c, false) != 0) return 1;
    printf("zuwei: schema version %d\n", db_schema_version());
    return 0;
}

static int verb_version(Config *c, int argc, char **argv) {
    (void)c; (void)argc; (void)argv;
    printf("zuwei %s (schema %d, SQLite %s)\n", ZUWEI_VERSION, db_schema_version_known(), sqlite3_libversion());
    return 0;
}

/* Verbs that work on an existing database: open it, then hand over. */
static int verb_user(Config *c, int argc, char **argv) {
    if (open_store(c, false) != 0) return 1;
    return cmd_user(argc, argv);
}

static int verb_org(Config *c, int argc, char **argv) {
    if (open_store(c, false) != 0) return 1;
    return cmd_org(argc, argv);
}

static int verb_import(Config *c, int argc, char **argv) {
    if (open_store(c, false) != 0) return 1;
    return cmd_import(argc, argv);
}

static int verb_demo(Config *c, int argc, char **argv) {
    if (open_store(c, true) != 0) return 1;
    return cmd_demo(argc, argv);
}

static int verb_check(Config *c, int argc, char **argv) {
    if (open_store(c, false) != 0) return 1;
    return cmd_check(argc, argv);
}

static int verb_help(Config *c, int argc, char **argv);

static const Verb verbs[] = {
    {"serve", verb_serve, "zuwei serve [--db FILE] [--listen ADDR:PORT] [--threads N] [--quiet]",
     "Serves the web pages and the JSON API. Creates and migrates the database if it is absent.\n"
     "Stops on SIGTERM or SIGINT after finishing the requests in flight."},
    {"init", verb_init, "zuwei init [--db FILE] [--key FILE]",
     "Creates the database and the key file (32 random bytes, mode 0600) if absent, and migrates."},
    {"migrate", verb_migrate, "zuwei migrate [--db FILE]",
     "Applies the migrations this binary carries to an existing database. Refuses a database\n"
     "whose schema is newer than the binary."},
    {"version", verb_version, "zuwei version", "Prints the version, the schema version and the SQLite version."},
    {"user", verb_user, "zuwei user add|passwd|list|disable ...",
     "add USERNAME --role ROLE --scope UNIT_CODE_OR_ID [--name 姓名] [--phone P] [--password P]\n"
     "    [--person PERSON_ID] [--no-change]\n"
     "    --person links the login to the person's registry entry (must be on the roll of the scope).\n"
     "    roles: county_admin township village member villager auditor. Without --password (or\n"
     "    ZUWEI_PASSWORD) a password is generated and printed; the user must change it at first login\n"
     "    unless --no-change is given (demo and test accounts).\n"
     "passwd USERNAME [--password P]   sets a new password (to be changed at next login)\n"
     "list                             lists all logins\n"
     "disable USERNAME                 disables a login and ends its sessions"},
    {"org", verb_org, "zuwei org import FILE.csv [--db FILE]",
     "Imports a division-code list (header: code,name,parent_code,kind; UTF-8 or GB18030) into the\n"
     "org tree in one transaction. Nothing is imported when any row is bad; importing the same file\n"
     "again changes nothing."},
    {"import", verb_import, "zuwei import people FILE.xlsx|FILE.csv [--scope UNIT_CODE] [--valid-only] [--dry-run]",
     "Imports a roster of villagers (Chinese column headers, see the template on /import/people) in one\n"
     "transaction. Every bad row is reported with its row, column and reason, and nothing is imported\n"
     "unless --valid-only is given. Importing the same file again changes nothing (matched on ID number)."},
    {"demo", verb_demo, "zuwei demo [--seed N] [--scale K] [--small]",
     "Fills an empty database with the reference county (2 streets, 6 towns, 2 townships, 105 villages,\n"
     "1,620 groups, about 240,000 people) deterministically from the seed, plus one login per role whose\n"
     "passwords are printed. --scale K multiplies households per group; --small makes a tiny county."},
    {"check", verb_check, "zuwei check [--db FILE]",
     "Checks the database (quick_check, foreign keys) and verifies the audit log's hash chain,\n"
     "reporting the first broken entry; recounts the kept counters (roll, contact, committees,\n"
     "matters, audit log) and the logins' scope paths, and that nobody lives in an ended household.\n"
     "Exit code 1 when anything is wrong."},
    {"help", verb_help, "zuwei help [VERB]", "Lists the verbs, or explains one."},
    {NULL, NULL, NULL, NULL},
};

static const Verb *find_verb(const char *name) {
    for (const Verb *v = verbs; v->name; v++)
        if (strcmp(v->name, name) == 0) return v;
    return NULL;
}

static int verb_help(Config *c, int argc, char **argv) {
    (void)c;
    if (argc > 1) {
        const Verb *v = find_verb(argv[1]);
        if (!v) { fprintf(stderr, "zuwei help: no verb called %s\n", argv[1]); return 2; }
        printf("usage: %s\n\n%s\n", v->usage, v->help);
        return 0;
    }
    printf("zuwei %s — records and workflow for village-group committees (组委会)\n\nverbs:\n", ZUWEI_VERSION);
    for (const Verb *v = verbs; v->name; v++) printf("  %s\n", v->usage);
    printf("\nSettings: flags above, or ZUWEI_DB, ZUWEI_KEY, ZUWEI_LISTEN, ZUWEI_THREADS, ZUWEI_QUIET.\n"
           "`zuwei help VERB` explains one verb.\n");
    return 0;
}

/* A bulk verb touches a few hundred MB within seconds (the rows in memory, SQLite's 256 MB page
 * cache for building the indexes): with 4 KB pages that is ~100,000 page faults, which on a
 * virtual machine were a tenth of a county import. glibc backs malloc's memory with transparent
 * huge pages when its tunable glibc.malloc.hugetlb=1 is set, which it reads only at start, so the
 * verb starts itself again with it (docs/decisions/0010-huge-pages-for-bulk-verbs.md). Nothing
 * changes when the operator set GLIBC_TUNABLES, or when the exec fails. */
static void start_with_huge_pages(const Verb *v, char **argv) {
    if (strcmp(v->name, "import") != 0 && strcmp(v->name, "demo") != 0) return;
    if (getenv("GLIBC_TUNABLES") || setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1) != 0) return;
    execv("/proc/self/exe", argv);
    unsetenv("GLIBC_TUNABLES");
}

int main(int argc, char **argv) {
    if (argc < 2) { verb_help(NULL, 1, argv); return 2; }
    const Verb *v = find_verb(argv[1]);
    if (!v) {
        fprintf(stderr, "zuwei: unknown verb \"%s\" (try `zuwei help`)\n", argv[1]);
        return 2;
    }
    start_with_huge_pages(v, argv);
    Config c;
    int vargc = argc - 1;
    char **vargv = argv + 1;
    if (config_load(&c, &vargc, vargv) != 0) return 2;
    app_init();
    int rc = v->fn(&c, vargc, vargv);
    /* A CLI verb that wrote a lot (demo, import) leaves a large WAL; fold it into the database. */
    if (db_path() && db_conn()) db_checkpoint();
    db_close_thread();
    return rc;
}
