// Logins, sessions, CSRF, throttling, users, API tokens and the audit chain, against the real
// server with a fixture county (tests/api/lib/county.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { CookieJar, formBody, request, runZuwei } from './lib/server.mjs';
import { PASSWORD, client, login, startCounty } from './lib/county.mjs';

let county;
before(async () => { county = await startCounty(); });
after(async () => { await county.close(); });

const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();

async function loginForm(username, password, jar = new CookieJar(), headers = {}) {
  return request(county.url + 'login', {
    method: 'POST', jar,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: formBody({ username, password }),
  });
}

test('a good login sets an HttpOnly SameSite session cookie and redirects', async () => {
  const jar = new CookieJar();
  const res = await loginForm('admin', PASSWORD, jar);
  assert.equal(res.status, 303);
  const cookie = [].concat(res.headers['set-cookie']).find((c) => c.startsWith('zw_session='));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.equal(jar.get('zw_session').length, 43);
  const me = await request(county.url + 'me', { jar });
  assert.equal(me.status, 200);
  assert.match(me.text, /县级管理员/);
});

test('wrong password and unknown user get the same message and no session', async () => {
  const a = await loginForm('town_b', 'Wrong1234x');
  const b = await loginForm('nobody_here', 'Wrong1234x');
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  for (const r of [a, b]) {
    assert.match(r.text, /用户名或密码不正确/);
    assert.ok(!(r.headers['set-cookie'] || []).some((c) => c.startsWith('zw_session=') && !c.startsWith('zw_session=;')));
  }
  assert.ok(Number(sql("SELECT count(*) FROM login_log WHERE event='fail'")) >= 2);
  assert.ok(Number(sql("SELECT count(*) FROM audit WHERE action='login_failed' AND username IN ('town_b', 'nobody_here')")) >= 2,
    'failed logins are in the audit log too');
  assert.doesNotMatch(sql("SELECT group_concat(coalesce(after, ''), ' ') FROM audit WHERE action='login_failed'"), /Wrong1234x/,
    'the tried password is never logged');
});

test('a disabled user cannot log in and their sessions end', async () => {
  county.cli(['user', 'add', 'gone_user', '--role', 'member', '--scope', '522222001001003', '--password', PASSWORD, '--no-change']);
  const c = await login(county.url, 'gone_user');
  assert.equal((await c.get('/me')).status, 200);
  county.cli(['user', 'disable', 'gone_user']);
  const after = await c.get('/me');
  assert.equal(after.status, 303, 'the old session no longer works');
  const res = await loginForm('gone_user', PASSWORD);
  assert.equal(res.status, 401);
  assert.match(res.text, /已停用/);
});

test('a session idle for more than a day expires', async () => {
  const c = await login(county.url, 'vil_a');
  assert.equal((await c.get('/me')).status, 200);
  sql("UPDATE session SET seen_at = seen_at - 90000, created_at = created_at - 90000 WHERE user_id = (SELECT id FROM user WHERE username='vil_a') AND ended_at IS NULL");
  const res = await c.get('/me');
  assert.equal(res.status, 303);
  assert.match(res.headers.location, /\/login/);
});

test('session token reuse after logout is refused', async () => {
  const c = await login(county.url, 'town_a');
  const stolen = c.jar.get('zw_session');
  const out = await c.post('/logout');
  assert.equal(out.status, 303);
  const replay = new CookieJar();
  replay.cookies.set('zw_session', stolen);
  const res = await request(county.url + 'me', { jar: replay });
  assert.equal(res.status, 303);
  assert.match(res.headers.location, /\/login/);
});

test('logging in again rotates the session (no fixation)', async () => {
  const c = await login(county.url, 'town_a');
  const first = c.jar.get('zw_session');
  const res = await loginForm('town_a', PASSWORD, c.jar);
  assert.equal(res.status, 303);
  assert.notEqual(c.jar.get('zw_session'), first);
  const old = new CookieJar();
  old.cookies.set('zw_session', first);
  assert.equal((await request(county.url + 'me', { jar: old })).status, 303, 'the pre-login token is dead');
});

test('POST without or with a forged CSRF token is refused and changes nothing', async () => {
  const c = await login(county.url, 'admin');
  const before = sql('SELECT count(*) FROM user');
  const fields = { username: 'csrf_victim', display_name: 'x', role: 'member', scope: '522222001001001' };
  const none = await c.post('/users/new', fields, { noCsrf: true });
  assert.equal(none.status, 403);
  assert.match(none.text, /表单已过期/);
  const forged = await c.post('/users/new', { ...fields, csrf: 'A'.repeat(43) }, { noCsrf: true });
  assert.equal(forged.status, 403);
  assert.equal(sql('SELECT count(*) FROM user'), before);
});

test('a cross-origin form post is refused even with a valid token', async () => {
  const c = await login(county.url, 'admin');
  const res = await c.post('/users/new', { username: 'xorigin', display_name: 'x', role: 'member', scope: '522222001001001' },
    { headers: { Origin: 'http://evil.example' } });
  assert.equal(res.status, 403);
  assert.equal(sql("SELECT count(*) FROM user WHERE username='xorigin'"), '0');
});

