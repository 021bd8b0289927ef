// 分户 and 并户: some living members of a household form a new one in the group, or all of them
// join another household and the emptied one is ended for 'merged'. Each is one audited change;
// bad input is refused naming the field and changes nothing; the moves are in each person's
// history; heads and relations follow; the counters stay right; another township sees none of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startCounty } from './lib/county.mjs';
import { TEST_DAY } from './lib/server.mjs';

let county;
const s = {};
const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();
const unitId = (code) => Number(sql(`SELECT id FROM unit WHERE code = '${code}'`));
const today = TEST_DAY;
/** What a refused change must leave alone: households, people's households and relations, audit, history. */
const state = () => sql(`SELECT (SELECT count(*) FROM household), (SELECT group_concat(id || ':' || coalesce(household_id, 0) || ':' || relation) FROM person),
  (SELECT count(*) FROM audit), (SELECT count(*) FROM person_event), (SELECT group_concat(coalesce(ended_at, '-')) FROM household)`);
let groupA, groupB, hh1, hh2, hhB, hhT, p = {};

before(async () => {
  county = await startCounty();
  for (const u of ['admin', 'town_a', 'town_b', 'vil_a', 'mem_a', 'auditor']) s[u] = await county.login(u);
  groupA = unitId('522222001001001');   // 坝溪村一组
  groupB = unitId('522222001001002');   // 坝溪村二组
  const household = async (unit_id, hh_no) => (await s.admin.postJson('/api/v1/households', { unit_id, hh_no })).data.id;
  const person = async (key, household_id, name, relation, status = 'resident', extra = {}) => {
    const r = await s.admin.postJson('/api/v1/people', { household_id, name, sex: 'M', birth: '1960-01-01', relation, status, ...extra });
    assert.equal(r.status, 201, r.text);
    p[key] = r.data.id;
  };
  hh1 = await household(groupA, '31');
  await person('old', hh1, '杨老大', 'head', 'resident', { party: true });
  await person('wife', hh1, '田桂香', 'spouse');
  await person('son', hh1, '杨小军', 'child', 'resident', { labour: true });
  await person('dil', hh1, '吴小燕', 'child_in_law', 'migrant', { status_date: '2025-03-01', labour: true });
  await person('gone', hh1, '杨老二', 'sibling', 'deceased', { status_date: '2024-01-01' });
  hh2 = await household(groupA, '37');
  await person('widow', hh2, '龙奶奶', 'head');
  hhB = await household(groupB, '101');
  await person('b', hhB, '罗老汉', 'head');
  hhT = await household(unitId('522222100001002'), '201');   // 太平镇
  await person('t', hhT, '吴太平', 'head');
});

after(async () => { if (county) await county.close(); });

