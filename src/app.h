/* app.h — the application assembled from its mechanisms: route tables, message tables, menu. */
#ifndef ZW_APP_H
#define ZW_APP_H

/* Registers every mechanism's routes, messages and menu entries. Call once at start-up. */
void app_init(void);

#endif