test('failed logins are throttled and then lock the account, all logged', async () => {
  county.cli(['user', 'add', 'locked_one', '--role', 'member', '--scope', '522222001002001', '--password', PASSWORD, '--no-change']);
  let last;
  for (let i = 0; i < 5; i++) {
    last = await loginForm('locked_one', 'Wrong1234x');
    if (last.status === 429) {  // a growing delay between attempts: wait it out
      const m = /(\d+) 秒/.exec(last.text);
      await new Promise((r) => setTimeout(r, (Number(m?.[1] || 1) + 0.2) * 1000));
      i--;
    }
  }
  const res = await loginForm('locked_one', PASSWORD);
  assert.equal(res.status, 429, 'even the right password is refused while locked');
  assert.match(res.text, /锁定/);
  assert.equal(sql("SELECT count(*) FROM login_log WHERE username='locked_one' AND event='locked'"), '1');
  sql("UPDATE login_throttle SET locked_until = 1 WHERE key = 'u:locked_one'");
});

test('password change needs the current password, a policy-conforming new one, and ends other sessions', async () => {
  county.cli(['user', 'add', 'pw_user', '--role', 'member', '--scope', '522222001002002', '--password', PASSWORD, '--no-change']);
  const a = await login(county.url, 'pw_user');
  const b = await login(county.url, 'pw_user');
  const weak = await a.post('/me/password', { current: PASSWORD, password: 'short', confirm: 'short' });
  assert.equal(weak.status, 422);
  assert.match(weak.text, /至少 8 位/);
  const wrong = await a.post('/me/password', { current: 'Nope12345', password: 'NewPass123', confirm: 'NewPass123' });
  assert.equal(wrong.status, 422);
  assert.match(wrong.text, /当前密码不正确/);
  const ok = await a.post('/me/password', { current: PASSWORD, password: 'NewPass123', confirm: 'NewPass123' });
  assert.equal(ok.status, 303);
  assert.equal((await a.get('/me')).status, 200, 'this browser got a fresh session');
  assert.equal((await b.get('/me')).status, 303, 'the other session ended');
  await login(county.url, 'pw_user', 'NewPass123');
});

test('a new user must change the password before anything else', async () => {
  const admin = await login(county.url, 'admin');
  const res = await admin.post('/users/new', { username: 'fresh_one', display_name: '新人', role: 'member', scope: '522222100002001', password: 'Fresh1234x' });
  assert.equal(res.status, 200);
  const c = await login(county.url, 'fresh_one', 'Fresh1234x');
  const page = await c.get('/me');
  assert.equal(page.status, 303);
  assert.equal(page.headers.location, '/me/password');
});

test('scope escalation: a township user cannot create a login outside their township', async () => {
  const t = await login(county.url, 'town_a');
  const res = await t.post('/users/new', { username: 'escalate', display_name: 'x', role: 'member', scope: '522222100001002' });
  assert.equal(res.status, 422);
  assert.match(res.text, /不在您的管辖范围内/);
  const role = await t.post('/users/new', { username: 'escalate2', display_name: 'x', role: 'county_admin', scope: '522222001000' });
  assert.equal(role.status, 422);
  assert.equal(sql("SELECT count(*) FROM user WHERE username LIKE 'escalate%'"), '0');
});

test('a township user sees only the logins of their township and gets 404 outside', async () => {
  const t = await login(county.url, 'town_a');
  const list = await t.get('/users');
  assert.match(list.text, /vil_a/);
  assert.doesNotMatch(list.text, /town_b/);
  const otherId = sql("SELECT id FROM user WHERE username='town_b'");
  assert.equal((await t.get('/users/' + otherId)).status, 404);
  const api = await t.json('/api/v1/users');
  assert.ok(api.data.users.every((u) => u.username !== 'town_b' && u.username !== 'admin'));
});

