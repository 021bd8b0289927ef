// The home page in a real browser: Chinese by default, English after clicking the language link,
// no horizontal scrolling on a phone-sized screen, no CSP or script errors. Screenshots go to
// test-output/ for a person to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, startServer } from '../api/lib/server.mjs';
import { collectErrors, launchBrowser } from './lib/browser.mjs';

const OUT = path.join(repoRoot, 'test-output');
const CJK = /[\u4e00-\u9fff]/;
let srv;
let browser;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  srv = await startServer();
  browser = await launchBrowser({ viewport: { width: 1280, height: 800 } });
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

test('home page is Chinese, the English link switches it, and English sticks', async () => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  const res = await page.goto(srv.url);
  assert.equal(res.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.match(await page.innerText('body'), CJK);
  await page.screenshot({ path: path.join(OUT, 'home-zh.png'), fullPage: true });

  const english = page.locator('a[href*="lang=en"]').first();
  assert.ok(await english.count() > 0, 'no link with lang=en on the home page');
  await Promise.all([page.waitForLoadState('load'), page.waitForURL(/lang=en/), english.click()]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  const text = await page.innerText('body');
  assert.match(text, /[A-Za-z]{3,}/);
  await page.screenshot({ path: path.join(OUT, 'home-en.png'), fullPage: true });

  await page.goto(srv.url);
  assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the language cookie did not stick');

  await page.goto(`${srv.url}?lang=zh`);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.deepEqual(errors, [], `browser errors: ${errors.join('\n')}`);
  await page.close();
});

test('home page fits a 390×844 phone screen without horizontal scrolling', async () => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(srv.url);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.screenshot({ path: path.join(OUT, 'home-zh-390.png'), fullPage: true });
  assert.ok(width <= 390, `page is ${width}px wide on a 390px screen`);
  assert.deepEqual(errors, [], `browser errors: ${errors.join('\n')}`);
  await page.close();
});
