// The roll's lists in memory (people/rollindex.c): the whole roll of a scope and the initials
// searches are answered from an index built from one snapshot, and only while roll_version (026)
// says the roll has not changed since. Two servers share one database, one with the index and one
// without (ZUWEI_ROLL_INDEX=off); every list must be the same from both, field by field, and
// the index must be seen to answer (its hits counted, no misses). After each kind of change the
// next answer must show it at once (from SQL), and again once the index is built anew.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCounty, login } from './lib/county.mjs';
import { idnumOf } from './lib/idnum.mjs';
import { request, sleep, startServer } from './lib/server.mjs';

let county, plain;
const s = {}, p = {};
const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();
const unitId = (code) => Number(sql(`SELECT id FROM unit WHERE code = '${code}'`));
const USERS = ['admin', 'town_a', 'vil_a', 'mem_a'];

/** The roll_index lines of a server's /metrics, as numbers. */
async function indexState(url) {
  const text = (await request(`${url}metrics`)).text;
  const num = (re) => Number(text.match(re)?.[1] ?? NaN);
  return {
    version: num(/^zuwei_roll_index_version (\d+)$/m), hits: num(/^zuwei_roll_index_requests_total\{result="hit"\} (\d+)$/m),
    misses: num(/^zuwei_roll_index_requests_total\{result="miss"\} (\d+)$/m),
  };
}

/** Waits until the county's server has built its index at the database's roll_version. */
async function indexed() {
  const want = Number(sql('SELECT v FROM roll_version'));
  await s.admin.json('/api/v1/people?q=ZZZZ');   // asks for it: the builder starts on a miss
  for (let i = 0; i < 200; i++) {
    if ((await indexState(county.url)).version === want) return;
    await sleep(25);
  }
  assert.fail(`the index was not built at roll_version ${want}`);
}

before(async () => {
  county = await startCounty();
  // 1,300 people over the fixture's groups, with initials that share their starts (L, LY, LYM …),
  // names out of id order, every status, flags and birth years mixed, in households with 户号,
  // heads and representatives; and 5 directly under a village.
  sql(`WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 259),
         g(n, id) AS (SELECT row_number() OVER (ORDER BY id) - 1, id FROM unit WHERE kind = 'group')
    INSERT INTO household (unit_id, hh_no) SELECT g.id, CAST(i / 13 + 1 AS TEXT) FROM k JOIN g ON g.n = i % 13`);
  sql(`WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 1299),
         ini(n, s) AS (VALUES (0, 'LY'), (1, 'LYM'), (2, 'L'), (3, 'LX'), (4, 'ZS'), (5, 'ZSF'), (6, 'WH'), (7, 'LYX'), (8, 'S'))
    INSERT INTO person (unit_id, household_id, name, initials, sex, birth, status, status_date, flags, phone, relation)
    SELECT h.unit_id, h.id, '名' || (i * 37 % 1300), ini.s, CASE WHEN i % 3 = 0 THEN 'F' ELSE 'M' END,
      (1930 + i % 90) || '-0' || (1 + i % 9) || '-1' || (i % 10),
      CASE i % 10 WHEN 7 THEN 'migrant' WHEN 8 THEN 'moved' WHEN 9 THEN 'deceased' ELSE 'resident' END,
      CASE WHEN i % 10 >= 7 THEN '2024-05-06' END, (CASE WHEN i % 4 = 0 THEN 1 ELSE 0 END) | (CASE WHEN i % 2 = 0 THEN 128 ELSE 0 END)
        | (CASE WHEN i % 11 = 0 THEN 8 ELSE 0 END), '1380000' || (1000 + i), CASE WHEN i % 5 = 0 THEN 'head' ELSE 'child' END
    FROM k JOIN household h ON h.id = (SELECT min(id) FROM household) + (i * 7) % 260 JOIN ini ON ini.n = i % 9`);
  sql(`UPDATE household SET head_id = (SELECT min(id) FROM person WHERE household_id = household.id),
         rep_id = (SELECT max(id) FROM person WHERE household_id = household.id)`);
  sql(`WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 4)
    INSERT INTO person (unit_id, name, initials, sex, birth, status, flags)
    SELECT ${unitId('522222001001')}, '村' || i, 'LY', 'F', '1980-01-01', CASE WHEN i < 2 THEN 'migrant' ELSE 'resident' END, 1 FROM k`);
  plain = await startServer({ args: ['--db', county.dbPath], env: { ZUWEI_ROLL_INDEX: 'off' } });
  for (const u of USERS) {
    s[u] = await county.login(u);
    p[u] = await login(plain.url, u);
  }
});
after(async () => {
  if (plain) await plain.stop();
  if (county) await county.close();
});

const SEARCHES = ['', 'q=L', 'q=ly', 'q=LYM', 'q=S', 'q=ZS', 'q=QQ'];
const FILTERS = ['', 'status=migrant', 'status=resident', 'flag=party', 'flag=veteran', 'age=60%2B', 'status=moved&flag=labour'];

/** Every page of each search and filter, for each user (and a village and a group of the
 * township's), must be the same from both servers. Returns how many lists the index could serve. */
async function listsAgree(label) {
  let served = 0;
  const scopes = [['admin', ''], ['town_a', ''], ['town_a', `unit=${unitId('522222001001')}&`],
    ['town_a', `unit=${unitId('522222001002003')}&`], ['vil_a', ''], ['mem_a', '']];
  for (const [who, unit] of scopes) {
    for (const q of SEARCHES) {
      for (const f of FILTERS) {
        const query = `${unit}${q}${q && f ? '&' : ''}${f}`;
        const first = await s[who].json(`/api/v1/people?${query}`);
        const pages = Math.max(1, Math.ceil(first.data.total / 50));
        for (const page of [1, 2, pages, pages + 3]) {
          const url = `/api/v1/people?${query}&page=${page}`;
          const [a, b] = [await s[who].json(url), await p[who].json(url)];
          assert.equal(a.status, 200, `${label}: ${who} ${url}: ${a.text}`);
          assert.deepEqual(a.data, b.data, `${label}: ${who} ${url}`);
          if (q || !f) served++;
        }
      }
    }
  }
  return served;
}

