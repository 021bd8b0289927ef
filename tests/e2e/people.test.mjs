// A village cadre adds a villager on a phone-sized screen: types the name and the ID number, and
// the birth date and sex fill themselves from the number (app.js; the server does the same when
// JavaScript is off, see tests/api/people.test.mjs); saves; finds the new person by a fragment of
// the name and by the pinyin initials. Then, when the last member of another household has died,
// the cadre ends (注销) that household from its page on the phone — a date in the future is
// refused next to the field — finds it under the group's ended households, and restores it; and
// splits a son's family off into its own household (分户), ticking its members. Screenshots in
// test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../api/lib/server.mjs';
import { PASSWORD, startCounty } from '../api/lib/county.mjs';
import { idnumOf } from '../api/lib/idnum.mjs';
import { collectErrors, launchBrowser, logIn } from './lib/browser.mjs';

const OUT = path.join(repoRoot, 'test-output');
let county;
let browser;
let household, lastHousehold, lastMember, group;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  county = await startCounty();
  browser = await launchBrowser({ viewport: { width: 390, height: 844 } });
  const admin = await county.login('admin');
  group = Number(execFileSync('sqlite3', [county.dbPath, "SELECT id FROM unit WHERE code = '522222001001001'"], { encoding: 'utf8' }));
  const r = await admin.postJson('/api/v1/households', { unit_id: group, hh_no: '7' });
  assert.equal(r.status, 201, r.text);
  household = r.data.id;
  lastHousehold = (await admin.postJson('/api/v1/households', { unit_id: group, hh_no: '8' })).data.id;
  const m = await admin.postJson('/api/v1/people', { household_id: lastHousehold, name: '吴老太', sex: 'F', birth: '1931-06-07', relation: 'head', status: 'resident' });
  assert.equal(m.status, 201, m.text);
  lastMember = m.data.id;
});

after(async () => {
  if (browser) await browser.close();
  if (county) await county.close();
});

test('the ID number fills birth date and sex on a phone, and the new villager is found by name and initials', async () => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await logIn(page, county.url, 'vil_a', PASSWORD);

  await page.goto(`${county.url}households/${household}/members/new`);
  await page.fill('#f-name', '龙秀英');
  await page.locator('#f-idnum').pressSequentially(idnumOf('19870314', 42));   // 4 is even: a woman
  assert.equal(await page.inputValue('#f-birth'), '1987-03-14', 'the birth date comes from the number');
  assert.equal(await page.locator('input[name="sex"][value="F"]').isChecked(), true, 'and the sex');
  await page.selectOption('#f-relation', 'head');
  await page.screenshot({ path: path.join(OUT, 'person-new-390.png'), fullPage: true });
  await Promise.all([page.waitForURL(new RegExp(`/households/${household}$`)), page.locator('main form button[type=submit]').click()]);
  assert.match(await page.innerText('.flash'), /已添加成员/);

  for (const q of ['秀英', 'LXY']) {
    await page.goto(`${county.url}people?q=${encodeURIComponent(q)}`);
    assert.equal(await page.locator('table.list a', { hasText: '龙秀英' }).count(), 1, `found by ${q}`);
    assert.match(await page.innerText('.pager'), /共 1 条/);
  }
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the list is ${width}px wide on a 390px screen`);
  await page.screenshot({ path: path.join(OUT, 'people-search-390.png'), fullPage: true });
  assert.deepEqual(errors, [], `browser errors: ${errors.join('\n')}`);
  await page.close();
});

test('a household whose last member died is ended from its page on a phone, listed as ended, and restored', async () => {
  await browser.context.clearCookies();   // a fresh login, as the test before left one
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await logIn(page, county.url, 'vil_a', PASSWORD);
  await page.goto(`${county.url}households/${lastHousehold}`);
  assert.equal(await page.locator(`form[action="/households/${lastHousehold}/end"]`).count(), 0, 'not while she lives there');

  await page.goto(`${county.url}people/${lastMember}/edit`);
  await page.selectOption('#f-status', 'deceased');
  await page.fill('#f-status_date', '2026-10-03');
  await Promise.all([page.waitForURL(new RegExp(`/people/${lastMember}$`)), page.locator('main form button[type=submit]').click()]);

  await page.goto(`${county.url}households/${lastHousehold}`);
  const end = page.locator(`form[action="/households/${lastHousehold}/end"]`);
  await end.locator('#f-on').fill('2999-01-01');
  await end.locator('#f-reason').selectOption('deceased');
  await end.locator('button[type=submit]').click();
  await page.locator('#f-on-err').waitFor();
  assert.match(await page.innerText('#f-on-err'), /不能晚于今天/);
  assert.equal(await page.locator('.flash', { hasText: '此户已注销' }).count(), 0, 'nothing was ended');
  await page.screenshot({ path: path.join(OUT, 'household-end-390.png'), fullPage: true });

  await end.locator('#f-on').fill('2026-10-05');
  await Promise.all([page.waitForURL(new RegExp(`/households/${lastHousehold}$`)), end.locator('button[type=submit]').click()]);
  assert.match(await page.innerText('main'), /此户已注销（2026年10月5日 · 全户已故）/);
  assert.equal(await page.locator(`a[href="/households/${lastHousehold}/edit"]`).count(), 0);
  await page.screenshot({ path: path.join(OUT, 'household-ended-390.png'), fullPage: true });

  await page.goto(`${county.url}groups/${group}/households`);
  assert.equal(await page.locator(`table.list a[href="/households/${lastHousehold}"]`).count(), 0, 'gone from the list');
  await Promise.all([page.waitForURL(/ended=1$/), page.locator('a', { hasText: '已注销的户（1）' }).click()]);
  await Promise.all([page.waitForURL(new RegExp(`/households/${lastHousehold}$`)), page.locator('table.list a', { hasText: '8' }).click()]);
  await Promise.all([page.waitForURL(new RegExp(`/households/${lastHousehold}$`)), page.locator('button', { hasText: '恢复此户' }).click()]);
  assert.match(await page.innerText('.flash'), /已恢复此户/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the household page is ${width}px wide on a 390px screen`);
  const refused = `422 ${county.url}households/${lastHousehold}/end`;
  assert.deepEqual(errors.filter((e) => e !== refused), [], `browser errors: ${errors.join('\n')}`);
  await page.close();
});

