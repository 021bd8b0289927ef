// Launches Debian's chromium through playwright-core for browser tests: headless, no network
// side channels, and a fresh profile in a temporary folder that is removed on close.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
];

/**
 * Starts chromium with a fresh user-data-dir. Options are passed to playwright's persistent
 * context (e.g. { viewport: { width: 390, height: 844 }, locale: 'zh-CN' }).
 * Resolves with { context, page, newPage(), close() }; close() also removes the profile.
 */
export async function launchBrowser(options = {}) {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'zuwei-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      locale: 'zh-CN',
      ...options,
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] || await context.newPage();
  return {
    context,
    page,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Collects a page's console errors, uncaught exceptions (e.g. CSP violations) and every response
 * with status 400 or more (with its URL) into an array, for a test to assert it stays empty.
 */
export function collectErrors(page) {
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
  page.on('requestfailed', (r) => errors.push(`failed ${r.url()}: ${r.failure()?.errorText}`));
  return errors;
}

/** Logs `username` in through the login form at `baseUrl` and waits for the home page. */
export async function logIn(page, baseUrl, username, password) {
  await page.goto(baseUrl + 'login');
  await page.fill('#f-username', username);
  await page.fill('#f-password', password);
  await Promise.all([page.waitForURL(baseUrl), page.click('button[type=submit]')]);
}
