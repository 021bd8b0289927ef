/* duties.h — the eight duties of a committee member (八大员), a fixed dictionary.
 *
 * Activity records of later mechanisms (household visits, guidance, cases, meetings) store the
 * duties they served as a bit set in an INTEGER column `duties` (see 006_committees.sql). The bits
 * never change meaning: add a duty only at the end. Forms show the duties as checkboxes named
 * after the field (one `name=KEY` per ticked duty), lists as badges. */
#ifndef ZW_COMMITTEES_DUTIES_H
#define ZW_COMMITTEES_DUTIES_H
#include "platform/http.h"
#include <jansson.h>
#include <stdbool.h>

enum {
    DUTY_PUBLICIST = 1,      /* 宣传员 policy publicist */
    DUTY_SUPERVISOR = 2,     /* 监督员 affairs supervisor */
    DUTY_MEDIATOR = 4,       /* 调解员 mediator */
    DUTY_ADVOCATE = 8,       /* 倡导员 civility advocate */
    DUTY_AGENT = 16,         /* 代理员 villagers' agent */
    DUTY_NAVIGATOR = 32,     /* 领航员 prosperity navigator */
    DUTY_COMANAGER = 64,     /* 协管员 environment co-manager */
    DUTY_EXAMPLE = 128,      /* 示范员 law-abiding example */
    DUTY_ALL = 255,
};

typedef struct Duty {
    unsigned bit;
    const char *key;         /* stable English key for forms and the API: "publicist" */
    const char *zh;          /* 宣传员; English through the message table */
    const char *what;        /* one line of what the duty covers (Chinese) */
} Duty;

/* The eight duties in order, ending with {0, NULL, NULL, NULL}. */
extern const Duty duties[];

/* The duty with this key or Chinese name, or NULL. */
const Duty *duty_find(const char *key_or_zh);
/* Reads the ticked duties of checkbox field `name` from the form (every value of that name).
 * Unknown values are ignored. */
unsigned duties_from_req(const Req *r, const char *name);
/* Reads duties from JSON: an array of keys, or an integer bit set. Returns 0 and sets *out, or -1
 * when a key is unknown or a bit lies outside DUTY_ALL. */
int duties_from_json(const json_t *v, unsigned *out);
/* The JSON array of the keys of a bit set (new reference). */
json_t *duties_json(unsigned set);
/* Writes the checkbox group of the eight duties for field `name`, with `selected` ticked and an
 * optional error under it. */
void ui_duty_checkboxes(Req *r, Buf *b, const char *name, unsigned selected, const char *error);
/* Writes one badge per duty in the set (nothing for an empty set). */
void ui_duty_badges(Req *r, Buf *b, unsigned set);

#endif
