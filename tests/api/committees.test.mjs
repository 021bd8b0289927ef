// Group committees (组委会): recording a formation on the API, refusing an invalid result with the
// reason, confirming a valid one, the committee with its members and posts, composition counts,
// the attention flag for a committee of 2, a by-election, scope and escaping — against the real
// server with the fixture county (tests/api/lib/county.mjs). People are created through the
// registry API (POST /api/v1/households, /api/v1/people).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startCounty } from './lib/county.mjs';
import { TEST_DAY } from './lib/server.mjs';
import { xlsxRows, csvRows } from './lib/sheet.mjs';

let county, admin, town_b, mem_a, vil_a;
const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();
const unitId = (code) => Number(sql(`SELECT id FROM unit WHERE code = '${code}'`));
const today = TEST_DAY;
const yearsAgo = (y, extraDays = 0) => {
  const d = new Date(`${TEST_DAY}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - y);
  d.setUTCDate(d.getUTCDate() + extraDays);
  return d.toISOString().slice(0, 10);
};

/** Creates a household in group `unit` and the people in it; returns their ids in order. */
async function people(unit, hhNo, list) {
  const hh = await admin.postJson('/api/v1/households', { unit_id: unit, hh_no: hhNo });
  assert.equal(hh.status, 201, hh.text);
  const ids = [];
  for (const [i, p] of list.entries()) {
    const res = await admin.postJson('/api/v1/people', {
      household_id: hh.data.id, relation: i === 0 ? 'head' : 'other', status: 'resident', sex: 'M', ...p,
    });
    assert.equal(res.status, 201, res.text);
    ids.push(res.data.id);
  }
  return ids;
}

let gA, gB, gOther, A, B, other;
before(async () => {
  county = await startCounty();
  admin = await county.login('admin');
  town_b = await county.login('town_b');
  mem_a = await county.login('mem_a');
  vil_a = await county.login('vil_a');
  gA = unitId('522222001001001');      // 坝溪村一组 (双江街道)
  gB = unitId('522222001001002');      // 坝溪村二组
  gOther = unitId('522222100001002');  // 云舍村二组 (太平镇)
  // Group A: 10 adults (3 party members, 2 women, a cadre) and a 17-year-old.
  A = await people(gA, '1', [
    { name: '张国强', birth: '1970-01-01', party: true },
    { name: '李秀英', birth: '1985-06-01', sex: 'F', party: true, chunhui: true },
    { name: '王建军', birth: '1962-03-03', veteran: true },
    { name: '赵德明', birth: '1990-09-09', wealth: true },
    { name: '陈桂兰', birth: '1958-02-02', sex: 'F' },
    { name: '刘志刚', birth: '1975-05-05', party: true, cadre: true },
    { name: '杨光明', birth: '1980-01-01' },
    { name: '周文华', birth: '1988-08-08', retired: true },
    { name: '吴少年', birth: yearsAgo(17, 10) },
    { name: '郑大成', birth: '1966-06-06' },
    { name: '孙有才', birth: '1972-07-07' },
  ]);
  B = await people(gB, '1', [
    { name: '何一', birth: '1970-01-01' }, { name: '何二', birth: '1971-01-01' }, { name: '何三', birth: '1972-01-01' },
    { name: '何四', birth: '1973-01-01' },
  ]);
  other = await people(gOther, '1', [{ name: '远方人', birth: '1970-01-01' }]);
});
after(async () => { await county.close(); });

let formationA, committeeA;

test('a formation is recorded; eligible voters come from the roll, not from the form', async () => {
  const res = await vil_a.postJson(`/api/v1/groups/${gA}/formations`, {
    held_on: today, place: '组活动室 <script>alert(1)</script>', body: 'assembly', method: 'direct', seats: 3,
    present: 6, ballots_issued: 6, ballots_returned: 6, ballots_void: 0, eligible: 999,
    candidates: [
      { person_id: A[0], post: 'chair', votes: 6 },
      { person_id: A[1], post: 'mediator', votes: 5 },
      { person_id: A[2], post: 'member', votes: 4 },
    ],
    proxies: [{ voter_id: A[4], proxy_id: A[3], relation: '邻居亲属' }],
  });
  assert.equal(res.status, 201, res.text);
  formationA = res.data.id;
  assert.equal(res.data.eligible, 10, '10 villagers aged 18+ on the roll; the 17-year-old does not count');
  assert.equal(res.data.status, 'draft');
  assert.equal(res.data.verdict.confirmable, false);
  assert.equal(res.data.verdict.quorum_required, 7);
});

test('a result without quorum is refused with the rule and the numbers', async () => {
  const res = await admin.postJson(`/api/v1/formations/${formationA}/confirm`, {});
  assert.equal(res.status, 422);
  assert.match(res.data.error.message, /到会人数不足：应到 10 人，实到 6 人，至少需 7 人/);
  assert.equal(sql(`SELECT count(*) FROM committee WHERE unit_id = ${gA}`), '0');
  // The page says the same next to the confirm button.
  const page = await admin.get(`/formations/${formationA}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /到会人数不足：应到 10 人，实到 6 人，至少需 7 人/);
});

