/* metrics.c — request counters by route and status class, a latency histogram, open connections
 * and executed statements. */
#include "platform/metrics.h"
#include "platform/db.h"
#include "platform/router.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static const int statuses[] = {200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503};
enum { NSTATUS = sizeof statuses / sizeof statuses[0] };   /* plus one "other" column */
static const double bounds[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};
enum { NBOUNDS = sizeof bounds / sizeof bounds[0] };

static _Atomic unsigned long *counts;   /* (nroutes + 1) × (NSTATUS + 1) */
static size_t nrows;
static _Atomic unsigned long hist[NBOUNDS + 1];
static _Atomic unsigned long long usec_sum;
static _Atomic long open_conns;
static const MetricsWriter *extra;

void metrics_set_writers(const MetricsWriter *writers) { extra = writers; }

void metrics_init(size_t nroutes) {
    nrows = nroutes + 1;
    counts = calloc(nrows * (NSTATUS + 1), sizeof *counts);
}

static int status_col(int status) {
    for (int i = 0; i < NSTATUS; i++)
        if (statuses[i] == status) return i;
    return NSTATUS;
}

void metrics_request(size_t route, int status, unsigned long usec) {
    if (!counts) return;
    if (route >= nrows) route = nrows - 1;
    atomic_fetch_add_explicit(&counts[route * (NSTATUS + 1) + (size_t)status_col(status)], 1, memory_order_relaxed);
    double s = (double)usec / 1e6;
    int b = 0;
    while (b < NBOUNDS && s > bounds[b]) b++;
    atomic_fetch_add_explicit(&hist[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&usec_sum, usec, memory_order_relaxed);
}

void metrics_conn(int delta) { atomic_fetch_add_explicit(&open_conns, delta, memory_order_relaxed); }

void metrics_write(Buf *b) {
    buf_puts(b, "# HELP zuwei_requests_total HTTP requests by route and status.\n# TYPE zuwei_requests_total counter\n");
    for (size_t r = 0; counts && r < nrows; r++) {
        const Route *rt = router_at(r);
        const char *name = rt ? (rt->name ? rt->name : rt->pattern) : "none";
        for (int c = 0; c <= NSTATUS; c++) {
            unsigned long v = atomic_load(&counts[r * (NSTATUS + 1) + (size_t)c]);
            if (!v) continue;
            if (c < NSTATUS) buf_printf(b, "zuwei_requests_total{route=\"%s\",status=\"%d\"} %lu\n", name, statuses[c], v);
            else buf_printf(b, "zuwei_requests_total{route=\"%s\",status=\"other\"} %lu\n", name, v);
        }
    }
    buf_puts(b, "# HELP zuwei_request_duration_seconds Time from request head to response queued.\n"
                "# TYPE zuwei_request_duration_seconds histogram\n");
    unsigned long cum = 0;
    for (int i = 0; i <= NBOUNDS; i++) {
        cum += atomic_load(&hist[i]);
        if (i < NBOUNDS) buf_printf(b, "zuwei_request_duration_seconds_bucket{le=\"%g\"} %lu\n", bounds[i], cum);
        else buf_printf(b, "zuwei_request_duration_seconds_bucket{le=\"+Inf\"} %lu\n", cum);
    }
    buf_printf(b, "zuwei_request_duration_seconds_sum %.6f\nzuwei_request_duration_seconds_count %lu\n",
               (double)atomic_load(&usec_sum) / 1e6, cum);
    buf_printf(b, "# HELP zuwei_db_statements_total SQL statements executed.\n# TYPE zuwei_db_statements_total counter\n"
                  "zuwei_db_statements_total %llu\n", (unsigned long long)db_statement_count());
    buf_printf(b, "# HELP zuwei_open_connections Open HTTP connections.\n# TYPE zuwei_open_connections gauge\n"
                  "zuwei_open_connections %ld\n", atomic_load(&open_conns));
    for (const MetricsWriter *w = extra; w && *w; w++) (*w)(b);
}
