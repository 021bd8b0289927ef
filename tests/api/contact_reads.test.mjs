// The contact pages' reads (016_contact_reads.sql): each list and total compared with the same
// answer counted differently, straight from the rows with sqlite3, for the county, a township, a
// village and a group — members behind (compliance, digest) in their order with ties, a visit
// list filtered by duty, the committees to assign and the guidance list's total with voided ones.
// Members, households and committees are set up with sqlite3 inserts per 006_committees.sql; the
// visits go through the batch upload so that every counter follows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startCounty } from './lib/county.mjs';
import { TEST_DAY } from './lib/server.mjs';
import { committeeGroup } from './lib/committee.mjs';

let county;
const s = {};
const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();
const unitId = (code) => Number(sql(`SELECT id FROM unit WHERE code = '${code}'`));
const pathOf = (id) => sql(`SELECT path FROM unit WHERE id = ${id}`);
const today = TEST_DAY;
const thisMonth = today.slice(0, 7);
const month = Number(thisMonth.replace('-', ''));
const quarter = Number(today.slice(0, 4)) * 10 + Math.ceil(Number(today.slice(5, 7)) / 3);
// Groups of 双江街道 (two villages), and one of 太平镇.
const GROUPS = ['522222001001001', '522222001001002', '522222001002001', '522222100002001'];
const DUTIES = [['publicist'], ['mediator'], ['publicist', 'agent']];
let groups, townA, vilA, countyId;

before(async () => {
  county = await startCounty();
  groups = GROUPS.map(unitId);
  [townA, vilA, countyId] = ['522222001000', '522222001001', '522222000000'].map(unitId);
  // Per group: four members (their visits this month: 0, 1, 1, 3 — a tie at 1) and two households.
  s.admin = await county.login('admin');
  let n = 0;
  for (const g of groups) {
    const { people, households: hh } = committeeGroup(sql, g, { members: 4, name: () => `成员${++n}` });
    const visits = [];
    [0, 1, 1, 3].forEach((k, i) => {
      for (let j = 0; j < k; j++)
        visits.push({ visited_on: today, member: people[i], household: hh[j % 2], purpose: '走访', duties: DUTIES[(i + j) % 3],
          client_id: `reads-${g}-${i}-${j}` });
    });
    const r = await s.admin.postJson('/api/v1/visits/batch', visits);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.data.results.every((x) => x.status === 'created'), r.text);
  }
  for (const u of ['town_a', 'vil_a']) s[u] = await county.login(u);
  // Voided guidance contacts, one inside 双江街道 and one outside (voided ones count in no counter).
  const vil = Number(sql(`SELECT id FROM user WHERE username = 'vil_a'`));
  for (const g of [groups[0], groups[3]]) {
    sql(`INSERT INTO guidance (user_id, committee_id, unit_id, held_on, quarter, how, void_at, void_reason)
         VALUES (${vil}, (SELECT id FROM committee WHERE unit_id = ${g}), ${g}, '${today}', ${quarter}, 'site', '${today}T00:00:00Z', '重复')`);
  }
});

after(async () => { if (county) await county.close(); });

/** Members behind this month under a unit, in the lists' order, counted from visit_count. */
const behindFromRows = (unit) => sql(`SELECT vc.person_id FROM visit_count vc JOIN unit g ON g.id = vc.unit_id
  WHERE vc.month = ${month} AND vc.done < vc.owed AND g.path LIKE '${pathOf(unit)}%'
  ORDER BY vc.done * 1.0 / vc.owed, vc.person_id`).split('\n').filter(Boolean).map(Number);

test('members behind: the same members in the same order (ties by person) for every kind of scope', async () => {
  for (const [who, unit] of [['admin', countyId], ['admin', townA], ['town_a', townA], ['town_a', vilA], ['vil_a', vilA], ['vil_a', groups[1]]]) {
    const r = await s[who].json(`/api/v1/contact/compliance?unit=${unit}&period=${thisMonth}`);
    assert.equal(r.status, 200, r.text);
    const want = behindFromRows(unit);
    assert.ok(want.length >= 3, 'the fixture has members behind here');
    assert.deepEqual(r.data.members_behind.map((m) => m.id), want, `${who} at unit ${unit}`);
    assert.equal(r.data.visits.behind, want.length);
  }
  const csv = await s.town_a.get('/contact/digest.csv');
  assert.equal(csv.status, 200);
  const names = csv.text.split('\n').slice(1).filter((l) => l.startsWith('入户走访')).map((l) => l.split(',')[1]);
  const want = behindFromRows(townA).map((id) => sql(`SELECT name FROM person WHERE id = ${id}`));
  assert.deepEqual(names, want, 'the digest lists the township, in order');
});