test('a committee member may look at a formation but neither change nor confirm it', async () => {
  assert.equal((await mem_a.postJson(`/api/v1/formations/${formationA}/confirm`, {})).status, 403);
  assert.equal((await mem_a.postJson(`/api/v1/groups/${gA}/formations`, { held_on: today, seats: 3 })).status, 403);
  assert.equal((await mem_a.postJson(`/api/v1/formations/${formationA}`, { present: 9 })).status, 403);
  assert.equal((await mem_a.json(`/api/v1/formations/${formationA}`)).status, 200);
});

test('a valid result is confirmed: the committee appears with its members and posts', async () => {
  const upd = await vil_a.postJson(`/api/v1/formations/${formationA}`, {
    present: 9, ballots_issued: 9, ballots_returned: 9,
    candidates: [
      { person_id: A[0], post: 'chair', votes: 8 },
      { person_id: A[1], post: 'mediator', votes: 7 },
      { person_id: A[2], post: 'member', votes: 6 },
    ],
  });
  assert.equal(upd.status, 200, upd.text);
  assert.equal(upd.data.verdict.confirmable, true, JSON.stringify(upd.data.verdict));
  const res = await admin.postJson(`/api/v1/formations/${formationA}/confirm`, {});
  assert.equal(res.status, 201, res.text);
  committeeA = res.data.id;
  const posts = Object.fromEntries(res.data.members.map((m) => [m.name, m.post]));
  assert.deepEqual(posts, { 张国强: 'chair', 李秀英: 'mediator', 王建军: 'member' });
  assert.equal(res.data.attention, false);
  const c = (await admin.json(`/api/v1/groups/${gA}/committee`)).data.committee;
  assert.equal(c.id, committeeA);
  assert.equal(c.composition.members, 3);
  assert.equal(c.composition.party, 2);
  assert.equal(c.composition.women, 1);
  assert.equal(c.composition.veteran, 1);
  assert.equal(c.composition.chunhui, 1);
  // Audited in the same transaction.
  assert.equal(sql(`SELECT count(*) FROM audit WHERE entity = 'committee' AND entity_id = ${committeeA} AND action = 'create'`), '1');
  // A confirmed formation cannot be changed or confirmed again.
  assert.equal((await admin.postJson(`/api/v1/formations/${formationA}/confirm`, {})).status, 409);
});

