/* org_auth.h — logins of the org tree: the user store and the pages for logins, users, API
 * tokens and the audit viewer. */
#ifndef ZW_ORG_AUTH_H
#define ZW_ORG_AUTH_H
#include "platform/audit.h"
#include "platform/i18n.h"
#include "platform/router.h"
#include <stdbool.h>
#include <stdint.h>

extern const Route login_routes[], user_routes[], auditlog_routes[];
extern const Msg auth_msgs[];

/* True when `password` is the user's current password. */
bool user_password_matches(int64_t user_id, const char *password);
/* Sets a new password (audited, without the password), ends the user's sessions; `must_change`
 * makes the user choose their own at the next login. Returns 0 or -1. */
int user_set_password(const Actor *a, int64_t user_id, const char *password, bool must_change);
/* `zuwei user add|passwd|list|disable ...`; argv[0] == "user". */
int cmd_user(int argc, char **argv);
/* `zuwei user add ... --password P` with `hash` already made from P by crypto_password_hash: for
 * many logins with one password (the demo's), one Argon2 hash instead of one each. Audited like
 * cmd_user. Returns 0, 1 when it failed, 2 on a wrong command line. */
int user_add_hashed(int argc, char **argv, const char *hash);
/* `zuwei check`: the number of logins whose user.scope_path (017) is not their unit's path, or -1. */
int user_paths_check(void);
/* `zuwei check`: audit chain and database integrity. Returns 0 when all is well. */
int cmd_check(int argc, char **argv);

#endif
