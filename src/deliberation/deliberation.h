/* deliberation.h — the deliberation mechanism (M6 议事决策) as the rest of the program sees it:
 * its routes and messages for src/app.c, and the calls the demo generator makes inside its own
 * transaction. The demo calls go through exactly the same rule checks as the pages and the API
 * (stages.c, vote.h); they only skip the per-change audit entry, which the caller's transaction
 * writes once for the whole batch (audit_append). */
#ifndef ZW_DELIBERATION_H
#define ZW_DELIBERATION_H
#include "platform/i18n.h"
#include "platform/router.h"
#include "platform/validate.h"
#include <stdbool.h>
#include <stdint.h>

extern const Route deliberation_routes[];
extern const Msg deliberation_msgs[];
/* The categories of a matter (集体资产, 土地, …); the policy settings name the major ones. */
extern const Choice category_choices[];

/* Outcome of a demo call: 0 done, otherwise a rule refused it (message in `why`, Chinese) or the
 * database failed (-1). A vote that fails its quorum or majority is still recorded (returns 0)
 * and *passed tells which. */
enum { DELIB_OK = 0, DELIB_REFUSED = 1, DELIB_DB = -1 };

/* Creates a meeting of group `unit_id` on `held_on` (YYYY-MM-DD) and records who attended in
 * person: the n people of person_ids (people of the group, or committee members). body:
 * "assembly", "representatives" or "committee"; basis for an assembly "adults" or "reps" (ignored
 * for the others). The meeting's eligible and present counts are computed from the roll once, at
 * the end; with `vote_follows` by the vote the caller records at this meeting next
 * (delib_demo_vote), which counts them before it judges. Sets *id. */
int delib_demo_meeting(int64_t unit_id, const char *body, const char *basis, const char *held_on, const char *place,
                       const char *convener, const char *agenda, const char *minutes, const int64_t *person_ids, int n,
                       bool vote_follows, int64_t *id, char *why, size_t whysz);
/* Creates a matter in group `unit_id`; category is one of assets land works funds environment rules
 * other, raised_by villager committee village. The matter is major when the category is major by
 * the setting, or when `major` is true. Sets *id. */
int delib_demo_matter(int64_t unit_id, const char *title, const char *description, const char *category,
                      const char *raised_by, bool major, const char *raised_on, int64_t *id, char *why, size_t whysz);
/* Stage 1: a consultation at `meeting_id` (0 for none) or collected opinions (`opinions` heard). */
int delib_demo_consult(int64_t matter_id, int64_t meeting_id, const char *on_date, const char *text, int opinions,
                       char *why, size_t whysz);
/* Stage 2: the committee meeting `meeting_id` proposes `proposal`. */
int delib_demo_propose(int64_t matter_id, int64_t meeting_id, const char *proposal, char *why, size_t whysz);
/* Stage 3 (or a committee decision of a minor matter): the vote at `meeting_id`. `decision` is the
 * text published when it passes (NULL: the proposal). */
int delib_demo_vote(int64_t matter_id, int64_t meeting_id, int votes_for, int votes_against, int abstentions,
                    bool secret, const char *decision, bool *passed, char *why, size_t whysz);
/* An implementation entry of a decided matter. */
int delib_demo_implement(int64_t matter_id, const char *on_date, const char *text, const char *result, char *why,
                         size_t whysz);
/* Closes a decided matter. */
int delib_demo_close(int64_t matter_id, const char *on_date, const char *note, char *why, size_t whysz);
/* Adopts a version of a group rule through the passed 'rules' matter `matter_id`: a new document
 * when rule_id is 0 (title required), else the next version of rule `rule_id`. Sets *version_id. */
int delib_demo_adopt_rule(int64_t matter_id, int64_t rule_id, const char *title, const char *body, const char *note,
                          int64_t *version_id, char *why, size_t whysz);

/* `zuwei check`: the number of (unit, stage, category) whose matter_tally (017) differs from a
 * recount of the matters of its subtree, or -1 when it cannot be read. */
int matter_counts_check(void);

#endif
