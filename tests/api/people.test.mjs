// The registry of villagers and households (组民, 户) through the JSON API and the pages: creating
// households and members, the cross-field checks, search by name / pinyin initials / last four of
// the ID number, paging, masking of ID numbers and phones, the audited reveal, scope (another
// township's people are invisible and answer 404), escaping, and the Excel/CSV exports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startCounty } from './lib/county.mjs';
import { TEST_DAY } from './lib/server.mjs';
import { xlsxRows, csvRows } from './lib/sheet.mjs';
import { idnumOf } from './lib/idnum.mjs';

let county;
const s = {};
const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();
const unitId = (code) => Number(sql(`SELECT id FROM unit WHERE code = '${code}'`));

/** A valid ID number for a birth date 'YYYY-MM-DD' and sex. */
const idnum = (birth, sex, seq = 12) => idnumOf(birth, seq * 2 + (sex === 'M' ? 1 : 0));

/** A person body for the API with sensible defaults. */
function person(householdId, fields) {
  return { household_id: householdId, sex: 'M', birth: '1980-05-06', relation: 'child', status: 'resident', ...fields };
}

let groupA, groupB, hhA, hhB, headA, headB;
const ZSF_ID = idnum('1962-03-04', 'M', 7);

before(async () => {
  county = await startCounty();
  for (const u of ['admin', 'town_a', 'town_b', 'vil_a', 'auditor']) s[u] = await county.login(u);
  groupA = unitId('522222001001001');   // 坝溪村一组 (双江街道)
  groupB = unitId('522222100002001');   // 快场村一组 (太平镇)
  let r = await s.admin.postJson('/api/v1/households', { unit_id: groupA, hh_no: '1', farmland: '2.5', poverty: 'lifted' });
  assert.equal(r.status, 201, r.text);
  hhA = r.data.id;
  r = await s.admin.postJson('/api/v1/households', { unit_id: groupB, hh_no: '1' });
  assert.equal(r.status, 201, r.text);
  hhB = r.data.id;
  r = await s.admin.postJson('/api/v1/people', person(hhA, {
    name: '张三丰', birth: '1962-03-04', idnum: ZSF_ID, relation: 'head', phone: '13812345678', party: true, labour: true,
  }));
  assert.equal(r.status, 201, r.text);
  headA = r.data;
  r = await s.admin.postJson('/api/v1/people', person(hhB, { name: '杨秀英', sex: 'F', relation: 'head', idnum: idnum('1980-05-06', 'F', 3) }));
  assert.equal(r.status, 201, r.text);
  headB = r.data;
});
after(async () => { if (county) await county.close(); });

test('a household with members: counts follow the roll, the first head becomes head and representative', async () => {
  const r = await s.admin.postJson('/api/v1/people', person(hhA, {
    name: '李梅', sex: 'F', birth: '1990-01-01', relation: 'spouse', status: 'migrant', status_date: '2024-03-01', labour: true,
  }));
  assert.equal(r.status, 201, r.text);
  const h = await s.admin.json(`/api/v1/households/${hhA}`);
  assert.equal(h.status, 200);
  assert.equal(h.data.head_id, headA.id);
  assert.equal(h.data.rep_id, headA.id);
  assert.equal(h.data.member_count, 2);
  assert.equal(h.data.labour, 2);
  assert.equal(h.data.migrants, 1);
  assert.equal(h.data.farmland, '2.50');
  assert.deepEqual(h.data.members.map((m) => m.name).sort(), ['张三丰', '李梅'].sort());
  assert.ok(h.data.members.find((m) => m.id === headA.id).is_head);
});

test('the cross-field checks answer 422 with the field at fault', async () => {
  const bad = ZSF_ID.slice(0, 17) + (ZSF_ID[17] === '1' ? '2' : '1');
  const cases = [
    [{ name: '甲', birth: '1962-03-04', idnum: bad }, 'idnum'],                        // wrong check digit
    [{ name: '乙', birth: '1962-03-05', idnum: idnum('1962-03-04', 'M', 9) }, 'idnum'], // birth differs from the number
    [{ name: '丙', sex: 'F', birth: '1962-03-04', idnum: idnum('1962-03-04', 'M', 9) }, 'idnum'], // sex differs
    [{ name: '丁', birth: '2999-01-01' }, 'birth'],                                    // born in the future
    [{ name: '戊', phone: '12345' }, 'phone'],
    [{ name: '己', status: 'deceased' }, 'status_date'],                                // death needs a date
    [{ name: '<b>x</b>' }, 'name'],
  ];
  for (const [fields, field] of cases) {
    const r = await s.admin.postJson('/api/v1/people', person(hhA, fields));
    assert.equal(r.status, 422, `${JSON.stringify(fields)} → ${r.text}`);
    assert.equal(r.data.error.field, field, r.text);
  }
  const dup = await s.admin.postJson('/api/v1/people', person(hhA, { name: '重号', birth: '1962-03-04', idnum: ZSF_ID }));
  assert.equal(dup.status, 422);
  assert.equal(dup.data.error.field, 'idnum');
  assert.equal(Number(sql("SELECT count(*) FROM person WHERE name IN ('甲','乙','丙','丁','戊','己','重号')")), 0);
});

test('search by name prefix, pinyin initials, last four of the ID number and the whole number', async () => {
  const names = async (q) => (await s.admin.json(`/api/v1/people?q=${encodeURIComponent(q)}`)).data.items.map((p) => p.name);
  assert.deepEqual(await names('张三'), ['张三丰']);
  assert.deepEqual(await names('zsf'), ['张三丰']);
  assert.deepEqual(await names('ZS'), ['张三丰']);
  assert.deepEqual(await names(ZSF_ID.slice(-4)), ['张三丰']);
  assert.deepEqual(await names(ZSF_ID), ['张三丰']);
  assert.deepEqual(await names('三丰'), [], 'county scope matches names from the start only');
  const vil = (await s.vil_a.json(`/api/v1/people?q=${encodeURIComponent('三丰')}`)).data.items.map((p) => p.name);
  assert.deepEqual(vil, ['张三丰'], 'inside a village a name also matches in the middle');
});

