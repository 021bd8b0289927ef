/* roles.h — the roles of PRODUCT.md and what each may do: the one role → capability table. */
#ifndef ZW_ROLES_H
#define ZW_ROLES_H
#include <stdbool.h>

typedef struct Role {
    const char *name;        /* stored in user.role */
    const char *label;       /* Chinese */
    unsigned caps;
    const char *scope_kind;  /* the unit kind a user of this role is scoped to; NULL = any */
    int rank;                /* who may create whom: a creator needs a higher rank (auditor: county admin only) */
} Role;

extern const Role roles[];

const Role *role_find(const char *name);
/* Capabilities of a role name; 0 for an unknown role. */
unsigned role_caps(const char *name);
/* True when `creator` may create or change a login of role `target`. */
bool role_may_manage(const char *creator, const char *target);

#endif
