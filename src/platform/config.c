/* config.c — flags and environment. */
#include "platform/config.h"
#include "platform/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned parse_threads(const char *s, bool *ok) {
    char *end;
    long v = strtol(s, &end, 10);
    *ok = *s && !*end && v >= 1 && v <= 256;
    return *ok ? (unsigned)v : 0;
}

int config_load(Config *c, int *argc, char **argv) {
    const char *e;
    bool ok = true;
    c->db = (e = getenv("ZUWEI_DB")) && *e ? e : "data/zuwei.db";
    c->key = (e = getenv("ZUWEI_KEY")) && *e ? e : NULL;
    c->listen = (e = getenv("ZUWEI_LISTEN")) && *e ? e : "127.0.0.1:8080";
    c->threads = 4;
    if ((e = getenv("ZUWEI_THREADS")) && *e) {
        c->threads = parse_threads(e, &ok);
        if (!ok) { fprintf(stderr, "zuwei: ZUWEI_THREADS must be a number from 1 to 256\n"); return 2; }
    }
    c->test = (e = getenv("ZUWEI_TEST")) && strcmp(e, "1") == 0;
    c->quiet = (e = getenv("ZUWEI_QUIET")) && strcmp(e, "1") == 0;
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        const char **target = NULL;
        if (strcmp(a, "--db") == 0) target = &c->db;
        else if (strcmp(a, "--key") == 0) target = &c->key;
        else if (strcmp(a, "--listen") == 0) target = &c->listen;
        else if (strcmp(a, "--quiet") == 0) { c->quiet = true; continue; }
        else if (strcmp(a, "--threads") == 0) {
            if (i + 1 >= *argc) { fprintf(stderr, "zuwei: --threads needs a value\n"); return 2; }
            c->threads = parse_threads(argv[++i], &ok);
            if (!ok) { fprintf(stderr, "zuwei: --threads must be a number from 1 to 256\n"); return 2; }
            continue;
        }
        if (target) {
            if (i + 1 >= *argc || !*argv[i + 1]) { fprintf(stderr, "zuwei: %s needs a value\n", a); return 2; }
            *target = argv[++i];
            continue;
        }
        argv[out++] = argv[i];
    }
    *argc = out;
    argv[out] = NULL;
    if (!c->key) {
        if (strlen(c->db) + 5 > sizeof c->key_default) { fprintf(stderr, "zuwei: --db path too long\n"); return 2; }
        snprintf(c->key_default, sizeof c->key_default, "%s.key", c->db);
        c->key = c->key_default;
    }
    return 0;
}
