// The matter and user lists as their indexes serve them (migration 017): a title search read from
// the index of title characters, totals from matter_tally, logins from user_scope_path. Each list
// is checked against an independent query over the tables (same rows, same order, same total),
// for the county, a township and a township that must see nothing of the other's, also after
// groups and villages move in the tree.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startCounty } from './lib/county.mjs';
import { runZuwei } from './lib/server.mjs';

let county, admin, townA, townB;
const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();
const unitId = (code) => Number(sql(`SELECT id FROM unit WHERE code = '${code}'`));
const idList = (q) => sql(q).split('\n').filter(Boolean).map(Number);

// Titles with a shared character (路), ASCII in both cases, and the LIKE wildcards.
const TITLES = ['修村道路', '路灯维修', '通组公路硬化', 'LED路灯', '水渠清淤', '100%_完成', '垃圾清运', 'led 屏'];
const GROUPS = ['522222001001001', '522222001002001', '522222100002001', '522222100001002'];

before(async () => {
  county = await startCounty({ env: { ZUWEI_TODAY: '2026-03-20' } });
  admin = await county.login('admin');
  townA = await county.login('town_a');
  townB = await county.login('town_b');
  let day = 1;
  for (const code of GROUPS) {
    for (const title of TITLES) {
      const m = await admin.postJson('/api/v1/matters', {
        unit_id: unitId(code), title, category: day % 3 ? 'works' : 'land', raised_by: 'villager',
        raised_on: `2026-0${1 + (day % 3)}-${String(1 + (day % 28)).padStart(2, '0')}`,
      });
      assert.equal(m.status, 201, m.text);
      day++;
    }
  }
});

after(async () => { await county?.close(); });

// The matters a scope's list should show for a search, in display order, by plain SQL.
const expected = (scopePath, like) => idList(
  `SELECT m.id FROM matter m JOIN unit u ON u.id = m.unit_id WHERE u.path LIKE '${scopePath}%'` +
  (like === null ? '' : ` AND m.title LIKE '%' || '${like}' || '%'`) + ' ORDER BY m.stage_since, m.id');
const pathOf = (code) => sql(`SELECT path FROM unit WHERE code = '${code}'`);

async function listed(who, query) {
  const r = await who.json(`/api/v1/matters?${query}`);
  assert.equal(r.status, 200, r.text);
  return { ids: r.data.items.map((m) => m.id), total: r.data.total };
}

async function searchesAgree() {
  const scopes = [[admin, pathOf('522222000000')], [townA, pathOf('522222001000')], [townB, pathOf('522222100000')]];
  for (const [who, scope] of scopes) {
    for (const q of ['路', '路灯', 'led', 'LED', '%', '_', '%_', '公路', '无此字']) {
      const want = expected(scope, q);
      const got = await listed(who, `q=${encodeURIComponent(q)}`);
      assert.deepEqual(got.ids, want, `q=${q} in ${scope}`);
      assert.equal(got.total, want.length, `total of q=${q} in ${scope}`);
    }
    const all = expected(scope, null);
    const got = await listed(who, '');
    assert.deepEqual(got.ids, all, `the whole list of ${scope}`);
    assert.equal(got.total, all.length);
    const land = idList(`SELECT m.id FROM matter m JOIN unit u ON u.id = m.unit_id WHERE u.path LIKE '${scope}%'` +
      " AND m.category = 'land' ORDER BY m.stage_since, m.id");
    const byCat = await listed(who, 'category=land');
    assert.deepEqual(byCat.ids, land);
    assert.equal(byCat.total, land.length, 'a category total from matter_tally');
  }
}

test('a title search finds exactly what LIKE finds, in the same order, with the same total', async () => {
  assert.deepEqual((await listed(admin, 'q=%E8%B7%AF')).ids.length, 4 * 4, '路 is in four titles of each group');
  assert.deepEqual((await listed(admin, 'q=led')).total, 4 * 2, 'ASCII is matched in either case');
  assert.deepEqual((await listed(admin, 'q=%25_')).total, 4 * TITLES.length, 'the LIKE wildcards keep their meaning');
  await searchesAgree();
});

