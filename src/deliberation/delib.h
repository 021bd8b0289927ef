/* delib.h — inside the deliberation mechanism: the records (meetings, matters, votes, rules), the
 * scoped read side and the write path shared by pages.c, meetings.c, rules.c, public.c, api.c and
 * the demo hook.
 *
 * Writes come in two layers. The dl_*_tx functions check the rules (stages.h, vote.h, the roll) and
 * write inside the caller's open transaction; they return DELIB_OK, DELIB_REFUSED with the reason
 * in a DelibErr, or DELIB_DB. The dl_* functions without the suffix wrap one of them in
 * change_apply(), so the change and its audit entry commit together or not at all. Readers take
 * the caller's scope (a unit path) and report a record outside it as not found. */
#ifndef ZW_DELIBERATION_DELIB_H
#define ZW_DELIBERATION_DELIB_H
#include "deliberation/deliberation.h"
#include "deliberation/stages.h"
#include "deliberation/vote.h"
#include "org/units.h"
#include "platform/audit.h"
#include "platform/db.h"
#include "platform/page.h"
#include "platform/validate.h"
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

enum {
    DELIB_PAGE = 50,            /* rows per page of the matter list */
    DELIB_COUNT_CAP = 1000,     /* the matter list counts up to this and then says "1,000+" */
    DELIB_QUERY_MAX = 60,       /* characters of a search of matter titles (a title is at most 60) */
    DELIB_EXPORT_CAP = 100000,  /* rows of one export */
    DELIB_OVERDUE_DAYS = 30,    /* a matter in the same stage longer than this is overdue */
    DELIB_PHOTO_MAX = 2 << 20,  /* bytes per photo */
    DELIB_PHOTOS_PER_MEETING = 12,
    DELIB_ATTEND_MAX = 2000,    /* people on one attendance list */
};

/* Why a write was refused: the input at fault (NULL when none) and a Chinese message. */
typedef struct DelibErr { const char *field; char msg[320]; } DelibErr;

typedef struct Meeting {
    int64_t id, unit_id;
    MeetingBody body;
    char basis[8];                /* adults reps members */
    char held_on[11];
    char place[244], convener[124];
    char agenda[8004], minutes[60004];
    int eligible, present, proxies;
    bool attendance_taken;
    char unit_path[128], unit_name[244];
} Meeting;

typedef struct Matter {
    int64_t id, unit_id, vote_id;
    char title[244], description[16004];
    char category[12], raised_by[12], raised_on[11];
    bool major;
    Stage stage;
    char stage_since[11];
    char proposal[16004], decision[16004];
    char decided_on[11], closed_on[11];
    char unit_path[128], unit_name[244];
} Matter;

/* A vote as recorded. */
typedef struct VoteRec {
    int64_t id, matter_id, meeting_id;
    bool secret, passed;
    int eligible, present, votes_for, votes_against, abstentions, void_ballots;
    char reason[320];
} VoteRec;

/* One person on a meeting's attendance input. */
typedef struct Attend { int64_t person_id; bool present; const char *proxy_name; } Attend;

/* ---- Choices and labels (stages.c has the stage and body names) ---- */
extern const Choice category_choices[], raised_by_choices[], meeting_body_choices[], basis_choices[], stage_choices[];
const char *choice_text(const Choice *c, const char *value);
/* The quorum rule of a meeting for vote.h. */
void meeting_rule(const Meeting *m, VoteBody *body, QuorumBasis *basis);

/* ---- Settings ---- */
/* Copies setting `key` into out, or `dflt` when it is not set. */
void delib_setting(const char *key, const char *dflt, char *out, size_t n);

/* ---- Reading (scoped) ---- */
/* The columns matter_from_row reads, for a query over `matter m JOIN unit u`. */
#define MATTER_ROW_COLS                                                                                                  \
    "SELECT m.id, m.unit_id, coalesce(m.vote_id, 0), m.title, m.description, m.category, m.raised_by, m.raised_on,"     \
    " m.major, m.stage, m.stage_since, m.proposal, m.decision, coalesce(m.decided_on, ''), coalesce(m.closed_on, ''),"  \
    " u.path, u.name"
/* Fills m from the current row of a MATTER_ROW_COLS query. */
void matter_from_row(Stmt *st, Matter *m);
int matter_get(const char *scope, int64_t id, Matter *m);
int meeting_get(const char *scope, int64_t id, Meeting *m);
/* Fills the rule inputs of a matter from its timeline. Returns 0 or -1. */
int matter_state_load(const Matter *m, MatterState *s);
/* Loads vote `id`. Returns 0 or -1. */
int vote_load(int64_t id, VoteRec *v);
/* Eligible count of a meeting from the roll on its date (adults, reps or committee members). */
int meeting_eligible(const Meeting *m);

/* ---- Writing inside the caller's transaction ---- */
int dl_meeting_create_tx(Meeting *m, DelibErr *e);
int dl_meeting_update_tx(const Meeting *m, DelibErr *e);
int dl_attendance_tx(int64_t meeting_id, const Attend *a, int n, DelibErr *e);
/* Creates meeting m and records its attendance a[0..n) in one step, counting eligible and present
 * once at the end instead of after each part. With `vote_follows` even that count is left to the
 * vote the caller records at this meeting next, in the same transaction (dl_vote_tx recounts
 * before it judges); until then the meeting's counts are 0. For the demo generator. */
