// The scope harness: for every route, every role, in scope and out of scope → the expected status,
// against the real server. "Scope is law": a user sees and changes only their subtree; a by-id
// route answers 404 outside it (existence is not revealed), 403 for a missing capability, and a
// login redirect (303) or 401 for the public.
//
// Add a row for every new route: { method, path, cap, entity, ok } where `path` contains {id}
// for the entity, `cap` is the capability the route needs, `entity` names how to find an id in and
// out of a role's scope (see ENTITIES), and `ok` is the status a permitted, in-scope call gives
// (default 200 for GET; for POST with an empty body usually 422). `roles` overrides the expected
// in-scope status for roles whose capability alone is not enough (e.g. committee records need
// rights on the whole village, which a committee member scoped to one group does not have).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { client, startCounty } from './lib/county.mjs';

// Capabilities per role, as in src/org/roles.c (the table the server uses).
const CAPS = {
  admin: ['VIEW', 'EDIT', 'REVIEW', 'ORG', 'USERS', 'AUDIT', 'REVEAL', 'SETTINGS', 'EXPORT', 'IMPORT', 'FIELD'],
  town_a: ['VIEW', 'EDIT', 'REVIEW', 'EXPORT', 'IMPORT', 'USERS', 'ORG', 'REVEAL'],
  vil_a: ['VIEW', 'EDIT', 'REVIEW', 'EXPORT', 'IMPORT', 'USERS', 'FIELD'],
  mem_a: ['VIEW', 'EDIT', 'FIELD'],
  villager_a: [],
  auditor: ['VIEW', 'AUDIT', 'EXPORT'],
};

// Roles whose fixture login is scoped to the whole county: nothing is out of their scope.
const COUNTY_WIDE = ['admin', 'auditor'];

let county;
const sessions = {};
const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();
const unitId = (code) => sql(`SELECT id FROM unit WHERE code = '${code}'`);
// Registry fixtures made in before(): one household with one person per group below.
const fixture = {};
const userId = (name) => sql(`SELECT id FROM user WHERE username = '${name}'`);

// For each entity kind: an id inside the role's scope, and one outside every test role's scope
// but the county admin's (the other township, 太平镇).
const ENTITIES = {
  unit: {
    in: { admin: () => unitId('522222001001'), town_a: () => unitId('522222001001'), vil_a: () => unitId('522222001001'),
      mem_a: () => unitId('522222001001001'), villager_a: () => unitId('522222001001002'), auditor: () => unitId('522222001001') },
    out: () => unitId('522222100001'),
  },
  user: {
    in: { admin: () => userId('vil_a'), town_a: () => userId('vil_a'), vil_a: () => userId('mem_a'),
      mem_a: () => userId('mem_a'), villager_a: () => userId('villager_a'), auditor: () => userId('vil_a') },
    out: () => userId('town_b'),
  },
  group: {
    in: { admin: () => unitId('522222001001001'), town_a: () => unitId('522222001001001'), vil_a: () => unitId('522222001001001'),
      mem_a: () => unitId('522222001001001'), villager_a: () => unitId('522222001001002'), auditor: () => unitId('522222001001001') },
    out: () => unitId('522222100001002'),
  },
  person: {
    in: { admin: () => fixture.personA, town_a: () => fixture.personA, vil_a: () => fixture.personA, mem_a: () => fixture.personA,
      villager_a: () => fixture.personV, auditor: () => fixture.personA },
    out: () => fixture.personB,
  },
  household: {
    in: { admin: () => fixture.hhA, town_a: () => fixture.hhA, vil_a: () => fixture.hhA, mem_a: () => fixture.hhA,
      villager_a: () => fixture.hhV, auditor: () => fixture.hhA },
    out: () => fixture.hhB,
  },
  matter: {
    in: { admin: () => fixture.matterA, town_a: () => fixture.matterA, vil_a: () => fixture.matterA, mem_a: () => fixture.matterA,
      villager_a: () => fixture.matterA, auditor: () => fixture.matterA },
    out: () => fixture.matterB,
  },
  meeting: {
    in: { admin: () => fixture.meetingA, town_a: () => fixture.meetingA, vil_a: () => fixture.meetingA, mem_a: () => fixture.meetingA,
      villager_a: () => fixture.meetingA, auditor: () => fixture.meetingA },
    out: () => fixture.meetingB,
  },
  committee: {
    in: { admin: () => fixture.committeeA, town_a: () => fixture.committeeA, vil_a: () => fixture.committeeA,
      mem_a: () => fixture.committeeA, villager_a: () => fixture.committeeA, auditor: () => fixture.committeeA },
    out: () => fixture.committeeB,
  },
  formation: {
    in: { admin: () => fixture.formationA, town_a: () => fixture.formationA, vil_a: () => fixture.formationA,
      mem_a: () => fixture.formationA, villager_a: () => fixture.formationA, auditor: () => fixture.formationA },
    out: () => fixture.formationB,
  },
  visit: {
    in: { admin: () => fixture.visitA, town_a: () => fixture.visitA, vil_a: () => fixture.visitA, mem_a: () => fixture.visitA,
      villager_a: () => fixture.visitA, auditor: () => fixture.visitA },
    out: () => fixture.visitB,
  },
  guidance: {
    in: { admin: () => fixture.guidanceA, town_a: () => fixture.guidanceA, vil_a: () => fixture.guidanceA,
      mem_a: () => fixture.guidanceA, villager_a: () => fixture.guidanceA, auditor: () => fixture.guidanceA },
    out: () => fixture.guidanceB,
  },
  none: { in: {}, out: null },
};

