/* roles.c — the role → capability table (PRODUCT.md "Who uses it"). Handlers never test a role
 * name: they ask for a capability on a unit, and this table is where roles get them. */
#include "org/roles.h"
#include "platform/auth.h"
#include <string.h>

enum {
    READ = CAP_LOGIN | CAP_VIEW,
    OFFICE = READ | CAP_EDIT | CAP_REVIEW | CAP_EXPORT | CAP_IMPORT | CAP_USERS,
};

const Role roles[] = {
    /* 县级管理员 (组织部): everything in the county. */
    {"county_admin", "县级管理员", OFFICE | CAP_ORG | CAP_AUDIT | CAP_REVEAL | CAP_SETTINGS | CAP_FIELD, "county", 50},
    /* 乡镇干部: their township's records, users and escalations. */
    {"township", "乡镇干部", OFFICE | CAP_ORG | CAP_REVEAL, "township", 40},
    /* 村干部 (村"两委"): guidance visits, formations, their village's records and member logins. */
    {"village", "村干部", OFFICE | CAP_FIELD, "village", 30},
    /* 组委会成员: field work in their group, mostly on a phone. */
    {"member", "组委会成员", READ | CAP_EDIT | CAP_FIELD, "group", 20},
    /* 组民: sees their own household only (filtered further by person link). */
    {"villager", "组民", CAP_LOGIN, "group", 10},
    /* 审计: any subtree, read-only, with the audit and login logs. */
    {"auditor", "审计", READ | CAP_AUDIT | CAP_EXPORT, NULL, 0},
    {NULL, NULL, 0, NULL, 0},
};

const Role *role_find(const char *name) {
    for (const Role *r = roles; name && r->name; r++)
        if (strcmp(r->name, name) == 0) return r;
    return NULL;
}

unsigned role_caps(const char *name) {
    const Role *r = role_find(name);
    return r ? r->caps : 0;
}

bool role_may_manage(const char *creator, const char *target) {
    const Role *c = role_find(creator), *t = role_find(target);
    if (!c || !t || !(c->caps & CAP_USERS)) return false;
    if (strcmp(t->name, "auditor") == 0) return strcmp(c->name, "county_admin") == 0;
    return c->rank > t->rank || strcmp(c->name, "county_admin") == 0;
}
