/* pages.h — what the page files of the contact mechanism share (handlers for routes.c and a few
 * helpers). */
#ifndef ZW_CONTACT_PAGES_H
#define ZW_CONTACT_PAGES_H
#include "contact/store.h"
#include "platform/page.h"
#include <jansson.h>

/* Visits (visits.c). */
void h_visit_new(Req *r, Resp *w);
void h_visit_create(Req *r, Resp *w);
void h_visit_list(Req *r, Resp *w);
void h_visit_get(Req *r, Resp *w);
void h_visit_edit(Req *r, Resp *w);
void h_visit_void(Req *r, Resp *w);
void h_visit_photo(Req *r, Resp *w);
/* POST /api/v1/visits/:id/photo: adds or replaces the photo of a visit (multipart field "photo") under
 * the rule for editing it; the offline queue sends a photo this way once its visit is stored. */
void h_visit_photo_post(Req *r, Resp *w);
void h_visit_batch(Req *r, Resp *w);
void h_household_search(Req *r, Resp *w);
void h_service_worker(Req *r, Resp *w);

/* Guidance contacts (guidance.c). */
void h_guidance_new(Req *r, Resp *w);
void h_guidance_create(Req *r, Resp *w);
void h_guidance_list(Req *r, Resp *w);
void h_guidance_get(Req *r, Resp *w);
void h_guidance_edit(Req *r, Resp *w);
void h_guidance_void(Req *r, Resp *w);

/* Assignments (assign.c). */
void h_assign_households(Req *r, Resp *w);
void h_assign_households_post(Req *r, Resp *w);
void h_assign_household_end(Req *r, Resp *w);
void h_assign_guides(Req *r, Resp *w);
void h_assign_guides_post(Req *r, Resp *w);
void h_assign_guide_end(Req *r, Resp *w);

/* Compliance, digest, sheet (report.c). */
void h_compliance(Req *r, Resp *w);
void h_compliance_xlsx(Req *r, Resp *w);
void h_digest(Req *r, Resp *w);
void h_digest_csv(Req *r, Resp *w);
void h_digest_xlsx(Req *r, Resp *w);
void h_member_sheet(Req *r, Resp *w);

/* ---- Helpers ---- */

/* Reads query filter `name` as a period: a month (2026-11), or also a quarter (2026Q4) when
 * `quarters`. True when given and well formed; a malformed value is recorded in *e (code format),
 * so the list answers 422 instead of quietly showing another period. */
bool contact_period_filter(const Req *r, const char *name, bool quarters, CompliancePeriod *out, FilterError *e);
/* Today's date as YYYY-MM-DD in the request arena. */
const char *contact_today_iso(Req *r);
/* True when the caller may still change a record written by `entered_by` at `created_at`
 * (ISO timestamp): the author within CONTACT_EDIT_DAYS, or a reviewer of `unit_path`. */
bool contact_may_edit(const Req *r, int64_t entered_by, const char *created_at, const char *unit_path);
/* The person linked to the caller's login when they hold a committee seat today, else 0. */
int64_t contact_my_member_id(const Req *r);
/* Adds the <script> of an asset to a page (visit.js). */
void contact_page_script(Req *r, Buf *b, const char *asset);
/* Reads the duties of a form (checkboxes "duty") or of the JSON body (array of keys or a bit set
 * in "duties"). */
unsigned contact_duties_of(Req *r);

#endif
