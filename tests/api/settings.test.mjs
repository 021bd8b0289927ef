// Policy settings (政策设置): the county admin's page and JSON API over the `setting` table.
// Changes are checked (ranges, max ≥ min, known categories), saved in one audited change, and the
// contact counters follow a new visit threshold; other roles are refused.
// A committee of two members is set up with sqlite3 inserts (006_committees.sql) so that the
// visits owed this month depend on contact.visits_per_month.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startCounty } from './lib/county.mjs';
import { runZuwei, TEST_DAY } from './lib/server.mjs';

let county, admin, town;
const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();
const setting = (key) => sql(`SELECT value FROM setting WHERE key = '${key}'`);
const settingAudits = () => Number(sql(`SELECT count(*) FROM audit WHERE entity = 'setting'`));
const thisMonth = TEST_DAY.slice(0, 7);
let countyId;

before(async () => {
  county = await startCounty();
  const group = Number(sql(`SELECT id FROM unit WHERE code = '522222001001001'`));
  countyId = Number(sql(`SELECT id FROM unit WHERE code = '522222000000'`));
  sql(`INSERT INTO person (unit_id, name, sex, birth) VALUES (${group}, '王成员', 'M', '1970-01-01'), (${group}, '李成员', 'F', '1972-01-01');
       INSERT INTO committee (unit_id, term_start, term_end) VALUES (${group}, '2025-01-01', '2030-01-01');
       INSERT INTO committee_member (committee_id, person_id, post, start_date)
         SELECT c.id, p.id, CASE p.name WHEN '王成员' THEN 'chair' ELSE 'member' END, '2025-01-01'
         FROM committee c, person p WHERE c.unit_id = ${group} AND p.unit_id = ${group};`);
  admin = await county.login('admin');
  town = await county.login('town_a');
});

after(async () => { if (county) await county.close(); });

const owedVisits = async () => {
  const r = await admin.json(`/api/v1/contact/compliance?unit=${countyId}&period=${thisMonth}`);
  assert.equal(r.status, 200, r.text);
  return r.data.visits.expected;
};

test('the page shows every known key with its value, default and source', async () => {
  const page = await admin.get('/settings');
  assert.equal(page.status, 200, page.text);
  for (const key of ['committee.min_size', 'committee.max_size', 'committee.min_age', 'committee.term_years',
    'committee.allow_migrant', 'contact.visits_per_month', 'contact.guidance_per_quarter',
    'deliberation.major_categories', 'deliberation.representatives_decide']) {
    assert.match(page.text, new RegExp(`name="${key.replace('.', '\\.')}"`), key);
  }
  assert.match(page.text, /组委会人数上限/);
  assert.match(page.text, /默认 3 人（县政策：一般3至5人）/);
  assert.match(page.text, /默认 5 次（县政策：每月不少于5次走进群众家中）/);
  assert.match(page.text, /name="contact\.visits_per_month" type="text" value="5"/);
  const api = await admin.json('/api/v1/settings');
  assert.equal(api.status, 200, api.text);
  assert.equal(api.data.settings['contact.visits_per_month'], 5);
  assert.equal(api.data.settings['committee.allow_migrant'], false);
  assert.equal(api.data.settings['deliberation.major_categories'], 'assets,land,funds,rules');
  const max = api.data.fields.find((f) => f.key === 'committee.max_size');
  assert.equal(max.default, 5);
  assert.equal(max.max, 15);
});

test('the admin changes two values: saved, audited with before → after, counters recounted', async () => {
  assert.equal(await owedVisits(), 10, 'two members owe 5 visits each');
  const audits = settingAudits();
  const r = await admin.postJson('/api/v1/settings', { 'contact.visits_per_month': 3, 'committee.max_size': 7 });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([...r.data.changed].sort(), ['committee.max_size', 'contact.visits_per_month']);
  assert.equal(setting('contact.visits_per_month'), '3');
  assert.equal(setting('committee.max_size'), '7');
  assert.equal(setting('committee.min_size'), '3', 'keys not sent are left alone');
  const api = await admin.json('/api/v1/settings');
  assert.equal(api.data.settings['contact.visits_per_month'], 3);
  assert.equal(api.data.settings['committee.max_size'], 7);

  assert.equal(settingAudits(), audits + 1, 'one audit entry for the whole save');
  const log = await admin.json('/api/v1/audit?entity=setting');
  assert.equal(log.status, 200, log.text);
  const entry = log.data.entries[0];
  assert.equal(entry.user, 'admin');
  assert.deepEqual(JSON.parse(entry.before), { 'contact.visits_per_month': 5, 'committee.max_size': 5 });
  assert.deepEqual(JSON.parse(entry.after), { 'contact.visits_per_month': 3, 'committee.max_size': 7 });

  assert.equal(await owedVisits(), 6, 'the new threshold is used: two members owe 3 each');
  const check = runZuwei(['check', '--db', county.dbPath]);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /audit chain: ok/);
});

