// The audit log read page by page at depth: past its cap of 1,000 the list reads on from a cursor
// (?before=ID, the pager's "更早", the API's next_before) instead of skipping every newer entry, and
// a numbered page of the whole log starts at its first id. Every walk is compared with a plain
// sqlite3 query, for the county, a township and a filter; deep numbered pages of a filtered list
// are refused rather than walked, and a bad cursor changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startCounty } from './lib/county.mjs';

let county;
const s = {};
const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();
const ids = (q) => sql(`SELECT group_concat(id) FROM (${q})`).split(',').filter(Boolean).map(Number);
let townA, townAId, townBId;

before(async () => {
  county = await startCounty();
  for (const u of ['admin', 'auditor']) s[u] = await county.login(u);
  [townAId, townA] = sql("SELECT id || '|' || path FROM unit WHERE code = '522222001000'").split('|');
  townBId = sql("SELECT id FROM unit WHERE code = '522222100000'");
  // 2,600 entries: half in a group of township A, a quarter each in one of township B and of no
  // unit, as visits and edits would leave them (the chain's hashes do not matter to the list).
  const a = sql("SELECT id || '|' || path FROM unit WHERE code = '522222001001001'").split('|');
  const b = sql("SELECT id || '|' || path FROM unit WHERE code = '522222100002001'").split('|');
  sql(`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2600)
       INSERT INTO audit (at, username, action, entity, entity_id, unit_id, unit_path, prev_hash, hash)
       SELECT '2026-11-01T08:00:00Z', 'mem_a', CASE WHEN x % 5 = 0 THEN 'update' ELSE 'create' END, 'visit', x,
              CASE x % 4 WHEN 1 THEN ${b[0]} WHEN 3 THEN NULL ELSE ${a[0]} END,
              CASE x % 4 WHEN 1 THEN '${b[1]}' WHEN 3 THEN '' ELSE '${a[1]}' END,
              '0', '0' FROM c;`);
});

after(async () => { if (county) await county.close(); });

/** Reads a list to its end through next_before; returns every id and the number of requests. */
async function walk(client, query) {
  const seen = [];
  let url = `/api/v1/audit?${query}`, requests = 0;
  for (;;) {
    const r = await client.json(url);
    assert.equal(r.status, 200, r.text);
    requests++;
    seen.push(...r.data.entries.map((e) => e.id));
    if (r.data.next_before === null) return { seen, requests };
    assert.equal(r.data.entries.length, 50);
    url = `/api/v1/audit?${query}${query ? '&' : ''}before=${r.data.next_before}`;
  }
}

test('the cursor walks every entry in order: the county, a township, a filter', async () => {
  const all = await walk(s.auditor, '');
  assert.deepEqual(all.seen, ids('SELECT id FROM audit ORDER BY id DESC'));
  const town = await walk(s.admin, `unit=${townAId}`);
  assert.deepEqual(town.seen, ids(`SELECT id FROM audit WHERE unit_path BETWEEN '${townA}' AND '${townA}~' ORDER BY id DESC`));
  assert.ok(town.seen.length > 1000);
  const updates = await walk(s.admin, 'action=update');
  assert.deepEqual(updates.seen, ids("SELECT id FROM audit WHERE action = 'update' ORDER BY id DESC"));
  const other = await walk(s.admin, `unit=${townBId}`);
  assert.ok(other.seen.length > 500 && other.seen.every((id) => !town.seen.includes(id)), 'township B\'s list holds none of A\'s');
});

