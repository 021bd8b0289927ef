/* metrics.h — counters for GET /metrics (Prometheus text format). Lock-free atomics; the
 * per-route table is sized at start-up from the route table. */
#ifndef ZW_METRICS_H
#define ZW_METRICS_H
#include "platform/buf.h"

void metrics_init(size_t nroutes);
/* Records one finished request: route index (nroutes for "no route"), status, duration. */
void metrics_request(size_t route, int status, unsigned long usec);
void metrics_conn(int delta);
/* Metrics of the mechanisms: a NULL-terminated list of functions that write theirs after the
 * platform's (the application's own, set once at start-up). */
typedef void (*MetricsWriter)(Buf *b);
void metrics_set_writers(const MetricsWriter *writers);
/* Writes all metrics in Prometheus text exposition format. */
void metrics_write(Buf *b);

#endif