test('filters by flag, status, age band and unit, and pages of 50', async () => {
  const hh = (await s.admin.postJson('/api/v1/households', { unit_id: groupA, hh_no: '2' })).data.id;
  for (let i = 0; i < 55; i++) {
    const r = await s.admin.postJson('/api/v1/people', person(hh, { name: `王页${String(i).padStart(2, '0')}`, birth: `${1950 + i}-01-01` }));
    assert.equal(r.status, 201, r.text);
  }
  const p1 = (await s.admin.json(`/api/v1/people?q=${encodeURIComponent('王页')}`)).data;
  const p2 = (await s.admin.json(`/api/v1/people?q=${encodeURIComponent('王页')}&page=2`)).data;
  assert.equal(p1.total, 55);
  assert.equal(p1.items.length, 50);
  assert.equal(p2.items.length, 5);
  assert.equal(new Set([...p1.items, ...p2.items].map((p) => p.id)).size, 55);
  const ids = (d) => d.data.items.map((p) => p.name);
  assert.deepEqual(ids(await s.admin.json('/api/v1/people?flag=party')), ['张三丰']);
  assert.deepEqual(ids(await s.admin.json('/api/v1/people?status=migrant')), ['李梅']);
  const seniors = (await s.admin.json(`/api/v1/people?q=${encodeURIComponent('王页')}&age=60%2B`)).data.items;
  assert.ok(seniors.length > 0 && seniors.every((p) => p.age >= 60), JSON.stringify(seniors.map((p) => p.age)));
  const young = (await s.admin.json(`/api/v1/people?q=${encodeURIComponent('王页')}&age=18-35`)).data.items;
  assert.ok(young.length > 0 && young.every((p) => p.age >= 18 && p.age <= 35));
  const inB = ids(await s.admin.json(`/api/v1/people?unit=${groupB}`));
  assert.deepEqual(inB, ['杨秀英']);
});

test('a township\'s name search and a village\'s name-fragment search page in name order, counted once', async () => {
  const page = async (who, q, n = 1) => (await who.json(`/api/v1/people?q=${encodeURIComponent(q)}&page=${n}`)).data;
  const expected = Array.from({ length: 55 }, (_, i) => `王页${String(i).padStart(2, '0')}`);
  for (const [who, q] of [[s.town_a, '王页'], [s.vil_a, '页'], [s.vil_a, '王页']]) {
    const [p1, p2, p3] = [await page(who, q), await page(who, q, 2), await page(who, q, 3)];
    assert.deepEqual([p1.total, p2.total, p3.total], [55, 55, 55], q);
    assert.deepEqual([...p1.items, ...p2.items].map((p) => p.name), expected, `${q}: both pages, in name order`);
    assert.equal(p3.items.length, 0);
    assert.ok(p1.items.every((p) => p.unit_name && p.household_id && /^\d{4}-/.test(p.birth) && p.hh_no === '2'), 'whole rows');
  }
  const older = await page(s.vil_a, '页');
  const seniors = (await s.vil_a.json(`/api/v1/people?q=${encodeURIComponent('页')}&age=60%2B`)).data;
  assert.equal(seniors.total, older.items.concat((await page(s.vil_a, '页', 2)).items).filter((p) => p.age >= 60).length);
  assert.deepEqual(await page(s.vil_a, '无此人'), { items: [], page: 1, per_page: 50, total: 0, total_capped: false });
  assert.equal((await page(s.town_b, '王页')).total, 0, 'another township finds none of them');
  const html = (await s.vil_a.get(`/people?q=${encodeURIComponent('页')}&page=2`)).text;
  assert.match(html, /共 55 条/);
  assert.equal((html.match(/<a href="\/people\/\d+">王页5[0-4]</g) || []).length, 5);
});

test('ID numbers are masked in lists, JSON and pages; phones masked in lists', async () => {
  const list = await s.admin.json(`/api/v1/people?q=${encodeURIComponent('张三丰')}`);
  assert.ok(!list.text.includes(ZSF_ID), 'the list must not carry the whole number');
  assert.match(list.data.items[0].idnum, /^5222\*+\d{3}[\dX]$/);
  assert.equal(list.data.items[0].phone, '138****5678');
  const one = await s.admin.json(`/api/v1/people/${headA.id}`);
  assert.ok(!one.text.includes(ZSF_ID));
  assert.equal(one.data.phone, '13812345678', 'an editor of the group sees the whole phone on the person');
  const page = await s.admin.get(`/people/${headA.id}`);
  assert.equal(page.status, 200);
  assert.ok(!page.text.includes(ZSF_ID));
  const listPage = await s.admin.get(`/people?q=${encodeURIComponent('张')}`);
  assert.ok(listPage.text.includes('138****5678') && !listPage.text.includes('13812345678'));
  assert.equal(Number(sql(`SELECT count(*) FROM person WHERE idnum_sealed LIKE '%${ZSF_ID}%'`)), 0, 'stored sealed');
});

test('revealing an ID number needs CAP_REVEAL, a reason, and is audited without the number', async () => {
  const denied = await s.vil_a.postJson(`/api/v1/people/${headA.id}/reveal`, { why: '核对身份' });
  assert.equal(denied.status, 403);
  const noWhy = await s.admin.postJson(`/api/v1/people/${headA.id}/reveal`, {});
  assert.equal(noWhy.status, 422);
  const ok = await s.admin.postJson(`/api/v1/people/${headA.id}/reveal`, { why: '办理低保核对身份' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.data.idnum, ZSF_ID);
  const audit = await s.admin.json('/api/v1/audit');
  assert.equal(audit.status, 200);
  const entries = audit.data.entries.filter((e) => e.action === 'reveal');
  assert.ok(entries.length >= 1, audit.text.slice(0, 500));
  assert.ok(!audit.text.includes(ZSF_ID), 'the audit log must not hold the number');
  assert.ok(audit.text.includes('办理低保核对身份'), 'the reason is recorded');
  const page = await s.admin.post(`/people/${headA.id}/reveal`, { why: '上门核对' });
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(ZSF_ID), 'the page shows the number once');
});