const ROUTES = [
  // org (M1 structure)
  { method: 'GET', path: '/org', cap: 'VIEW', entity: 'none', ok: 303 },
  { method: 'GET', path: '/org/search?q=村', cap: 'VIEW', entity: 'none' },
  { method: 'GET', path: '/org/{id}', cap: 'VIEW', entity: 'unit' },
  { method: 'GET', path: '/org/{id}/children', cap: 'VIEW', entity: 'unit', ok: 303 },
  { method: 'GET', path: '/org/{id}/new', cap: 'ORG', entity: 'unit' },
  { method: 'POST', path: '/org/{id}/new', cap: 'ORG', entity: 'unit', ok: 422 },
  { method: 'GET', path: '/org/{id}/edit', cap: 'ORG', entity: 'unit' },
  { method: 'POST', path: '/org/{id}/edit', cap: 'ORG', entity: 'unit', ok: 422 },
  { method: 'GET', path: '/org/{id}/move', cap: 'ORG', entity: 'unit' },
  { method: 'POST', path: '/org/{id}/move', cap: 'ORG', entity: 'unit', ok: 422 },
  { method: 'GET', path: '/org/{id}/end', cap: 'ORG', entity: 'unit' },
  { method: 'POST', path: '/org/{id}/end', cap: 'ORG', entity: 'unit', ok: 422 },
  { method: 'GET', path: '/org/{id}/party', cap: 'ORG', entity: 'unit' },
  { method: 'POST', path: '/org/{id}/party', cap: 'ORG', entity: 'unit', ok: 422 },
  { method: 'GET', path: '/api/v1/units/{id}', cap: 'VIEW', entity: 'unit', json: true },
  { method: 'GET', path: '/api/v1/units/{id}/children', cap: 'VIEW', entity: 'unit', json: true },
  { method: 'POST', path: '/api/v1/units/{id}', cap: 'ORG', entity: 'unit', json: true },  // {} changes nothing
  { method: 'POST', path: '/api/v1/units/{id}/move', cap: 'ORG', entity: 'unit', json: true, ok: 422 },
  { method: 'POST', path: '/api/v1/units/{id}/end', cap: 'ORG', entity: 'unit', json: true, ok: 422 },
  { method: 'GET', path: '/org/{id}/profile', cap: 'VIEW', entity: 'unit' },
  { method: 'GET', path: '/org/{id}/profile.xlsx', cap: 'EXPORT', entity: 'unit' },
  { method: 'GET', path: '/org/{id}/profile.csv', cap: 'EXPORT', entity: 'unit' },
  { method: 'GET', path: '/api/v1/units/{id}/profile', cap: 'VIEW', entity: 'unit', json: true },
  // users, tokens, audit
  { method: 'GET', path: '/users', cap: 'USERS', entity: 'none' },
  { method: 'GET', path: '/users/new', cap: 'USERS', entity: 'none' },
  { method: 'POST', path: '/users/new', cap: 'USERS', entity: 'none', ok: 422 },
  { method: 'GET', path: '/users/{id}', cap: 'USERS', entity: 'user' },
  { method: 'POST', path: '/users/{id}', cap: 'USERS', entity: 'user', ok: 422 },
  { method: 'GET', path: '/api/v1/users', cap: 'USERS', entity: 'none', json: true },
  { method: 'GET', path: '/api/v1/users/{id}', cap: 'USERS', entity: 'user', json: true },
  { method: 'GET', path: '/tokens', cap: 'USERS', entity: 'none' },
  { method: 'GET', path: '/tokens/new', cap: 'USERS', entity: 'none' },
  { method: 'GET', path: '/audit', cap: 'AUDIT', entity: 'none' },
  { method: 'GET', path: '/audit/logins', cap: 'AUDIT', entity: 'none' },
  { method: 'GET', path: '/api/v1/audit', cap: 'AUDIT', entity: 'none', json: true },
  // people and households (M1 people)
  { method: 'GET', path: '/people', cap: 'VIEW', entity: 'none' },
  { method: 'GET', path: '/people/export.xlsx', cap: 'EXPORT', entity: 'none' },
  { method: 'GET', path: '/people/export.csv', cap: 'EXPORT', entity: 'none' },
  { method: 'GET', path: '/households/export.xlsx', cap: 'EXPORT', entity: 'none' },
  { method: 'GET', path: '/households/export.csv', cap: 'EXPORT', entity: 'none' },
  { method: 'GET', path: '/households/export.csv?unit={id}', cap: 'EXPORT', entity: 'unit' },
  { method: 'GET', path: '/people/{id}', cap: 'VIEW', entity: 'person' },
  { method: 'GET', path: '/people/{id}/edit', cap: 'EDIT', entity: 'person' },
  { method: 'POST', path: '/people/{id}/edit', cap: 'EDIT', entity: 'person', ok: 422 },
  { method: 'POST', path: '/people/{id}/reveal', cap: 'REVEAL', entity: 'person', ok: 303 },   // no reason: back to the page
  { method: 'GET', path: '/groups/{id}/households', cap: 'VIEW', entity: 'group' },
  { method: 'GET', path: '/groups/{id}/households/new', cap: 'EDIT', entity: 'group' },
  { method: 'POST', path: '/groups/{id}/households/new', cap: 'EDIT', entity: 'group', ok: 422 },
  { method: 'GET', path: '/households/{id}', cap: 'VIEW', entity: 'household' },
  { method: 'GET', path: '/households/{id}/edit', cap: 'EDIT', entity: 'household' },
  { method: 'POST', path: '/households/{id}/edit', cap: 'EDIT', entity: 'household', ok: 422 },
  { method: 'GET', path: '/households/{id}/members/new', cap: 'EDIT', entity: 'household' },
  { method: 'POST', path: '/households/{id}/members/new', cap: 'EDIT', entity: 'household', ok: 422 },
  { method: 'POST', path: '/households/{id}/end', cap: 'EDIT', entity: 'household', ok: 422 },
  { method: 'POST', path: '/households/{id}/restore', cap: 'EDIT', entity: 'household', ok: 303 },   // not ended: back to the page
  { method: 'GET', path: '/households/{id}/split', cap: 'EDIT', entity: 'household' },
  { method: 'POST', path: '/households/{id}/split', cap: 'EDIT', entity: 'household', ok: 422 },
  { method: 'GET', path: '/households/{id}/merge', cap: 'EDIT', entity: 'household' },
  { method: 'POST', path: '/households/{id}/merge', cap: 'EDIT', entity: 'household', ok: 422 },
  { method: 'GET', path: '/households/{id}/move', cap: 'EDIT', entity: 'household' },
  { method: 'POST', path: '/households/{id}/move', cap: 'EDIT', entity: 'household', ok: 422 },
  { method: 'GET', path: '/api/v1/people', cap: 'VIEW', entity: 'none', json: true },
  { method: 'POST', path: '/api/v1/people', cap: 'EDIT', entity: 'none', json: true, ok: 422 },
  { method: 'GET', path: '/api/v1/people/{id}', cap: 'VIEW', entity: 'person', json: true },
  { method: 'POST', path: '/api/v1/people/{id}', cap: 'EDIT', entity: 'person', json: true },   // {} changes nothing
  { method: 'POST', path: '/api/v1/people/{id}/reveal', cap: 'REVEAL', entity: 'person', json: true, ok: 422 },
  { method: 'POST', path: '/api/v1/households', cap: 'EDIT', entity: 'none', json: true, ok: 422 },
  { method: 'GET', path: '/api/v1/households/{id}', cap: 'VIEW', entity: 'household', json: true },
  { method: 'POST', path: '/api/v1/households/{id}', cap: 'EDIT', entity: 'household', json: true },
  { method: 'POST', path: '/api/v1/households/{id}/end', cap: 'EDIT', entity: 'household', json: true, ok: 422 },
  { method: 'POST', path: '/api/v1/households/{id}/restore', cap: 'EDIT', entity: 'household', json: true, ok: 409 },
  { method: 'POST', path: '/api/v1/households/{id}/split', cap: 'EDIT', entity: 'household', json: true, ok: 422 },
  { method: 'POST', path: '/api/v1/households/{id}/merge', cap: 'EDIT', entity: 'household', json: true, ok: 422 },
  { method: 'POST', path: '/api/v1/households/{id}/move', cap: 'EDIT', entity: 'household', json: true, ok: 422 },
  // deliberation (M6): matters, meetings, group rules
  { method: 'GET', path: '/matters', cap: 'VIEW', entity: 'none' },
  { method: 'GET', path: '/matters/export.xlsx', cap: 'EXPORT', entity: 'none' },
  { method: 'GET', path: '/matters/export.csv', cap: 'EXPORT', entity: 'none' },
  { method: 'GET', path: '/matters/{id}', cap: 'VIEW', entity: 'matter' },
  { method: 'POST', path: '/matters/{id}/consult', cap: 'EDIT', entity: 'matter', ok: 422 },
  { method: 'POST', path: '/matters/{id}/propose', cap: 'EDIT', entity: 'matter', ok: 422 },
  { method: 'POST', path: '/matters/{id}/vote', cap: 'EDIT', entity: 'matter', ok: 422 },
  { method: 'POST', path: '/matters/{id}/implement', cap: 'EDIT', entity: 'matter', ok: 422 },
  { method: 'POST', path: '/matters/{id}/close', cap: 'EDIT', entity: 'matter', ok: 422 },
  { method: 'GET', path: '/matters/{id}/notice', cap: 'VIEW', entity: 'matter', ok: 404 },   // undecided: no notice yet
  { method: 'GET', path: '/matters/{id}/rule', cap: 'EDIT', entity: 'matter' },
  { method: 'GET', path: '/groups/{id}/matters', cap: 'VIEW', entity: 'group' },
  { method: 'GET', path: '/groups/{id}/matters/new', cap: 'EDIT', entity: 'group' },
  { method: 'POST', path: '/groups/{id}/matters/new', cap: 'EDIT', entity: 'group', ok: 422 },
  { method: 'GET', path: '/groups/{id}/meetings', cap: 'VIEW', entity: 'group' },
  { method: 'GET', path: '/groups/{id}/meetings/new', cap: 'EDIT', entity: 'group' },
  { method: 'POST', path: '/groups/{id}/meetings/new', cap: 'EDIT', entity: 'group', ok: 422 },
  { method: 'GET', path: '/groups/{id}/rules', cap: 'VIEW', entity: 'group' },
  { method: 'GET', path: '/meetings/{id}', cap: 'VIEW', entity: 'meeting' },
  { method: 'GET', path: '/meetings/{id}/edit', cap: 'EDIT', entity: 'meeting' },
  { method: 'POST', path: '/meetings/{id}/edit', cap: 'EDIT', entity: 'meeting', ok: 303 },   // nothing sent: nothing changes
  { method: 'GET', path: '/meetings/{id}/attendance', cap: 'VIEW', entity: 'meeting' },
  { method: 'GET', path: '/meetings/{id}/signin', cap: 'VIEW', entity: 'meeting' },
  { method: 'GET', path: '/api/v1/matters', cap: 'VIEW', entity: 'none', json: true },
  { method: 'POST', path: '/api/v1/matters', cap: 'EDIT', entity: 'none', json: true, ok: 404 },   // no unit_id: no such group
  { method: 'GET', path: '/api/v1/matters/{id}', cap: 'VIEW', entity: 'matter', json: true },
  { method: 'POST', path: '/api/v1/matters/{id}/vote', cap: 'EDIT', entity: 'matter', json: true, ok: 422 },
  { method: 'GET', path: '/api/v1/groups/{id}/matters', cap: 'VIEW', entity: 'group', json: true },
  { method: 'GET', path: '/api/v1/groups/{id}/meetings', cap: 'VIEW', entity: 'group', json: true },
  { method: 'GET', path: '/api/v1/groups/{id}/rules', cap: 'VIEW', entity: 'group', json: true },
  { method: 'POST', path: '/api/v1/meetings', cap: 'EDIT', entity: 'none', json: true, ok: 404 },   // no unit_id: no such group
  { method: 'GET', path: '/api/v1/meetings/{id}', cap: 'VIEW', entity: 'meeting', json: true },
  { method: 'GET', path: '/api/v1/meetings/{id}/attendance', cap: 'VIEW', entity: 'meeting', json: true },
  // committees (M2): committees, members, formations
  { method: 'GET', path: '/committees', cap: 'VIEW', entity: 'none' },
  { method: 'GET', path: '/committees/composition', cap: 'VIEW', entity: 'none' },
  { method: 'GET', path: '/committees/export.xlsx', cap: 'EXPORT', entity: 'none' },
  { method: 'GET', path: '/committees/export.csv', cap: 'EXPORT', entity: 'none' },
  { method: 'GET', path: '/groups/{id}/committee', cap: 'VIEW', entity: 'group' },
  { method: 'GET', path: '/groups/{id}/people.json', cap: 'VIEW', entity: 'group', json: true },
  { method: 'GET', path: '/groups/{id}/formations/new', cap: 'EDIT', entity: 'group', roles: { mem_a: 403 } },
  { method: 'POST', path: '/groups/{id}/formations/new', cap: 'EDIT', entity: 'group', ok: 422, roles: { mem_a: 403 } },
  { method: 'GET', path: '/formations/{id}', cap: 'VIEW', entity: 'formation' },
  { method: 'POST', path: '/formations/{id}/confirm', cap: 'REVIEW', entity: 'formation', ok: 422 },
  { method: 'GET', path: '/formations/{id}/notice', cap: 'VIEW', entity: 'formation' },
  { method: 'GET', path: '/committees/{id}/members/new', cap: 'EDIT', entity: 'committee', roles: { mem_a: 403 } },
  { method: 'POST', path: '/committees/{id}/members/new', cap: 'EDIT', entity: 'committee', ok: 422, roles: { mem_a: 403 } },
  { method: 'POST', path: '/committees/{id}/ack', cap: 'EDIT', entity: 'committee', ok: 303, roles: { mem_a: 403 } },   // no reason: back with the message
  { method: 'GET', path: '/api/v1/committees', cap: 'VIEW', entity: 'none', json: true },
  { method: 'GET', path: '/api/v1/committees/composition', cap: 'VIEW', entity: 'none', json: true },
  { method: 'GET', path: '/api/v1/committees/{id}', cap: 'VIEW', entity: 'committee', json: true },
  { method: 'POST', path: '/api/v1/committees/{id}/members', cap: 'EDIT', entity: 'committee', json: true, ok: 422, roles: { mem_a: 403 } },
  { method: 'GET', path: '/api/v1/groups/{id}/committee', cap: 'VIEW', entity: 'group', json: true },
  { method: 'POST', path: '/api/v1/groups/{id}/formations', cap: 'EDIT', entity: 'group', json: true, ok: 422, roles: { mem_a: 403 } },
  { method: 'GET', path: '/api/v1/formations/{id}', cap: 'VIEW', entity: 'formation', json: true },
  { method: 'POST', path: '/api/v1/formations/{id}/confirm', cap: 'REVIEW', entity: 'formation', json: true, ok: 422 },
  // two-way contact (M3): visits, guidance, assignments, compliance
  { method: 'GET', path: '/visits/new', cap: 'FIELD', entity: 'none' },
  { method: 'GET', path: '/visits', cap: 'VIEW', entity: 'none' },
  { method: 'GET', path: '/visits/{id}', cap: 'VIEW', entity: 'visit' },
  { method: 'GET', path: '/visits/{id}/photo', cap: 'VIEW', entity: 'visit', ok: 404 },   // no photo attached
  { method: 'GET', path: '/guidance', cap: 'VIEW', entity: 'none' },
  { method: 'GET', path: '/guidance/{id}', cap: 'VIEW', entity: 'guidance' },
  // editing a guidance contact: the fixture was written by nobody, so only reviewers may (mem_a is no reviewer)
  { method: 'GET', path: '/guidance/{id}/edit', cap: 'FIELD', entity: 'guidance', roles: { mem_a: 403 } },
  { method: 'POST', path: '/guidance/{id}/edit', cap: 'FIELD', entity: 'guidance', ok: 422, roles: { mem_a: 403 } },
  { method: 'GET', path: '/contact/assign?unit={id}', cap: 'VIEW', entity: 'group' },
  { method: 'GET', path: '/contact/guides', cap: 'VIEW', entity: 'none' },
  { method: 'GET', path: '/contact/compliance', cap: 'VIEW', entity: 'none' },
  { method: 'GET', path: '/contact/compliance?unit={id}', cap: 'VIEW', entity: 'unit' },
  { method: 'GET', path: '/contact/compliance.xlsx', cap: 'EXPORT', entity: 'none' },
  { method: 'GET', path: '/contact/digest', cap: 'VIEW', entity: 'none' },
  { method: 'GET', path: '/contact/digest.csv', cap: 'EXPORT', entity: 'none' },
  { method: 'GET', path: '/members/{id}/sheet', cap: 'VIEW', entity: 'person' },
  { method: 'GET', path: '/api/v1/visits', cap: 'VIEW', entity: 'none', json: true },
  { method: 'GET', path: '/api/v1/visits/{id}', cap: 'VIEW', entity: 'visit', json: true },
  // editing a visit: its author (vil_a) or a reviewer; another member of the group may not
  { method: 'POST', path: '/api/v1/visits/{id}', cap: 'FIELD', entity: 'visit', json: true, ok: 422, roles: { mem_a: 403 } },
  { method: 'POST', path: '/api/v1/visits/{id}/void', cap: 'FIELD', entity: 'visit', json: true, ok: 422, roles: { mem_a: 403 } },
  { method: 'POST', path: '/api/v1/visits/{id}/photo', cap: 'FIELD', entity: 'visit', json: true, ok: 422, roles: { mem_a: 403 } },
  { method: 'GET', path: '/api/v1/guidance', cap: 'VIEW', entity: 'none', json: true },
  { method: 'GET', path: '/api/v1/guidance/{id}', cap: 'VIEW', entity: 'guidance', json: true },
  { method: 'POST', path: '/api/v1/guidance/{id}', cap: 'FIELD', entity: 'guidance', json: true, ok: 422, roles: { mem_a: 403 } },
  { method: 'GET', path: '/api/v1/contact/compliance', cap: 'VIEW', entity: 'none', json: true },
  // county policy settings
  { method: 'GET', path: '/settings', cap: 'SETTINGS', entity: 'none' },
  { method: 'GET', path: '/api/v1/settings', cap: 'SETTINGS', entity: 'none', json: true },
  // me
  { method: 'GET', path: '/me', cap: 'LOGIN', entity: 'none' },
  { method: 'GET', path: '/me/household', cap: 'LOGIN', entity: 'none' },
  { method: 'GET', path: '/me/password', cap: 'LOGIN', entity: 'none' },
];

