// 注销户: ending a household nobody lives in any more, and restoring it (022_household_end.sql).
// Only a household without members at home or away can be ended; bad input changes nothing; an
// ended household leaves its group's list, its visit assignment ends, its number may be given
// again, nobody moves into it and no later visit is recorded; restoring is refused while the number
// is taken. Every change is audited, and another township cannot see or touch it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCounty } from './lib/county.mjs';
import { TEST_DAY } from './lib/server.mjs';
import { idnumOf } from './lib/idnum.mjs';

let county;
const s = {};
const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();
const unitId = (code) => Number(sql(`SELECT id FROM unit WHERE code = '${code}'`));
const today = TEST_DAY;
const audits = () => Number(sql('SELECT count(*) FROM audit'));
let groupA, hh, headId, memberId, other;
const HEAD_ID = idnumOf('1938-02-03', 71);

before(async () => {
  county = await startCounty();
  for (const u of ['admin', 'town_a', 'town_b', 'vil_a', 'mem_a', 'auditor']) s[u] = await county.login(u);
  groupA = unitId('522222001001001');   // 坝溪村一组 (双江街道)
  hh = (await s.admin.postJson('/api/v1/households', { unit_id: groupA, hh_no: '0012' })).data.id;
  const head = await s.admin.postJson('/api/v1/people', { household_id: hh, name: '罗老汉', idnum: HEAD_ID, relation: 'head', status: 'resident' });
  assert.equal(head.status, 201, head.text);
  headId = head.data.id;
  other = (await s.admin.postJson('/api/v1/households', { unit_id: groupA, hh_no: '0013' })).data.id;
  const m = await s.admin.postJson('/api/v1/people', { household_id: other, name: '罗成员', sex: 'M', birth: '1970-01-01', relation: 'head', status: 'resident' });
  memberId = m.data.id;
  // A committee member of the group who is assigned the household to visit.
  sql(`INSERT INTO committee (unit_id, term_start, term_end) VALUES (${groupA}, '2025-01-01', '2028-01-01');`);
  sql(`INSERT INTO committee_member (committee_id, person_id, post, start_date) SELECT id, ${memberId}, 'chair', '2025-01-01' FROM committee WHERE unit_id = ${groupA};`);
  sql(`UPDATE user SET person_id = ${memberId} WHERE username = 'mem_a';`);
  const a = await s.vil_a.postJson('/api/v1/contact/assignments', { unit: groupA, member: memberId, households: [hh] });
  assert.equal(a.status, 200, a.text);
  sql(`UPDATE visit_assignment SET start_date = '2026-01-05' WHERE household_id = ${hh};`);   // assigned long ago
});

after(async () => { if (county) await county.close(); });

const endedAt = () => sql(`SELECT coalesce(ended_at, '') || '|' || coalesce(end_reason, '') FROM household WHERE id = ${hh}`);

test('a household someone lives in cannot be ended, and bad input changes nothing', async () => {
  const n = audits();
  const lived = await s.admin.postJson(`/api/v1/households/${hh}/end`, { on: today, reason: 'deceased' });
  assert.equal(lived.status, 409, lived.text);
  assert.equal(lived.data.error.code, 'lived_in');
  const page = await s.admin.get(`/households/${hh}`);
  assert.ok(!page.text.includes(`action="/households/${hh}/end"`), 'no end form while someone lives there');
  for (const [body, field] of [
    [{ on: today, reason: 'bogus' }, 'reason'],
    [{ on: '2999-01-01', reason: 'moved' }, 'on'],
    [{ on: '2025-02-30', reason: 'moved' }, 'on'],
    [{ reason: 'moved' }, 'on'],
  ]) {
    const r = await s.admin.postJson(`/api/v1/households/${hh}/end`, body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.data.error.field, field);
  }
  assert.equal(endedAt(), '|');
  assert.equal(audits(), n, 'nothing was audited because nothing changed');
});

test('scope: another township cannot see, end or restore the household; a member cannot end it', async () => {
  assert.equal((await s.town_b.postJson(`/api/v1/households/${hh}/end`, { on: today, reason: 'moved' })).status, 404);
  assert.equal((await s.town_b.postJson(`/api/v1/households/${hh}/restore`, {})).status, 404);
  assert.equal((await s.town_b.post(`/households/${hh}/end`, { on: today, reason: 'moved' })).status, 404);
  assert.equal((await s.town_b.get(`/groups/${groupA}/households?ended=1`)).status, 404);
  assert.equal((await s.auditor.postJson(`/api/v1/households/${hh}/end`, { on: today, reason: 'moved' })).status, 403);
  assert.equal(endedAt(), '|');
});

