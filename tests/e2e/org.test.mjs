// An admin builds a county's tree in the browser on a phone-sized screen: logs in, adds a
// township, a village and a group through the forms (one wrong code on purpose, fixed after the
// error shows next to the field), opens the lazy tree, and logs out; a village cadre follows the
// 组情民情 figures down to a group and its households. Screenshots in test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../api/lib/server.mjs';
import { PASSWORD, startCounty } from '../api/lib/county.mjs';
import { collectErrors, launchBrowser, logIn } from './lib/browser.mjs';

const OUT = path.join(repoRoot, 'test-output');
let county;
let browser;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  county = await startCounty();
  browser = await launchBrowser({ viewport: { width: 390, height: 844 } });
});

after(async () => {
  if (browser) await browser.close();
  if (county) await county.close();
});

/** Fills the unit form and submits it; returns after the next page has loaded. */
async function submitUnit(page, fields) {
  for (const [name, value] of Object.entries(fields)) {
    const el = page.locator(`[name="${name}"]`);
    if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(value);
    else await el.fill(value);
  }
  await Promise.all([page.waitForNavigation(), page.locator('form.form button[type=submit]').click()]);
}

test('an admin builds part of the tree in the browser, fixing a wrong code on the way', async () => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await logIn(page, county.url, 'admin', PASSWORD);

  await page.goto(county.url + 'org');
  assert.match(await page.innerText('h1'), /江口县/);
  await Promise.all([page.waitForURL(/\/new$/), page.locator('a', { hasText: '添加乡镇' }).first().click()]);
  await submitUnit(page, { name: '桃映镇', code: '522222101', subkind: 'town' });
  assert.equal(await page.locator('.field.has-error [name="code"]').count(), 1, 'a 9-digit code must be refused at the field');
  assert.equal(await page.inputValue('[name="name"]'), '桃映镇', 'the name is kept after the error');
  await page.screenshot({ path: path.join(OUT, 'org-new-error-390.png'), fullPage: true });
  await submitUnit(page, { code: '522222101000' });
  assert.match(await page.innerText('.flash'), /已保存/);

  // The new township page: add a village, then a group under it.
  await page.goto(county.url + 'org/search?q=桃映镇');
  await Promise.all([page.waitForURL(/\/org\/\d+$/), page.locator('.content a', { hasText: /^桃映镇$/ }).first().click()]);
  await Promise.all([page.waitForURL(/\/new$/), page.locator('a', { hasText: '添加行政村' }).first().click()]);
  await submitUnit(page, { name: '桃映村', code: '522222101001' });
  await page.goto(county.url + 'org/search?q=桃映村');
  await Promise.all([page.waitForURL(/\/org\/\d+$/), page.locator('.content a', { hasText: /^桃映村$/ }).first().click()]);
  await Promise.all([page.waitForURL(/\/new$/), page.locator('a', { hasText: '添加村民组' }).first().click()]);
  await submitUnit(page, { name: '桃映村一组', code: '522222101001001', subkind: 'group' });
  assert.match(await page.innerText('.flash'), /已保存/);

  // The county page's lazy tree opens 桃映镇 and loads its villages on demand.
  await page.goto(county.url + 'org');
  const node = page.locator('details[data-src]', { hasText: '桃映镇' });
  await node.locator('summary').click();
  await page.waitForFunction(() => [...document.querySelectorAll('details[open] li')].some((li) => li.textContent.includes('桃映村')));
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the org page is ${width}px wide on a 390px screen`);
  await page.screenshot({ path: path.join(OUT, 'org-tree-390.png'), fullPage: true });

  const audit = await (await county.login('admin')).json('/api/v1/audit?entity=unit');
  assert.ok(audit.data.entries.filter((e) => e.action === 'create').length >= 3, 'each new unit is audited');
  const unexpected = errors.filter((e) => !/^422 /.test(e));   // the wrong code's answer is expected
  assert.deepEqual(unexpected, [], `browser errors: ${unexpected.join('\n')}`);
  await page.close();
});

test('a village cadre follows 组情民情 from the village page to a group and its households on a phone', async () => {
  const admin = await county.login('admin');
  const groupId = Number(execFileSync('sqlite3', [county.dbPath, "SELECT id FROM unit WHERE code = '522222001001001'"],
    { encoding: 'utf8' }));   // 坝溪村一组
  const hh = await admin.postJson('/api/v1/households', { unit_id: groupId, hh_no: '8', farmland: '2.5', poultry: 12 });
  assert.equal(hh.status, 201, hh.text);
  const head = await admin.postJson('/api/v1/people', { household_id: hh.data.id, name: '杨春花', sex: 'F', birth: '1980-05-06',
    relation: 'head', status: 'resident', party: true });
  assert.equal(head.status, 201, head.text);

  await browser.context.clearCookies();   // the first test's admin is still logged in
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await logIn(page, county.url, 'vil_a', PASSWORD);
  await page.goto(county.url + 'org');
  assert.match(await page.innerText('h1'), /坝溪村/);
  await Promise.all([page.waitForURL(/\/profile$/), page.locator('a', { hasText: '查看组情民情' }).click()]);
  assert.match(await page.innerText('h1'), /坝溪村 · 组情民情/);
  assert.match(await page.innerText('.stats'), /1\s*户数/);
  let width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the profile page is ${width}px wide on a 390px screen`);
  await page.screenshot({ path: path.join(OUT, 'profile-village-390.png'), fullPage: true });

  await Promise.all([page.waitForURL(new RegExp(`/org/${groupId}/profile$`)), page.locator('table a', { hasText: '坝溪村一组' }).click()]);
  assert.match(await page.innerText('.content'), /2\.50 亩/);
  assert.match(await page.innerText('.content'), /党员\s*1 人/);
  await Promise.all([page.waitForURL(new RegExp(`/groups/${groupId}/households$`)), page.locator('.pagehead a', { hasText: /^户$/ }).click()]);
  assert.match(await page.innerText('.content'), /杨春花/);
  width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the household list is ${width}px wide on a 390px screen`);
  assert.deepEqual(errors, [], `browser errors: ${errors.join('\n')}`);
  await page.close();
});
