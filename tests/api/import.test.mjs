// Roster import through the HTTP server: upload → preview → confirm, batch ownership, templates.
// Set up with the command line: zuwei init, zuwei org import (fixture), zuwei user add --no-change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
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
  // In English the column and the reason are English too, the row number filled in.
  const en = upload(bad.replace('坝溪村/坝溪村一组', '坝溪村/没有这个组'), csrf);
  const eng = await request(`${srv.url}import/people?lang=en`, {
    method: 'POST', jar, headers: { 'Content-Type': en.type, 'X-CSRF-Token': csrf, Origin: srv.url.slice(0, -1) }, body: en.body,
  });
  assert.equal(eng.status, 200);
  const problems = eng.text.slice(eng.text.indexOf('Rows with problems'));
  assert.match(problems, /Row 2<\/td><td data-label="Column">ID number<\/td><td data-label="Reason">The ID number&#39;s check character is wrong/);
  assert.match(problems, /Row 3<\/td><td data-label="Column">Group<\/td><td data-label="Reason">No group 「坝溪村\/没有这个组」, or it is outside your scope/);
  assert.ok(!/[\u4e00-\u9fff]/.test(problems.slice(0, problems.indexOf('</table>')).replace('坝溪村/没有这个组', '')),
    'no Chinese left in the table of problems but the group the file names');
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

test('new households without a 户号 are numbered after their group\'s highest, as wide, in file order', async () => {
  const { jar, csrf } = await login('imp_admin', 'Import-test-1');
  const origin = srv.url.slice(0, -1);
  const imported = async (csv) => {
    const up = upload(csv, csrf);
    const pre = await request(`${srv.url}import/people`, {
      method: 'POST', jar, headers: { 'Content-Type': up.type, 'X-CSRF-Token': csrf, Origin: origin }, body: up.body,
    });
    assert.equal(pre.status, 200, pre.text.slice(0, 300));
    const batch = /action="\/import\/people\/(\d+)\/confirm"/.exec(pre.text)[1];
    const ok = await request(`${srv.url}import/people/${batch}/confirm`, {
      method: 'POST', jar, headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
      body: `csrf=${encodeURIComponent(csrf)}`,
    });
    assert.equal(ok.status, 303, ok.text.slice(0, 300));
  };
  const numbers = () => execFileSync('sqlite3', [srv.dbPath, `SELECT p.name || '=' || h.hh_no FROM household h
    JOIN person p ON p.id = h.head_id WHERE p.name LIKE '编号%' ORDER BY p.name`], { encoding: 'utf8' }).trim().split('\n');
  const heads = [1, 2, 3, 4, 5].map((k) => idnumOf(`1960010${k}`, 11 + k * 2));
  const row = (k, code, no = '') => `编号${k},男,${heads[k - 1]},1960-01-0${k},户主,${heads[k - 1]},${code},${no}`;
  const header = '姓名,性别,身份证号,出生日期,与户主关系,户主身份证号,组,户号\r\n';
  // 快场村一组 gets households numbered 0007 and A3 from a file; 快场村二组 has none.
  await imported(header + [row(1, '522222100002001', '0007'), row(2, '522222100002001', 'A3')].join('\r\n') + '\r\n');
  const second = header + [row(3, '522222100002001'), row(4, '522222100002002'), row(5, '522222100002001')].join('\r\n') + '\r\n';
  await imported(second);
  const want = ['编号1=0007', '编号2=A3', '编号3=0008', '编号4=1', '编号5=0009'];
  assert.deepEqual(numbers(), want, 'after 0007, four digits wide, in file order; a group without numbers from 1');
  await imported(second);
  assert.deepEqual(numbers(), want, 'the same file again: no household is created or renumbered');

  // A 户号 the file gives a new household must be free in its group, as the household form requires.
  const more = [6, 7, 8].map((k) => idnumOf(`1961020${k}`, 11 + k * 2));
  const line = (k, code, no) => `编号${k},男,${more[k - 6]},1961-02-0${k},户主,${more[k - 6]},${code},${no}`;
  const clash = header + [line(6, '522222100002001', '0008'), line(7, '522222100002002', '20'), line(8, '522222100002002', '20'),
    `编号6之子,男,${idnumOf('19900101', 35)},1990-01-01,子女,${more[0]},522222100002001,`].join('\r\n') + '\r\n';
  const up = upload(clash, csrf);
  const pre = await request(`${srv.url}import/people`, {
    method: 'POST', jar, headers: { 'Content-Type': up.type, 'X-CSRF-Token': csrf, Origin: origin }, body: up.body,
  });
  assert.equal(pre.status, 200);
  assert.match(pre.text, /本组已有户号为 0008 的户/);
  assert.match(pre.text, /户号 20 与第 3 行新建的户相同/);
  assert.match(pre.text, /户主所在的第 2 行有错误/, 'and the member of that household');
});
