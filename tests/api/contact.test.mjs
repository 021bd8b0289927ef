// Two-way contact (双向联系) through the JSON API and pages: recording visits (own and on behalf),
// the idempotent offline batch upload, validation, scope (another township's visits answer 404),
// the 7-day edit rule, voiding, assignments and uncovered households, guidance contacts, the
// compliance figures read from the counters, exports and the service worker route.
// Committees are set up with sqlite3 inserts per 006_committees.sql.
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
const thisMonth = today.slice(0, 7);
let groupA, groupOther, county_id, p1, p2, h1, h2, h3, hOther, committee, vilId;

before(async () => {
  county = await startCounty();
  groupA = unitId('522222001001001');      // 坝溪村一组 (双江街道)
  groupOther = unitId('522222100002001');  // 快场村一组 (太平镇)
  county_id = unitId('522222000000');
  sql(`INSERT INTO person (unit_id, name, sex, birth) VALUES (${groupA}, '王成员', 'M', '1970-01-01'), (${groupA}, '李成员', 'F', '1972-01-01'),
       (${groupA}, '张户主', 'M', '1950-01-01'), (${groupA}, '赵户主', 'M', '1951-01-01'), (${groupA}, '钱户主', 'F', '1952-01-01'),
       (${groupOther}, '孙户主', 'M', '1953-01-01');`);
  const pid = (name) => Number(sql(`SELECT id FROM person WHERE name = '${name}'`));
  [p1, p2] = [pid('王成员'), pid('李成员')];
  sql(`INSERT INTO household (unit_id, hh_no, head_id) VALUES (${groupA}, '1', ${pid('张户主')}), (${groupA}, '2', ${pid('赵户主')}),
       (${groupA}, '3', ${pid('钱户主')}), (${groupOther}, '1', ${pid('孙户主')});`);
  const hid = (name) => Number(sql(`SELECT h.id FROM household h JOIN person p ON p.id = h.head_id WHERE p.name = '${name}'`));
  [h1, h2, h3, hOther] = [hid('张户主'), hid('赵户主'), hid('钱户主'), hid('孙户主')];
  sql(`INSERT INTO committee (unit_id, term_start, term_end) VALUES (${groupA}, '2025-01-01', '2028-01-01');`);
  committee = Number(sql(`SELECT id FROM committee WHERE unit_id = ${groupA}`));
  sql(`INSERT INTO committee_member (committee_id, person_id, post, start_date) VALUES (${committee}, ${p1}, 'chair', '2025-01-01'),
       (${committee}, ${p2}, 'member', '2025-01-01');`);
  sql(`UPDATE user SET person_id = ${p1} WHERE username = 'mem_a';`);
  vilId = Number(sql(`SELECT id FROM user WHERE username = 'vil_a'`));
  for (const u of ['admin', 'town_a', 'town_b', 'vil_a', 'mem_a', 'villager_a', 'auditor']) s[u] = await county.login(u);
});

after(async () => { if (county) await county.close(); });

const visit = (fields = {}) => ({ visited_on: today, household: h1, purpose: '宣传医保政策', requests: '修路', duties: ['publicist'], ...fields });

test('a member records a visit; the same client id never makes a second one', async () => {
  const page = await s.mem_a.get('/visits/new');
  assert.equal(page.status, 200);
  assert.match(page.text, /data-offline="visit"/);
  assert.match(page.text, /visit\.js/);
  let r = await s.mem_a.postJson('/api/v1/visits', visit({ client_id: 'aaaaaaaa-0001' }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.status, 'created');
  assert.equal(r.data.member_id, p1);
  assert.equal(r.data.on_behalf, false);
  assert.deepEqual(r.data.duties, ['publicist']);
  const id = r.data.id;
  r = await s.mem_a.postJson('/api/v1/visits', visit({ client_id: 'aaaaaaaa-0001', purpose: '重复提交' }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.status, 'duplicate');
  assert.equal(r.data.id, id);
  assert.equal(sql(`SELECT count(*) FROM visit WHERE client_id = 'aaaaaaaa-0001'`), '1');
  assert.equal(sql(`SELECT on_behalf || '|' || username FROM audit WHERE entity = 'visit' AND entity_id = ${id}`), '|mem_a');
});

/** A minimal JPEG: SOI, JFIF, an Exif segment carrying a marker text, a scan, EOI. */
function jpegWithExif(marker) {
  const exif = Buffer.concat([Buffer.from('Exif\0\0'), Buffer.from(marker)]);
  const app1 = Buffer.concat([Buffer.from([0xFF, 0xE1, (exif.length + 2) >> 8, (exif.length + 2) & 255]), exif]);
  return Buffer.concat([Buffer.from([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]), Buffer.from('JFIF\0'), Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0]),
    app1, Buffer.from([0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0x12, 0x34, 0xFF, 0xD9])]);
}