test('a township sees none of the other township\'s matters, by list, search or total', async () => {
  const other = new Set(expected(pathOf('522222001000'), null));
  for (const q of ['', 'q=%E8%B7%AF', 'q=led', 'category=works', `unit=${unitId('522222001001001')}`]) {
    const r = await townB.json(`/api/v1/matters?${q}`);
    assert.equal(r.status, 200, r.text);
    if (q.startsWith('unit=')) assert.equal(r.data.total, 0, 'a unit outside the scope lists nothing');
    assert.ok(r.data.items.every((m) => !other.has(m.id)), `town_b sees no matter of 双江街道 (${q})`);
  }
});

test('lists and totals follow groups and villages moving in the tree', async () => {
  const moved = await admin.postJson(`/api/v1/units/${unitId('522222001001001')}/move`,
    { parent_id: unitId('522222100001'), code: '522222100001009' });
  assert.equal(moved.status, 200, moved.text);
  await searchesAgree();
  const vil = await admin.postJson(`/api/v1/units/${unitId('522222001002')}/move`,
    { parent_id: unitId('522222100000'), code: '522222100009' });
  assert.equal(vil.status, 200, vil.text);
  await searchesAgree();
  assert.match(county.cli(['check']), /matter counters: ok/, 'matter_tally agrees with a recount');
  const back = await admin.postJson(`/api/v1/units/${unitId('522222100009')}/move`,
    { parent_id: unitId('522222001000'), code: '522222001002' });
  assert.equal(back.status, 200, back.text);
  await searchesAgree();
});

test('the user list: a scope\'s logins in unit path and username order, after a move too', async () => {
  const want = (scope) => sql(`SELECT u.username FROM user u JOIN unit s ON s.id = u.scope_unit WHERE s.path LIKE '${scope}%'` +
    ' ORDER BY s.path, u.username').split('\n');
  const names = async (who) => {
    const page = await who.get('/users');
    assert.equal(page.status, 200);
    return [...page.text.matchAll(/<td data-label="用户名">([^<]*)<\/td>/g)].map((m) => m[1]);
  };
  assert.deepEqual(await names(admin), want(pathOf('522222000000')));
  assert.deepEqual(await names(townA), want(pathOf('522222001000')));
  assert.deepEqual(await names(townB), want(pathOf('522222100000')));
  assert.ok(!(await names(townB)).includes('vil_a'), 'a township sees no login of another');
  const api = (await admin.json('/api/v1/users')).data.users.map((u) => u.username);
  assert.deepEqual(api, sql('SELECT username FROM user ORDER BY id').split('\n'));
  // 坝溪村 (vil_a's village, with mem_a's and villager_a's groups) moves to 太平镇: its logins follow.
  const vil = await admin.postJson(`/api/v1/units/${unitId('522222001001')}/move`,
    { parent_id: unitId('522222100000'), code: '522222100008' });
  assert.equal(vil.status, 200, vil.text);
  assert.deepEqual(await names(townB), want(pathOf('522222100000')));
  assert.ok((await names(townB)).includes('vil_a'));
  assert.ok(!(await names(townA)).includes('mem_a'));
  assert.match(county.cli(['check']), /login scope paths: ok/);
  const home = await admin.postJson(`/api/v1/units/${unitId('522222100008')}/move`,
    { parent_id: unitId('522222001000'), code: '522222001001' });
  assert.equal(home.status, 200, home.text);
  assert.deepEqual(await names(townA), want(pathOf('522222001000')));
});

test('zuwei check recounts matter_tally and the logins\' scope paths, and names what is off', async () => {
  assert.match(county.cli(['check']), /matter counters: ok\nlogin scope paths: ok/);
  const copy = county.dbPath + '.off';
  sql(`VACUUM INTO '${copy}'`);
  execFileSync('cp', [county.dbPath + '.key', copy + '.key']);
  execFileSync('sqlite3', [copy, `UPDATE matter_tally SET matters = matters + 1 WHERE (unit_id, stage, category) =
      (SELECT unit_id, stage, category FROM matter_tally WHERE unit_id = ${unitId('522222001000')} AND matters > 0 LIMIT 1);
    UPDATE user SET scope_path = '/9/' WHERE username = 'vil_a';`]);
  const r = runZuwei(['check', '--db', copy]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /matter counters: MISMATCH in 1 \(unit, stage, category\)/);
  assert.match(r.stdout, /login scope paths: 1 logins differ from their unit's path/);
});
