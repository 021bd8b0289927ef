// Field capture without signal: a committee member opens the visit form online (the service
// worker keeps a copy), loses the network, reloads the form from the copy, enters two visits
// (queued in IndexedDB under client ids), the first with a photo, gets the network back, and both
// visits arrive exactly once — the photo after its visit, without its Exif — also after the page
// syncs again. Screenshots in test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, TEST_DAY } from '../api/lib/server.mjs';
import { PASSWORD, startCounty } from '../api/lib/county.mjs';
import { collectErrors, launchBrowser, logIn } from './lib/browser.mjs';

const OUT = path.join(repoRoot, 'test-output');
let county;
let browser;
const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();

before(async () => {
  mkdirSync(OUT, { recursive: true });
  county = await startCounty();
  const g = Number(sql(`SELECT id FROM unit WHERE code = '522222001001001'`));
  sql(`INSERT INTO person (unit_id, name, sex, birth) VALUES (${g}, '王成员', 'M', '1970-01-01'), (${g}, '张户主', 'M', '1950-01-01'),
       (${g}, '赵户主', 'M', '1951-01-01');`);
  const pid = (n) => Number(sql(`SELECT id FROM person WHERE name = '${n}'`));
  sql(`INSERT INTO household (unit_id, hh_no, head_id) VALUES (${g}, '1', ${pid('张户主')}), (${g}, '2', ${pid('赵户主')});
       INSERT INTO committee (unit_id, term_start, term_end) VALUES (${g}, '2025-01-01', '2028-01-01');
       INSERT INTO committee_member (committee_id, person_id, post, start_date) SELECT id, ${pid('王成员')}, 'chair', '2025-01-01' FROM committee;
       INSERT INTO visit_assignment (person_id, household_id, unit_id, start_date) SELECT ${pid('王成员')}, id, unit_id, '2025-01-01' FROM household;
       UPDATE user SET person_id = ${pid('王成员')} WHERE username = 'mem_a';`);
  browser = await launchBrowser({ viewport: { width: 390, height: 844 } });
});

after(async () => {
  if (browser) await browser.close();
  if (county) await county.close();
});

/** A minimal JPEG whose Exif segment carries a marker text. */
function jpegWithExif(marker) {
  const exif = Buffer.concat([Buffer.from('Exif\0\0'), Buffer.from(marker)]);
  const app1 = Buffer.concat([Buffer.from([0xFF, 0xE1, (exif.length + 2) >> 8, (exif.length + 2) & 255]), exif]);
  return Buffer.concat([Buffer.from([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]), Buffer.from('JFIF\0'), Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0]),
    app1, Buffer.from([0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0x12, 0x34, 0xFF, 0xD9])]);
}

/** Fills one visit on the form (with a photo when given) and submits it while offline; waits until
 * it is queued. */
async function enterVisit(page, household, purpose, queued, photo) {
  await page.locator(`input[name="household"]`).nth(household).check();
  if (photo) await page.setInputFiles('#f-photo', { name: 'visit.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.fill('#f-purpose', purpose);
  await page.fill('#f-requests', '村口路灯坏了');
  await page.locator('input[name="duty"][value="publicist"]').check();
  await page.click('#visit-form button[type=submit]');
  await page.waitForSelector(`#visit-form[data-queued="${queued}"]`, { timeout: 5000 });
}

test('two visits entered without signal arrive exactly once when the signal returns', async () => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await logIn(page, county.url, 'mem_a', PASSWORD);

  await page.goto(county.url + 'visits/new');
  await page.waitForSelector('#visit-form[data-offline-ready="1"]', { timeout: 10000 });
  assert.equal(sql('SELECT count(*) FROM visit'), '0');

  await browser.context.setOffline(true);
  await page.reload();                              // served by the service worker's copy
  assert.match(await page.innerText('h1'), /登记走访/);
  await page.waitForSelector('#visit-form[data-queued="0"]');
  await enterVisit(page, 0, '宣传医保政策', 1, jpegWithExif('GPS-31.7N-108.6E'));
  assert.match(await page.innerText('#offline-queue'), /含照片/);
  assert.match(await page.innerText('#offline-status'), /已保存在手机上/);
  await enterVisit(page, 1, '了解春耕困难', 2);
  await page.screenshot({ path: path.join(OUT, 'offline-queue-390.png'), fullPage: true });
  assert.equal(sql('SELECT count(*) FROM visit'), '0', 'nothing reached the server while offline');

  await browser.context.setOffline(false);
  await page.waitForSelector('#visit-form[data-queued="0"]', { timeout: 10000 });
  assert.equal(sql('SELECT count(*) FROM visit'), '2');
  assert.equal(sql('SELECT count(DISTINCT client_id) FROM visit WHERE client_id IS NOT NULL'), '2');
  assert.equal(sql(`SELECT group_concat(purpose, '|') FROM (SELECT purpose FROM visit ORDER BY purpose)`), '了解春耕困难|宣传医保政策');
  assert.equal(sql(`SELECT v.purpose || '|' || instr(p.bytes, CAST('GPS-31.7N' AS BLOB)) FROM visit_photo p JOIN visit v ON v.id = p.visit_id`),
    '宣传医保政策|0', 'the photo followed its own visit, without its Exif');

  // A second sync (page reload online) and a replayed upload add nothing.
  await page.reload();
  await page.waitForSelector('#visit-form[data-queued="0"]');
  const ids = sql('SELECT client_id FROM visit').split('\n');
  const replay = await page.evaluate(async ([cids, day]) => {
    const csrf = document.querySelector('input[name="csrf"]').value;
    const body = cids.map((c) => ({ client_id: c, visited_on: day, household_q: '1', purpose: 'x', duties: ['publicist'] }));
    const r = await fetch('/api/v1/visits/batch', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify(body) });
    return (await r.json()).results.map((x) => x.status);
  }, [ids, TEST_DAY]);
  assert.deepEqual(replay, ['duplicate', 'duplicate']);
  assert.equal(sql('SELECT count(*) FROM visit'), '2');
  assert.equal(sql(`SELECT done FROM visit_count WHERE person_id = (SELECT person_id FROM user WHERE username = 'mem_a')
                    AND month = CAST(strftime('%Y%m', 'now') AS INTEGER)`), '2', 'the counters count each visit once');
  const real = errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|net::ERR|Failed to fetch|failed http/i.test(e));
  assert.deepEqual(real, [], `browser errors: ${real.join('\n')}`);
  await page.close();
});
