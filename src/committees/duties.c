/* duties.c — the dictionary of the eight duties (八大员) and its form and list helpers. */
#include "committees/duties.h"
#include "platform/html.h"
#include "platform/i18n.h"
#include <string.h>

const Duty duties[] = {
    {DUTY_PUBLICIST, "publicist", "宣传员", "宣传党的政策和村里的决定"},
    {DUTY_SUPERVISOR, "supervisor", "监督员", "监督组内事务和集体资金资产"},
    {DUTY_MEDIATOR, "mediator", "调解员", "调解邻里、家庭矛盾纠纷"},
    {DUTY_ADVOCATE, "advocate", "倡导员", "倡导文明新风、移风易俗"},
    {DUTY_AGENT, "agent", "代理员", "为群众代办事项、反映诉求"},
    {DUTY_NAVIGATOR, "navigator", "领航员", "带领群众发展产业、增收致富"},
    {DUTY_COMANAGER, "comanager", "协管员", "协助管理人居环境和公共设施"},
    {DUTY_EXAMPLE, "example", "示范员", "带头遵纪守法、示范引领"},
    {0, NULL, NULL, NULL},
};

const Duty *duty_find(const char *s) {
    for (const Duty *d = duties; s && d->key; d++)
        if (strcmp(d->key, s) == 0 || strcmp(d->zh, s) == 0) return d;
    return NULL;
}

unsigned duties_from_req(const Req *r, const char *name) {
    unsigned set = 0;
    for (size_t i = 0; i < r->nparams; i++) {
        const Param *p = &r->params[i];
        if (!(p->src & (SRC_FORM | SRC_QUERY)) || strcmp(p->name, name) != 0) continue;
        const Duty *d = duty_find(p->value);
        if (d) set |= d->bit;
    }
    return set;
}

int duties_from_json(const json_t *v, unsigned *out) {
    *out = 0;
    if (!v || json_is_null(v)) return 0;
    if (json_is_integer(v)) {
        json_int_t n = json_integer_value(v);
        if (n < 0 || n > DUTY_ALL) return -1;
        *out = (unsigned)n;
        return 0;
    }
    if (!json_is_array(v)) return -1;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
        const Duty *d = json_is_string(e) ? duty_find(json_string_value(e)) : NULL;
        if (!d) return -1;
        *out |= d->bit;
    }
    return 0;
}

json_t *duties_json(unsigned set) {
    json_t *a = json_array();
    for (const Duty *d = duties; d->key; d++)
        if (set & d->bit) json_array_append_new(a, json_string(d->key));
    return a;
}

void ui_duty_checkboxes(Req *r, Buf *b, const char *name, unsigned selected, const char *error) {
    html(b, "<fieldset class=\"field%s\"><legend>%s</legend><div class=\"choices\">", error ? " has-error" : "", T(r, "履行职责（八大员）"));
    for (const Duty *d = duties; d->key; d++)
        html(b, "<label title=\"%s\"><input type=\"checkbox\" name=\"%s\" value=\"%s\"%s> %s</label>", T(r, d->what), name, d->key,
             selected & d->bit ? " checked" : "", T(r, d->zh));
    html_raw(b, "</div>");
    if (error) html(b, "<p class=\"error\">%s</p>", error);
    html_raw(b, "</fieldset>");
}

void ui_duty_badges(Req *r, Buf *b, unsigned set) {
    for (const Duty *d = duties; d->key; d++)
        if (set & d->bit) html(b, "<span class=\"badge\">%s</span> ", T(r, d->zh));
}