test('a son\'s family is split off into its own household on a phone, choosing members by checkbox', async () => {
  const admin = await county.login('admin');
  const hh = (await admin.postJson('/api/v1/households', { unit_id: group, hh_no: '30' })).data.id;
  const add = async (name, relation, sex, birth) => {
    const r = await admin.postJson('/api/v1/people', { household_id: hh, name, relation, sex, birth, status: 'resident' });
    assert.equal(r.status, 201, r.text);
  };
  await add('龙大伯', 'head', 'M', '1950-02-03');
  await add('龙小河', 'child', 'M', '1980-04-05');
  await add('石小花', 'child_in_law', 'F', '1982-06-07');
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await page.context().clearCookies();
  await logIn(page, county.url, 'vil_a', PASSWORD);
  await page.goto(county.url + `households/${hh}`);
  await Promise.all([page.waitForURL(/\/split$/), page.locator('.pagehead a', { hasText: '分户' }).click()]);
  assert.equal(await page.inputValue('[name="hh_no"]'), '31', 'the next number of the group');
  // Forgetting the new head is refused next to the field, and the ticked boxes stay ticked.
  await page.locator('label', { hasText: '龙小河' }).locator('input').check();
  await page.locator('label', { hasText: '石小花' }).locator('input').check();
  await Promise.all([page.waitForNavigation(), page.locator('form.form button[type=submit]').click()]);
  assert.equal(await page.locator('.field.has-error [name="head_id"]').count(), 1);
  assert.equal(await page.locator('input[name="members"]:checked').count(), 2);
  await page.screenshot({ path: path.join(OUT, 'split-error-390.png'), fullPage: true });
  await page.selectOption('[name="head_id"]', { label: '龙小河' });
  await Promise.all([page.waitForNavigation(), page.locator('form.form button[type=submit]').click()]);
  assert.match(await page.innerText('.flash'), /已分户/);
  assert.match(await page.innerText('h1'), /户号 31/);
  const members = await page.innerText('table.list');
  assert.ok(members.includes('龙小河') && members.includes('石小花') && !members.includes('龙大伯'), members);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the new household's page is ${width}px wide on a 390px screen`);
  await page.screenshot({ path: path.join(OUT, 'split-done-390.png'), fullPage: true });
  const refused = `422 ${county.url}households/${hh}/split`;
  assert.deepEqual(errors.filter((e) => e !== refused), [], `browser errors: ${errors.join('\n')}`);
  await page.close();
});
