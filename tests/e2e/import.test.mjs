// A township office imports its roster in the browser on a phone-sized screen: uploads a GBK CSV as
// Excel's Chinese edition saves it, with one row whose ID number has a wrong check digit; the
// preview counts the rows, shows ID numbers masked and names the bad row, its column and the
// reason; nothing is imported until the user confirms, and then only the valid rows when they
// ask for that; the new villagers are found by name; uploading the same file again previews
// every valid row as unchanged; the list they are found in downloads as an Excel file that holds
// them, their ID numbers masked; and a whole ID number is shown only for a stated reason, once,
// with the reason and not the number in the audit log. Screenshots in test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../api/lib/server.mjs';
import { PASSWORD, startCounty } from '../api/lib/county.mjs';
import { idnumOf } from '../api/lib/idnum.mjs';
import { xlsxRows } from '../api/lib/sheet.mjs';
import { collectErrors, launchBrowser, logIn } from './lib/browser.mjs';

const OUT = path.join(repoRoot, 'test-output');
let county, browser, dir, file;
const head = idnumOf('19680412', 31);
const wrongCheck = (id) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

before(async () => {
  mkdirSync(OUT, { recursive: true });
  county = await startCounty();
  browser = await launchBrowser({ viewport: { width: 390, height: 844 } });
  dir = mkdtempSync(path.join(os.tmpdir(), 'zuwei-e2e-import-'));
  file = path.join(dir, '花名册.csv');
  const csv = '姓名,性别,身份证号,出生日期,与户主关系,户主身份证号,组\r\n' +
    `杨文华,男,${head},1968-04-12,户主,${head},522222001001001\r\n` +
    `张秀英,女,${idnumOf('19700903', 42)},1970/9/3,配偶,${head},坝溪村/坝溪村一组\r\n` +
    `杨小军,男,${wrongCheck(idnumOf('19951120', 11))},1995-11-20,子女,${head},522222001001001\r\n`;
  // GBK, as Excel on Chinese Windows writes CSV: iconv comes with every Debian system.
  writeFileSync(file, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: csv }));
});

after(async () => {
  if (browser) await browser.close();
  if (county) await county.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Uploads the roster from the import page and waits for its preview. */
async function preview(page) {
  await page.goto(`${county.url}import/people`);
  await page.setInputFiles('#f-file', file);
  await Promise.all([page.waitForURL(`${county.url}import/people`), page.locator('main form[enctype] button[type=submit]').click()]);
  await page.locator('h1', { hasText: '导入预览' }).waitFor();
}

/** The number under the label of one of the preview's counts. */
const stat = (page, label) => page.locator('.stats > *', { hasText: label }).innerText().then((t) => Number(t.replace(/\D/g, '')));

test('upload, preview with the bad row named, confirm the valid rows, find them; the same file again changes nothing', async () => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  const people = () => Number(execFileSync('sqlite3', [county.dbPath, 'SELECT count(*) FROM person'], { encoding: 'utf8' }));
  await logIn(page, county.url, 'town_a', PASSWORD);

  await preview(page);
  assert.deepEqual([await stat(page, '总行数'), await stat(page, '新增'), await stat(page, '有误')], [3, 2, 1]);
  const text = await page.innerText('main');
  assert.ok(!text.includes(head), 'the preview never shows a whole ID number');
  assert.match(text, /5222\*+/, 'but its masked form');
  const bad = page.locator('section', { hasText: '有误的行' }).locator('tbody tr');
  assert.equal(await bad.count(), 1);
  assert.match(await bad.innerText(), /第 4 行[\s\S]*身份证号[\s\S]*校验位/, 'the bad row: its line, column and reason');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the preview is ${width}px wide on a 390px screen`);
  await page.screenshot({ path: path.join(OUT, 'import-preview-390.png'), fullPage: true });
  assert.equal(people(), 0, 'a preview imports nothing');

  await page.check('input[name="valid_only"]');
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/confirm')), page.locator('button', { hasText: '确认导入' }).click()]);
  assert.equal(people(), 2, 'the two valid rows, and not the bad one');
  assert.match(await page.innerText('.flash'), /导入完成：新增 2[\s\S]*跳过有误的行 1/);
  await page.screenshot({ path: path.join(OUT, 'import-done-390.png'), fullPage: true });

  await page.goto(`${county.url}people?q=${encodeURIComponent('杨文华')}`);
  assert.equal(await page.locator('table.list a', { hasText: '杨文华' }).count(), 1, 'found by name');
  assert.match(await page.innerText('.pager'), /共 1 条/);

  await preview(page);
  assert.deepEqual([await stat(page, '新增'), await stat(page, '未变'), await stat(page, '有误')], [0, 2, 1],
    'the same file again: the imported rows unchanged');
  assert.deepEqual(errors, [], `browser errors: ${errors.join('\n')}`);
  await page.close();
});

test('the list of a search downloads as an Excel file holding its rows, ID numbers masked', async () => {
  const page = await browser.newPage();   // still logged in as the user who imported them above
  await page.goto(`${county.url}people?q=${encodeURIComponent('杨')}`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a', { hasText: '导出 Excel' }).click()]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  const rows = xlsxRows(readFileSync(await download.path()));
  assert.deepEqual(rows.slice(1).map((r) => r[0]), ['杨文华'], 'the search\'s one match (杨小军 was not imported)');
  assert.match(rows[1][4], /^5222\*+\d{3}[\dX]$/, 'the ID number masked as in the list');
  await page.close();
});

test('a whole ID number is shown for a stated reason, once, and the audit log keeps the reason, not the number', async () => {
  const page = await browser.newPage();   // the township user, whose scope holds the imported people
  const errors = collectErrors(page);
  const id = execFileSync('sqlite3', [county.dbPath, "SELECT id FROM person WHERE name = '杨文华'"], { encoding: 'utf8' }).trim();
  await page.goto(`${county.url}people/${id}`);
  assert.ok(!(await page.innerText('main')).includes(head), 'masked on the person page');
  await page.fill('#f-why', '办理低保需核对身份');
  await Promise.all([page.waitForURL(`${county.url}people/${id}/reveal`), page.locator('button', { hasText: '查看' }).last().click()]);
  assert.ok((await page.innerText('main')).includes(head), 'the whole number, after the reason');
  await page.screenshot({ path: path.join(OUT, 'person-reveal-390.png'), fullPage: true });
  const audit = execFileSync('sqlite3', [county.dbPath, `SELECT username || ' ' || after FROM audit WHERE action = 'reveal' AND entity_id = ${id}`],
    { encoding: 'utf8' });
  assert.match(audit, /^town_a .*办理低保需核对身份/, 'who and why are logged');
  assert.ok(!audit.includes(head.slice(6, 14)), 'the number is not');
  await page.goto(`${county.url}people/${id}`);
  assert.ok(!(await page.innerText('main')).includes(head), 'masked again on the next visit');
  assert.deepEqual(errors, [], `browser errors: ${errors.join('\n')}`);
  await page.close();
});
