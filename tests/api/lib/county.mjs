// A small county for API tests: the fixture org tree (tests/fixtures/org-small.csv) and one login
// per role, prepared with the binary's own CLI before the server starts, plus a logged-in client.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CookieJar, formBody, repoRoot, request, runZuwei, startServer } from './server.mjs';

export const PASSWORD = 'Test1234pw';

/** Logins of the fixture county: username → [role, scope code]. */
export const USERS = {
  admin: ['county_admin', '522222000000'],
  town_a: ['township', '522222001000'],      // 双江街道
  town_b: ['township', '522222100000'],      // 太平镇
  vil_a: ['village', '522222001001'],        // 坝溪村 (under 双江街道)
  mem_a: ['member', '522222001001001'],      // 坝溪村一组
  villager_a: ['villager', '522222001001002'],
  auditor: ['auditor', '522222000000'],
};

/** Runs a CLI verb against a database and throws with its output when it fails. */
export function cli(dbPath, args) {
  const r = runZuwei([...args, '--db', dbPath], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`zuwei ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Prepares a database with the fixture county and its users, starts the server on it.
 * Resolves with the server object of startServer plus { dbPath, login(username), cli(args), close() }.
 */
export async function startCounty({ users = USERS, env = {} } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zuwei-county-'));
  const dbPath = path.join(dir, 'county.db');
  cli(dbPath, ['init']);
  cli(dbPath, ['org', 'import', path.join(repoRoot, 'tests/fixtures/org-small.csv')]);
  for (const [name, [role, scope]] of Object.entries(users)) {
    cli(dbPath, ['user', 'add', name, '--role', role, '--scope', scope, '--password', PASSWORD, '--no-change', '--name', name]);
  }
  const server = await startServer({ args: ['--db', dbPath], env });
  return {
    ...server,
    dbPath,
    cli: (args) => cli(dbPath, args),
    login: (username, password = PASSWORD) => login(server.url, username, password),
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Logs in through POST /api/v1/login and returns a client that keeps the session cookie and
 * sends the CSRF token on every non-GET:
 *   get(path, opts), post(path, fields) (form: an object, or [name, value] pairs for repeated names), postJson(path, obj), json(path) (GET, parsed),
 *   postFile(path, field, filename, type, bytes) (multipart, JSON answer parsed), jar, csrf.
 */
export async function login(url, username, password = PASSWORD) {
  const jar = new CookieJar();
  const res = await request(url + 'api/v1/login', {
    method: 'POST', jar,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${res.text}`);
  return client(url, jar, JSON.parse(res.text).csrf);
}

/** A client over a cookie jar; see login(). */
export function client(url, jar = new CookieJar(), csrf = '') {
  const abs = (p) => url + p.replace(/^\//, '');
  return {
    jar,
    csrf,
    get: (p, opts = {}) => request(abs(p), { ...opts, jar }),
    async json(p) {
      const res = await request(abs(p), { jar, headers: { Accept: 'application/json' } });
      return { ...res, data: res.text ? JSON.parse(res.text) : null };
    },
    post: (p, fields = {}, opts = {}) => request(abs(p), {
      method: 'POST', jar,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(opts.headers || {}) },
      body: formBody(opts.noCsrf ? fields : Array.isArray(fields) ? [['csrf', csrf], ...fields] : { csrf, ...fields }),
    }),
    async postJson(p, obj) {
      const res = await request(abs(p), {
        method: 'POST', jar,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, Accept: 'application/json' },
        body: JSON.stringify(obj),
      });
      return { ...res, data: res.text && res.headers['content-type']?.startsWith('application/json') ? JSON.parse(res.text) : null };
    },
    async postFile(p, field, filename, type, bytes) {
      const boundary = '----zwfile' + Math.random().toString(16).slice(2);
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
          `Content-Type: ${type}\r\n\r\n`), Buffer.from(bytes), Buffer.from(`\r\n--${boundary}--\r\n`)]);
      const res = await request(abs(p), {
        method: 'POST', jar, body,
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'X-CSRF-Token': csrf, Accept: 'application/json' },
      });
      return { ...res, data: res.text && res.headers['content-type']?.startsWith('application/json') ? JSON.parse(res.text) : null };
    },
  };
}