int dl_meeting_held_tx(Meeting *m, const Attend *a, int n, bool vote_follows, DelibErr *e);
int dl_matter_create_tx(Matter *m, DelibErr *e);
int dl_consult_tx(int64_t matter_id, int64_t meeting_id, const char *on, const char *text, int opinions, int64_t by,
                  DelibErr *e);
int dl_propose_tx(int64_t matter_id, int64_t meeting_id, const char *proposal, int64_t by, DelibErr *e);
int dl_vote_tx(int64_t matter_id, int64_t meeting_id, VoteRec *v, const char *decision, int64_t by, DelibErr *e);
int dl_implement_tx(int64_t matter_id, const char *on, const char *text, const char *result, int64_t by, DelibErr *e);
int dl_close_tx(int64_t matter_id, const char *on, const char *note, int64_t by, DelibErr *e);
int dl_adopt_rule_tx(int64_t matter_id, int64_t rule_id, const char *title, const char *body, const char *note,
                     int64_t *version_id, DelibErr *e);
int dl_photo_add_tx(int64_t meeting_id, const char *content_type, const char *caption, const void *data, size_t n,
                    int64_t *photo_id, DelibErr *e);

/* ---- Audited (one change_apply each) ---- */

/* The operations the audited wrapper can run. */
typedef enum {
    OP_MEETING_CREATE, OP_MEETING_UPDATE, OP_ATTENDANCE, OP_MATTER_CREATE, OP_CONSULT, OP_PROPOSE, OP_VOTE,
    OP_IMPLEMENT, OP_CLOSE, OP_ADOPT_RULE, OP_PHOTO,
} DelibOp;

/* Arguments of one operation; each uses the fields it needs. */
typedef struct DelibCall {
    DelibOp op;
    int64_t matter_id, meeting_id, rule_id, by;
    Meeting *meeting;
    Matter *matter;
    VoteRec *vote;
    const Attend *attend;
    int nattend, opinions;
    const char *on, *text, *result, *title, *body, *note, *decision, *content_type;
    const void *data;
    size_t len;
    int64_t out_id;              /* id created (matter, meeting, version, photo, vote) */
    DelibErr err;
} DelibCall;

/* Runs the call in one transaction with its audit entry. Returns DELIB_OK, DELIB_REFUSED (reason in
 * call->err) or DELIB_DB. */
int dl_apply(const Actor *a, int64_t unit_id, DelibCall *call);

#endif

/* ---- Shared by the page files (pages.c) ---- */

/* Loads the group named by path parameter :id inside the caller's scope (404 answered on failure). */
int delib_group_param(Req *r, Resp *w, Unit *u);
/* Finds the group a new matter or meeting is for (the body's unit_id for the API, the path for
 * the pages) and reads the submitted fields. Returns 0 to go on with a submitted form, 1 for the
 * first GET of the page (f is empty), or -1 when the answer was sent (404 or 403). */
int delib_new_target(Req *r, Resp *w, Form *f, const Field *fields, int n, Unit *u);
/* Opens a page about group `u`: its breadcrumbs, then up to two crumbs of our own. */
void delib_page_begin(Req *r, Resp *w, const Unit *u, const char *title, const Crumb *extra, int nextra);
/* A date column value (YYYY-MM-DD) for the request's language; "" when empty. */
const char *delib_date(Req *r, const char *iso);
/* Answers a refused or failed write: JSON 422/500, or NULL for the page to re-render (422 set). */
bool delib_refused(Req *r, Resp *w, int rc, Form *f, const DelibCall *c);
/* The absolute URL of a public path (for QR codes): the request's Host with http(s). */
const char *delib_public_url(Req *r, const char *path);
/* Writes the QR code of `url` with its caption. */
void delib_qr(Req *r, Buf *b, const char *url, const char *caption);
json_t *matter_json(const Matter *m);
json_t *meeting_json(const Meeting *m);
json_t *vote_json(const VoteRec *v);
/* Writes the <option>s of the group's meetings (newest first), `cur` selected. */
void meeting_options(Req *r, Buf *b, int64_t unit_id, int64_t cur);

/* Handlers (matters.c, meetings.c, rules.c, public.c, list.c). */
void h_group_matters(Req *r, Resp *w);
void h_matter_new(Req *r, Resp *w);
void h_matter(Req *r, Resp *w);
void h_matter_consult(Req *r, Resp *w);
void h_matter_propose(Req *r, Resp *w);
void h_matter_vote(Req *r, Resp *w);
void h_matter_implement(Req *r, Resp *w);
void h_matter_close(Req *r, Resp *w);
void h_matter_notice(Req *r, Resp *w);
void h_matter_rule(Req *r, Resp *w);
void h_matters(Req *r, Resp *w);
void h_matters_export(Req *r, Resp *w);
void h_group_meetings(Req *r, Resp *w);
void h_meeting_new(Req *r, Resp *w);
void h_meeting(Req *r, Resp *w);
void h_meeting_edit(Req *r, Resp *w);
void h_meeting_attendance(Req *r, Resp *w);
void h_meeting_signin(Req *r, Resp *w);
void h_meeting_photo_add(Req *r, Resp *w);
void h_meeting_photo(Req *r, Resp *w);
void h_group_rules(Req *r, Resp *w);
void h_public_matter(Req *r, Resp *w);
void h_public_rules(Req *r, Resp *w);