test('the committee page shows members, the party group and escapes what users typed', async () => {
  const page = await mem_a.get(`/groups/${gA}/committee`);
  assert.equal(page.status, 200);
  for (const n of ['张国强', '李秀英', '王建军', '党小组', '刘志刚']) assert.ok(page.text.includes(n), n);
  const f = await admin.get(`/formations/${formationA}/notice`);
  assert.equal(f.status, 200);
  assert.match(f.text, /<svg[^>]*class="qrcode"/);
  assert.ok(!f.text.includes('<script>alert(1)'), 'typed markup is escaped');
  assert.ok(f.text.includes('&lt;script&gt;alert(1)'));
  assert.match(f.text, /<body class="printable">/, 'the printable notice marks its body');
});

test('the committee list past its last page answers with an empty page, not a crash', async () => {
  const r = await admin.get('/committees?page=9999');
  assert.equal(r.status, 200);
  assert.match(r.text, /<table class="list">/);
  assert.equal((await admin.get('/committees')).status, 200, 'the server is still up');
});

test('a committee filter the list does not offer is refused with 422 naming it', async () => {
  for (const [query, field] of [['attention=yes', 'attention'], ['nochair=2', 'nochair'], ['ending=abc', 'ending'], ['ending=3651', 'ending']]) {
    const r = await admin.json(`/api/v1/committees?${query}`);
    assert.equal(r.status, 422, query);
    assert.deepEqual([r.data.error.code, r.data.error.field], ['choice', field], query);
  }
  const page = await admin.get('/committees?ending=abc');
  assert.equal(page.status, 422);
  assert.match(page.text, /class="flash err" role="alert">任期届满天数/);
  assert.doesNotMatch(page.text, /export\.csv/);
  assert.equal((await admin.get('/committees/export.csv?attention=yes')).status, 422);
  assert.equal((await admin.json('/api/v1/committees?attention=1&nochair=1&ending=90')).status, 200);
});

test('composition rolls up by village and township', async () => {
  const vil = unitId('522222001001');
  const res = await admin.json(`/api/v1/committees/composition?unit=${vil}`);
  assert.equal(res.status, 200);
  const row = res.data.items.find((i) => i.unit_id === gA);
  assert.equal(row.members, 3);
  assert.equal(res.data.total.committees, 1);
  assert.equal(res.data.total.groups, 3);
  assert.equal(res.data.total.party, 2);
  const county_ = await admin.json('/api/v1/committees/composition');
  assert.equal(county_.data.total.members, 3);
  const page = await admin.get(`/committees/composition?unit=${vil}`);
  assert.equal(page.status, 200);
});

test('a committee of 2 needs an acknowledged reason and is marked as needing attention', async () => {
  const f = await vil_a.postJson(`/api/v1/groups/${gB}/formations`, {
    held_on: today, body: 'assembly', method: 'direct', seats: 2, present: 4, ballots_issued: 4, ballots_returned: 4,
    candidates: [{ person_id: B[0], post: 'chair', votes: 4 }, { person_id: B[1], post: 'member', votes: 3 }],
  });
  assert.equal(f.status, 201, f.text);
  const refused = await admin.postJson(`/api/v1/formations/${f.data.id}/confirm`, {});
  assert.equal(refused.status, 422);
  assert.match(refused.data.error.message, /当选 2 人，不在规定的 3 至 5 人之间/);
  const ok = await admin.postJson(`/api/v1/formations/${f.data.id}/confirm`, { size_note: '本组仅 4 户，经组民大会同意设 2 人' });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.data.attention, true);
  assert.equal(ok.data.size_note, '本组仅 4 户，经组民大会同意设 2 人');
  const list = await admin.json('/api/v1/committees?attention=1');
  assert.deepEqual(list.data.items.map((i) => i.unit_id), [gB]);
  const page = await admin.get('/committees?attention=1');
  assert.match(page.text, /需关注/);
});