test('once its last member died the page offers the end form, and ending it ends its visit assignment', async () => {
  const died = await s.admin.postJson(`/api/v1/people/${headId}`, { status: 'deceased', status_date: '2026-10-01' });
  assert.equal(died.status, 200, died.text);
  const page = await s.vil_a.get(`/households/${hh}`);
  assert.ok(page.text.includes(`action="/households/${hh}/end"`), 'the village cadre is offered the end form');
  assert.ok(!(await s.auditor.get(`/households/${hh}`)).text.includes(`/households/${hh}/end`), 'not the auditor');
  const n = audits();
  const form = await s.vil_a.post(`/households/${hh}/end`, { on: '2999-01-01', reason: 'moved' });
  assert.equal(form.status, 422, 'the page form answers 422 with the error next to its field');
  assert.match(form.text, /id="f-on-err">注销日期不能晚于今天</);
  assert.equal(endedAt(), '|');
  const r = await s.vil_a.post(`/households/${hh}/end`, { on: '2026-11-02', reason: 'deceased' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(endedAt(), '2026-11-02|deceased');
  assert.equal(audits(), n + 1);
  assert.equal(sql(`SELECT action || '|' || entity || '|' || username FROM audit ORDER BY id DESC LIMIT 1`), 'end|household|vil_a');
  assert.equal(sql(`SELECT end_date FROM visit_assignment WHERE household_id = ${hh}`), '2026-11-02');
  const again = await s.admin.postJson(`/api/v1/households/${hh}/end`, { on: today, reason: 'moved' });
  assert.equal(again.status, 409);
  assert.equal(again.data.error.code, 'ended');
  const json = await s.admin.json(`/api/v1/households/${hh}`);
  assert.equal(json.data.ended_at, '2026-11-02');
  assert.equal(json.data.end_reason, 'deceased');
});

test('an ended household leaves the group\'s list and is listed under its ended households', async () => {
  const list = await s.vil_a.get(`/groups/${groupA}/households`);
  assert.ok(!list.text.includes(`href="/households/${hh}"`));
  assert.ok(list.text.includes(`href="/households/${other}"`));
  assert.ok(list.text.includes(`/groups/${groupA}/households?ended=1`), 'a link to the ended ones');
  const ended = await s.vil_a.get(`/groups/${groupA}/households?ended=1`);
  assert.equal(ended.status, 200);
  assert.ok(ended.text.includes(`href="/households/${hh}"`) && ended.text.includes('2026-11-02') && ended.text.includes('全户已故'));
  assert.match(ended.text, /共 1 条/, 'paged and counted like the group\'s list');
  assert.ok(!ended.text.includes(`href="/households/${other}"`));
  const page = await s.vil_a.get(`/households/${hh}`);
  assert.ok(page.text.includes('此户已注销') && page.text.includes(`action="/households/${hh}/restore"`));
  assert.ok(!page.text.includes(`/households/${hh}/edit`) && !page.text.includes(`/households/${hh}/members/new`));
  const person = await s.vil_a.get(`/people/${headId}`);
  assert.match(person.text, new RegExp(`href="/households/${hh}">户号 0012</a>.*<span class="badge">已注销</span>`), 'the member\'s page says so');
  const en = await s.vil_a.get(`/households/${hh}?lang=en`);
  assert.ok(en.text.includes('This household has been ended (') && en.text.includes('All deceased'), 'in English too');
  const assign = await s.vil_a.json(`/api/v1/contact/assignments?unit=${groupA}`);
  assert.ok(!JSON.stringify(assign.data).includes(`"household_id":${hh},`), 'no longer among the households to assign');
});

test('nobody moves into an ended household, its members stay away, it is not edited, no later visit', async () => {
  const n = audits();
  const edit = await s.admin.postJson(`/api/v1/households/${hh}`, { address: '新地址' });
  assert.equal(edit.status, 409);
  assert.equal((await s.admin.get(`/households/${hh}/edit`)).status, 409);
  assert.equal((await s.admin.get(`/households/${hh}/members/new`)).status, 409);
  const add = await s.admin.postJson('/api/v1/people', { household_id: hh, name: '新人', sex: 'F', birth: '2000-01-01', relation: 'child', status: 'resident' });
  assert.equal(add.status, 422);
  assert.equal(add.data.error.field, 'household_id');
  const move = await s.admin.postJson(`/api/v1/people/${memberId}`, { household_id: hh });
  assert.equal(move.status, 422);
  assert.equal(move.data.error.field, 'household_id');
  const back = await s.admin.postJson(`/api/v1/people/${headId}`, { status: 'resident' });
  assert.equal(back.status, 422, 'a member of an ended household cannot live there again');
  assert.equal(back.data.error.field, 'status');
  const fix = await s.admin.postJson(`/api/v1/people/${headId}`, { name: '罗老汉甲' });
  assert.equal(fix.status, 200, 'a deceased member\'s record can still be corrected');
  const late = await s.mem_a.postJson('/api/v1/visits', { visited_on: today, household: hh, purpose: '回访', duties: ['publicist'] });
  assert.equal(late.status, 422);
  assert.equal(late.data.error.field, 'household');
  const earlier = await s.mem_a.postJson('/api/v1/visits', { visited_on: '2026-11-01', household: hh, purpose: '补录', duties: ['publicist'] });
  assert.equal(earlier.status, 201, `a visit before the end is still recorded: ${earlier.text}`);
  assert.equal(Number(sql(`SELECT count(*) FROM person WHERE household_id = ${hh}`)), 1);
  assert.equal(audits(), n + 2, 'only the correction and the earlier visit were written');
});

test('a roster cannot put a living person into an ended household', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zuwei-end-'));
  const file = path.join(dir, 'roster.csv');
  writeFileSync(file, '姓名,性别,身份证号,出生日期,与户主关系,户主身份证号,组,人员状态\n' +
    `罗老汉甲,男,${HEAD_ID},1938-02-03,户主,${HEAD_ID},522222001001001,在家\n` +
    `罗孙,男,${idnumOf('2010-05-06', 73)},2010-05-06,孙子女,${HEAD_ID},522222001001001,在家\n`);
  let out = '';
  try { county.cli(['import', 'people', file]); } catch (e) { out = e.message; }
  assert.match(out, /户主所在的户已注销/, out);
  assert.equal(Number(sql(`SELECT count(*) FROM person WHERE household_id = ${hh}`)), 1, 'nothing was imported');
  assert.equal(sql(`SELECT status FROM person WHERE id = ${headId}`), 'deceased');
});

test('its number may be given again; restoring waits until the number is free', async () => {
  const reuse = await s.admin.postJson('/api/v1/households', { unit_id: groupA, hh_no: '0012' });
  assert.equal(reuse.status, 201, reuse.text);
  const n = audits();
  const taken = await s.admin.postJson(`/api/v1/households/${hh}/restore`, {});
  assert.equal(taken.status, 409);
  assert.equal(taken.data.error.code, 'taken');
  assert.equal(endedAt(), '2026-11-02|deceased');
  assert.equal(audits(), n);
  const renumber = await s.admin.postJson(`/api/v1/households/${reuse.data.id}`, { hh_no: '0014' });
  assert.equal(renumber.status, 200, renumber.text);
  const page = await s.admin.post(`/households/${hh}/restore`, {});
  assert.equal(page.status, 303, page.text.slice(0, 300));
  assert.equal(endedAt(), '|');
  assert.equal(sql(`SELECT action FROM audit ORDER BY id DESC LIMIT 1`), 'restore');
  assert.equal(sql(`SELECT end_date FROM visit_assignment WHERE household_id = ${hh}`), '2026-11-02', 'the assignment stays ended');
  assert.ok((await s.admin.get(`/groups/${groupA}/households`)).text.includes(`href="/households/${hh}"`));
  const notEnded = await s.admin.postJson(`/api/v1/households/${hh}/restore`, {});
  assert.equal(notEnded.status, 409);
  assert.equal(notEnded.data.error.code, 'not_ended');
  const check = county.cli(['check']);
  assert.match(check, /roll counters: ok/);
  assert.match(check, /ended households: ok/);
});

test('zuwei check reports an ended household someone lives in (written around the checks)', () => {
  sql(`UPDATE household SET ended_at = '2026-11-20', end_reason = 'other' WHERE id = ${other};`);
  let out = '';
  try { county.cli(['check']); } catch (e) { out = e.message; }
  assert.match(out, /ended households: 1 still have a member at home or away/);
  sql(`UPDATE household SET ended_at = NULL, end_reason = NULL WHERE id = ${other};`);
  assert.match(county.cli(['check']), /ended households: ok/);
});