test('bad values are refused with the field at fault and change nothing', async () => {
  const audits = settingAudits();
  const cases = [
    [{ 'committee.max_size': 2 }, 'committee.max_size'],                                  // below min_size 3
    [{ 'committee.min_size': 8, 'committee.max_size': 6 }, 'committee.max_size'],
    [{ 'contact.visits_per_month': 99, 'committee.min_age': 20 }, 'contact.visits_per_month'],
    [{ 'committee.min_age': 15 }, 'committee.min_age'],
    [{ 'committee.term_years': 'five' }, 'committee.term_years'],
    [{ 'committee.allow_migrant': 'maybe' }, 'committee.allow_migrant'],
    [{ 'deliberation.major_categories': 'assets,weddings' }, 'deliberation.major_categories'],
    [{ 'no.such_key': 1 }, 'no.such_key'],
  ];
  for (const [body, field] of cases) {
    const r = await admin.postJson('/api/v1/settings', body);
    assert.equal(r.status, 422, JSON.stringify(body) + ' ' + r.text);
    assert.equal(r.data.error.field, field, JSON.stringify(body));
  }
  assert.equal(setting('committee.max_size'), '7');
  assert.equal(setting('committee.min_size'), '3');
  assert.equal(setting('contact.visits_per_month'), '3');
  assert.equal(setting('committee.min_age'), '18');
  assert.equal(sql(`SELECT count(*) FROM setting WHERE key = 'no.such_key'`), '0');
  assert.equal(settingAudits(), audits, 'no audit entry for a refused save');
});

// Every field of the page form with the current values, as a browser sends it (ticked boxes only).
const fullForm = (over = {}) => ({
  'committee.min_size': '3', 'committee.max_size': '7', 'committee.min_age': '18', 'committee.term_years': '5',
  'contact.visits_per_month': '3', 'contact.guidance_per_quarter': '1',
  'deliberation.major_categories': 'assets,land,funds,rules', 'deliberation.representatives_decide': '1', ...over,
});

test('the page form: errors next to the field, then post → redirect → get with a message', async () => {
  const bad = await admin.post('/settings', fullForm({ 'committee.min_size': '6', 'committee.max_size': '4' }));
  assert.equal(bad.status, 422);
  assert.match(bad.text, /id="f-committee\.max_size-err"/);
  assert.match(bad.text, /人数上限不能小于人数下限/);
  assert.match(bad.text, /name="committee\.min_size" type="text" value="6"/, 'the typed values are kept');
  assert.equal(setting('committee.min_size'), '3');

  const form = fullForm({ 'deliberation.major_categories': 'land, 集体资产，rules' });
  delete form['deliberation.representatives_decide'];   // unticked
  const ok = await admin.post('/settings', form);
  assert.equal(ok.status, 303, ok.text);
  assert.equal(ok.headers.location, '/settings');
  assert.equal(sql(`SELECT value FROM setting WHERE key = 'deliberation.major_categories'`), 'assets,land,rules');
  assert.equal(sql(`SELECT value FROM setting WHERE key = 'deliberation.representatives_decide'`), '0');
  const page = await admin.get('/settings');
  assert.match(page.text, /已保存，修改了 2 项设置。/);
  const log = await admin.json('/api/v1/audit?entity=setting');
  assert.deepEqual(JSON.parse(log.data.entries[0].after),
    { 'deliberation.major_categories': 'assets,land,rules', 'deliberation.representatives_decide': false });
});

test('keys the page does not know are shown read-only', async () => {
  sql(`INSERT INTO setting (key, value, note) VALUES ('demo.banner', 'hello', '测试用')`);
  const page = await admin.get('/settings');
  assert.match(page.text, /其他设置（只读）/);
  assert.match(page.text, /demo\.banner/);
  assert.doesNotMatch(page.text, /name="demo\.banner"/);
  const api = await admin.json('/api/v1/settings');
  assert.equal(api.data.read_only['demo.banner'], 'hello');
  const r = await admin.postJson('/api/v1/settings', { 'demo.banner': 'changed' });
  assert.equal(r.status, 422);
  assert.equal(setting('demo.banner'), 'hello');
});

test('a township cadre may neither see nor change the settings', async () => {
  assert.equal((await town.get('/settings')).status, 403);
  assert.equal((await town.json('/api/v1/settings')).status, 403);
  assert.equal((await town.postJson('/api/v1/settings', { 'contact.visits_per_month': 1 })).status, 403);
  assert.equal((await town.post('/settings', fullForm({ 'contact.visits_per_month': '1' }))).status, 403);
  assert.equal(setting('contact.visits_per_month'), '3');
});