test('a split with bad input is refused naming the field, and changes nothing', async () => {
  const before = state();
  const cases = [
    [{ head_id: p.son, hh_no: '9' }, 'members', 'required'],
    [{ members: [], head_id: p.son, hh_no: '9' }, 'members', 'required'],
    [{ members: 'x', head_id: p.son, hh_no: '9' }, 'members', 'format'],
    [{ members: [p.son, 'x'], head_id: p.son, hh_no: '9' }, 'members', 'format'],
    [{ members: [p.son, 1.5], head_id: p.son, hh_no: '9' }, 'members', 'format'],
    [{ members: [p.gone], head_id: p.gone, hh_no: '9' }, 'members', 'not_member'],
    [{ members: [p.widow], head_id: p.widow, hh_no: '9' }, 'members', 'not_member'],
    [{ members: [p.son, p.son], head_id: p.son, hh_no: '9' }, 'members', 'duplicate'],
    [{ members: [p.old, p.wife, p.son, p.dil], head_id: p.son, hh_no: '9' }, 'members', 'all'],
    [{ members: [p.son, p.dil], head_id: p.wife, hh_no: '9' }, 'head_id', 'not_member'],
    [{ members: [p.son], hh_no: '9' }, 'head_id', 'required'],
    [{ members: [p.son], head_id: p.son, hh_no: '37' }, 'hh_no', 'taken'],
    [{ members: [p.son], head_id: p.son, hh_no: '1'.repeat(21) }, 'hh_no', 'too_long'],
    [{ members: [p.son], head_id: p.son }, 'hh_no', 'required'],
    [{ members: [p.son], head_id: p.son, hh_no: '9', address: '坝'.repeat(101) }, 'address', 'too_long'],
    [{ members: [p.old, p.son], head_id: p.son, hh_no: '9' }, 'from_head_id', 'required'],
    [{ members: [p.old, p.son], head_id: p.son, hh_no: '9', from_head_id: p.son }, 'from_head_id', 'not_member'],
    [{ members: [p.son], head_id: p.son, hh_no: '9', from_head_id: p.gone }, 'from_head_id', 'not_member'],
  ];
  for (const [body, field, code] of cases) {
    const r = await s.admin.postJson(`/api/v1/households/${hh1}/split`, body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.deepEqual([r.data.error.field, r.data.error.code], [field, code], JSON.stringify(body));
  }
  const page = await s.admin.post(`/households/${hh1}/split`, [['members', String(p.son)], ['members', String(p.gone)],
    ['head_id', String(p.son)], ['hh_no', '9']]);
  assert.equal(page.status, 422);
  assert.match(page.text, /只能选择本户在家或外出务工的成员/);
  assert.equal(state(), before);
});

test('scope: another township cannot see, split or merge; an auditor cannot change', async () => {
  const before = state();
  for (const path of [`/households/${hh1}/split`, `/households/${hh1}/merge`]) {
    assert.equal((await s.town_b.get(path)).status, 404, path);
    assert.equal((await s.auditor.get(path)).status, 403, path);
  }
  const split = { members: [p.son], head_id: p.son, hh_no: '9' };
  assert.equal((await s.town_b.postJson(`/api/v1/households/${hh1}/split`, split)).status, 404);
  assert.equal((await s.town_b.postJson(`/api/v1/households/${hh1}/merge`, { into: '7', on: today })).status, 404);
  assert.equal((await s.auditor.postJson(`/api/v1/households/${hh1}/split`, split)).status, 403);
  // A household out of scope cannot be the one merged into, by its id.
  const out = await s.town_a.postJson(`/api/v1/households/${hh2}/merge`, { into: String(hhT), on: today });
  assert.deepEqual([out.status, out.data.error.field, out.data.error.code], [422, 'into', 'not_found']);
  assert.equal(state(), before);
});

test('the split form offers the living members and the next 户号; splitting moves them with their history', async () => {
  const form = await s.vil_a.get(`/households/${hh1}/split`);
  assert.equal(form.status, 200);
  assert.match(form.text, /name="hh_no"[^>]*value="38"/, 'after the group\'s highest number, 37');
  assert.ok(form.text.includes('杨小军') && !form.text.includes('杨老二'), 'living members only');
  const audits = Number(sql('SELECT count(*) FROM audit'));
  const r = await s.vil_a.postJson(`/api/v1/households/${hh1}/split`, { members: [p.son, p.dil], head_id: p.son, hh_no: '38', address: '坝溪 38 号' });
  assert.equal(r.status, 201, r.text);
  const made = r.data;
  assert.deepEqual([made.hh_no, made.address, made.head_id, made.rep_id, made.member_count, made.migrants, made.labour],
    ['38', '坝溪 38 号', p.son, p.son, 2, 1, 2]);
  assert.equal(sql(`SELECT group_concat(id) FROM person WHERE household_id = ${made.id} ORDER BY id`), `${p.son},${p.dil}`);
  assert.equal(sql(`SELECT relation FROM person WHERE id = ${p.son}`), 'head');
  assert.equal(sql(`SELECT members || '|' || head_id FROM household WHERE id = ${hh1}`), `2|${p.old}`, 'the head stays');
  assert.equal(sql(`SELECT count(*) FROM person_event WHERE kind = 'household' AND from_household = ${hh1} AND to_household = ${made.id}`), '2');
  assert.equal(Number(sql('SELECT count(*) FROM audit')), audits + 1);
  assert.equal(sql(`SELECT action || '|' || entity || '|' || entity_id FROM audit ORDER BY id DESC LIMIT 1`), `split|household|${made.id}`);
  assert.match(county.cli(['check']), /roll counters: ok[\s\S]*unit profiles: ok/);
  // Naming another head of the old household makes them its head; the former head stays as 'other'.
  const x = (await s.vil_a.postJson('/api/v1/households', { unit_id: groupA, hh_no: '60' })).data.id;
  const xs = [];
  for (const [name, relation] of [['石大', 'head'], ['石二', 'sibling'], ['石三', 'child']]) {
    xs.push((await s.vil_a.postJson('/api/v1/people', { household_id: x, name, relation, sex: 'M', birth: '1970-01-01', status: 'resident' })).data.id);
  }
  const renamed = await s.vil_a.postJson(`/api/v1/households/${x}/split`, { members: [xs[2]], head_id: xs[2], hh_no: '61', from_head_id: xs[1] });
  assert.equal(renamed.status, 201, renamed.text);
  assert.equal(sql(`SELECT head_id || '|' || rep_id FROM household WHERE id = ${x}`), `${xs[1]}|${xs[0]}`, 'the representative stayed');
  assert.equal(sql(`SELECT group_concat(relation) FROM (SELECT relation FROM person WHERE id IN (${xs}) ORDER BY id)`), 'other,head,head');
  // The head leaving names this household's new head, who becomes its head and representative.
  const again = await s.vil_a.postJson(`/api/v1/households/${hh1}/split`, { members: [p.old], head_id: p.old, hh_no: '39', from_head_id: p.wife });
  assert.equal(again.status, 201, again.text);
  assert.equal(sql(`SELECT head_id || '|' || rep_id || '|' || members FROM household WHERE id = ${hh1}`), `${p.wife}|${p.wife}|1`);
  assert.equal(sql(`SELECT relation FROM person WHERE id = ${p.wife}`), 'head');
  assert.equal((await s.vil_a.postJson(`/api/v1/households/${hh1}/split`, { members: [p.wife], head_id: p.wife, hh_no: '40' })).data.error.code,
    'all', 'the last member cannot leave by a split');
});

test('a merge with bad input is refused naming the field, and changes nothing', async () => {
  const before = state();
  const ended = (await s.admin.postJson('/api/v1/households', { unit_id: groupA, hh_no: '50' })).data.id;
  sql(`UPDATE household SET ended_at = '2026-01-01', end_reason = 'other' WHERE id = ${ended}`);
  const base = state();
  for (const [body, field, code] of [
    [{ on: today }, 'into', 'required'],
    [{ into: '99', on: today }, 'into', 'not_found'],
    [{ into: '37', on: today }, 'into', 'same'],
    [{ into: String(hh2), on: today }, 'into', 'same'],
    [{ into: String(ended), on: today }, 'into', 'ended'],
    [{ into: '31', on: '2999-01-01' }, 'on', 'future'],
    [{ into: '31', on: '2026-02-30' }, 'on', 'format'],
    [{ into: '31' }, 'on', 'required'],
    [{ into: '3'.repeat(21), on: today }, 'into', 'too_long'],
  ]) {
    const r = await s.admin.postJson(`/api/v1/households/${hh2}/merge`, body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.deepEqual([r.data.error.field, r.data.error.code], [field, code], JSON.stringify(body));
  }
  assert.equal(state(), base);
  const empty = await s.admin.postJson(`/api/v1/households/${ended}/merge`, { into: '31', on: today });
  assert.deepEqual([empty.status, empty.data.error.code], [409, 'ended']);
  assert.notEqual(before, base);
});

test('merging moves every living member in, ends the household for merged, and may cross groups', async () => {
  const r = await s.vil_a.postJson(`/api/v1/households/${hh2}/merge`, { into: '31', on: today });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.id, hh1);
  assert.equal(sql(`SELECT household_id || '|' || relation FROM person WHERE id = ${p.widow}`), `${hh1}|other`, 'a former head is no head here');
  assert.equal(sql(`SELECT ended_at || '|' || end_reason || '|' || members FROM household WHERE id = ${hh2}`), `${today}|merged|0`);
  assert.equal(sql(`SELECT count(*) FROM person_event WHERE person_id = ${p.widow} AND kind = 'household' AND to_household = ${hh1}`), '1');
  assert.equal(sql(`SELECT action FROM audit ORDER BY id DESC LIMIT 1`), 'merge');
  const again = await s.vil_a.postJson(`/api/v1/households/${hh2}/merge`, { into: '31', on: today });
  assert.deepEqual([again.status, again.data.error.code], [409, 'ended']);
  // 罗老汉 of 坝溪村二组 joins 坝溪村一组's household: his group changes with him, through the form.
  const page = await s.vil_a.post(`/households/${hhB}/merge`, { into: String(hh1), on: today });
  assert.equal(page.status, 303, page.text);
  assert.match(page.headers.location, new RegExp(`/households/${hh1}`));
  assert.equal(sql(`SELECT unit_id || '|' || household_id FROM person WHERE id = ${p.b}`), `${groupA}|${hh1}`);
  assert.equal(sql(`SELECT kind FROM person_event WHERE person_id = ${p.b} ORDER BY id DESC LIMIT 1`), 'moved');
  assert.match(county.cli(['check']), /roll counters: ok[\s\S]*ended households: ok[\s\S]*unit profiles: ok/);
  const emptied = await s.vil_a.postJson(`/api/v1/households/${hhB}/split`, { members: [p.b], head_id: p.b, hh_no: '102' });
  assert.deepEqual([emptied.status, emptied.data.error.code], [409, 'ended']);
});

test('a whole household moves to another group: bad input changes nothing; members, history and counters follow', async () => {
  const hh = (await s.admin.postJson('/api/v1/households', { unit_id: groupA, hh_no: '70', farmland: '2', address: '坝溪 70 号' })).data.id;
  assert.equal((await s.admin.postJson('/api/v1/households', { unit_id: groupB, hh_no: '103' })).status, 201);
  const ids = [];
  for (const [name, relation, status, extra] of [['陈一', 'head', 'resident', {}], ['陈二', 'child', 'migrant', { status_date: '2025-01-01' }],
    ['陈三', 'parent', 'deceased', { status_date: '2024-05-01' }]]) {
    ids.push((await s.admin.postJson('/api/v1/people', { household_id: hh, name, relation, status, sex: 'M', birth: '1950-01-01', ...extra })).data.id);
  }
  const before = state();
  for (const [body, field, code] of [
    [{ on: today }, 'to_group', 'required'],
    [{ to_group: '坝溪村九组', on: today }, 'to_group', 'not_found'],
    [{ to_group: '坝溪村一组', on: today }, 'to_group', 'same'],
    [{ to_group: '522222100001002', on: today }, 'to_group', 'not_found'],   // 太平镇: outside the village cadre's scope
    [{ to_group: String(unitId('522222001001')), on: today }, 'to_group', 'not_found'],   // a village, not a group
    [{ to_group: '坝溪村二组', on: '2999-01-01' }, 'on', 'future'],
    [{ to_group: '坝溪村二组', hh_no: '103', on: today }, 'hh_no', 'taken'],
    [{ to_group: '坝溪村二组', hh_no: '1'.repeat(21), on: today }, 'hh_no', 'too_long'],
    [{ to_group: '坝溪村二组', address: '坝'.repeat(101), on: today }, 'address', 'too_long'],
  ]) {
    const r = await s.vil_a.postJson(`/api/v1/households/${hh}/move`, body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.deepEqual([r.data.error.field, r.data.error.code], [field, code], JSON.stringify(body));
  }
  assert.equal((await s.town_b.postJson(`/api/v1/households/${hh}/move`, { to_group: '坝溪村二组', on: today })).status, 404);
  assert.equal((await s.auditor.postJson(`/api/v1/households/${hh}/move`, { to_group: '坝溪村二组', on: today })).status, 403);
  assert.equal(state(), before);
  const form = await s.vil_a.get(`/households/${hh}/move`);
  assert.match(form.text, /<datalist id="groups"><option value="坝溪村二组"><option value="坝溪村三组"><\/datalist>/);
  assert.ok(!form.text.includes('户内有组委会成员'), 'nobody of it sits on a committee yet');
  // 陈一 chairs 坝溪村一组's committee: the move and merge forms say so before anyone leaves.
  sql(`INSERT INTO committee (unit_id, term_start, term_end) VALUES (${groupA}, '2025-01-01', '2028-01-01');`);
  sql(`INSERT INTO committee_member (committee_id, person_id, post, start_date) SELECT id, ${ids[0]}, 'chair', '2025-01-01'
       FROM committee WHERE unit_id = ${groupA};`);
  for (const path of [`/households/${hh}/move`, `/households/${hh}/merge`]) {
    assert.match((await s.vil_a.get(path)).text, /户内有组委会成员[\s\S]*<li>陈一：坝溪村一组（理事长）<\/li>/, path);
  }
  // By name inside the village, with the next number of that group.
  const r = await s.vil_a.postJson(`/api/v1/households/${hh}/move`, { to_group: '坝溪村二组', on: today });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.data.unit_id, r.data.hh_no], [groupB, '104']);
  assert.equal(sql(`SELECT group_concat(unit_id) FROM person WHERE household_id = ${hh}`), [groupB, groupB, groupB].join(','));
  assert.equal(sql(`SELECT count(*) FROM person_event WHERE kind = 'moved' AND from_unit = ${groupA} AND to_unit = ${groupB}
                    AND from_household = ${hh} AND to_household = ${hh}`), '3');
  assert.equal(sql(`SELECT action || '|' || json_extract(after, '$.members') FROM audit ORDER BY id DESC LIMIT 1`), 'move|3');
  assert.match(county.cli(['check']), /roll counters: ok[\s\S]*unit profiles: ok/);
  // By division code to another village of the township, through the form.
  assert.equal(sql(`SELECT address FROM household WHERE id = ${hh}`), '坝溪 70 号', 'no new address given: the old one kept');
  const page = await s.town_a.post(`/households/${hh}/move`, { to_group: '522222001002001', hh_no: 'A7', address: '凯德村安置点 3 栋', on: today });
  assert.equal(page.status, 303, String(page.text.match(/class="error"[^>]*>[^<]*/g)));
  assert.equal(sql(`SELECT unit_id || '|' || hh_no || '|' || address FROM household WHERE id = ${hh}`),
    `${unitId('522222001002001')}|A7|凯德村安置点 3 栋`);
  assert.equal(sql(`SELECT count(*) FROM person p JOIN unit u ON u.id = p.unit_id WHERE p.household_id = ${hh} AND p.village_id = u.parent_id`), '3');
  assert.match(county.cli(['check']), /roll counters: ok[\s\S]*unit profiles: ok/);
});
