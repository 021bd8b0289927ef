// The audit log's totals read from audit_tally (018): for the county (with the entries of no
// unit), a township, a village, a group and a unit asked for, each total is the number of entries
// a plain count of the log gives, capped at 1,000 as before — also after a village moves (its old
// entries stay under their old path) and past the cap. `zuwei check` recounts the tally.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startCounty } from './lib/county.mjs';
import { runZuwei } from './lib/server.mjs';

let county;
const s = {};
const sql = (q) => execFileSync('sqlite3', [county.dbPath, q], { encoding: 'utf8' }).trim();
const unitId = (code) => Number(sql(`SELECT id FROM unit WHERE code = '${code}'`));
const pathOf = (id) => sql(`SELECT path FROM unit WHERE id = ${id}`);

before(async () => {
  county = await startCounty();
  s.admin = await county.login('admin');
  s.auditor = await county.login('auditor');
  // Entries in several groups, and one of no unit (a setting).
  for (const code of ['522222001001001', '522222001002001', '522222100002001']) {
    const r = await s.admin.postJson('/api/v1/matters', { unit_id: unitId(code), title: '修路', category: 'works',
      raised_by: 'villager', raised_on: '2026-01-05' });
    assert.equal(r.status, 201, r.text);
  }
});

after(async () => { if (county) await county.close(); });

/** The entries the county's admin or auditor sees under `unit` (the county with the entries of no
 * unit when null), counted from the log. */
function fromLog(unit) {
  const path = pathOf(unit ?? unitId('522222000000'));
  const unitless = unit ? '' : " OR unit_path = ''";
  return Number(sql(`SELECT count(*) FROM audit WHERE unit_path BETWEEN '${path}' AND '${path}~'${unitless}`));
}

async function totalsAgree(label) {
  const asks = [['admin', null], ['admin', '522222000000'], ['admin', '522222001000'], ['admin', '522222001001'],
    ['admin', '522222001001001'], ['admin', '522222100000'], ['auditor', null], ['auditor', '522222001002']];
  for (const [who, code] of asks) {
    const unit = code && unitId(code);
    const r = await s[who].json(`/api/v1/audit${unit ? `?unit=${unit}` : ''}`);
    assert.equal(r.status, 200, r.text);
    const want = fromLog(unit);
    assert.deepEqual([r.data.total, r.data.total_capped], [Math.min(want, 1000), want > 1000], `${label}: ${who} unit ${code}`);
    assert.equal(r.data.entries.length, Math.min(want, 50));
  }
}

test('each scope\'s audit total is the count of its entries, after a village moves too', async () => {
  assert.ok(fromLog(null) > fromLog(unitId('522222000000')), 'the county also sees entries of no unit');
  await totalsAgree('as written');
  const vil = unitId('522222001001');
  const moved = await s.admin.postJson(`/api/v1/units/${vil}/move`, { parent_id: unitId('522222100000'), code: '522222100009' });
  assert.equal(moved.status, 200, moved.text);
  await s.admin.postJson('/api/v1/matters', { unit_id: unitId('522222001001001'), title: '修渠', category: 'works',
    raised_by: 'villager', raised_on: '2026-01-06' });
  await totalsAgree('after the move');
  assert.match(county.cli(['check']), /audit tally: ok/);
});

test('zuwei check names a unit path whose audit tally is wrong', async () => {
  const copy = county.dbPath + '.off';
  sql(`VACUUM INTO '${copy}'`);
  execFileSync('cp', [county.dbPath + '.key', copy + '.key']);
  const path = pathOf(unitId('522222001000'));
  execFileSync('sqlite3', [copy, `UPDATE audit_tally SET entries = entries + 1 WHERE path = '${path}'`]);
  const r = runZuwei(['check', '--db', copy]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /audit tally: MISMATCH in 2 unit paths/);
  assert.match(r.stderr, new RegExp(`audit tally: kept '${path}'`));
});

test('past the cap the total stops at 1,000 as before', async () => {
  // A thousand more entries of 凯德村一组 (双江街道), copied with sqlite3: the insert trigger counts them
  // (the copies break the hash chain, which no later test checks).
  const path = pathOf(unitId('522222001002001'));
  sql(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 1000)
       INSERT INTO audit (id, at, username, action, entity, unit_id, unit_path, prev_hash, hash)
       SELECT (SELECT max(id) FROM audit) + i, '2026-01-07T00:00:00Z', 'admin', 'create', 'matter', ${unitId('522222001002001')},
              '${path}', 'x', 'x' FROM k`);
  await totalsAgree('past the cap');
});