test('every list the index serves is the one SQL gives, row for row and field by field, and the index serves them', async () => {
  await indexed();
  const before = await indexState(county.url);
  const served = await listsAgree('a built index');
  const now = await indexState(county.url);
  assert.equal(now.misses, before.misses, 'no list went to SQL: the roll did not change');
  assert.ok(now.hits - before.hits >= served, `the index answered the ${served} lists it serves (${now.hits - before.hits})`);
  // A page of the HTML list is the same too, but for each page's nonce and form token.
  const strip = (t) => t.replace(/nonce="[^"]*"/g, '').replace(/name="csrf" value="[^"]*"/g, '');
  const a = await s.town_a.get('/people?q=LY&page=2'), b = await p.town_a.get('/people?q=LY&page=2');
  assert.equal(strip(a.text), strip(b.text));
  assert.match(a.text, /户号/);
  assert.equal((await indexState(plain.url)).hits, 0, 'ZUWEI_ROLL_INDEX=off leaves the index out');
  assert.equal((await indexState(plain.url)).version, 0);
});

/** The ids of the township user's search for `q` on the index's server. */
async function found(q, who = 'town_a') {
  const d = (await s[who].json(`/api/v1/people?q=${q}`)).data;
  return d.items;
}

test('a change is in the next list at once, and in the index built after it; scope holds throughout', async () => {
  await indexed();
  const lyc = Number(sql(`SELECT p.id FROM person p JOIN unit u ON u.id = p.unit_id
                          WHERE u.code = '522222001001001' AND initials = 'LYM' ORDER BY p.id LIMIT 1`));
  const check = async (what, fn) => {
    const missesBefore = (await indexState(county.url)).misses;
    await fn(false);   // straight after the change: the index is behind, SQL answers
    assert.ok((await indexState(county.url)).misses > missesBefore, `${what}: answered from SQL while the index is behind`);
    await indexed();
    const hits = (await indexState(county.url)).hits;
    await fn(true);
    assert.ok((await indexState(county.url)).hits > hits, `${what}: answered from the new index`);
  };
  // A person renamed, with new initials.
  let r = await s.admin.postJson(`/api/v1/people/${lyc}`, { name: '龙一鸣' });
  assert.equal(r.status, 200, r.text);
  await check('a rename', async () => {
    const items = await found('LYM');
    assert.ok(items.some((x) => x.id === lyc && x.name === '龙一鸣'), 'the new name is listed');
  });
  // Their household's 户号.
  const hh = Number(sql(`SELECT household_id FROM person WHERE id = ${lyc}`));
  r = await s.admin.postJson(`/api/v1/households/${hh}`, { hh_no: '888' });
  assert.equal(r.status, 200, r.text);
  await check('a new 户号', async () => {
    assert.equal((await found('LYM')).find((x) => x.id === lyc).hh_no, '888');
  });
  // Their group renamed.
  r = await s.admin.postJson(`/api/v1/units/${unitId('522222001001001')}`, { name: '坝溪村第一组' });
  assert.equal(r.status, 200, r.text);
  await check('a group renamed', async () => {
    assert.equal((await found('LYM')).find((x) => x.id === lyc).unit_name, '坝溪村第一组');
  });
  // Moved to another township: gone from this township's search, in the other's.
  const away = Number(sql(`SELECT h.id FROM household h JOIN unit u ON u.id = h.unit_id WHERE u.code = '522222100002001' LIMIT 1`));
  r = await s.admin.postJson(`/api/v1/people/${lyc}`, { household_id: away });
  assert.equal(r.status, 200, r.text);
  const townB = await county.login('town_b');
  await check('a move out of scope', async () => {
    assert.ok(!(await found('LYM')).some((x) => x.id === lyc), 'no longer in 双江街道');
    assert.ok(!(await found('LYM', 'vil_a')).some((x) => x.id === lyc), 'no longer in 坝溪村');
    assert.equal((await s.vil_a.json(`/api/v1/people/${lyc}`)).status, 404);
    const d = (await townB.json('/api/v1/people?q=LYM')).data;
    assert.ok(d.items.some((x) => x.id === lyc), 'in 太平镇');
  });
  await listsAgree('after the changes');
});

test('a roster import, written with the triggers off, is in the next list too', async () => {
  await indexed();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zuwei-rollindex-'));
  const file = path.join(dir, 'roster.csv');
  const h = idnumOf('19700101', 21);
  writeFileSync(file, '\ufeff姓名,性别,身份证号,出生日期,与户主关系,户主身份证号,组,户号\r\n' +
    `柳月明,男,${h},1970-01-01,户主,${h},522222001001002,77\r\n` +
    `柳月华,女,${idnumOf('19950505', 22)},1995-05-05,子女,${h},522222001001002,77\r\n`);
  const v = Number(sql('SELECT v FROM roll_version'));
  county.cli(['import', 'people', file]);
  assert.ok(Number(sql('SELECT v FROM roll_version')) > v, 'the bulk load counts its change');
  const names = async () => (await found('LYM')).filter((x) => x.hh_no === '77').map((x) => x.name).sort();
  assert.deepEqual(await names(), ['柳月明']);
  await indexed();
  assert.deepEqual(await names(), ['柳月明']);
  assert.deepEqual((await found('LYH')).map((x) => x.name), ['柳月华']);
  await listsAgree('after an import');
});
