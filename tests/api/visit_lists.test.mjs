// The visit list read through each scope's index (018_visit_township.sql): the county by date, a
// township from its range of visit_township, a village from the same range testing each visit's
// group, a group from visit_unit. Every list — filtered by duty, month, voided ones, a second or
// third page (which starts from the month the tallies lead to: visit_seek) — is compared with the same list selected straight from the rows with sqlite3 (same ids,
// same order, same total), before and after a village moves to another township; `zuwei check`
// recounts the township kept on each visit and names a wrong one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startCounty } from './lib/county.mjs';
import { committeeGroup } from './lib/committee.mjs';
import { runZuwei } from './lib/server.mjs';

let county;
const s = {};
const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();
const unitId = (code) => Number(sql(`SELECT id FROM unit WHERE code = '${code}'`));
const pathOf = (id) => sql(`SELECT path FROM unit WHERE id = ${id}`);
// Two groups of 坝溪村 and one of 凯德村 (双江街道), two of 太平镇.
const GROUPS = ['522222001001001', '522222001001002', '522222001002001', '522222100002001', '522222100001002'];
const DUTIES = [['publicist'], ['mediator'], ['publicist', 'agent'], ['supervisor']];
const BITS = { publicist: 1, supervisor: 2, mediator: 4, agent: 16 };
const QUERIES = ['', 'duty=publicist', 'duty=mediator', 'voided=1', 'duty=agent&voided=1', 'month=2025-04',
  'month=2025-05&duty=publicist', 'page=2', 'page=2&voided=1', 'page=3&voided=1', 'page=3', 'month=2025-05&page=2&voided=1'];
let ids;

before(async () => {
  county = await startCounty();
  ids = Object.fromEntries(['522222000000', '522222001000', '522222100000', '522222001001', ...GROUPS].map((c) => [c, unitId(c)]));
  s.admin = await county.login('admin');
  let n = 0;
  for (const [gi, code] of GROUPS.entries()) {
    const g = ids[code];
    const { people, households: hh } = committeeGroup(sql, g, { members: 2, name: () => `走访${++n}`, sex: 'F', birth: '1975-01-01' });
    // 24 visits per group over four months, several on each day (ties broken by id), the groups' days interleaved.
    const visits = [];
    for (let j = 0; j < 24; j++) {
      const day = `2025-0${3 + (j % 4)}-${String(1 + ((j * 7 + gi * 3) % 27)).padStart(2, '0')}`;
      visits.push({ visited_on: day, member: people[j % 2], household: hh[(j >> 1) % 2], purpose: '走访',
        duties: DUTIES[(j + gi) % DUTIES.length], client_id: `lists-${g}-${j}` });
    }
    const r = await s.admin.postJson('/api/v1/visits/batch', visits);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.data.results.every((x) => x.status === 'created'), r.text);
  }
  // Every fifth visit voided.
  for (const id of sql('SELECT id FROM visit WHERE id % 5 = 0').split('\n').map(Number)) {
    const r = await s.admin.postJson(`/api/v1/visits/${id}/void`, { reason: '重复录入' });
    assert.equal(r.status, 200, r.text);
  }
  for (const u of ['town_a', 'town_b', 'vil_a']) s[u] = await county.login(u);
});

after(async () => { if (county) await county.close(); });

/** The visits a list of unit `unit` shows for `query`, in display order, straight from the rows;
 * nothing when the unit lies outside the login's scope `own`. */
function fromRows(unit, query, own = unit) {
  if (!pathOf(unit).startsWith(pathOf(own))) return [];
  const q = new URLSearchParams(query);
  const bit = q.get('duty') ? BITS[q.get('duty')] : 255;
  const month = q.get('month');
  return sql(`SELECT v.id FROM visit v JOIN unit g ON g.id = v.unit_id WHERE g.path LIKE '${pathOf(unit)}%'
    AND (v.duties & ${bit}) != 0 AND (${q.get('voided') ? 1 : 0} OR v.void_at IS NULL)
    ${month ? `AND substr(v.visited_on, 1, 7) = '${month}'` : ''}
    ORDER BY v.visited_on DESC, v.id DESC`).split('\n').filter(Boolean).map(Number);
}