test('scope: another township\'s people and households are invisible and answer 404', async () => {
  assert.equal((await s.town_b.json(`/api/v1/people/${headA.id}`)).status, 404);
  assert.equal((await s.town_b.json(`/api/v1/households/${hhA}`)).status, 404);
  assert.equal((await s.town_b.get(`/people/${headA.id}`)).status, 404);
  assert.equal((await s.town_b.get(`/households/${hhA}`)).status, 404);
  assert.equal((await s.town_b.get(`/groups/${groupA}/households`)).status, 404);
  assert.equal((await s.town_b.postJson(`/api/v1/people/${headA.id}`, { name: '改名' })).status, 404);
  assert.equal((await s.town_b.postJson(`/api/v1/people/${headA.id}/reveal`, { why: '看看' })).status, 404);
  const list = await s.town_b.json(`/api/v1/people?q=${encodeURIComponent('张')}`);
  assert.deepEqual(list.data.items, []);
  const all = (await s.town_b.json('/api/v1/people')).data.items.map((p) => p.name);
  assert.deepEqual(all, ['杨秀英']);
  assert.deepEqual((await s.town_b.json(`/api/v1/people?unit=${groupA}`)).data.items, []);
  const mine = (await s.town_a.json('/api/v1/people')).data.items.map((p) => p.name);
  assert.ok(mine.includes('张三丰') && !mine.includes('杨秀英'));
  const csv = await s.town_b.get('/people/export.csv');
  assert.equal(csv.status, 200);
  assert.ok(csv.text.includes('杨秀英') && !csv.text.includes('张三丰'));
  // A body naming a household or group outside the scope is refused like a missing one.
  const p = await s.town_b.postJson('/api/v1/people', person(hhA, { name: '越界' }));
  assert.equal(p.status, 422);
  assert.equal(p.data.error.field, 'household_id');
  const h = await s.town_b.postJson('/api/v1/households', { unit_id: groupA, hh_no: '99' });
  assert.equal(h.status, 422);
  assert.equal(h.data.error.field, 'unit_id');
  const mv = await s.town_b.postJson(`/api/v1/people/${headB.id}`, { household_id: hhA });
  assert.equal(mv.status, 422);
  assert.equal(Number(sql(`SELECT household_id FROM person WHERE id = ${headB.id}`)), hhB);
});

test('an update may send only what changes; a move between households is kept in the history', async () => {
  const hh3 = (await s.admin.postJson('/api/v1/households', { unit_id: groupA, hh_no: '3' })).data.id;
  const r = await s.admin.postJson('/api/v1/people', person(hhA, { name: '赵小军', birth: '2001-02-03' }));
  const id = r.data.id;
  const up = await s.admin.postJson(`/api/v1/people/${id}`, { phone: '0856-1234567' });
  assert.equal(up.status, 200, up.text);
  assert.equal(up.data.name, '赵小军');
  assert.equal(up.data.phone, '0856-1234567');
  const mv = await s.admin.postJson(`/api/v1/people/${id}`, { move_hh: '3' });
  assert.equal(mv.status, 200, mv.text);
  assert.equal(mv.data.household_id, hh3);
  assert.equal(sql(`SELECT kind FROM person_event WHERE person_id = ${id} ORDER BY id DESC LIMIT 1`), 'household');
  const page = await s.admin.get(`/people/${id}`);
  assert.ok(page.text.includes('换户'));
  const dead = await s.admin.postJson(`/api/v1/people/${id}`, { status: 'deceased', status_date: '2025-01-02' });
  assert.equal(dead.status, 200, dead.text);
  assert.equal((await s.admin.json(`/api/v1/households/${hh3}`)).data.member_count, 0, 'the deceased leave the count');
  assert.equal(Number(sql(`SELECT count(*) FROM person WHERE id = ${id}`)), 1, 'nobody is deleted');
});

test('the household list shows each head by name, following a renamed head and a new head', async () => {
  const hh = (await s.admin.postJson('/api/v1/households', { unit_id: groupA, hh_no: '7' })).data.id;
  const listed = async () => {
    const page = await s.admin.get(`/groups/${groupA}/households`);
    const row = page.text.split('<tr>').find((tr) => tr.includes(`/households/${hh}"`));
    assert.ok(row, 'household 7 is on its group\'s list');
    return row;
  };
  assert.ok((await listed()).includes('—'), 'no head yet');
  const head = (await s.admin.postJson('/api/v1/people', person(hh, { name: '田大山', relation: 'head' }))).data;
  assert.ok((await listed()).includes('田大山'));
  assert.equal((await s.admin.postJson(`/api/v1/people/${head.id}`, { name: '田大川' })).status, 200);
  assert.ok((await listed()).includes('田大川'), 'a renamed head');
  const other = (await s.admin.postJson('/api/v1/people', person(hh, { name: '田小溪', relation: 'spouse' }))).data;
  const set = await s.admin.postJson(`/api/v1/households/${hh}`, { head_id: other.id });
  assert.equal(set.status, 200, set.text);
  const row = await listed();
  assert.ok(row.includes('田小溪') && !row.includes('田大川'), 'a new head');
  assert.equal(sql(`SELECT count(*) FROM household h WHERE h.head_name != coalesce((SELECT name FROM person WHERE id = h.head_id), '')`), '0');
});

test('a name is escaped on every page', async () => {
  const evil = '"onmouseover="alert(1)&amp;';
  const r = await s.admin.postJson('/api/v1/people', person(hhA, { name: evil }));
  assert.equal(r.status, 201, r.text);
  for (const path of [`/people/${r.data.id}`, `/households/${hhA}`, `/people?q=${encodeURIComponent('"on')}`]) {
    const page = await s.admin.get(path);
    assert.equal(page.status, 200, path);
    assert.ok(!page.text.includes('"onmouseover="'), `${path} writes the name raw`);
    assert.ok(page.text.includes('&quot;onmouseover=&quot;alert(1)&amp;amp;'), `${path} lacks the escaped name`);
  }
});

