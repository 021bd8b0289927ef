/* app.h — the application assembled from its mechanisms: route tables, message tables, menu. */
#ifndef ZW_APP_H
#define ZW_APP_H

/* Registers every mechanism's routes, messages and menu entries. Call once at start-up. */
void app_init(void);
/* Registers the message tables; returns how many Chinese texts are given two different English
 * texts (0 is right), with *first set to the first of them. Called by app_init. */
int app_messages(const char **first);

#endif