test('XSS in a display name is escaped wherever it is shown', async () => {
  const admin = await login(county.url, 'admin');
  const res = await admin.post('/users/new', { username: 'xss_user', display_name: '<script>alert(1)</script>', role: 'member', scope: '522222001001002', password: 'Xss123456a' });
  assert.equal(res.status, 200);
  const list = await admin.get('/users');
  assert.doesNotMatch(list.text, /<script>alert/);
  assert.match(list.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});

test('too long and invalid UTF-8 input is refused and changes nothing', async () => {
  const admin = await login(county.url, 'admin');
  const before = sql('SELECT count(*) FROM user');
  const long = await admin.post('/users/new', { username: 'longname', display_name: '长'.repeat(31), role: 'member', scope: '522222001001002' });
  assert.equal(long.status, 422);
  assert.match(long.text, /不能超过 30 个字/);
  const bad = await request(county.url + 'users/new', {
    method: 'POST', jar: admin.jar, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `csrf=${admin.csrf}&username=bad_utf8&display_name=%C3%28&role=member&scope=522222001001002`,
  });
  assert.equal(bad.status, 400);
  assert.equal(sql('SELECT count(*) FROM user'), before);
});

test('API tokens act as their user, are shown once, and stop working when revoked', async () => {
  const admin = await login(county.url, 'admin');
  const res = await admin.post('/tokens/new', { username: 'auditor', name: '对接测试' });
  assert.equal(res.status, 200);
  const token = /<code>([A-Za-z0-9_-]{43})<\/code>/.exec(res.text)[1];
  assert.equal(sql('SELECT count(*) FROM api_token WHERE token_hash = ' + "'" + token + "'"), '0', 'stored hashed');
  const me = await request(county.url + 'api/v1/me', { headers: { Authorization: 'Bearer ' + token } });
  assert.equal(me.status, 200);
  assert.equal(JSON.parse(me.text).username, 'auditor');
  const id = sql("SELECT id FROM api_token WHERE name='对接测试'");
  assert.equal((await admin.post(`/tokens/${id}/revoke`)).status, 303);
  const after = await request(county.url + 'api/v1/me', { headers: { Authorization: 'Bearer ' + token } });
  assert.equal(after.status, 401);
});

test('the audit log records changes and logins; the chain verifies and detects an edited row', async () => {
  const admin = await login(county.url, 'admin');
  const audit = await admin.json('/api/v1/audit?entity=user');
  assert.equal(audit.status, 200);
  assert.ok(audit.data.entries.some((e) => e.action === 'create'));
  assert.ok(!JSON.stringify(audit.data).includes(PASSWORD), 'no secrets in the log');
  const ok = runZuwei(['check', '--db', county.dbPath]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /audit chain: ok/);
  // A direct edit, with the append-only trigger dropped first, as a tamperer would.
  const copy = county.dbPath + '.tampered';
  sql(`VACUUM INTO '${copy}'`);
  execFileSync('sqlite3', [copy, "DROP TRIGGER audit_no_update; UPDATE audit SET username = 'someone' WHERE id = 3;"]);
  execFileSync('cp', [county.dbPath + '.key', copy + '.key']);
  const bad = runZuwei(['check', '--db', copy]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /BROKEN at entry 3/);
});

test('auditors read the audit log; members cannot', async () => {
  const aud = await login(county.url, 'auditor');
  assert.equal((await aud.get('/audit')).status, 200);
  assert.equal((await aud.get('/audit/logins')).status, 200);
  const mem = await login(county.url, 'mem_a');
  assert.equal((await mem.get('/audit')).status, 403);
  assert.equal((await mem.get('/users')).status, 403);
});

test('the login log and every change are written by their own modules only', async () => {
  // The authorizer refuses writes to protected tables from other code; from outside the server
  // (sqlite3 CLI) the append-only triggers still refuse edits of the audit log.
  assert.throws(() => execFileSync('sqlite3', [county.dbPath, 'DELETE FROM audit WHERE id = 1'], { stdio: 'pipe' }), /append-only/);
});

test('public pages answer without login; protected pages redirect to login', async () => {
  const anon = client(county.url);
  assert.equal((await anon.get('/')).status, 200);
  const res = await anon.get('/users');
  assert.equal(res.status, 303);
  assert.match(res.headers.location, /^\/login\?next=%2Fusers/);
  const api = await anon.json('/api/v1/users');
  assert.equal(api.status, 401);
});

test('the audit log pages newest first inside the chosen unit, with a count capped at 1,000', async () => {
  const admin = await login(county.url, 'admin');
  const user = await admin.post('/users/new', { username: 'audit_page_u', display_name: '翻页', role: 'village',
    scope: '522222001001', password: 'Fresh1234x' });
  assert.ok(user.status < 400, `create user: ${user.status}`);
  const cap = (n) => Math.min(n, 1000);
  const all = await admin.json('/api/v1/audit');
  assert.equal(all.data.total, cap(Number(sql('SELECT count(*) FROM audit'))), 'the county also sees entries of no unit');
  assert.equal(all.data.total_capped, Number(sql('SELECT count(*) FROM audit')) > 1000);
  const ids = all.data.entries.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
  assert.equal(ids[0], Number(sql('SELECT max(id) FROM audit')));
  for (const code of ['522222001000', '522222001001']) {   // a township, a village
    const [id, path] = sql(`SELECT id || '|' || path FROM unit WHERE code = '${code}'`).split('|');
    const inside = Number(sql(`SELECT count(*) FROM audit WHERE unit_path BETWEEN '${path}' AND '${path}~'`));
    assert.ok(inside > 0, code);
    const r = await admin.json(`/api/v1/audit?unit=${id}`);
    assert.equal(r.data.total, cap(inside), code);
    assert.equal(r.data.entries.length, Math.min(inside, 50), code);
    const newest = sql(`SELECT group_concat(id) FROM (SELECT id FROM audit WHERE unit_path BETWEEN '${path}' AND '${path}~' ORDER BY id DESC LIMIT 50)`);
    assert.equal(r.data.entries.map((e) => e.id).join(','), newest, code);
  }
  assert.match((await admin.get('/audit')).text, /共 \d+ 条|共 1,000 条以上/);
});