test('the ID number alone gives birth date and sex; an unreadable one is reported with the other errors', async () => {
  const id = idnum('1991-09-10', 'F', 21);
  const r = await s.admin.postJson('/api/v1/people', { household_id: hhA, name: '吴月', idnum: id, relation: 'child', status: 'resident' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.birth, '1991-09-10');
  assert.equal(r.data.sex, 'F');
  const without = await s.admin.postJson('/api/v1/people', { household_id: hhA, name: '吴无号', relation: 'child', status: 'resident' });
  assert.equal(without.status, 422, 'without a number, birth and sex are still required');
  assert.equal(without.data.error.field, 'sex');
  const form = await s.admin.post(`/households/${hhA}/members/new`, {
    name: '郑山', sex: '', birth: '', idnum: idnum('1975-01-31', 'M', 22).toLowerCase(), relation: 'child', status: 'resident',
  });
  assert.equal(form.status, 303, form.text.slice(0, 300));
  assert.equal(sql("SELECT birth || sex FROM person WHERE name = '郑山'"), '1975-01-31M');
  const typo = idnum('1975-02-01', 'M', 23).slice(0, 17) + (idnum('1975-02-01', 'M', 23).endsWith('0') ? '1' : '0');
  const both = await s.admin.post(`/households/${hhA}/members/new`, { name: '', sex: 'M', birth: '', idnum: typo, relation: 'child', status: 'resident' });
  assert.equal(both.status, 422);
  assert.match(both.text, /class="field has-error"><label for="f-name">/);
  assert.match(both.text, /class="field has-error"><label id="f-idnum-l"/, 'the bad check digit is shown at once');
  assert.match(both.text, /class="field has-error"><label for="f-birth">/, 'no birth date comes from an unreadable number');
  assert.match(both.text, /<input type="radio" name="sex" value="M" id="f-sex" checked>/, 'the first choice carries the label\'s id');
  const mismatch = await s.admin.postJson('/api/v1/people', { household_id: hhA, name: '错性', sex: 'M', idnum: idnum('1970-02-03', 'F', 24), relation: 'child', status: 'resident' });
  assert.equal(mismatch.status, 422, 'a typed sex must still agree with the number');
  assert.equal(mismatch.data.error.field, 'idnum');
  assert.equal(Number(sql("SELECT count(*) FROM person WHERE name IN ('吴无号', '错性')")), 0);
});

test('the forms: errors next to the field with the values kept, then post → redirect → get', async () => {
  const bad = await s.admin.post(`/households/${hhA}/members/new`, {
    name: '孙丽', sex: 'F', birth: '1985-07-08', idnum: '522222198507081234', relation: 'child', status: 'resident',
  });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /class="field has-error"><label id="f-idnum-l"/);
  assert.ok(bad.text.includes('value="孙丽"'), 'the typed name is kept');
  assert.ok(bad.text.includes('inputmode="numeric"'));
  const ok = await s.admin.post(`/households/${hhA}/members/new`, {
    name: '孙丽', sex: 'F', birth: '1985-07-08', idnum: idnum('1985-07-08', 'F', 4), relation: 'child', status: 'resident', legal: '1',
  });
  assert.equal(ok.status, 303, ok.text.slice(0, 300));
  assert.equal(ok.headers.location, `/households/${hhA}`);
  assert.equal(Number(sql("SELECT flags FROM person WHERE name = '孙丽'")), 64);
  const edit = await s.admin.get(`/people/${headA.id}/edit`);
  assert.equal(edit.status, 200);
  assert.ok(edit.text.includes('value="张三丰"') && !edit.text.includes(ZSF_ID));
  const group = await s.admin.get(`/groups/${groupA}/households`);
  assert.equal(group.status, 200);
  assert.ok(group.text.includes('张三丰') && group.text.includes('脱贫户'));
  const dupNo = await s.admin.post(`/groups/${groupA}/households/new`, { hh_no: '1' });
  assert.equal(dupNo.status, 422);
  assert.ok(dupNo.text.includes('本组已有这个户号'));
});