test('a numbered page of the whole log starts at its first id, past the end it is empty', async () => {
  const total = Number(sql('SELECT count(*) FROM audit'));
  const last = Math.ceil(total / 50);
  for (const page of [1, 2, 9, 21, last, last + 1]) {
    const r = await s.admin.json(`/api/v1/audit?page=${page}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.data.entries.map((e) => e.id), ids(`SELECT id FROM audit ORDER BY id DESC LIMIT 50 OFFSET ${(page - 1) * 50}`), `page ${page}`);
    assert.equal(r.data.total_capped, true);
  }
});

test('deep numbered pages of a filtered capped list are refused; a bad cursor is refused', async () => {
  const three = await s.admin.json('/api/v1/audit?action=create&page=3');
  assert.deepEqual(three.data.entries.map((e) => e.id), ids("SELECT id FROM audit WHERE action = 'create' ORDER BY id DESC LIMIT 50 OFFSET 100"));
  for (const q of ['action=create&page=21', 'before=abc', 'before=0', 'before=-4']) {
    const r = await s.admin.json(`/api/v1/audit?${q}`);
    assert.equal(r.status, 422, `${q}: ${r.text}`);
  }
  const deep = await s.admin.json(`/api/v1/audit?unit=${townAId}&page=25`);
  assert.equal(deep.status, 422, 'a township is not the whole log: its deep pages are refused too');
});

test('the page reads on with 更早 and goes back with 最新', async () => {
  const first = await s.admin.get('/audit?action=create');
  const m = /<a rel="next" href="\/audit\?action=create&amp;before=(\d+)">更早<\/a>/.exec(first.text);
  assert.ok(m, 'an older link with the cursor');
  assert.ok(!first.text.includes('rel="first"'));
  const newest = ids("SELECT id FROM audit WHERE action = 'create' ORDER BY id DESC LIMIT 50");
  assert.equal(Number(m[1]), newest[49]);
  const second = await s.admin.get(`/audit?action=create&before=${m[1]}`);
  assert.ok(second.text.includes('<a rel="first" href="/audit?action=create">最新</a>'));
  assert.ok(second.text.includes(`#${sql(`SELECT entity_id FROM audit WHERE action = 'create' AND id < ${m[1]} ORDER BY id DESC LIMIT 1`)}<`));
  assert.ok(!second.text.includes('page='), 'no numbered links on a capped list');
});

test('the login log reads on from a cursor too, for everyone and for one username', async () => {
  // 1,200 events: most of a login inside the county, some of a name nobody has (county level only).
  sql(`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1200)
       INSERT INTO login_log (at, username, user_id, ip, event, detail)
       SELECT '2026-11-02T09:00:00Z', CASE WHEN x % 4 = 0 THEN 'nobody' ELSE 'vil_a' END,
              CASE WHEN x % 4 = 0 THEN NULL ELSE (SELECT id FROM user WHERE username = 'vil_a') END, '10.0.0.9',
              CASE WHEN x % 4 = 0 THEN 'fail' ELSE 'login' END, 'n' || x FROM c;`);
  // Everyone: more than the cap, read from cursors; one login's 900: counted, numbered pages.
  for (const [query, where, link] of [['', '1', /before=\d+/], ['user=vil_a', "username = 'vil_a'", /page=\d+/]]) {
    const want = sql(`SELECT group_concat(detail, '|') FROM (SELECT detail FROM login_log WHERE ${where} ORDER BY id DESC)`).split('|');
    const seen = [];
    let url = `/audit/logins${query ? `?${query}` : ''}`;
    for (let pages = 0; url; pages++) {
      assert.ok(pages < 60, 'the walk ends');
      const r = await s.auditor.get(url);
      assert.equal(r.status, 200, url);
      seen.push(...[...r.text.matchAll(/<td data-label="[^"]*">(n\d+|[^<]*)<\/td><\/tr>/g)].map((m) => m[1]));
      const next = /<a rel="next" href="([^"]+)">/.exec(r.text);
      url = next ? next[1].replaceAll('&amp;', '&') : null;
      if (url) assert.match(url, link);
    }
    assert.deepEqual(seen, want, query || 'everyone');
  }
  assert.equal((await s.auditor.get('/audit/logins?page=21')).status, 422);
  assert.equal((await s.auditor.get('/audit/logins?before=x')).status, 422);
});