before(async () => {
  county = await startCounty();
  for (const role of Object.keys(CAPS)) sessions[role] = await county.login(role);
  sessions.anon = client(county.url);
  // One household with its head in each of three groups: two inside 双江街道, one in 太平镇.
  const make = async (code, name) => {
    const hh = await sessions.admin.postJson('/api/v1/households', { unit_id: Number(unitId(code)), hh_no: '1' });
    assert.equal(hh.status, 201, hh.text);
    const p = await sessions.admin.postJson('/api/v1/people', {
      household_id: hh.data.id, name, sex: 'M', birth: '1970-01-01', relation: 'head', status: 'resident',
    });
    assert.equal(p.status, 201, p.text);
    return [hh.data.id, p.data.id];
  };
  [fixture.hhA, fixture.personA] = await make('522222001001001', '甲一');
  [fixture.hhV, fixture.personV] = await make('522222001001002', '乙二');
  [fixture.hhB, fixture.personB] = await make('522222100001002', '丙三');
  // A matter and a meeting in a group inside 双江街道 and in one of 太平镇.
  const deliberation = async (code) => {
    const unit = Number(unitId(code));
    const m = await sessions.admin.postJson('/api/v1/matters', { unit_id: unit, title: '修组道', category: 'other', raised_by: 'villager', raised_on: '2026-03-01' });
    assert.equal(m.status, 201, m.text);
    const mt = await sessions.admin.postJson('/api/v1/meetings', { unit_id: unit, body: 'assembly', basis: 'adults', held_on: '2026-03-02', place: '组活动室' });
    assert.equal(mt.status, 201, mt.text);
    return [m.data.id, mt.data.id];
  };
  [fixture.matterA, fixture.meetingA] = await deliberation('522222001001001');
  [fixture.matterB, fixture.meetingB] = await deliberation('522222100001002');
  // A draft formation (one candidate: too few to confirm) and a committee in each of the two groups.
  const committee = async (code, person) => {
    const unit = Number(unitId(code));
    const f = await sessions.admin.postJson(`/api/v1/groups/${unit}/formations`, {
      held_on: '2026-03-03', body: 'assembly', method: 'direct', seats: 3, present: 1, ballots_issued: 1, ballots_returned: 1,
      candidates: [{ person_id: person, post: 'chair', votes: 1 }],
    });
    assert.equal(f.status, 201, f.text);
    const c = sql(`INSERT INTO committee (unit_id, term_start, term_end) VALUES (${unit}, '2026-01-01', '2030-12-31') RETURNING id`);
    sql(`INSERT INTO committee_member (committee_id, person_id, post, start_date) VALUES (${c}, ${person}, 'chair', '2026-01-01')`);
    return [f.data.id, Number(c)];
  };
  [fixture.formationA, fixture.committeeA] = await committee('522222001001001', fixture.personA);
  [fixture.formationB, fixture.committeeB] = await committee('522222100001002', fixture.personB);
  // A visit and a guidance contact on each side (written straight into the tables: the harness
  // tests who may read them, not how they are recorded).
  const contact = (code, person, hh, committeeId, cadre) => {
    const unit = unitId(code);
    const v = sql(`INSERT INTO visit (member_id, member_unit, household_id, unit_id, visited_on, month, duties)
                   VALUES (${person}, ${unit}, ${hh}, ${unit}, '2026-03-05', 202603, 1) RETURNING id`);
    const g = sql(`INSERT INTO guidance (user_id, committee_id, unit_id, held_on, quarter, how)
                   VALUES (${userId(cadre)}, ${committeeId}, ${unit}, '2026-03-06', 20261, 'site') RETURNING id`);
    return [Number(v), Number(g)];
  };
  [fixture.visitA, fixture.guidanceA] = contact('522222001001001', fixture.personA, fixture.hhA, fixture.committeeA, 'vil_a');
  [fixture.visitB, fixture.guidanceB] = contact('522222100001002', fixture.personB, fixture.hhB, fixture.committeeB, 'town_b');
});
after(async () => { await county.close(); });

