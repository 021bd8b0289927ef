/* log.c — writes whole lines with one write so lines of different threads never interleave. */
#include "platform/log.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static bool quiet;

void log_set_quiet(bool q) { quiet = q; }

__attribute__((format(printf, 2, 0))) static void emit(const char *level, const char *fmt, va_list ap) {
    char line[1024];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    int n = (int)strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%SZ ", &tm);
    n += snprintf(line + n, sizeof line - (size_t)n, "%s ", level);
    if (n < (int)sizeof line) n += vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    if (n >= (int)sizeof line - 1) n = (int)sizeof line - 2;
    line[n++] = '\n';
    ssize_t w = write(2, line, (size_t)n);
    (void)w;
}

void log_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    emit("error", fmt, ap);
    va_end(ap);
}

void log_info(const char *fmt, ...) {
    if (quiet) return;
    va_list ap;
    va_start(ap, fmt);
    emit("info", fmt, ap);
    va_end(ap);
}

void log_access(const char *method, const char *path, int status, unsigned long bytes, unsigned long usec) {
    if (quiet) return;
    char line[600];
    int n = snprintf(line, sizeof line, "%s %.500s %d %lu %lu\n", method, path, status, bytes, usec);
    if (n > (int)sizeof line - 1) { n = (int)sizeof line - 1; line[n - 1] = '\n'; }
    ssize_t w = write(2, line, (size_t)n);
    (void)w;
}