test('a by-election adds a member after the rules; the attention flag follows the size', async () => {
  const cB = Number(sql(`SELECT id FROM committee WHERE unit_id = ${gB} AND ended_on IS NULL`));
  const noReason = await vil_a.postJson(`/api/v1/committees/${cB}/members`, { person_id: B[2], post: 'member' });
  assert.equal(noReason.status, 422);
  const res = await vil_a.postJson(`/api/v1/committees/${cB}/members`, { person_id: B[2], post: 'environment', how: 'by_election', note: '组民大会补选' });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.data.members.length, 3);
  assert.equal(res.data.attention, false);
  // Somebody already on group A's committee cannot join another.
  const twice = await admin.postJson(`/api/v1/committees/${cB}/members`, { person_id: A[0], post: 'member', note: '调配', how: 'assigned', outside_reason: '跨组调配' });
  assert.equal(twice.status, 422);
  assert.match(twice.data.error.message, /已在其他组委会任职/);
  // A 17-year-old cannot serve.
  const young = await vil_a.postJson(`/api/v1/committees/${committeeA}/members`, { person_id: A[8], post: 'member', note: '补选', how: 'by_election' });
  assert.equal(young.status, 422);
  assert.match(young.data.error.message, /未达到规定年龄/);
  // A cadre needs a reason.
  const cadre = await vil_a.postJson(`/api/v1/committees/${committeeA}/members`, { person_id: A[5], post: 'member', note: '补选', how: 'by_election' });
  assert.equal(cadre.status, 422);
  assert.match(cadre.data.error.message, /村“两委”干部/);
  // A member leaves: size 2 again → attention.
  const mid = res.data.members.find((m) => m.person_id === B[2]).id;
  const end = await vil_a.postJson(`/api/v1/committees/${cB}/members/${mid}/end`, { end_reason: 'resigned', end_note: '外出务工' });
  assert.equal(end.status, 200, end.text);
  assert.equal(end.data.attention, true);
  assert.equal(end.data.past_members.length, 1);
});

test('a second formation ends the previous committee (term_end) and keeps its history', async () => {
  const f = await vil_a.postJson(`/api/v1/groups/${gA}/formations`, {
    held_on: today, body: 'assembly', method: 'direct', seats: 3, present: 8, ballots_issued: 8, ballots_returned: 8,
    candidates: [
      { person_id: A[3], post: 'chair', votes: 8 }, { person_id: A[0], post: 'mediator', votes: 8 },
      { person_id: A[6], post: 'member', votes: 5 },
    ],
  });
  assert.equal(f.status, 201, f.text);
  const res = await admin.postJson(`/api/v1/formations/${f.data.id}/confirm`, {});
  assert.equal(res.status, 201, res.text);
  assert.equal(sql(`SELECT end_reason FROM committee WHERE id = ${committeeA}`), 'term_end');
  assert.equal(sql(`SELECT count(*) FROM committee WHERE unit_id = ${gA} AND ended_on IS NULL`), '1');
  const page = await admin.get(`/groups/${gA}/committee`);
  assert.match(page.text, /往届组委会/);
});