/** What a role should get for a route, in or out of scope. */
function expected(route, role, where) {
  if (role === 'anon') return route.json ? 401 : 303;
  const caps = CAPS[role];
  if (route.cap !== 'LOGIN' && !caps.includes(route.cap)) return 403;
  if (where === 'out') return 404;
  return route.roles?.[role] ?? route.ok ?? 200;
}

async function call(role, route, id) {
  const s = sessions[role];
  const path = route.path.replace('{id}', id ?? '');
  if (route.method === 'GET') return route.json ? s.json(path) : s.get(path);
  if (route.json) return s.postJson(path, {});
  return s.post(path, {});
}

for (const route of ROUTES) {
  test(`${route.method} ${route.path}`, async () => {
    const ent = ENTITIES[route.entity];
    const problems = [];
    for (const role of [...Object.keys(CAPS), 'anon']) {
      const cases = route.entity === 'none' ? [['in', null]] : [['in', ent.in[role]?.() ?? ent.in.admin()], ['out', ent.out()]];
      for (const [where, id] of cases) {
        if (COUNTY_WIDE.includes(role) && where === 'out') continue;   // nothing is outside the county
        const want = expected(route, role, where);
        const res = await call(role, route, id);
        if (res.status !== want) problems.push(`${role} ${where}-scope (id ${id}): got ${res.status}, want ${want}`);
      }
    }
    assert.deepEqual(problems, []);
  });
}

test('lists never show another township\'s records', async () => {
  const t = sessions.town_a;
  const org = await t.get('/org/search?q=村');
  assert.match(org.text, /坝溪村/);
  assert.doesNotMatch(org.text, /云舍村|快场村/);
  const users = await t.get('/users');
  assert.doesNotMatch(users.text, /town_b/);
  const people = await t.get('/people');
  assert.match(people.text, /甲一/);
  assert.doesNotMatch(people.text, /丙三/);
  const csv = await t.get('/people/export.csv');
  assert.doesNotMatch(csv.text, /丙三/);
  const ledger = await t.get('/households/export.csv');
  assert.equal(ledger.status, 200);
  assert.match(ledger.text, /坝溪村/);
  assert.doesNotMatch(ledger.text, /云舍村|快场村/);
  const children = await t.json(`/api/v1/units/${unitId('522222000000')}/children`);
  assert.equal(children.status, 404, 'the county itself is outside a township user\'s scope');
});