test('a visit list filtered by duty: the rows and total counted from the rows, in every scope', async () => {
  for (const [who, unit] of [['admin', countyId], ['admin', townA], ['town_a', townA], ['town_a', vilA], ['vil_a', groups[0]]]) {
    for (const duty of ['publicist', 'mediator', 'agent']) {
      const bit = { publicist: 1, mediator: 4, agent: 16 }[duty];
      const r = await s[who].json(`/api/v1/visits?duty=${duty}&unit=${unit}`);
      assert.equal(r.status, 200, r.text);
      const want = sql(`SELECT v.id FROM visit v JOIN unit g ON g.id = v.unit_id WHERE (v.duties & ${bit}) != 0
        AND v.void_at IS NULL AND g.path LIKE '${pathOf(unit)}%' ORDER BY v.visited_on DESC, v.id DESC`).split('\n').filter(Boolean).map(Number);
      assert.equal(r.data.total, want.length, `${who} ${duty} at ${unit}`);
      assert.deepEqual(r.data.items.map((v) => v.id), want.slice(0, r.data.per_page));
    }
  }
});

test('the committees to assign and the guidance list count what they list', async () => {
  for (const who of ['admin', 'town_a']) {
    const scope = who === 'admin' ? countyId : townA;
    const committees = Number(sql(`SELECT count(*) FROM committee c JOIN unit u ON u.id = c.unit_id
      WHERE c.ended_on IS NULL AND u.path LIKE '${pathOf(scope)}%'`));
    const r = await s[who].json('/api/v1/contact/guides');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.total, committees);
    const paths = r.data.committees.map((c) => sql(`SELECT u.path FROM committee c JOIN unit u ON u.id = c.unit_id WHERE c.id = ${c.committee_id}`));
    assert.deepEqual(paths, [...paths].sort(), 'in the order of the tree');
    const contacts = Number(sql(`SELECT count(*) FROM guidance g JOIN unit u ON u.id = g.unit_id WHERE u.path LIKE '${pathOf(scope)}%'`));
    const g = await s[who].json('/api/v1/guidance');
    assert.equal(g.status, 200, g.text);
    assert.equal(g.data.total, contacts, 'voided contacts of the scope counted, others not');
  }
  const page = await s.town_a.get('/contact/guides');
  assert.match(page.text, /<option value="\d+">vil_a · 坝溪村<\/option>/, 'the scope\'s village cadres are offered');
});

test('a duty-filtered visit list past its count cap says so instead of showing the cap as its total', async () => {
  const publicist = (await s.admin.json(`/api/v1/visits?duty=publicist`)).data;
  assert.equal(publicist.total_capped, false);
  // Copies of one publicist visit until the township holds more than 1,000 of them.
  const src = Number(sql(`SELECT min(id) FROM visit WHERE unit_id = ${groups[0]} AND (duties & 1) != 0`));
  sql(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 1000)
       INSERT INTO visit (member_id, member_unit, household_id, unit_id, visited_on, month, purpose, duties)
       SELECT member_id, member_unit, household_id, unit_id, visited_on, month, purpose, duties FROM visit, k WHERE id = ${src}`);
  for (const who of ['admin', 'town_a']) {
    const d = (await s[who].json('/api/v1/visits?duty=publicist')).data;
    assert.deepEqual([d.total, d.total_capped], [1000, true], `${who}: counted up to the cap`);
    const page = (await s[who].get('/visits?duty=publicist')).text;
    assert.match(page, /共 1,000 条以上/);
    assert.doesNotMatch(page, /共 1,000 条</, 'the cap is not shown as an exact total');
  }
  const all = (await s.town_a.json('/api/v1/visits')).data;
  assert.equal(all.total_capped, false, 'the unfiltered list is exact from the tallies');
});

test('a guidance list of one period past its count cap says so instead of showing the cap as its total', async () => {
  const period = `${today.slice(0, 4)}Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`;
  const before = (await s.admin.json(`/api/v1/guidance?period=${period}`)).data;
  assert.equal(before.total_capped, false);
  // Voided copies of a contact (voided ones count in no counter, and the list shows them).
  sql(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 1000)
       INSERT INTO guidance (user_id, committee_id, unit_id, held_on, quarter, how, void_at, void_reason)
       SELECT user_id, committee_id, unit_id, held_on, quarter, how, void_at, void_reason FROM guidance, k
       WHERE guidance.id = (SELECT min(id) FROM guidance WHERE unit_id = ${groups[0]})`);
  for (const who of ['admin', 'town_a']) {
    const d = (await s[who].json(`/api/v1/guidance?period=${period}`)).data;
    assert.deepEqual([d.total, d.total_capped], [1000, true], `${who}: counted up to the cap`);
    const page = (await s[who].get(`/guidance?period=${period}`)).text;
    assert.match(page, /共 1,000 条以上/);
  }
  const all = (await s.town_a.json('/api/v1/guidance')).data;
  assert.equal(all.total_capped, false, 'without a period the total is exact');
});