test('exports: xlsx is a zip, csv has a BOM and masked numbers; unmasked needs CAP_REVEAL and is audited', async () => {
  const x = await s.admin.get('/people/export.xlsx');
  assert.equal(x.status, 200);
  assert.equal(x.body.subarray(0, 2).toString('latin1'), 'PK');
  assert.match(x.headers['content-disposition'], /^attachment;.*filename\*=UTF-8''/);
  const c = await s.admin.get(`/people/export.csv?q=${encodeURIComponent('张三丰')}`);
  assert.equal(c.status, 200);
  assert.deepEqual([...c.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(c.text.includes('张三丰') && !c.text.includes(ZSF_ID) && c.text.includes('138****5678'));
  assert.equal((await s.vil_a.get('/people/export.csv?unmasked=1')).status, 403);
  const u = await s.admin.get(`/people/export.csv?unmasked=1&q=${encodeURIComponent('张三丰')}`);
  assert.equal(u.status, 200);
  assert.ok(u.text.includes(ZSF_ID));
  const audit = await s.admin.json('/api/v1/audit');
  const actions = audit.data.entries.map((e) => e.action);
  assert.ok(actions.includes('export') && actions.includes('export_unmasked'), actions.join(','));
  assert.ok(!audit.text.includes(ZSF_ID));
  const none = await s.auditor.get('/people/export.xlsx?unmasked=1');
  assert.equal(none.status, 403, 'the auditor exports but may not unmask');
});

test('the people export reads back: heads, masked numbers, the age as a number', async () => {
  const x = await s.admin.get(`/people/export.xlsx?q=${encodeURIComponent('张三丰')}`);
  assert.equal(x.status, 200);
  const rows = xlsxRows(x.body);
  assert.deepEqual(rows[0].slice(0, 6), ['姓名', '性别', '出生日期', '年龄', '身份证号', '联系电话']);
  const zsf = rows.find((r) => r[0] === '张三丰');
  assert.ok(zsf, JSON.stringify(rows));
  assert.equal(typeof zsf[3], 'number', 'Excel can sum ages');
  assert.equal(zsf[4], headA.idnum, 'masked as in the list');
  assert.equal(zsf[5], '138****5678');
  const c = csvRows((await s.admin.get(`/people/export.csv?q=${encodeURIComponent('张三丰')}`)).text);
  assert.deepEqual(c[0], rows[0]);
  assert.deepEqual(c.find((r) => r[0] === '张三丰'), zsf.map(String));
});

test('the household ledger (户情台账): a scope\'s households with their profile, as xlsx and csv, in scope, audited', async () => {
  const [members, labour, migrants] = sql(`SELECT members, labour, migrants FROM household WHERE id = ${hhA}`).split('|').map(Number);
  const x = await s.admin.get(`/households/export.xlsx?unit=${groupA}`);
  assert.equal(x.status, 200);
  assert.match(x.headers['content-type'], /spreadsheetml/);
  assert.match(x.headers['content-disposition'], /^attachment; filename="households-\d{4}-\d{2}-\d{2}\.xlsx"/);
  const rows = xlsxRows(x.body);
  assert.deepEqual(rows[0], ['乡镇（街道）', '村', '村民组', '户号', '住址', '户主', '户代表', '人口', '劳动力', '外出务工',
    '耕地（亩）', '林地（亩）', '家畜存栏（头）', '家禽（只）', '脱贫情况']);
  const a = rows.find((r) => r[3] === '1');
  assert.ok(a, JSON.stringify(rows));
  assert.deepEqual(a.slice(0, 3), ['双江街道', '坝溪村', '坝溪村一组']);
  assert.equal(a[5], '张三丰');
  assert.deepEqual(a.slice(7, 11), [members, labour, migrants, 2.5], 'counts and mu are numbers');
  assert.equal(a[14], '脱贫户');
  assert.equal(rows.length - 1, Number(sql(`SELECT count(*) FROM household WHERE unit_id = ${groupA} AND ended_at IS NULL`)));
  const c = await s.admin.get(`/households/export.csv?unit=${groupA}`);
  assert.equal(c.status, 200);
  assert.deepEqual([...c.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const crows = csvRows(c.text);
  assert.deepEqual(crows[0], rows[0]);
  assert.deepEqual(crows.find((r) => r[3] === '1'), a.map(String));
  // scope: another township's user neither sees these households nor may name the group
  assert.equal((await s.town_b.get(`/households/export.csv?unit=${groupA}`)).status, 404);
  const theirs = await s.town_b.get('/households/export.csv');
  assert.equal(theirs.status, 200);
  assert.ok(theirs.text.includes('杨秀英') && !theirs.text.includes('张三丰'));
  const village = csvRows((await s.vil_a.get('/households/export.csv')).text);
  assert.ok(village.some((r) => r[5] === '张三丰') && !village.some((r) => r[5] === '杨秀英'), 'a village cadre: their village');
  const audit = sql("SELECT count(*) FROM audit WHERE action = 'export' AND entity = 'household'");
  assert.ok(Number(audit) >= 3, audit);
  const page = await s.admin.get(`/groups/${groupA}/households`);
  assert.ok(page.text.includes(`/households/export.xlsx?unit=${groupA}`), 'the group\'s list links its ledger');
});

test('我家: a villager sees their own household through the login\'s link to the roll, and nothing outside their scope', async () => {
  const groupV = unitId('522222001001002');   // villager_a's group
  let r = await s.admin.postJson('/api/v1/households', { unit_id: groupV, hh_no: '8', farmland: '1.25' });
  assert.equal(r.status, 201, r.text);
  const hhV = r.data.id;
  const vid = idnum('1975-02-03', 'M', 21);
  r = await s.admin.postJson('/api/v1/people', person(hhV, { name: '罗家明', birth: '1975-02-03', idnum: vid, relation: 'head' }));
  assert.equal(r.status, 201, r.text);
  const me = r.data.id;
  r = await s.admin.postJson('/api/v1/people', person(hhV, { name: '罗小燕', sex: 'F', birth: '2001-06-07', relation: 'child', status: 'migrant', status_date: '2024-02-01' }));
  assert.equal(r.status, 201, r.text);
  const day = TEST_DAY;
  sql(`INSERT INTO visit (member_id, member_unit, household_id, unit_id, visited_on, month, duties)
       VALUES (${me}, ${groupV}, ${hhV}, ${groupV}, '${day}', ${Number(day.slice(0, 7).replace('-', ''))}, 1)`);
  const villager = await county.login('villager_a');
  let page = await villager.get('/me/household');
  assert.equal(page.status, 200);
  assert.match(page.text, /还没有关联到组民名册中的本人/, 'not linked yet');
  sql(`UPDATE user SET person_id = ${me} WHERE username = 'villager_a'`);
  page = await villager.get('/me/household');
  assert.equal(page.status, 200);
  assert.match(page.text, /户号 8/);
  assert.match(page.text, /罗家明/);
  assert.match(page.text, /罗小燕/);
  assert.match(page.text, /1\.25 亩/);
  assert.match(page.text, /今年走访/);
  assert.ok(!page.text.includes(vid.slice(-4)) && !page.text.includes(vid.slice(0, 6) + '*'), 'no ID number, not even masked');
  assert.doesNotMatch(page.text, /href="\/(people|visits)[/?]/, 'no links into the roll or the visit list, which a villager may not open');
  assert.equal((await villager.get(`/households/${hhV}`)).status, 403, 'the registry itself stays closed');
  assert.match((await villager.get('/')).text, /href="\/me\/household"/);
  assert.doesNotMatch((await villager.get('/me')).text, /href="\/org\//, '/me links nowhere a villager may not go');
  // A link to someone outside the login's scope shows nothing of them.
  sql(`UPDATE user SET person_id = ${headA.id} WHERE username = 'villager_a'`);
  page = await villager.get('/me/household');
  assert.match(page.text, /还没有关联到组民名册中的本人/);
  assert.doesNotMatch(page.text, /张三丰/);
  sql(`UPDATE user SET person_id = NULL WHERE username = 'villager_a'`);
});

test('counts follow the scope: the county counts every person, a township only its own', async () => {
  const all = Number(sql('SELECT count(*) FROM person'));
  const townB = Number(sql(`SELECT count(*) FROM person p JOIN unit u ON u.id = p.unit_id
                            WHERE u.path LIKE (SELECT path FROM unit WHERE code = '522222100000') || '%'`));
  assert.equal((await s.admin.json('/api/v1/people')).data.total, all, 'the whole roll from the group counters');
  assert.equal((await s.town_b.json('/api/v1/people')).data.total, townB);
  const zsf = async (who) => (await who.json('/api/v1/people?q=ZSF')).data.total;
  assert.equal(await zsf(s.admin), 1, 'initials over the whole tree, from the index alone');
  assert.equal(await zsf(s.town_a), 1);
  assert.equal(await zsf(s.town_b), 0, 'another township\'s match is not counted');
  assert.equal((await s.town_b.json(`/api/v1/people?q=${ZSF_ID.slice(-4)}`)).data.total, 0);
});

test('initials inside a township, a village and a group: each finds its own people, after moves too', async () => {
  const group = (code) => unitId(code);
  const hhIn = async (code, no) => (await s.admin.postJson('/api/v1/households', { unit_id: group(code), hh_no: no })).data.id;
  const add = async (hh, name, extra = {}) => {
    const r = await s.admin.postJson('/api/v1/people', person(hh, { name, ...extra }));
    assert.equal(r.status, 201, r.text);
    return r.data.id;
  };
  // Three people whose initials are QWX: two in villages of 双江街道's 坝溪村 (groups 1 and 2),
  // one in its 凯德村.
  const qian = await add(hhA, '钱文轩');
  const qi = await add(await hhIn('522222001001002', '21'), '齐伟雄', { status: 'migrant', status_date: '2024-01-01' });
  const qin = await add(await hhIn('522222001002001', '22'), '秦婉秀', { sex: 'F' });
  const found = async (who, extra = '') => {
    const d = (await who.json(`/api/v1/people?q=qwx${extra}`)).data;
    assert.equal(d.total, d.items.length);
    return d.items.map((p) => p.id).sort((a, b) => a - b);
  };
  const ids = (...list) => list.sort((a, b) => a - b);
  // Each scope's roll size (the unfiltered list's total), and its total for one status or one flag
  // (read from the same counters), is the count of its subtree's people.
  const rollsAgree = async () => {
    const filters = [['', '1'], ['status=resident', "p.status = 'resident'"], ['status=migrant', "p.status = 'migrant'"],
      ['status=deceased', "p.status = 'deceased'"], ['flag=party', '(p.flags & 1) != 0'], ['flag=labour', '(p.flags & 128) != 0']];
    for (const [who, code] of [[s.admin, '522222000000'], [s.town_a, '522222001000'], [s.town_b, '522222100000'],
      [s.vil_a, '522222001001']]) {
      for (const [filter, test] of filters) {
        const want = Number(sql(`SELECT count(*) FROM person p JOIN unit u ON u.id = p.unit_id
                                 WHERE u.path LIKE (SELECT path FROM unit WHERE code = '${code}') || '%' AND ${test}`));
        const d = (await who.json(`/api/v1/people?${filter}`)).data;
        assert.deepEqual([d.total, d.total_capped], [want, false], `the roll of ${code} ${filter}`);
      }
    }
  };
  await rollsAgree();
  assert.deepEqual(await found(s.admin), ids(qian, qi, qin));
  assert.deepEqual(await found(s.town_a), ids(qian, qi, qin), 'the township: every village of it');
  assert.deepEqual(await found(s.town_b), []);
  assert.deepEqual(await found(s.vil_a), ids(qian, qi), 'the village: its own groups only');
  assert.deepEqual(await found(s.vil_a, `&unit=${groupA}`), [qian], 'a group: its own people only');
  assert.deepEqual(await found(s.town_a, '&status=migrant'), [qi], 'a filter inside the township');
  assert.deepEqual(await found(s.vil_a, '&status=resident'), [qian]);
  assert.deepEqual(await found(s.town_b, `&unit=${groupA}`), [], 'a unit outside the scope finds nobody');
  const township = (await s.town_a.json('/api/v1/people?q=QWX')).data.items.map((p) => p.name);
  assert.deepEqual(township, ['钱文轩', '齐伟雄', '秦婉秀'], 'village by village, in the tree order');

  // 钱文轩 moves to another township's household; 坝溪村二组 moves to 凯德村 with its people.
  const mv = await s.admin.postJson(`/api/v1/people/${qian}`, { household_id: hhB });
  assert.equal(mv.status, 200, mv.text);
  assert.deepEqual(await found(s.town_a), ids(qi, qin));
  assert.deepEqual(await found(s.town_b), [qian], 'found where the person now lives');
  assert.deepEqual(await found(s.vil_a), ids(qi));
  await rollsAgree();
  // A change of status or flags moves the person between the counts, in every scope above them.
  let upd = await s.admin.postJson(`/api/v1/people/${qi}`, { status: 'resident', party: true, labour: true });
  assert.equal(upd.status, 200, upd.text);
  await rollsAgree();
  upd = await s.admin.postJson(`/api/v1/people/${qin}`, { status: 'deceased', status_date: '2025-03-01', labour: true });
  assert.equal(upd.status, 200, upd.text);
  await rollsAgree();
  const moved = await s.admin.postJson(`/api/v1/units/${group('522222001001002')}/move`,
    { parent_id: unitId('522222001002'), code: '522222001002009' });
  assert.equal(moved.status, 200, moved.text);
  assert.deepEqual(await found(s.vil_a), [], 'the group left the village with its people');
  assert.deepEqual(await found(s.town_a, `&unit=${unitId('522222001002')}`), ids(qi, qin));
  assert.equal(sql(`SELECT count(*) FROM person p JOIN unit u ON u.id = p.unit_id WHERE p.village_id IS NOT u.parent_id`), '0');
  await rollsAgree();
  // Put the group back for any later test.
  const back = await s.admin.postJson(`/api/v1/units/${group('522222001002009')}/move`,
    { parent_id: unitId('522222001001'), code: '522222001001002' });
  assert.equal(back.status, 200, back.text);
  assert.deepEqual(await found(s.vil_a), ids(qi));
  // A village moving to another township takes its groups' people along.
  const vil = await s.admin.postJson(`/api/v1/units/${unitId('522222001002')}/move`,
    { parent_id: unitId('522222100000'), code: '522222100009' });
  assert.equal(vil.status, 200, vil.text);
  assert.deepEqual(await found(s.town_b), ids(qian, qin));
  await rollsAgree();
  const home = await s.admin.postJson(`/api/v1/units/${unitId('522222100009')}/move`,
    { parent_id: unitId('522222001000'), code: '522222001002' });
  assert.equal(home.status, 200, home.text);
  await rollsAgree();
});

test('a filter the list does not offer is refused with 422 naming it, in the page, the API and the exports', async () => {
  const api = await s.admin.json('/api/v1/people?age=60plus');
  assert.equal(api.status, 422);
  assert.deepEqual([api.data.error.code, api.data.error.field], ['choice', 'age']);
  for (const [query, field] of [['status=away', 'status'], ['flag=mayor', 'flag'], [`q=${'张'.repeat(61)}`, 'q']]) {
    const r = await s.admin.json(`/api/v1/people?${encodeURI(query)}`);
    assert.equal(r.status, 422, query);
    assert.equal(r.data.error.field, field, query);
  }
  const page = await s.admin.get('/people?status=away');
  assert.equal(page.status, 422);
  assert.match(page.text, /class="flash err" role="alert">没有这个状态/);
  assert.doesNotMatch(page.text, /<table class="list">|export\.csv/, 'no list and no export of it under the error');
  assert.equal((await s.admin.get('/people/export.csv?flag=mayor')).status, 422);
  const fine = await s.admin.json(`/api/v1/people?age=${encodeURIComponent('60+')}&status=resident&flag=party&q=${'张'.repeat(60)}`);
  assert.equal(fine.status, 200, 'every offered value, and a search of 60 characters, is accepted');
});

test('lists of a rare status or flag, alone or combined, page through exactly the matches in the lists\' order', async () => {
  // 160 people in two groups of two townships, of rare statuses and flags, so that the walks of
  // the partial indexes (015) span two pages and several groups.
  sql(`WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 159)
    INSERT INTO person (unit_id, name, initials, sex, birth, status, status_date, flags)
    SELECT CASE WHEN i % 3 = 0 THEN ${groupB} ELSE ${groupA} END, '稀' || (i * 7 % 60), 'XI', 'F',
      printf('%d-02-03', 1940 + i % 80), CASE i % 4 WHEN 0 THEN 'deceased' WHEN 1 THEN 'moved' WHEN 2 THEN 'migrant' ELSE 'resident' END,
      CASE WHEN i % 4 < 2 THEN '2024-05-06' END, (CASE WHEN i % 5 = 0 THEN 32 ELSE 0 END) | (CASE WHEN i % 2 = 0 THEN 1 ELSE 0 END)
        | (CASE WHEN i % 7 = 0 THEN 64 ELSE 0 END) | (CASE WHEN i % 3 = 1 THEN 128 ELSE 0 END) FROM k`);
  const filters = [
    ['status=deceased', "p.status = 'deceased'"], ['status=moved', "p.status = 'moved'"],
    ['flag=cadre', '(p.flags & 32) != 0'], ['flag=legal', '(p.flags & 64) != 0'],
    ['status=deceased&flag=party', "p.status = 'deceased' AND (p.flags & 1) != 0"],
    ['status=migrant&flag=legal', "p.status = 'migrant' AND (p.flags & 64) != 0"],
    ['status=resident&flag=party', "p.status = 'resident' AND (p.flags & 1) != 0"],
    ['status=moved&flag=labour', "p.status = 'moved' AND (p.flags & 128) != 0"],
    [`status=deceased&age=${encodeURIComponent('60+')}`, "p.status = 'deceased' AND p.birth <= date('now', '-60 years')"],
    ['flag=labour', '(p.flags & 128) != 0'],
  ];
  const scopes = [[s.admin, '522222000000'], [s.town_a, '522222001000'], [s.town_b, '522222100000'], [s.vil_a, '522222001001']];
  for (const [who, code] of scopes) {
    for (const [filter, test] of filters) {
      const want = sql(`SELECT p.id FROM person p JOIN unit u ON u.id = p.unit_id
                        WHERE u.path LIKE (SELECT path FROM unit WHERE code = '${code}') || '%' AND ${test}
                        ORDER BY u.path, p.name, p.id`).split('\n').filter(Boolean).map(Number);
      const got = [];
      for (let page = 1; ; page++) {
        const d = (await who.json(`/api/v1/people?${filter}&page=${page}`)).data;
        assert.deepEqual([d.total, d.total_capped], [want.length, false], `${code} ${filter}: the total`);
        got.push(...d.items.map((p) => p.id));
        if (d.items.length < 50) break;
      }
      assert.deepEqual(got, want, `${code} ${filter}: the rows and their order`);
    }
  }
  // Initials across the county with a rare filter walk person_rare_initials (019), in (initials, id) order.
  for (const [filter, test] of filters) {
    const want = sql(`SELECT p.id FROM person p WHERE p.initials >= 'XI' AND p.initials < 'XI~' AND ${test}
                      ORDER BY p.initials, p.id`).split('\n').filter(Boolean).map(Number);
    const d = (await s.admin.json(`/api/v1/people?q=xi&${filter}`)).data;
    assert.deepEqual([d.items.map((p) => p.id), d.total, d.total_capped], [want.slice(0, 50), want.length, false],
      `initials XI and ${filter} across the county`);
  }
  // Inside a township or a village, initials walk each village's range of person_village_initials,
  // which holds the filters' columns (021): village by village, then (initials, group, id).
  for (const [who, code] of scopes.slice(1)) {
    for (const [filter, test] of filters) {
      const want = sql(`SELECT p.id FROM person p JOIN unit u ON u.id = p.unit_id JOIN unit v ON v.id = p.village_id
                        WHERE u.path LIKE (SELECT path FROM unit WHERE code = '${code}') || '%'
                          AND p.initials >= 'XI' AND p.initials < 'XI~' AND ${test}
                        ORDER BY v.sort, v.name, v.id, p.initials, p.unit_id, p.id`).split('\n').filter(Boolean).map(Number);
      const d = (await who.json(`/api/v1/people?q=xi&${filter}`)).data;
      assert.deepEqual([d.items.map((p) => p.id), d.total, d.total_capped], [want.slice(0, 50), want.length, false],
        `initials XI and ${filter} in ${code}`);
    }
  }
  // An export walks the same index for its whole rows.
  for (const [filter, test] of filters.slice(0, 6)) {
    const want = sql(`SELECT p.name FROM person p JOIN unit u ON u.id = p.unit_id WHERE ${test}
                      ORDER BY u.path, p.name, p.id`).split('\n').filter(Boolean);
    const csv = await s.admin.get(`/people/export.csv?${filter}`);
    assert.equal(csv.status, 200);
    assert.deepEqual(csvRows(csv.text).slice(1).map((row) => row[0]), want, `the export of ${filter}`);
  }
  assert.ok(Number(sql("SELECT count(*) FROM person WHERE status = 'deceased'")) > 15, 'the deceased span a page');
  assert.ok(Number(sql(`SELECT count(*) FROM person WHERE unit_id = ${groupA} AND initials = 'XI' AND flags & 128`)) > 50,
    'a township\'s initials with a filter are counted past its first page');
});

test('a search past 1,000 matches says so, at the county, township and village level alike', async () => {
  const add = (n) => sql(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ${n})
    INSERT INTO person (unit_id, name, initials, sex, birth) SELECT ${groupA}, '测试', 'CAPX', 'M', '1980-01-01' FROM k`);
  const total = async (who) => {
    const d = (await who.json('/api/v1/people?q=capx')).data;
    return [d.total, d.total_capped];
  };
  add(1000);
  for (const who of [s.admin, s.town_a, s.vil_a]) assert.deepEqual(await total(who), [1000, false], 'exactly 1,000: counted');
  assert.deepEqual(await total(s.town_b), [0, false]);
  assert.match((await s.vil_a.get('/people?q=capx')).text, /共 1,000 条</, 'a count of four digits has its separator');
  add(1);
  for (const who of [s.admin, s.town_a, s.vil_a]) assert.deepEqual(await total(who), [1000, true], 'one more: capped');
  const last = (await s.vil_a.json('/api/v1/people?q=capx&page=21')).data;
  assert.deepEqual([last.total, last.total_capped, last.items.length], [1001, false, 1], 'the last page has seen them all');
  const capped = (await s.admin.get('/people?q=capx&status=')).text;
  assert.match(capped, /共 1,000 条以上/);
  assert.match(capped, /rel="next" href="\/people\?q=capx&amp;page=2"/, 'the next page keeps the search, not the empty filter');
  // One flag alone is read from the counters: exact past 1,000, with an ordinary pager.
  sql(`UPDATE person SET flags = flags | 1 WHERE initials = 'CAPX'`);
  const party = Number(sql('SELECT count(*) FROM person WHERE (flags & 1) != 0'));
  const d = (await s.admin.json('/api/v1/people?flag=party')).data;
  assert.deepEqual([d.total, d.total_capped], [party, false]);
  assert.match((await s.admin.get('/people?flag=party')).text, new RegExp(`共 ${party.toLocaleString('en-US')} 条<`));
});

test('a group\'s household list counts its households, on one page and over two', async () => {
  const g = unitId('522222001002003');   // 凯德村三组: no households yet
  const list = async (page) => (await s.admin.get(`/groups/${g}/households${page ? `?page=${page}` : ''}`)).text;
  const rows = (html) => (html.match(/<a href="\/households\/\d+">/g) || []).length;
  const add = (from, to) => sql(`WITH RECURSIVE k(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM k WHERE i < ${to})
    INSERT INTO household (unit_id, hh_no) SELECT ${g}, printf('%04d', i) FROM k`);
  assert.match(await list(), /这个组还没有登记户/);
  add(1, 3);
  let page = await list();
  assert.equal(rows(page), 3);
  assert.match(page, /共 3 条/);
  add(4, 51);
  page = await list();
  assert.equal(rows(page), 50);
  assert.match(page, /第 1 \/ 2 页/);
  assert.match(page, /共 51 条/);
  page = await list(2);
  assert.equal(rows(page), 1);
  assert.match(page, /共 51 条/);
  assert.match(page, />0051</);
  page = await list(7);
  assert.equal(rows(page), 0);
  assert.match(page, /rel="prev" href="\/groups\/\d+\/households\?page=2"/, 'past the end: back to the last page');
});

test('in English a person page puts its asides in Latin brackets, in Chinese in full-width ones', async () => {
  const en = (await s.admin.get(`/people/${headA.id}?lang=en`)).text;
  assert.match(en, /<dt>Date of birth<\/dt><dd>1962-03-04 \(age \d+\)<\/dd>/);
  assert.ok(!en.includes('（'), 'no full-width bracket in the English page');
  const zh = (await s.admin.get(`/people/${headA.id}?lang=zh`)).text;
  assert.match(zh, /<dt>出生日期<\/dt><dd>1962年3月4日（\d+ 岁）<\/dd>/);
});