/** Every scope's lists agree with the rows: the logins' own scopes and the units they ask for. */
async function listsAgree(label) {
  const own = { admin: '522222000000', town_a: '522222001000', town_b: '522222100000', vil_a: '522222001001' };
  const scopes = [['admin'], ['admin', '522222001000'], ['admin', '522222100000'], ['admin', '522222001001'], ['admin', GROUPS[3]],
    ['town_a'], ['town_a', '522222001001'], ['town_a', GROUPS[1]], ['town_b'], ['town_b', '522222001001'], ['vil_a'],
    ['vil_a', GROUPS[0]]];
  for (const [who, unit] of scopes) {
    for (const query of QUERIES) {
      const url = `/api/v1/visits?${[query, unit ? `unit=${ids[unit]}` : ''].filter(Boolean).join('&')}`;
      const r = await s[who].json(url);
      assert.equal(r.status, 200, r.text);
      const want = fromRows(ids[unit ?? own[who]], query, ids[own[who]]);
      const page = Number(new URLSearchParams(query).get('page') ?? 1);
      const where = `${label}: ${who} ${url}`;
      assert.equal(r.data.total, want.length, `total, ${where}`);
      assert.equal(r.data.total_capped, false, where);
      assert.deepEqual(r.data.items.map((v) => v.id), want.slice((page - 1) * r.data.per_page, page * r.data.per_page), where);
    }
  }
  const page = await s.town_a.get('/visits?duty=publicist');
  const want = fromRows(ids['522222001000'], 'duty=publicist');
  assert.deepEqual([...page.text.matchAll(/<a href="\/visits\/(\d+)">/g)].map((m) => Number(m[1])), want.slice(0, 50), label);
}

test('every scope lists the visits the rows give, in the same order, with the same total', async () => {
  assert.ok(fromRows(ids['522222001000'], '').length > 50, 'a township has a second page');
  assert.equal(Number(sql('SELECT count(*) FROM visit WHERE township_id IS NULL')), 0, 'every visit has its township');
  await listsAgree('as recorded');
});

test('a village moving to another township takes its visits along, and back', async () => {
  const vil = ids['522222001001'];
  const moved = await s.admin.postJson(`/api/v1/units/${vil}/move`, { parent_id: ids['522222100000'], code: '522222100009' });
  assert.equal(moved.status, 200, moved.text);
  const townB = new Set((await s.town_b.json('/api/v1/visits?voided=1&page=1')).data.items.map((v) => v.id));
  assert.ok(fromRows(vil, 'voided=1').slice(0, 10).every((id) => townB.has(id)), '太平镇 now lists 坝溪村\'s visits');
  await listsAgree('after the move');
  assert.match(county.cli(['check']), /contact: counters agree with the records/);
  const back = await s.admin.postJson(`/api/v1/units/${vil}/move`, { parent_id: ids['522222001000'], code: '522222001001' });
  assert.equal(back.status, 200, back.text);
  await listsAgree('moved back');
});

test('zuwei check names a visit whose township is wrong', async () => {
  assert.match(county.cli(['check']), /contact: counters agree with the records/);
  const copy = county.dbPath + '.off';
  sql(`VACUUM INTO '${copy}'`);
  execFileSync('cp', [county.dbPath + '.key', copy + '.key']);
  const id = Number(sql(`SELECT min(id) FROM visit WHERE unit_id = ${ids[GROUPS[0]]}`));
  execFileSync('sqlite3', [copy, `UPDATE visit SET township_id = ${ids['522222000000']} WHERE id = ${id}`]);
  const r = runZuwei(['check', '--db', copy]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`visit with a wrong township \\(id group township\\): ${id} ${ids[GROUPS[0]]} ${ids['522222000000']}`));
  assert.match(r.stdout, /contact: counters DIFFER from the records \(1 mismatches\)/);
});
