/* config.h — settings from flags and ZUWEI_* environment variables (flags win). */
#ifndef ZW_CONFIG_H
#define ZW_CONFIG_H
#include <stdbool.h>

typedef struct Config {
    const char *db;          /* --db, ZUWEI_DB; default data/zuwei.db */
    const char *key;         /* --key, ZUWEI_KEY; default: the database path + ".key" */
    const char *listen;      /* --listen, ZUWEI_LISTEN; default 127.0.0.1:8080 */
    unsigned threads;        /* --threads, ZUWEI_THREADS; default 4 */
    bool test;               /* ZUWEI_TEST=1: test-only routes */
    bool quiet;              /* --quiet, ZUWEI_QUIET=1: no access log */
    char key_default[1024];  /* storage for the default key path */
} Config;

/* Fills defaults and environment, then consumes recognised --flags from argv (others are left for
 * the verb, compacted to the front; *argc is updated). Returns 0, or 2 after printing a message
 * for a flag with a bad or missing value. */
int config_load(Config *c, int *argc, char **argv);

#endif