test('a photo follows its visit (the offline queue does this): stripped, audited, refused when not an image', async () => {
  let r = await s.mem_a.postJson('/api/v1/visits', visit({ client_id: 'photo-0001', household: h2 }));
  assert.equal(r.status, 201, r.text);
  const id = r.data.id;
  r = await s.mem_a.postFile(`/api/v1/visits/${id}/photo`, 'photo', 'p.jpg', 'image/jpeg', jpegWithExif('GPS-SECRET-31.7N'));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.has_photo, true);
  assert.equal(sql(`SELECT mime || '|' || (size > 0) || '|' || instr(bytes, CAST('GPS-SECRET' AS BLOB)) FROM visit_photo WHERE visit_id = ${id}`),
    'image/jpeg|1|0', 'stored without the Exif segment');
  assert.equal(sql(`SELECT count(*) FROM audit WHERE entity = 'visit' AND entity_id = ${id} AND action = 'photo'`), '1');
  assert.equal((await s.mem_a.json(`/api/v1/visits/${id}`)).data.has_photo, true);
  r = await s.mem_a.postFile(`/api/v1/visits/${id}/photo`, 'photo', 'p.txt', 'text/plain', Buffer.from('not a picture'));
  assert.equal(r.status, 422);
  assert.equal(r.data.error.field, 'photo');
  r = await s.mem_a.postJson(`/api/v1/visits/${id}/photo`, {});
  assert.equal(r.status, 422, 'no photo at all');
  assert.equal((await s.villager_a.postFile(`/api/v1/visits/${id}/photo`, 'photo', 'p.jpg', 'image/jpeg', jpegWithExif('x'))).status, 403);
  r = await s.mem_a.postJson(`/api/v1/visits/${id}/void`, { reason: '测试照片用的记录' });   // keeps the later counts as they were
  assert.equal(r.status, 200, r.text);
  r = await s.mem_a.postFile(`/api/v1/visits/${id}/photo`, 'photo', 'p.jpg', 'image/jpeg', jpegWithExif('x'));
  assert.equal(r.status, 403, 'a voided visit takes no photo');
});

test('the plain form (no JS) posts and redirects with a message', async () => {
  const before = Number(sql('SELECT count(*) FROM visit'));
  const r = await s.mem_a.post('/visits/new', { visited_on: today, household: String(h2), purpose: '了解春耕', duty: 'mediator' });
  assert.equal(r.status, 303, r.text);
  assert.equal(Number(sql('SELECT count(*) FROM visit')), before + 1);
  const bad = await s.mem_a.post('/visits/new', { visited_on: today, household_q: '钱', purpose: '' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /name="household_q" type="text" value="钱"/, 'the typed values are kept');
  assert.match(bad.text, /id="f-purpose-err"/, 'the error is next to the field');
});

test('bad visits are refused with the field at fault', async () => {
  let r = await s.mem_a.postJson('/api/v1/visits', visit({ duties: [] }));
  assert.equal(r.status, 422);
  assert.equal(r.data.error.field, 'duty');
  r = await s.mem_a.postJson('/api/v1/visits', visit({ household: hOther }));
  assert.equal(r.status, 422);
  assert.equal(r.data.error.field, 'household');
  r = await s.mem_a.postJson('/api/v1/visits', visit({ visited_on: '2999-01-01' }));
  assert.equal(r.status, 422);
  assert.equal(r.data.error.field, 'visited_on');
  r = await s.mem_a.postJson('/api/v1/visits', visit({ member: p2 }));
  assert.equal(r.status, 422, 'a member cannot record for another member');
  assert.equal(r.data.error.field, 'member');
  r = await s.villager_a.postJson('/api/v1/visits', visit());
  assert.equal(r.status, 403);
});

test('the batch upload is idempotent and answers each id', async () => {
  const items = [visit({ client_id: 'bbbbbbbb-0001' }), visit({ client_id: 'bbbbbbbb-0002', household: undefined, household_q: '赵' }),
    visit({ client_id: 'bbbbbbbb-0003', purpose: '' })];
  let r = await s.mem_a.postJson('/api/v1/visits/batch', items);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.data.results.map((x) => x.status), ['created', 'created', 'error']);
  assert.equal(r.data.results[2].field, 'purpose');
  r = await s.mem_a.postJson('/api/v1/visits/batch', items.slice(0, 2));
  assert.deepEqual(r.data.results.map((x) => x.status), ['duplicate', 'duplicate']);
  assert.equal(sql(`SELECT count(*) FROM visit WHERE client_id LIKE 'bbbbbbbb-%'`), '2');
  assert.equal(sql(`SELECT household_id FROM visit WHERE client_id = 'bbbbbbbb-0002'`), String(h2));
  r = await s.mem_a.postJson('/api/v1/visits/batch', { not: 'an array' });
  assert.equal(r.status, 400);
});

