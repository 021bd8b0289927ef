/* import.h — roster import (花名册导入): people and households from an Excel or CSV roster.
 *
 * County offices keep their rosters in Excel. import_people() reads such a file (.xlsx, or CSV in
 * UTF-8 with or without BOM or GB18030), finds its columns by their Chinese headers, checks every
 * row and then writes the whole file in one transaction with one audit entry — or nothing, when
 * any row is bad and the caller did not ask to import the valid rows only. Importing the same file
 * twice changes nothing: people already on the roll are matched by ID number (or, without one, by
 * group, household and name and birth date) and updated only when a field differs.
 *
 * The browser side (GET/POST /import/people, preview, confirm, templates) keeps an uploaded file in
 * the import_batch table between the preview and the confirmation. */
#ifndef ZW_PEOPLE_IMPORT_H
#define ZW_PEOPLE_IMPORT_H
#include "platform/audit.h"
#include "platform/buf.h"
#include "platform/i18n.h"
#include "platform/router.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    IMPORT_MAX_BYTES = 20 << 20,     /* 20 MiB, the upload cap */
    IMPORT_MAX_ROWS = 300000,        /* data rows */
    IMPORT_PREVIEW_ROWS = 20,
};

/* Results of import_people(). */
enum {
    IMPORT_OK = 0,          /* written (or, with dry_run, would be written) */
    IMPORT_BAD_ROWS = 1,    /* some rows are bad and nothing was written */
    IMPORT_BAD_FILE = 2,    /* unreadable file, wrong format, missing columns: see fatal */
    IMPORT_DB_ERROR = -1,
};

typedef struct ImportOpts {
    const char *scope_path;   /* only groups under this path may receive people ("/" = all) */
    int64_t scope_unit;       /* the unit the audit entry is filed under (0 = none) */
    const char *filename;     /* for the audit entry */
    bool valid_only;          /* import the good rows, report the bad */
    bool dry_run;             /* check and count, write nothing */
    bool sole_user;           /* the command line: a big load may leave WAL (db_bulk_mode) */
} ImportOpts;

/* One problem: the spreadsheet row, the column header ("" when the whole row) and the reason.
 * `reason` is a key of the message tables with "{n}" for the number `n` (a row) and "{s}" for
 * `text` (a cell); NULL when `text` is a message of the shared checks, itself a key. `message` is
 * the reason filled in, in Chinese (the command line's); a page shows import_issue_reason(). */
typedef struct ImportIssue {
    size_t row;
    const char *column;
    const char *reason;
    long long n;
    char text[192];           /* a cell (a group as the file names it) or a shared check's message */
    char message[160];
} ImportIssue;

/* A row as it will be stored, for the preview page (ID number masked). */
typedef struct ImportPreview {
    size_t row;
    char action[8];           /* "create", "update", "same" */
    char name[96], sex[4], birth[11], idmask[24], group[128], relation[16], status[16], flags[96];
} ImportPreview;

typedef struct ImportReport {
    int rows, created, updated, unchanged, bad, households;
    int households_updated;           /* households on the roll given new 住址/耕地/… cells */
    bool written;
    char sha256[65];
    char fatal[400];                  /* file-level problem (IMPORT_BAD_FILE) */
    ImportIssue *issues;              /* every bad row's problems, in row order */
    size_t nissues;
    ImportPreview preview[IMPORT_PREVIEW_ROWS];
    int npreview;
} ImportReport;

/* Imports a roster held in memory as actor `a`. Fills *rep (free it with import_report_free) and
 * returns one of IMPORT_OK, IMPORT_BAD_ROWS, IMPORT_BAD_FILE or IMPORT_DB_ERROR. Must not be called
 * inside a transaction. */
int import_people(const Actor *a, const char *data, size_t n, const ImportOpts *o, ImportReport *rep);
void import_report_free(ImportReport *rep);
/* Formats one issue as "第 N 行，列「身份证号」：reason" into out. */
void import_issue_text(const ImportIssue *is, char *out, size_t outsz);
/* An issue's reason in the request's language (in its arena). */
const char *import_issue_reason(const Req *r, const ImportIssue *is);

/* The documented template: headers and two example rows. The xlsx is written with libxlsxwriter
 * through a temporary file; returns 0 or -1. */
int import_template_xlsx(Buf *out);
void import_template_csv(Buf *out);

/* `zuwei import people FILE [--scope UNIT_CODE] [--valid-only] [--dry-run]`; argv[0] == "import".
 * Expects the database open. Returns 0, 1 when rows are bad or the work failed, 2 on usage. */
int cmd_import(int argc, char **argv);

extern const Route import_routes[];
extern const Msg import_msgs[];

#endif