test('scope: another township sees nothing of these committees', async () => {
  assert.equal((await town_b.json(`/api/v1/committees/${committeeA}`)).status, 404);
  assert.equal((await town_b.json(`/api/v1/groups/${gA}/committee`)).status, 404);
  assert.equal((await town_b.json(`/api/v1/formations/${formationA}`)).status, 404);
  assert.equal((await town_b.get(`/groups/${gA}/committee`)).status, 404);
  assert.equal((await town_b.get(`/formations/${formationA}/notice`)).status, 404);
  assert.equal((await town_b.postJson(`/api/v1/groups/${gA}/formations`, { held_on: today, seats: 3 })).status, 404);
  const list = await town_b.json('/api/v1/committees');
  assert.equal(list.data.total, 0);
  const page = await town_b.get('/committees');
  assert.ok(!page.text.includes('坝溪村'));
  const people = await town_b.json(`/groups/${gA}/people.json?q=张`);
  assert.equal(people.status, 404);
  const exp = await town_b.get('/committees/export.xlsx');
  assert.equal(exp.status, 200);
  assert.match(sql("SELECT after FROM audit WHERE action = 'export' AND entity = 'committee' ORDER BY id DESC LIMIT 1"), /"rows": ?0/);
  const mine = await admin.get('/committees/export.xlsx');
  assert.equal(mine.status, 200);
  assert.match(sql("SELECT after FROM audit WHERE action = 'export' AND entity = 'committee' ORDER BY id DESC LIMIT 1"), /"rows": ?2/);
  const sheet = xlsxRows(mine.body);
  assert.equal(sheet.length, 3);
  assert.deepEqual(sheet[0].slice(0, 4), ['村', '村民组', '理事长', '人数']);
  assert.equal(typeof sheet[1][3], 'number', 'the committee size is a number');
  const csv = await admin.get('/committees/export.csv');
  assert.equal(csv.status, 200);
  assert.deepEqual(csvRows(csv.text), sheet.map((r) => r.map(String)), 'the CSV holds the same rows');
  assert.match(sql("SELECT after FROM audit WHERE action = 'export' AND entity = 'committee' ORDER BY id DESC LIMIT 1"), /"format": ?"csv"/);
  assert.doesNotMatch((await town_b.get('/committees/export.csv')).text, /坝溪村/);
  // A person of another township cannot be put on a committee through the API.
  const cB = Number(sql(`SELECT id FROM committee WHERE unit_id = ${gB} AND ended_on IS NULL`));
  const outsider = await vil_a.postJson(`/api/v1/committees/${cB}/members`, { person_id: other[0], post: 'member', note: '调配', how: 'assigned', outside_reason: '调配' });
  assert.equal(outsider.status, 422);
});

test('the type-ahead finds people of the group by name and pinyin initials, with masked data', async () => {
  const res = await vil_a.json(`/groups/${gA}/people.json?q=ZGQ`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.data.items.map((i) => i.name), ['张国强']);
  assert.ok(!('phone' in res.data.items[0]));
  const byName = await vil_a.json(`/groups/${gA}/people.json?q=${encodeURIComponent('何')}`);
  assert.equal(byName.data.items.length, 0, 'people of another group are not offered');
});

test('the forms work without JavaScript: post, redirect, get; errors keep the values', async () => {
  const bad = await vil_a.post(`/groups/${gB}/formations/new`, { held_on: '2026-13-40', body: 'assembly', method: 'direct', seats: '3', present: '4', place: '祠堂' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /value="祠堂"/);
  const ok = await vil_a.post(`/groups/${gB}/formations/new`, { held_on: today, body: 'assembly', method: 'direct', seats: '3', present: '4', ballots_issued: '4', ballots_returned: '4', place: '祠堂' });
  assert.equal(ok.status, 303);
  const loc = ok.headers.location;
  assert.match(loc, /^\/formations\/\d+$/);
  const search = await vil_a.get(`${loc}?q=${encodeURIComponent('何')}`);
  assert.equal(search.status, 200);
  assert.match(search.text, /何四/);
  const add = await vil_a.post(loc, { action: 'add_candidate', person_id: String(B[3]), post: 'chair' });
  assert.equal(add.status, 303);
  const page = await vil_a.get(loc);
  assert.match(page.text, /何四/);
  const proxy = await vil_a.post(loc, { action: 'add_proxy', voter: '何四', proxy: '无此人', relation: '配偶' });
  assert.equal(proxy.status, 422);
  assert.match(proxy.text, /本组没有找到这个人/);
  const active = sql(`SELECT id FROM committee WHERE unit_id = ${gA} AND ended_on IS NULL`);
  for (const p of ['/committees', '/committees?nochair=1&ending=90', `/committees/${active}/members/new?q=ZGQ`, '/committees/composition']) {
    const res = await admin.get(p);
    assert.equal(res.status, 200, p);
  }
});
