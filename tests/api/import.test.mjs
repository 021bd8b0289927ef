// Roster import through the HTTP server: upload → preview → confirm, batch ownership, templates.
// Set up with the command line: zuwei init, zuwei org import (fixture), zuwei user add --no-change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { CookieJar, repoRoot, request, runZuwei, startServer } from './lib/server.mjs';
import { idnumOf } from './lib/idnum.mjs';

let srv;

before(async () => {
  srv = await startServer();
  const db = ['--db', srv.dbPath];
  for (const args of [
    ['org', 'import', path.join(repoRoot, 'tests/fixtures/org-small.csv'), ...db],
    ['user', 'add', 'imp_admin', '--role', 'county_admin', '--scope', '522222000000', '--password', 'Import-test-1', '--no-change', ...db],
    ['user', 'add', 'imp_other', '--role', 'county_admin', '--scope', '522222000000', '--password', 'Import-test-2', '--no-change', ...db],
  ]) {
    const r = runZuwei(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  }
});
after(async () => { if (srv) await srv.stop(); });

/** Logs in through the JSON API; returns { jar, csrf }. */
async function login(username, password) {
  const jar = new CookieJar();
  const r = await request(`${srv.url}api/v1/login`, {
    method: 'POST', jar, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  assert.equal(r.status, 200, r.text);
  assert.ok(jar.get('zw_session'));
  const csrf = JSON.parse(r.text).csrf;
  assert.ok(csrf, r.text);
  return { jar, csrf };
}

function upload(csv, csrf, filename = 'roster.csv') {
  const boundary = '----zwimport' + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(csv), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

const head = idnumOf('19680412', 31);
const roster = '\ufeff姓名,性别,身份证号,出生日期,与户主关系,户主身份证号,组\r\n' +
  `杨文华,男,${head},1968-04-12,户主,${head},522222001001001\r\n` +
  `张秀英,女,${idnumOf('19700903', 42)},1970/9/3,配偶,${head},坝溪村/坝溪村一组\r\n`;

test('upload shows a preview with masked IDs; confirm imports; another user gets 404', async () => {
  const { jar, csrf } = await login('imp_admin', 'Import-test-1');
  const page = await request(`${srv.url}import/people`, { jar });
  assert.equal(page.status, 200);
  assert.match(page.text, /template\.xlsx/);
  const up = upload(roster, csrf);
  const pre = await request(`${srv.url}import/people`, {
    method: 'POST', jar, headers: { 'Content-Type': up.type, 'X-CSRF-Token': csrf, Origin: srv.url.slice(0, -1) }, body: up.body,
  });
  assert.equal(pre.status, 200, pre.text.slice(0, 500));
  assert.match(pre.text, /杨文华/);
  assert.ok(!pre.text.includes(head), 'the preview must not show the whole ID number');
  assert.match(pre.text, /5222\*+/);
  const m = /action="\/import\/people\/(\d+)\/confirm"/.exec(pre.text);
  assert.ok(m, 'confirm form');

  const other = await login('imp_other', 'Import-test-2');
  const stolen = await request(`${srv.url}import/people/${m[1]}/confirm`, {
    method: 'POST', jar: other.jar, headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: srv.url.slice(0, -1) },
    body: `csrf=${encodeURIComponent(other.csrf)}`,
  });
  assert.equal(stolen.status, 404);

  const ok = await request(`${srv.url}import/people/${m[1]}/confirm`, {
    method: 'POST', jar, headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: srv.url.slice(0, -1) },
    body: `csrf=${encodeURIComponent(csrf)}`,
  });
  assert.equal(ok.status, 303, ok.text.slice(0, 300));
  const again = await request(`${srv.url}import/people/${m[1]}/confirm`, {
    method: 'POST', jar, headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: srv.url.slice(0, -1) },
    body: `csrf=${encodeURIComponent(csrf)}`,
  });
  assert.equal(again.status, 404, 'a confirmed batch cannot be confirmed twice');

  // Uploading the same file again previews as unchanged.
  const up2 = upload(roster, csrf);
  const pre2 = await request(`${srv.url}import/people`, {
    method: 'POST', jar, headers: { 'Content-Type': up2.type, 'X-CSRF-Token': csrf, Origin: srv.url.slice(0, -1) }, body: up2.body,
  });
  assert.equal(pre2.status, 200);
  assert.match(pre2.text, /未变/);
});

test('a bad row is listed with row, column and reason', async () => {
  const { jar, csrf } = await login('imp_admin', 'Import-test-1');
  const bad = roster.replace(head + ',1968', head.slice(0, 17) + (head[17] === '0' ? '1' : '0') + ',1968');
  const up = upload(bad, csrf);
  const pre = await request(`${srv.url}import/people`, {
    method: 'POST', jar, headers: { 'Content-Type': up.type, 'X-CSRF-Token': csrf, Origin: srv.url.slice(0, -1) }, body: up.body,
  });
  assert.equal(pre.status, 200);
  assert.match(pre.text, /校验位/);
  assert.match(pre.text, /name="valid_only"/);
});

test('templates download as xlsx and csv', async () => {
  const { jar } = await login('imp_admin', 'Import-test-1');
  const x = await request(`${srv.url}import/people/template.xlsx`, { jar });
  assert.equal(x.status, 200);
  assert.equal(x.body.subarray(0, 2).toString(), 'PK');
  const c = await request(`${srv.url}import/people/template.csv`, { jar });
  assert.equal(c.status, 200);
  assert.match(c.text, /姓名,性别,身份证号/);
  assert.match(c.text, /,住址,耕地（亩）,林地（亩）,家畜存栏（头）,家禽（只）,脱贫情况\r\n/, 'the household\'s columns');
});
