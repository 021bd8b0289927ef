/* log.h — one line per event on stderr: access log lines and errors. No request bodies, no
 * secrets: callers pass only what is safe to keep. */
#ifndef ZW_LOG_H
#define ZW_LOG_H
#include <stdbool.h>

void log_set_quiet(bool quiet);
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The access log: METHOD PATH STATUS BYTES USEC. */
void log_access(const char *method, const char *path, int status, unsigned long bytes, unsigned long usec);

#endif
