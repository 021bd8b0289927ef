// 组情民情: each unit's profile for its whole subtree (024_unit_profile.sql): current households
// with their land, stock and poverty status, the living roll by status and flag. Every figure of
// every unit, in the API and the export, is compared with a recount by sqlite3 after each kind of
// change (records added one by one and by a roster import, status, flags, moves of people and
// groups, profile edits, ending and restoring a household); another township sees none of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startCounty } from './lib/county.mjs';
import { idnumOf } from './lib/idnum.mjs';
import { xlsxRows } from './lib/sheet.mjs';

let county;
const s = {};
const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();
const unitId = (code) => Number(sql(`SELECT id FROM unit WHERE code = '${code}'`));
const audits = () => Number(sql('SELECT count(*) FROM audit'));
const mu = (c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
const FLAGS = ['party', 'chunhui', 'wealth', 'veteran', 'retired', 'cadre', 'legal', 'labour'];
const LIVING = "(p.status = 'resident' OR p.status = 'migrant')";
let groupA, groupB, groupY, hhA, hhB, hhY, people = {};

/** Every unit's profile recounted from the households and people of its subtree: id → figures. */
function recountAll() {
  const under = 'FROM unit u LEFT JOIN unit g ON g.path LIKE u.path || \'%\'';
  const hh = sql(`SELECT u.id, count(h.id), total(h.farmland_c), total(h.forest_c), total(h.livestock), total(h.poultry),
                         total(h.poverty = 'lifted'), total(h.poverty = 'monitored')
                  ${under} LEFT JOIN household h ON h.unit_id = g.id AND h.ended_at IS NULL GROUP BY u.id`);
  const flagSums = FLAGS.map((_, i) => `total(${LIVING} AND (p.flags & ${1 << i}) != 0)`).join(', ');
  const ppl = new Map(sql(`SELECT u.id, total(${LIVING}), total(p.status = 'migrant'), total(p.status = 'moved'),
                                  total(p.status = 'deceased'), ${flagSums}
                           ${under} LEFT JOIN person p ON p.unit_id = g.id GROUP BY u.id`)
    .split('\n').map((line) => { const [id, ...v] = line.split('|').map(Number); return [id, v]; }));
  const all = new Map();
  for (const line of hh.split('\n')) {
    const [id, households, farm, forest, livestock, poultry, lifted, monitored] = line.split('|').map(Number);
    const [living, migrant, moved, deceased, ...flags] = ppl.get(id);
    all.set(id, {
      households, farmland: mu(farm), forest: mu(forest), livestock, poultry, lifted, monitored,
      people: { living, at_home: living - migrant, migrant, moved, deceased },
      flags: Object.fromEntries(FLAGS.map((f, i) => [f, flags[i]])),
    });
  }
  return all;
}
const recount = (id) => recountAll().get(Number(id));

const strip = ({ id, name, ...figures }) => figures;

/** Every unit's profile, as the county admin reads it (its own and as its parent's child), agrees with a recount. */
async function profilesAgree(what) {
  const want = recountAll();
  for (const row of sql('SELECT id, kind FROM unit WHERE end_date IS NULL ORDER BY id').split('\n')) {
    const [id, kind] = row.split('|');
    const r = await s.admin.json(`/api/v1/units/${id}/profile`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(strip(r.data.unit), want.get(Number(id)), `${what}: unit ${id}`);
    const kids = sql(`SELECT id FROM unit WHERE parent_id = ${id} AND end_date IS NULL ORDER BY sort, name, id`);
    assert.deepEqual(r.data.children.map((c) => c.id), kind === 'group' || !kids ? [] : kids.split('\n').map(Number),
      `${what}: the children of unit ${id}, in the tree's order`);
    for (const c of r.data.children) assert.deepEqual(strip(c), want.get(c.id), `${what}: unit ${c.id} as a child of ${id}`);
  }
  assert.match(county.cli(['check']), /unit profiles: ok/);
}

before(async () => {
  county = await startCounty();
  for (const u of ['admin', 'town_a', 'town_b', 'vil_a', 'mem_a', 'villager_a', 'auditor']) s[u] = await county.login(u);
  groupA = unitId('522222001001001');   // 坝溪村一组 (双江街道)
  groupB = unitId('522222001001002');   // 坝溪村二组
  groupY = unitId('522222100001002');   // 云舍村二组 (太平镇)
  const hh = async (unit_id, hh_no, profile) => {
    const r = await s.admin.postJson('/api/v1/households', { unit_id, hh_no, ...profile });
    assert.equal(r.status, 201, r.text);
    return r.data.id;
  };
  hhA = await hh(groupA, '1', { farmland: '3.25', forest: '10', livestock: 2, poultry: 15, poverty: 'lifted' });
  hhB = await hh(groupB, '1', { farmland: '1.5', livestock: 1, poverty: 'monitored' });
  hhY = await hh(groupY, '7', { forest: '22.75', poultry: 40 });
  const person = async (key, household_id, fields) => {
    const r = await s.admin.postJson('/api/v1/people', { household_id, sex: 'M', birth: '1970-01-01', ...fields });
    assert.equal(r.status, 201, r.text);
    people[key] = r.data.id;
  };
  await person('head', hhA, { name: '杨大山', relation: 'head', status: 'resident', party: true, labour: true });
  await person('away', hhA, { name: '杨二河', relation: 'child', status: 'migrant', status_date: '2024-03-01', labour: true, veteran: true });
  await person('gone', hhA, { name: '杨三水', relation: 'child', status: 'moved', status_date: '2025-05-01', party: true });
  await person('b', hhB, { name: '罗小林', relation: 'head', status: 'resident', legal: true, cadre: true });
  await person('y', hhY, { name: '吴云', relation: 'head', status: 'resident', wealth: true, chunhui: true, retired: true });
});

after(async () => { if (county) await county.close(); });

test('every unit\'s profile is its subtree\'s recount, and a roster import counts like records added one by one', async () => {
  await profilesAgree('records added one by one');
  const county1 = (await s.admin.json(`/api/v1/units/${unitId('522222000000')}/profile`)).data.unit;
  assert.deepEqual([county1.households, county1.people.living, county1.flags.party, county1.farmland], [3, 4, 1, '4.75'],
    'the moved-out party member is not on the living roll');
  // The roster import writes households and people in bulk, with the counting triggers off.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zuwei-profile-'));
  const file = path.join(dir, 'roster.csv');
  const h1 = idnumOf('19600101', 11), h2 = idnumOf('19610202', 15);
  writeFileSync(file, '\ufeff姓名,性别,身份证号,出生日期,与户主关系,户主身份证号,组,户号,人员状态,状态日期,党员,劳动力,耕地（亩）,家禽（只）,脱贫情况\r\n' +
    `田一,男,${h1},1960-01-01,户主,${h1},522222001002001,31,在家,,是,是,2.5,9,脱贫户\r\n` +
    `田二,女,${idnumOf('19850303', 14)},1985-03-03,子女,${h1},522222001002001,31,外出务工,2025-02-01,否,是,,,\r\n` +
    `龙三,男,${h2},1961-02-02,户主,${h2},522222100002002,5,已去世,2025-06-01,是,否,0.75,,\r\n`);
  county.cli(['import', 'people', file]);
  await profilesAgree('after a roster import');
  const kd = (await s.admin.json(`/api/v1/units/${unitId('522222001002001')}/profile`)).data.unit;
  assert.deepEqual([kd.households, kd.people.living, kd.people.migrant, kd.flags.labour, kd.lifted, kd.farmland], [1, 2, 1, 2, 1, '2.50']);
});

test('status, flags, moves of people and groups, profile edits, ending and restoring keep every profile right', async () => {
  const upd = async (p, body) => {
    const r = await s.admin.postJson(p, body);
    assert.equal(r.status, 200, `${p}: ${r.text}`);
  };
  await upd(`/api/v1/people/${people.head}`, { party: false, wealth: true });
  await profilesAgree('a flag taken off and another put on');
  await upd(`/api/v1/people/${people.away}`, { status: 'resident' });
  await upd(`/api/v1/people/${people.gone}`, { status: 'resident' });
  await profilesAgree('a migrant back home, a moved-out party member back on the roll');
  await upd(`/api/v1/people/${people.b}`, { household_id: hhY });   // to another township
  await profilesAgree('a person moved to another township');
  await upd(`/api/v1/households/${hhA}`, { hh_no: '1', farmland: '0.5', forest: '12.5', livestock: 0, poultry: 3, poverty: 'none' });
  await profilesAgree('a household profile edited');
  // 坝溪村二组's only member left, so its household can be ended; then restored.
  await upd(`/api/v1/households/${hhB}/end`, { on: '2026-11-01', reason: 'moved' });
  await profilesAgree('a household ended');
  assert.equal((await s.admin.json(`/api/v1/units/${groupB}/profile`)).data.unit.households, 0);
  await upd(`/api/v1/households/${hhB}/restore`, {});
  await profilesAgree('a household restored');
  await upd(`/api/v1/people/${people.y}`, { status: 'deceased', status_date: '2026-10-01' });
  await profilesAgree('a death');
  // A group moving to another village, then a village to another township, take their figures along.
  await upd(`/api/v1/units/${groupA}/move`, { parent_id: unitId('522222001002'), code: '522222001002009' });
  await profilesAgree('a group moved to another village');
  await upd(`/api/v1/units/${unitId('522222001002')}/move`, { parent_id: unitId('522222100000'), code: '522222100009' });
  await profilesAgree('a village moved to another township');
  await upd(`/api/v1/units/${unitId('522222100009')}/move`, { parent_id: unitId('522222001000'), code: '522222001002' });
  await upd(`/api/v1/units/${groupA}/move`, { parent_id: unitId('522222001001'), code: '522222001001001' });
  await profilesAgree('both moved back');
});

test('zuwei check names a unit whose profile differs from its recount', async () => {
  sql(`UPDATE unit_profile SET party = party + 1, poultry = poultry - 2 WHERE unit_id = ${groupA}`);
  assert.throws(() => county.cli(['check']), /unit profiles: MISMATCH in 1 units' households and 1 units' living roll/);
  sql(`UPDATE unit_profile SET party = party - 1, poultry = poultry + 2 WHERE unit_id = ${groupA}`);
  assert.match(county.cli(['check']), /unit profiles: ok/);
});

test('scope: a township sees its own subtree\'s profile only, and a villager none', async () => {
  const a = unitId('522222001000'), b = unitId('522222100000'), root = unitId('522222000000');
  const own = await s.town_a.json(`/api/v1/units/${a}/profile`);
  assert.equal(own.status, 200);
  assert.deepEqual(strip(own.data.unit), recount(a));
  for (const [who, id] of [[s.town_a, b], [s.town_a, root], [s.town_b, a], [s.vil_a, unitId('522222001002')],
    [s.vil_a, a]]) {
    for (const p of [`/api/v1/units/${id}/profile`, `/org/${id}/profile`, `/org/${id}/profile.xlsx`, `/org/${id}/profile.csv`]) {
      assert.equal((await who.get(p)).status, 404, `${p} is out of scope`);
    }
  }
  for (const p of [`/api/v1/units/${groupA}/profile`, `/org/${groupA}/profile`, `/org/${unitId('522222001001')}/profile.csv`]) {
    assert.equal((await s.villager_a.get(p)).status, 403, `${p}: a villager has no view of the registry`);
  }
  for (const p of ['/api/v1/units/0/profile', '/api/v1/units/abc/profile', '/api/v1/units/99999999/profile',
    '/org/-1/profile', '/org/1x/profile.xlsx']) {
    assert.equal((await s.admin.get(p)).status, 404, p);
  }
});

test('the page and the unit\'s own page show the figures; the export has each child and the total, audited', async () => {
  const vil = unitId('522222001001'), want = recount(vil);
  const page = await s.vil_a.get(`/org/${vil}/profile`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>坝溪村 · 组情民情<\/h1>/);
  assert.match(page.text, new RegExp(`<b>${want.households}</b><span>户数</span>`));
  assert.match(page.text, new RegExp(`<dt>耕地</dt><dd>${want.farmland} 亩</dd>`));
  for (const g of ['坝溪村一组', '坝溪村二组', '坝溪村三组']) assert.ok(page.text.includes(`>${g}</a>`), g);
  const unitPage = (await s.vil_a.get(`/org/${vil}`)).text;
  assert.ok(unitPage.includes(`href="/org/${vil}/profile"`), 'the unit page links to the profile');
  assert.ok(unitPage.includes(`href="/people?unit=${vil}"`) && unitPage.includes(`href="/matters?unit=${vil}"`));
  const groupPage = (await s.vil_a.get(`/org/${groupA}`)).text;
  for (const p of ['households', 'committee', 'matters', 'meetings', 'rules']) {
    assert.ok(groupPage.includes(`href="/groups/${groupA}/${p}"`), `a group's page links to its ${p}`);
  }
  assert.ok(!groupPage.includes('/committees?unit='), 'a group links to its own committee page');

  const n = audits();
  const x = await s.vil_a.get(`/org/${vil}/profile.xlsx`);
  assert.equal(x.status, 200);
  const rows = xlsxRows(Buffer.from(x.body));
  assert.deepEqual(rows[0].slice(0, 3), ['单位', '户数', '在册人口']);
  assert.deepEqual(rows.slice(1).map((r) => r[0]), ['坝溪村一组', '坝溪村二组', '坝溪村三组', '合计：坝溪村']);
  const total = rows.at(-1);
  assert.deepEqual(total.slice(1, 8), [want.households, want.people.living, want.people.at_home, want.people.migrant,
    want.people.moved, want.people.deceased, want.flags.party], 'numbers Excel can sum');
  assert.equal(total[15], Number(want.farmland));
  const csv = await s.vil_a.get(`/org/${vil}/profile.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.text, new RegExp(`合计：坝溪村,${want.households},${want.people.living},`));
  assert.equal(audits(), n + 2);
  assert.equal(sql(`SELECT count(*) FROM audit WHERE action = 'export' AND entity = 'unit_profile' AND entity_id = ${vil}`), '2');
  assert.equal((await s.mem_a.get(`/org/${groupA}/profile.xlsx`)).status, 403, 'a member may view but not export');
  const memberPage = (await s.mem_a.get(`/org/${groupA}/profile`)).text;
  assert.ok(memberPage.includes(`href="/groups/${groupA}/households"`), 'a group\'s profile links to its households');
  assert.ok(!memberPage.includes('/households/export.xlsx'), 'and offers no export to a member');
  assert.match((await s.vil_a.get(`/org/${vil}/profile?lang=en`)).text, /<h1>坝溪村 · Group profile<\/h1>/);
});
