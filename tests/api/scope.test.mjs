// The scope harness: for every route, every role, in scope and out of scope → the expected status,
// against the real server. "Scope is law": a user sees and changes only their subtree; a by-id
// route answers 404 outside it (existence is not revealed), 403 for a missing capability, and a
// login redirect (303) or 401 for the public.
//
// Add a row for every new route: { method, path, cap, entity, ok } where `path` contains {id}
// for the entity, `cap` is the capability the route needs, `entity` names how to find an id in and
// out of a role's scope (see ENTITIES), and `ok` is the status a permitted, in-scope call gives
// (default 200 for GET; for POST with an empty body usually 422).
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
  { method: 'GET', path: '/api/v1/people', cap: 'VIEW', entity: 'none', json: true },
  { method: 'POST', path: '/api/v1/people', cap: 'EDIT', entity: 'none', json: true, ok: 422 },
  { method: 'GET', path: '/api/v1/people/{id}', cap: 'VIEW', entity: 'person', json: true },
  { method: 'POST', path: '/api/v1/people/{id}', cap: 'EDIT', entity: 'person', json: true },   // {} changes nothing
  { method: 'POST', path: '/api/v1/people/{id}/reveal', cap: 'REVEAL', entity: 'person', json: true, ok: 422 },
  { method: 'POST', path: '/api/v1/households', cap: 'EDIT', entity: 'none', json: true, ok: 422 },
  { method: 'GET', path: '/api/v1/households/{id}', cap: 'VIEW', entity: 'household', json: true },
  { method: 'POST', path: '/api/v1/households/{id}', cap: 'EDIT', entity: 'household', json: true },
  // me
  { method: 'GET', path: '/me', cap: 'LOGIN', entity: 'none' },
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
});
after(async () => { await county.close(); });

/** What a role should get for a route, in or out of scope. */
function expected(route, role, where) {
  if (role === 'anon') return route.json ? 401 : 303;
  const caps = CAPS[role];
  if (route.cap !== 'LOGIN' && !caps.includes(route.cap)) return 403;
  if (where === 'out') return 404;
  return route.ok ?? 200;
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
  const children = await t.json(`/api/v1/units/${unitId('522222000000')}/children`);
  assert.equal(children.status, 404, 'the county itself is outside a township user\'s scope');
});