test('compliance is read from counters, capped per member, rolled up to the county', async () => {
  // p1 made 4 visits this month (owes 5), p2 none (owes 5): 4 of 10.
  const r = await s.admin.json(`/api/v1/contact/compliance?unit=${county_id}&period=${thisMonth}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.visits.expected, 10);
  assert.equal(r.data.visits.done, 4);
  assert.equal(r.data.visits.rate, 40);
  assert.equal(r.data.visits.behind, 2);
  assert.deepEqual(r.data.members_behind.map((m) => m.name).sort(), ['李成员', '王成员']);
  const kept = sql(`SELECT done FROM visit_count WHERE person_id = ${p1} AND month = ${thisMonth.replace('-', '')}`);
  assert.equal(kept, '4');
  const page = await s.town_a.get(`/contact/compliance?period=${thisMonth}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /40%/);
  const other = await s.town_b.json(`/api/v1/contact/compliance?unit=${county_id}`);
  assert.equal(other.status, 404, 'a unit outside the scope is not found');
});

test('a cadre records on behalf of a member; both names are kept', async () => {
  const r = await s.vil_a.postJson('/api/v1/visits', visit({ member: p2, household: h3, client_id: 'cccccccc-0001' }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.on_behalf, true);
  assert.equal(r.data.member_id, p2);
  assert.equal(sql(`SELECT username || '|' || on_behalf FROM audit WHERE entity = 'visit' AND entity_id = ${r.data.id}`), 'vil_a|李成员');
  assert.equal(sql(`SELECT entered_by FROM visit WHERE id = ${r.data.id}`), String(vilId));
});

test('scope: another township sees nothing, by id or in lists', async () => {
  const id = Number(sql(`SELECT id FROM visit WHERE client_id = 'aaaaaaaa-0001'`));
  assert.equal((await s.vil_a.json(`/api/v1/visits/${id}`)).status, 200);
  assert.equal((await s.town_b.json(`/api/v1/visits/${id}`)).status, 404);
  const list = await s.town_b.json('/api/v1/visits');
  assert.equal(list.data.total, 0);
  assert.equal((await s.town_a.json('/api/v1/visits')).data.total >= 5, true);
  assert.equal((await s.villager_a.get(`/visits/${id}`)).status, 403);
});

test('the author edits within 7 days; later only a reviewer; voiding takes it out of the counts', async () => {
  const id = Number(sql(`SELECT id FROM visit WHERE client_id = 'aaaaaaaa-0001'`));
  let r = await s.mem_a.postJson(`/api/v1/visits/${id}`, visit({ purpose: '改过的目的' }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.purpose, '改过的目的');
  sql(`UPDATE visit SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-10 days') WHERE id = ${id}`);
  r = await s.mem_a.postJson(`/api/v1/visits/${id}`, visit({ purpose: '太晚了' }));
  assert.equal(r.status, 403);
  r = await s.vil_a.postJson(`/api/v1/visits/${id}`, visit({ purpose: '审核人修改' }));
  assert.equal(r.status, 200, r.text);
  assert.ok(Number(sql(`SELECT count(*) FROM audit WHERE entity = 'visit' AND entity_id = ${id} AND action = 'update'`)) === 2);
  const before = (await s.admin.json(`/api/v1/contact/compliance?unit=${county_id}`)).data.visits;
  r = await s.vil_a.postJson(`/api/v1/visits/${id}/void`, { reason: '重复录入' });
  assert.equal(r.status, 200, r.text);
  const after = (await s.admin.json(`/api/v1/contact/compliance?unit=${county_id}`)).data.visits;
  assert.equal(after.records, before.records - 1);
  assert.equal(sql(`SELECT void_reason FROM visit WHERE id = ${id}`), '重复录入');
  assert.equal(sql(`SELECT count(*) FROM visit WHERE id = ${id}`), '1', 'voided, never deleted');
});

test('households are assigned in bulk and the uncovered ones are shown', async () => {
  let r = await s.vil_a.postJson('/api/v1/contact/assignments', { unit: groupA, member: p1, households: [h1, h2] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.assigned, 2);
  r = await s.vil_a.json(`/api/v1/contact/assignments?unit=${groupA}`);
  assert.equal(r.data.uncovered, 1);
  r = await s.vil_a.postJson('/api/v1/contact/assignments', { unit: groupA, member: p2, households: [hOther] });
  assert.equal(r.status, 422);
  const page = await s.vil_a.get(`/contact/assign?unit=${groupA}`);
  assert.match(page.text, /未覆盖/);
  const form = await s.mem_a.get('/visits/new');
  assert.match(form.text, /我联系的农户/);
  const hh = await s.mem_a.json('/api/v1/contact/households?q=钱');
  assert.deepEqual(hh.data.items.map((x) => x.id), [h3]);
});

test('guidance: a cadre assigned to a committee records a contact and it counts', async () => {
  let r = await s.vil_a.postJson('/api/v1/guidance', { held_on: today, committee, how: 'site', checked: '走访台账' });
  assert.equal(r.status, 422, 'not assigned yet');
  r = await s.town_a.postJson('/api/v1/contact/guides', { cadre: vilId, committees: [committee] });
  assert.equal(r.status, 200, r.text);
  let c = await s.admin.json(`/api/v1/contact/compliance?unit=${county_id}`);
  assert.equal(c.data.guidance.expected, 1);
  assert.equal(c.data.guidance.done, 0);
  r = await s.vil_a.postJson('/api/v1/guidance', { held_on: today, committee, how: 'site', checked: '走访台账', duties: ['supervisor'] });
  assert.equal(r.status, 201, r.text);
  c = await s.admin.json(`/api/v1/contact/compliance?unit=${county_id}`);
  assert.equal(c.data.guidance.done, 1);
  assert.equal(c.data.guidance.rate, 100);
  assert.equal((await s.town_b.json(`/api/v1/guidance/${r.data.id}`)).status, 404);
});

test('the committees to assign are paged, counted and narrowed by unit inside the scope', async () => {
  const townA = Number(sql(`SELECT parent_id FROM unit WHERE id = (SELECT parent_id FROM unit WHERE id = ${groupA})`));
  const inScope = Number(sql(`SELECT count(*) FROM committee c JOIN unit u ON u.id = c.unit_id
                               WHERE c.ended_on IS NULL AND u.path LIKE (SELECT path FROM unit WHERE id = ${townA}) || '%'`));
  let r = await s.town_a.json('/api/v1/contact/guides');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.total, inScope);
  assert.equal(r.data.committees.length, Math.min(inScope, r.data.per_page));
  r = await s.town_a.json(`/api/v1/contact/guides?unit=${groupA}`);
  assert.deepEqual(r.data.committees.map((c) => c.committee_id), [committee]);
  assert.equal(r.data.total, 1);
  r = await s.town_a.json('/api/v1/contact/guides?page=2');
  assert.equal(r.data.total, inScope);
  assert.equal(r.data.committees.length, Math.max(0, Math.min(inScope - r.data.per_page, r.data.per_page)));
  assert.equal((await s.town_a.json(`/api/v1/contact/guides?unit=${groupOther}`)).status, 404, 'another township');
  const page = await s.town_a.get(`/contact/guides?unit=${groupA}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<select name="unit"/);
  assert.match(page.text, /共 1 条/);
});

test('guidance edits: the author within 7 days, later only a reviewer; audited; counters follow date and committee', async () => {
  const memId = Number(sql(`SELECT id FROM user WHERE username = 'mem_a'`));
  const groupB = unitId('522222001001002');
  sql(`INSERT INTO committee (unit_id, term_start, term_end) VALUES (${groupB}, '2025-01-01', '2028-01-01');`);
  const committeeB = Number(sql(`SELECT id FROM committee WHERE unit_id = ${groupB}`));
  let r = await s.town_a.postJson('/api/v1/contact/guides', { cadre: memId, committees: [committee], start: '2025-01-01' });
  assert.equal(r.status, 200, r.text);
  r = await s.town_a.postJson('/api/v1/contact/guides', { cadre: vilId, committees: [committeeB] });
  assert.equal(r.status, 200, r.text);
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 3);
  const earlier = d.toISOString().slice(0, 10);
  const quarter = (day) => Number(day.slice(0, 4)) * 10 + Math.floor((Number(day.slice(5, 7)) + 2) / 3);
  const done = (user, c, day) => sql(`SELECT coalesce(sum(done), 0) FROM guide_count WHERE user_id = ${user} AND committee_id = ${c}
                                      AND quarter = ${quarter(day)}`);
  const entry = { held_on: today, committee, how: 'phone', checked: '议事记录', duties: ['mediator'] };
  r = await s.mem_a.postJson('/api/v1/guidance', entry);
  assert.equal(r.status, 201, r.text);
  const id = r.data.id;
  assert.equal(done(memId, committee, today), '1');
  let page = await s.mem_a.get(`/guidance/${id}`);
  assert.match(page.text, new RegExp(`href="/guidance/${id}/edit"`), 'the author sees the edit button');
  const form = await s.mem_a.get(`/guidance/${id}/edit`);
  assert.equal(form.status, 200);
  assert.match(form.text, /议事记录/);
  assert.match(form.text, new RegExp(`action="/guidance/${id}/edit"`));
  // The author moves the date into the previous quarter: the count moves with it.
  r = await s.mem_a.postJson(`/api/v1/guidance/${id}`, { ...entry, held_on: earlier, checked: '议事记录和公开栏' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.held_on, earlier);
  assert.equal(r.data.checked, '议事记录和公开栏');
  assert.deepEqual(r.data.duties, ['mediator']);
  assert.equal(done(memId, committee, today), '0');
  assert.equal(done(memId, committee, earlier), '1');
  const audit = sql(`SELECT before || ' -> ' || after || ' ' || username FROM audit WHERE entity = 'guidance' AND entity_id = ${id} AND action = 'update'`);
  assert.match(audit, new RegExp(`"held_on":"${today}".* -> .*"held_on":"${earlier}".* mem_a$`));
  // Not assigned on the new date: refused, nothing changes.
  r = await s.mem_a.postJson(`/api/v1/guidance/${id}`, { ...entry, held_on: '2024-06-01' });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.data.error.field, 'committee');
  // After 7 days the author may no longer edit; a reviewer still may (and the cadre stays the author).
  sql(`UPDATE guidance SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-8 days') WHERE id = ${id}`);
  r = await s.mem_a.postJson(`/api/v1/guidance/${id}`, { ...entry, checked: '太晚了' });
  assert.equal(r.status, 403);
  assert.equal((await s.mem_a.get(`/guidance/${id}/edit`)).status, 403);
  page = await s.mem_a.get(`/guidance/${id}`);
  assert.doesNotMatch(page.text, new RegExp(`/guidance/${id}/edit`));
  r = await s.vil_a.post(`/guidance/${id}/edit`, { held_on: today, committee: String(committee), how: 'site', checked: '审核人修改', duty: 'mediator' });
  assert.equal(r.status, 303, r.text);
  assert.equal(sql(`SELECT checked || '|' || held_on || '|' || user_id FROM guidance WHERE id = ${id}`), `审核人修改|${today}|${memId}`);
  assert.equal(done(memId, committee, today), '1');
  assert.equal(done(memId, committee, earlier), '0');
  assert.equal(sql(`SELECT count(*) FROM audit WHERE entity = 'guidance' AND entity_id = ${id} AND action = 'update'`), '2');
  // A reviewer moves a contact to another committee the cadre guides: the counts move with it.
  const mine = Number(sql(`SELECT id FROM guidance WHERE user_id = ${vilId} AND committee_id = ${committee} AND void_at IS NULL LIMIT 1`));
  const beforeA = Number(done(vilId, committee, today));
  r = await s.vil_a.postJson(`/api/v1/guidance/${mine}`, { ...entry, committee: committeeB });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.committee_id, committeeB);
  assert.equal(Number(done(vilId, committee, today)), beforeA - 1);
  assert.equal(done(vilId, committeeB, today), '1');
  // Outside the caller's scope the contact does not exist.
  assert.equal((await s.mem_a.get(`/guidance/${mine}/edit`)).status, 404);
  assert.equal((await s.mem_a.postJson(`/api/v1/guidance/${mine}`, entry)).status, 404);
  assert.match(county.cli(['check']), /contact: counters agree with the records/);
});

test('exports, digest, sheet, household facts and the service worker', async () => {
  const x = await s.admin.get(`/contact/compliance.xlsx?unit=${county_id}&period=${thisMonth}`);
  assert.equal(x.status, 200);
  assert.equal(x.text.slice(0, 2), 'PK');
  assert.equal((await s.mem_a.get(`/contact/compliance.xlsx?unit=${county_id}`)).status, 403);
  const csv = await s.town_a.get('/contact/digest.csv');
  assert.equal(csv.status, 200);
  assert.match(csv.text, /李成员/);
  assert.equal(sql("SELECT group_concat(entity || ':' || json_extract(after, '$.format'), ' ') FROM audit WHERE action = 'export'"
    + " AND entity IN ('compliance', 'digest') ORDER BY id"), 'compliance:xlsx digest:csv', 'both exports are audited');
  assert.equal((await s.town_a.get('/contact/digest')).status, 200);
  const sheet = await s.vil_a.get(`/members/${p1}/sheet?month=${thisMonth}`);
  assert.equal(sheet.status, 200);
  assert.match(sheet.text, /print-doc/);
  assert.equal((await s.town_b.get(`/members/${p1}/sheet`)).status, 404);
  const sw = await s.mem_a.get('/sw.js');
  assert.equal(sw.status, 200);
  assert.match(sw.headers['content-type'], /javascript/);
  assert.equal(sw.headers['service-worker-allowed'], '/');
});

test('a filter the contact lists do not offer is refused with 422 naming it, not quietly widened', async () => {
  const refused = [
    [s.admin, '/api/v1/visits?month=2026-13', 'month', 'format'],
    [s.admin, '/api/v1/visits?month=soon', 'month', 'format'],
    [s.admin, '/api/v1/visits?duty=nope', 'duty', 'choice'],
    [s.admin, '/api/v1/visits?member=abc', 'member', 'format'],
    [s.admin, '/api/v1/visits?household=-3', 'household', 'format'],
    [s.admin, '/api/v1/visits?unit=1e3', 'unit', 'format'],
    [s.admin, '/api/v1/visits?voided=yes', 'voided', 'choice'],
    [s.admin, '/api/v1/guidance?period=2026Q5', 'period', 'format'],
    [s.admin, '/api/v1/contact/compliance?period=2026-1', 'period', 'format'],
    [s.admin, '/api/v1/contact/compliance?unit=x', 'unit', 'format'],
  ];
  for (const [who, url, field, code] of refused) {
    const r = await who.json(url);
    assert.equal(r.status, 422, url);
    assert.equal(r.data.error.field, field, url);
    assert.equal(r.data.error.code, code, url);
  }
  // Pages keep their filter form and say what is wrong; downloads and the member's sheet answer 422.
  const page = await s.vil_a.get('/visits?month=2026-00');
  assert.equal(page.status, 422);
  assert.match(page.text, /月份|统计期间/);
  assert.match(page.text, /<form class="filters"/);
  const gpage = await s.vil_a.get('/guidance?period=last');
  assert.equal(gpage.status, 422);
  assert.match(gpage.text, /2026Q4/);
  assert.equal((await s.town_a.get('/contact/digest.csv?period=2026-99')).status, 422);
  assert.equal((await s.admin.get(`/contact/compliance.xlsx?unit=${county_id}&period=Q4`)).status, 422);
  assert.equal((await s.vil_a.get(`/members/${p1}/sheet?month=2026Q4`)).status, 422, 'the sheet is a month');
  // Well-formed values still list, and a unit outside the scope is still simply not found.
  const quarter = `${today.slice(0, 4)}Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
  assert.equal((await s.admin.json(`/api/v1/visits?month=${thisMonth}&voided=0&duty=publicist`)).status, 200);
  assert.equal((await s.admin.json(`/api/v1/guidance?period=${quarter}`)).status, 200);
  assert.equal((await s.admin.json(`/api/v1/contact/compliance?period=${quarter}`)).status, 200);
  assert.equal((await s.town_b.json(`/api/v1/contact/compliance?unit=${county_id}&period=${thisMonth}`)).status, 404);
});
