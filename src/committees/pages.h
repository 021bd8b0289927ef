/* pages.h — what the committee pages share with api.c and notice.c. */
#ifndef ZW_COMMITTEES_PAGES_H
#define ZW_COMMITTEES_PAGES_H
#include "committees/store.h"
#include "org/org.h"
#include "platform/http.h"
#include "platform/validate.h"

/* Loads the village group named by :id inside the caller's scope; answers 404 itself otherwise. */
bool cm_load_group(Req *r, Resp *w, Unit *g);
/* Village cadres and up record formations and member changes: the caller may edit in the group's
 * village (a committee member, scoped to the group, may only look). */
bool cm_may_record(const Req *r, const char *group_path);
/* Confirming a formation needs CAP_REVIEW on the group. */
bool cm_may_confirm(const Req *r, const char *group_path);
/* Reads the list filters (?unit= attention= ending= nochair=) into f; false when the unit named
 * lies outside the caller's scope (the list is then empty). A value the list does not offer
 * (attention or nochair other than 1 or 0, ending not a number of days up to 3650) is recorded in
 * *bad; lists answer 422 with it. */
bool committee_filters(Req *r, CommitteeFilter *f, FilterError *bad);
/* The JSON of a committee with its members (new reference). */
json_t *committee_json(Req *r, const Committee *c);
/* The JSON of a formation with candidates, proxies and the verdict (new reference). */
json_t *formation_json(Req *r, const Formation *f);
/* Builds the input of a stored formation (lists from the database) into the request arena. */
void formation_input_of(Req *r, const Formation *f, FormationInput *in);

/* Handlers of notice.c and api.c. */
void h_formation_notice(Req *r, Resp *w);
void h_committees_export(Req *r, Resp *w);
void api_committees(Req *r, Resp *w);
void api_committee_get(Req *r, Resp *w);
void api_group_committee(Req *r, Resp *w);
void api_formation_create(Req *r, Resp *w);
void api_formation_get(Req *r, Resp *w);
void api_formation_update(Req *r, Resp *w);
void api_formation_confirm(Req *r, Resp *w);
void api_member_end(Req *r, Resp *w);
void api_member_add(Req *r, Resp *w);
void api_composition(Req *r, Resp *w);

#endif
