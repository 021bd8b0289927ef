/* profile.h — 组情民情, the profile of a unit's subtree (profile.c): its routes, and the card the
 * unit's own page shows (registered with org by app.c). */
#ifndef ZW_PEOPLE_PROFILE_H
#define ZW_PEOPLE_PROFILE_H
#include "org/org.h"

extern const Route profile_routes[];
/* The main figures of u's profile and a link to the whole of it. */
void people_unit_card(Req *r, Buf *b, const Unit *u);

#endif
