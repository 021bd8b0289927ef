/* validate.h — declared input fields and their checks.
 *
 * A handler declares the fields it accepts (Field[]); form_read() takes them from the form body
 * (or the JSON body of an API call, or the query for GET filters), checks each against its type,
 * length, range, choices and pattern, and only then hands typed values to the handler. Errors are
 * kept per field with a stable code and a Chinese message; pages show them next to the field,
 * the API answers {"error":{"code","field","message"}}. */
#ifndef ZW_VALIDATE_H
#define ZW_VALIDATE_H
#include "platform/http.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum {
    FT_TEXT,        /* one line; min/max are lengths in characters */
    FT_TEXTAREA,    /* several lines */
    FT_INT,         /* min/max are the range */
    FT_DECIMAL,     /* non-negative number with up to 2 decimals, kept ×100 in .i (亩, km) */
    FT_DATE,        /* YYYY-MM-DD; .i holds days since 1970-01-01 */
    FT_ENUM,        /* one of choices[] */
    FT_BOOL,        /* checkbox: present and "1"/"on"/"true" → 1 */
    FT_ID,          /* a positive row id */
    FT_PHONE,       /* 11-digit mainland mobile or a landline with area code */
    FT_DIGITS,      /* digits only; min/max lengths */
    FT_PASSWORD,    /* never echoed back */
    FT_IDS,         /* a list of positive row ids: the repeated form field, or a JSON array of
                       integers; .s holds them as "1,2,3", .i their count; max: most ids (default 500) */
} FieldType;

typedef struct Choice { const char *value, *label; } Choice;

typedef struct Field {
    const char *name;
    const char *label;          /* Chinese; English through the message table */
    FieldType type;
    bool required;
    int64_t min, max;           /* 0,0 = no limit beyond the type's own (text: 200 characters) */
    const Choice *choices;      /* FT_ENUM; ends with {NULL, NULL} */
    /* Extra check; returns NULL when fine or a Chinese message. */
    const char *(*check)(const char *value);
    const char *hint;
} Field;

enum { FORM_MAX_FIELDS = 48 };

typedef struct Form {
    const Field *fields;
    int n;
    const char *s[FORM_MAX_FIELDS];     /* submitted text (trimmed), NULL when absent */
    int64_t i[FORM_MAX_FIELDS];         /* typed value for numbers, dates, bools, ids */
    const char *err[FORM_MAX_FIELDS];   /* message, NULL when fine */
    const char *code[FORM_MAX_FIELDS];  /* stable error code: required, too_long, range, format, choice */
    int nerr;
    bool submitted;
} Form;

/* Reads and validates the declared fields from the request. Returns the number of errors. */
int form_read(Req *r, Form *f, const Field *fields, int n);
/* Prepares an empty form (for the first GET of a form page), optionally with initial values. */
void form_init(Form *f, const Field *fields, int n);
void form_set(Form *f, const char *name, const char *value);
const char *form_s(const Form *f, const char *name);      /* NULL when absent or empty */
int64_t form_i(const Form *f, const char *name);
bool form_has(const Form *f, const char *name);
/* The ids of an FT_IDS field that passed its check, into out (at most max). Returns the count. */
int form_ids(const Form *f, const char *name, int64_t *out, int max);
/* For partial updates through the JSON API: when `name` was not sent at all, takes `value` (the
 * stored one) instead and checks it like a submitted value. Does nothing for a sent field. */
void form_fill_absent(Req *r, Form *f, const char *name, const char *value);
/* When `name` was left empty or not sent, takes `value` instead and checks it like a submitted
 * value (a value the server can work out, e.g. a birth date from an ID number). */
void form_fill_empty(Req *r, Form *f, const char *name, const char *value);
/* Records a handler-level error on a field (e.g. "code already in use"). */
void form_fail(Form *f, const char *name, const char *code, const char *message);
/* Answers an API request with the first error as JSON (422). */
void form_json_error(Req *r, Resp *w, const Form *f);

/* Validates one value against a field; returns NULL or a message and sets *code and *out. Exposed
 * for unit tests. */
const char *field_check(const Req *r, const Field *fd, const char *value, int64_t *out, const char **code);
/* A list filter from the query string that the list does not offer (an edited or stale link):
 * which parameter, a stable code (choice, too_long) and the message. Lists answer 422 with it
 * rather than quietly showing everything. field is NULL while every filter is fine. */
typedef struct FilterError { const char *field, *code, *message; } FilterError;
/* Reads query filter `name` as one of `choices`: the value, or NULL when absent or empty. Any
 * other value reads as NULL and is recorded in *e (the first problem only) with `message`, or a
 * general one when message is NULL. FILTER_ON holds a checkbox filter's values: "1" on, "0" off. */
const char *filter_choice(const Req *r, const char *name, const Choice *choices, const char *message, FilterError *e);
/* Records a problem with filter `field` in *e unless one is recorded already. */
void filter_fail(FilterError *e, const char *field, const char *code, const char *message);
extern const Choice FILTER_ON[];
/* Reads query filter `name` as a row id: 0 when absent or empty; anything but a positive decimal
 * id reads as 0 and is recorded in *e (code format). */
int64_t filter_id(const Req *r, const char *name, FilterError *e);
/* Parses a positive decimal row id (at most 15 digits); 0 for anything else, NULL included. */
int64_t id_parse(const char *s);
/* The row id in path parameter `name` (/people/:id), as id_parse reads it: 0 when it is not one. */
int64_t path_id(const Req *r, const char *name);
/* Counts characters (code points) of a valid UTF-8 string. */
size_t utf8_chars(const char *s);

#endif
