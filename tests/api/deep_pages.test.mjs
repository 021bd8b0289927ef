// Deep pages of the counted lists: the whole roll, and its people of one status or with one flag,
// are counted by unit_roll, and a page past the first starts at the unit those counts lead to
// instead of walking every match before it (store.c, roll_seek). Every page, read directly by its
// number, must hold exactly the rows a plain query puts there, in the lists' order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startCounty } from './lib/county.mjs';

let county;
const s = {};
const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();
const unitId = (code) => Number(sql(`SELECT id FROM unit WHERE code = '${code}'`));

before(async () => {
  county = await startCounty();
  for (const u of ['admin', 'town_a', 'vil_a']) s[u] = await county.login(u);
  // 720 people over the fixture's 12 groups, of every status and some flags mixed differently in
  // each group, so that some page of some list starts at a group's last person; their names out of
  // id order; and 7 directly under a village, whose own people come before its groups' in path order.
  sql(`WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 719),
         g(n, id) AS (SELECT row_number() OVER (ORDER BY id) - 1, id FROM unit WHERE kind = 'group')
    INSERT INTO person (unit_id, name, initials, sex, birth, status, status_date, flags)
    SELECT g.id, '深' || (i * 37 % 720), 'SHEN', 'M', '1970-01-01',
      CASE i % 10 WHEN 7 THEN 'migrant' WHEN 8 THEN 'moved' WHEN 9 THEN 'deceased' ELSE 'resident' END,
      CASE WHEN i % 10 >= 7 THEN '2024-05-06' END, (CASE WHEN i % 3 = 0 THEN 1 ELSE 0 END) | (CASE WHEN i % 2 = 0 THEN 128 ELSE 0 END)
    FROM k JOIN g ON g.n = (i * 7 + i / 13) % (SELECT count(*) FROM g)`);
  sql(`WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 6)
    INSERT INTO person (unit_id, name, initials, sex, birth, status, flags)
    SELECT ${unitId('522222001001')}, '村' || i, 'CUN', 'F', '1980-01-01', CASE WHEN i < 3 THEN 'migrant' ELSE 'resident' END, 1 FROM k`);
});
after(async () => { if (county) await county.close(); });

const FILTERS = [
  ['', '1'], ['status=resident', "p.status = 'resident'"], ['status=migrant', "p.status = 'migrant'"],
  ['status=deceased', "p.status = 'deceased'"], ['flag=party', '(p.flags & 1) != 0'], ['flag=labour', '(p.flags & 128) != 0'],
];

/** Reads every page of each scope's counted lists by its number, and one far past the end, and
 * compares each with the rows of a plain query in the lists' order (u.path, name, id). */
async function pagesAgree(scopes, filters = FILTERS) {
  for (const [who, unit, code] of scopes) {
    for (const [filter, where] of filters) {
      const want = sql(`SELECT p.id FROM person p JOIN unit u ON u.id = p.unit_id
                        WHERE u.path LIKE (SELECT path FROM unit WHERE code = '${code}') || '%' AND ${where}
                        ORDER BY u.path, p.name, p.id`).split('\n').filter(Boolean).map(Number);
      const pages = Math.ceil(want.length / 50);
      for (const page of [...Array(pages + 1).keys()].map((i) => i + 1).concat(400)) {
        const d = (await who.json(`/api/v1/people?${unit}${filter}&page=${page}`)).data;
        const label = `${code} ${filter || 'everyone'} page ${page} of ${pages}`;
        assert.deepEqual(d.items.map((p) => p.id), want.slice((page - 1) * 50, page * 50), label);
        assert.deepEqual([d.total, d.total_capped], [want.length, false], `${label}: the total`);
      }
    }
  }
}

test('every page of a counted list, read by its number, holds the rows of a plain query, and past the end none', async () => {
  const group = unitId('522222001001002');
  await pagesAgree([
    [s.admin, '', '522222000000'], [s.town_a, '', '522222001000'], [s.vil_a, '', '522222001001'],
    [s.admin, `unit=${group}&`, '522222001001002'],
  ]);
  assert.ok(Number(sql("SELECT count(*) FROM person WHERE status = 'resident'")) > 300, 'the residents span pages');
});

test('after a group moves to another village and back, the pages follow the tree', async () => {
  const group = unitId('522222001001002');
  const scopes = [[s.admin, '', '522222000000'], [s.town_a, '', '522222001000']];
  let r = await s.admin.postJson(`/api/v1/units/${group}/move`, { parent_id: unitId('522222001002'), code: '522222001002009' });
  assert.equal(r.status, 200, r.text);
  await pagesAgree([...scopes, [s.vil_a, '', '522222001001']], FILTERS.slice(0, 3));
  r = await s.admin.postJson(`/api/v1/units/${group}/move`, { parent_id: unitId('522222001001'), code: '522222001001002' });
  assert.equal(r.status, 200, r.text);
  await pagesAgree(scopes, FILTERS.slice(0, 3));
});
