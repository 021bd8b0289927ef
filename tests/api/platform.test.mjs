// Platform behaviour of `zuwei serve` seen from outside: command line, readiness, health and
// metrics, access log, language switch, security headers, assets and caching, error pages,
// input limits, keep-alive and graceful shutdown. Each test fails when its behaviour breaks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  CookieJar, formBody, repoRoot, request, runZuwei, setCookies, sleep, startServer,
} from './lib/server.mjs';

const CJK = /[\u4e00-\u9fff]/;
let srv;

before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

/** Returns the nonce in a Content-Security-Policy header's script-src, or null. */
function scriptNonce(csp) {
  const m = /script-src[^;]*'nonce-([A-Za-z0-9+/=_-]+)'/.exec(csp || '');
  return m ? m[1] : null;
}

/** Checks the security headers every response must carry. */
function assertSecurityHeaders(res, what) {
  const csp = res.headers['content-security-policy'];
  assert.ok(csp, `${what}: Content-Security-Policy missing`);
  assert.match(csp, /default-src 'none'/, `${what}: CSP lacks default-src 'none': ${csp}`);
  assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP lacks frame-ancestors 'none': ${csp}`);
  assert.ok(scriptNonce(csp), `${what}: CSP has no script nonce: ${csp}`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: X-Content-Type-Options`);
  assert.ok(res.headers['referrer-policy'], `${what}: Referrer-Policy missing`);
}

/** Lists every file under assets/ relative to the repository root. */
function assetFiles(dir = path.join(repoRoot, 'assets')) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...assetFiles(p));
    else out.push(path.relative(repoRoot, p).split(path.sep).join('/'));
  }
  return out.sort();
}

/** Builds a multipart/form-data body with one text field and one file of `size` bytes. */
function multipart(size) {
  const boundary = '----zuweitest' + Math.random().toString(16).slice(2);
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    body: Buffer.concat([head, Buffer.alloc(size, 0x61), tail]),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Fires two /debug/sleep requests at once on separate connections; returns elapsed ms. */
async function parallelSleeps(url, ms, n = 2) {
  const t0 = Date.now();
  const rs = await Promise.all(Array.from({ length: n }, () => request(`${url}debug/sleep?ms=${ms}`)));
  for (const r of rs) assert.equal(r.status, 200);
  return Date.now() - t0;
}

// ---- command line ----

test('zuwei version prints "zuwei X.Y.Z"', () => {
  const r = runZuwei(['version']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^zuwei \d+\.\d+\.\d+(?: [^\n]*)?\n?$/);
});

test('zuwei help exits 0 and describes serve', () => {
  const r = runZuwei(['help']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, /serve/);
});

test('an unknown verb exits 2 with a message on stderr', () => {
  const r = runZuwei(['no-such-verb-xyz']);
  assert.equal(r.code, 2);
  assert.ok(r.stderr.trim().length > 0, 'stderr is empty');
});

// ---- start-up ----

test('serve prints exactly one listening line with the real port and creates db + key', async () => {
  assert.ok(srv.port > 0);
  const lines = srv.stdout().split('\n').filter((l) => l.startsWith('zuwei: listening on'));
  assert.deepEqual(lines, [`zuwei: listening on http://127.0.0.1:${srv.port}/`]);
  const r = await request(`${srv.url}healthz`);
  assert.equal(r.status, 200);
  assert.ok(existsSync(srv.dbPath), 'database file not created');
  assert.ok(existsSync(srv.dbPath + '.key'), 'key file not created');
});

test('ZUWEI_DB and ZUWEI_LISTEN configure serve like the flags', async () => {
  const s = await startServer({ viaEnv: true });
  try {
    const r = await request(`${s.url}healthz`);
    assert.equal(r.status, 200);
    assert.ok(existsSync(s.dbPath), 'ZUWEI_DB file not created');
    assert.ok(existsSync(s.dbPath + '.key'), 'ZUWEI_DB key file not created');
  } finally {
    assert.equal(await s.stop(), 0);
  }
});

// Connections are spread over the pool's threads by whichever thread accepts first, so two
// connections may share one; with three requests on four threads at least two run at once.
test('--threads 1 serves one request at a time, --threads 4 serves them in parallel', async () => {
  const one = await startServer({ args: ['--threads', '1'] });
  try {
    const ms = await parallelSleeps(one.url, 300, 3);
    assert.ok(ms >= 890, `with one thread three 300 ms sleeps took only ${ms} ms`);
  } finally {
    await one.stop();
  }
  const four = await startServer({ args: ['--threads', '4'] });
  try {
    let ms = Infinity;   // best of five tries: on a busy machine one thread may accept all three, more than once
    for (let i = 0; i < 5 && ms >= 850; i++) ms = Math.min(ms, await parallelSleeps(four.url, 300, 3));
    assert.ok(ms < 850, `with four threads three 300 ms sleeps took ${ms} ms`);
  } finally {
    await four.stop();
  }
});

test('ZUWEI_THREADS sets the thread count like --threads', async () => {
  const one = await startServer({ env: { ZUWEI_THREADS: '1' } });
  try {
    const ms = await parallelSleeps(one.url, 300);
    assert.ok(ms >= 590, `with ZUWEI_THREADS=1 two 300 ms sleeps took only ${ms} ms`);
  } finally {
    await one.stop();
  }
});

// ---- health, metrics, log ----

test('GET /healthz answers 200 text/plain "ok"', async () => {
  const r = await request(`${srv.url}healthz`);
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /^text\/plain/);
  assert.equal(r.text.trim(), 'ok');
});

test('GET /metrics exposes counters that move with traffic', async () => {
  const count = (text) => {
    let n = 0;
    const re = /^zuwei_requests_total\{([^}]*)\}\s+(\d+(?:\.\d+)?)$/gm;
    for (const m of text.matchAll(re)) {
      if (/route="[^"]*healthz[^"]*"/.test(m[1]) && /status="200"/.test(m[1])) n += Number(m[2]);
    }
    return n;
  };
  const m1 = await request(`${srv.url}metrics`);
  assert.equal(m1.status, 200);
  assert.match(m1.headers['content-type'], /^text\/plain/);
  for (let i = 0; i < 3; i++) assert.equal((await request(`${srv.url}healthz`)).status, 200);
  const m2 = await request(`${srv.url}metrics`);
  assert.ok(count(m2.text) >= count(m1.text) + 3,
    `healthz counter went from ${count(m1.text)} to ${count(m2.text)}\n${m2.text}`);
  assert.match(m2.text, /^zuwei_request_duration_seconds_bucket\{[^}]*le="[^"]+"[^}]*\}\s+\d+/m);
  assert.match(m2.text, /^zuwei_request_duration_seconds_bucket\{[^}]*le="\+Inf"[^}]*\}\s+\d+/m);
  assert.match(m2.text, /^zuwei_db_statements_total(\{[^}]*\})?\s+\d+/m);
  const open = /^zuwei_open_connections(?:\{[^}]*\})?\s+(\d+)/m.exec(m2.text);
  assert.ok(open, 'zuwei_open_connections missing');
  assert.ok(Number(open[1]) >= 1, 'the connection asking for /metrics is not counted as open');
});

test('every request writes one access-log line "METHOD PATH STATUS BYTES USEC" to stderr', async () => {
  const ok = await request(`${srv.url}healthz?probe=access-log`);
  const m = await srv.waitForLog(/^GET (\/healthz\S*) 200 (\d+) (\d+)$/m);
  assert.ok(m, 'no access-log line for /healthz');
  assert.equal(Number(m[2]), ok.body.length, 'BYTES does not match the body length');
  const missing = await request(`${srv.url}access-log-missing-page`);
  assert.equal(missing.status, 404);
  const m404 = await srv.waitForLog(/^GET \/access-log-missing-page 404 (\d+) (\d+)$/m);
  assert.equal(Number(m404[1]), missing.body.length);
  const post = await request(`${srv.url}access-log-post`, {
    method: 'POST', body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  await srv.waitForLog(new RegExp(`^POST /access-log-post ${post.status} \\d+ \\d+$`, 'm'));
});

// ---- home page and language ----

test('GET / is an HTML page in Simplified Chinese', async () => {
  const r = await request(srv.url);
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /^text\/html/);
  assert.match(r.headers['content-type'], /charset=utf-8/i);
  assert.match(r.text, /<html lang="zh-CN">/);
  assert.match(r.text, CJK);
});

test('?lang=en switches to English, sets lang=en, the cookie keeps it, ?lang=zh switches back', async () => {
  const jar = new CookieJar();
  const en = await request(`${srv.url}?lang=en`, { jar });
  assert.equal(en.status, 200);
  assert.match(en.text, /<html lang="en">/);
  assert.doesNotMatch(en.text, /<html lang="zh-CN">/);
  assert.ok(setCookies(en.headers).some((c) => /^lang=en(;|$)/.test(c)),
    `no lang=en cookie: ${setCookies(en.headers)}`);
  assert.equal(jar.get('lang'), 'en');

  const again = await request(srv.url, { jar });
  assert.match(again.text, /<html lang="en">/, 'the lang cookie did not keep the page English');

  const zh = await request(`${srv.url}?lang=zh`, { jar });
  assert.match(zh.text, /<html lang="zh-CN">/);
  assert.match(zh.text, CJK);
  const after = await request(srv.url, { jar });
  assert.match(after.text, /<html lang="zh-CN">/, 'after ?lang=zh the page is not Chinese any more');

  const plain = await request(srv.url);
  assert.match(plain.text, /<html lang="zh-CN">/, 'a client without cookie got English');
});

// ---- security headers ----

test('every kind of response carries CSP, nosniff and Referrer-Policy', async () => {
  const urls = [
    ['home', srv.url],
    ['healthz', `${srv.url}healthz`],
    ['metrics', `${srv.url}metrics`],
    ['asset', `${srv.url}assets/css/app.css`],
    ['404', `${srv.url}no-such-page`],
    ['400', `${srv.url}?q=%FF`],
  ];
  for (const [what, url] of urls) assertSecurityHeaders(await request(url), what);
  const big = await request(srv.url, {
    method: 'POST', body: 'a=' + 'x'.repeat(1024 * 1024 + 10), expectContinue: true,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(big.status, 413);
  assertSecurityHeaders(big, '413');
});

test('the CSP script nonce is fresh per response and matches the page\'s scripts', async () => {
  const a = await request(srv.url);
  const b = await request(srv.url);
  const na = scriptNonce(a.headers['content-security-policy']);
  const nb = scriptNonce(b.headers['content-security-policy']);
  assert.ok(na && nb);
  assert.notEqual(na, nb, 'the same nonce was sent twice');
  assert.ok(na.length >= 16, `nonce too short: ${na}`);
  for (const m of a.text.matchAll(/<script\b[^>]*>/g)) {
    assert.match(m[0], new RegExp(`nonce="${na.replace(/[+/=]/g, '\\$&')}"`), `script without the nonce: ${m[0]}`);
  }
});

// ---- assets ----

test('GET /assets/css/app.css is cached forever and revalidates with its ETag', async () => {
  const r = await request(`${srv.url}assets/css/app.css`);
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /^text\/css/);
  assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
  const etag = r.headers.etag;
  assert.ok(etag, 'no ETag');
  assert.deepEqual(r.body, readFileSync(path.join(repoRoot, 'assets/css/app.css')));

  const again = await request(`${srv.url}assets/css/app.css`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, etag);

  const other = await request(`${srv.url}assets/css/app.css`, { headers: { 'If-None-Match': '"not-the-etag"' } });
  assert.equal(other.status, 200);
  assert.ok(other.body.length > 0);
});

test('every file under assets/ is served with its bytes, an ETag and immutable caching', async () => {
  const files = assetFiles();
  assert.ok(files.length > 0, 'assets/ is empty');
  const etags = new Set();
  for (const f of files) {
    const r = await request(`${srv.url}${f}`);
    assert.equal(r.status, 200, f);
    assert.deepEqual(r.body, readFileSync(path.join(repoRoot, f)), `${f}: body differs from the file`);
    assert.ok(r.headers.etag, `${f}: no ETag`);
    assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable', f);
    const again = await request(`${srv.url}${f}`, { headers: { 'If-None-Match': r.headers.etag } });
    assert.equal(again.status, 304, `${f}: If-None-Match did not give 304`);
    etags.add(r.headers.etag);
  }
  const distinct = new Set(files.map((f) => readFileSync(path.join(repoRoot, f)).toString('base64')));
  assert.equal(etags.size, distinct.size, 'different contents share an ETag');
});

test('a path outside the embedded assets is 404, not a file read', async () => {
  for (const p of ['/assets/../Makefile', '/assets/%2e%2e/Makefile', '/assets/css/../../Makefile',
    '/assets/css/no-such.css', '/assets/']) {
    const r = await request(srv.url, { rawPath: p });
    assert.ok(r.status === 404 || r.status === 400, `${p}: status ${r.status}`);
    assert.doesNotMatch(r.text, /pkg-config/, `${p}: leaked the Makefile`);
  }
});

// ---- errors and limits ----

test('an unknown path gets a 404 HTML page in Chinese', async () => {
  const r = await request(`${srv.url}no/such/page`);
  assert.equal(r.status, 404);
  assert.match(r.headers['content-type'], /^text\/html/);
  assert.match(r.text, /<html lang="zh-CN">/);
  assert.match(r.text, CJK);
});

// Large bodies are sent with "Expect: 100-continue": a server that refuses early closes the
// connection, and a client still writing would lose the answer to EPIPE/ECONNRESET.
test('an urlencoded body over 1 MiB is refused with 413, a small one is not', async () => {
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const body = 'a=' + 'x'.repeat(1024 * 1024);
  const big = await request(srv.url, { method: 'POST', headers, body, expectContinue: true });
  assert.equal(big.status, 413);
  assert.match(big.text, CJK, '413 page without a Chinese message');
  // A client that sends the whole body at once gets 413 or a closed connection, never a crash.
  const blunt = await request(srv.url, { method: 'POST', headers, body }).then(
    (r) => r.status, (e) => e.code);
  assert.ok([413, 'EPIPE', 'ECONNRESET'].includes(blunt), `blunt big body gave ${blunt}`);
  const small = await request(srv.url, { method: 'POST', headers, body: 'a=' + 'x'.repeat(1000) });
  assert.notEqual(small.status, 413);
  assert.ok(small.status < 500, `small body gave ${small.status}`);
  assert.equal((await request(`${srv.url}healthz`)).status, 200, 'server unhealthy after big body');
});

test('upload routes take multipart bodies up to 20 MiB; other routes only up to 1 MiB', async () => {
  const upload = `${srv.url}debug/upload`;
  const big = multipart(20 * 1024 * 1024 + 1024);
  const r = await request(upload, {
    method: 'POST', headers: { 'Content-Type': big.type }, body: big.body, timeoutMs: 30_000, expectContinue: true,
  });
  assert.equal(r.status, 413);
  const mid = multipart(2 * 1024 * 1024);
  const r2 = await request(upload, {
    method: 'POST', headers: { 'Content-Type': mid.type }, body: mid.body, expectContinue: true,
  });
  assert.equal(r2.status, 200, 'a 2 MiB upload hit the 1 MiB form cap');
  assert.match(r2.text, new RegExp(`upload ${2 * 1024 * 1024} bytes`));
  const elsewhere = await request(srv.url, {
    method: 'POST', headers: { 'Content-Type': mid.type }, body: mid.body, expectContinue: true,
  });
  assert.equal(elsewhere.status, 413, 'a non-upload route took a 2 MiB body');
});

test('invalid UTF-8 in a query or form value is refused with 400 and a message', async () => {
  const q = await request(`${srv.url}?q=%FF`);
  assert.equal(q.status, 400);
  assert.match(q.text, /UTF-8|编码/i, `no clear message: ${q.text.slice(0, 300)}`);
  const overlong = await request(`${srv.url}?q=%C0%AF`);
  assert.equal(overlong.status, 400, 'overlong UTF-8 accepted');
  const form = await request(srv.url, {
    method: 'POST', body: 'name=%E4%B8', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(form.status, 400, 'truncated UTF-8 in a form value accepted');
  const good = await request(`${srv.url}?q=%E4%B8%AD%E6%96%87`);
  assert.equal(good.status, 200, 'valid UTF-8 refused');
});

test('more than 1000 fields are refused, a few are fine', async () => {
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const many = Array.from({ length: 1500 }, (_, i) => [`f${i}`, '1']);
  const r = await request(srv.url, { method: 'POST', headers, body: formBody(many) });
  assert.ok(r.status === 413 || r.status === 400, `1500 fields gave ${r.status}`);
  const q = await request(`${srv.url}?${formBody(many)}`);
  assert.ok([400, 413, 414, 431].includes(q.status), `1500 query fields gave ${q.status}`);
  const few = await request(srv.url, { method: 'POST', headers, body: formBody({ a: '1', b: '2' }) });
  assert.ok(few.status !== 413 && few.status !== 400, `two fields gave ${few.status}`);
});

test('a 14 KB request head is read; a bigger head gets 431, a query too big for memory 414, and the server goes on', async () => {
  const big = await request(srv.url, { headers: { 'X-Pad': 'a'.repeat(14_000) } });
  assert.equal(big.status, 200, `a 14 KB head gave ${big.status}`);
  const huge = await request(srv.url, { headers: { 'X-Pad': 'a'.repeat(20_000) } });
  assert.equal(huge.status, 431, `a 20 KB head gave ${huge.status}`);
  for (const n of [300, 5000]) {   // MHD would hang on a query that fills its memory pool
    const q = await request(`${srv.url}?${Array(n).fill('a').join('&')}`, { timeoutMs: 3000 });
    assert.equal(q.status, 414, `${n} query parameters gave ${q.status}`);
    assert.match(q.text, /参数过多/);
  }
  const after = await request(`${srv.url}?${Array(100).fill('a').join('&')}`);
  assert.equal(after.status, 200);
});

// ---- connections and shutdown ----

test('keep-alive: several requests reuse one socket', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const sockets = new Set();
    const reused = [];
    for (let i = 0; i < 5; i++) {
      const r = await request(`${srv.url}${i % 2 ? 'healthz' : ''}`, { agent });
      assert.equal(r.status, 200);
      sockets.add(r.socket);
      reused.push(r.reusedSocket);
    }
    assert.equal(sockets.size, 1, `${sockets.size} sockets used for 5 requests`);
    assert.deepEqual(reused, [false, true, true, true, true]);
  } finally {
    agent.destroy();
  }
});

test('/debug/sleep exists only with ZUWEI_TEST=1', async () => {
  const r = await request(`${srv.url}debug/sleep?ms=1`);
  assert.equal(r.status, 200);
  assert.equal(r.text.trim(), 'slept');
  const prod = await startServer({ env: { ZUWEI_TEST: undefined } });
  try {
    const p = await request(`${prod.url}debug/sleep?ms=1`);
    assert.equal(p.status, 404);
  } finally {
    await prod.stop();
  }
});

test('SIGTERM stops accepting, finishes the in-flight request and exits 0', async () => {
  const s = await startServer();
  let exit;
  try {
    const t0 = Date.now();
    const inflight = request(`${s.url}debug/sleep?ms=800`);
    await sleep(200);
    exit = s.stop();
    await sleep(150);
    const late = await request(`${s.url}healthz`, { timeoutMs: 2000 }).then(
      (r) => `status ${r.status}`, (e) => e.code || e.message);
    assert.ok(/ECONNREFUSED|ECONNRESET|socket hang up/.test(late),
      `a new request after SIGTERM got: ${late}`);
    const r = await inflight;
    assert.equal(r.status, 200);
    assert.equal(r.text.trim(), 'slept');
    assert.ok(Date.now() - t0 >= 790);
    assert.equal(await exit, 0);
  } finally {
    await s.stop();
  }
});

test('SIGTERM on an idle server exits 0 promptly', async () => {
  const s = await startServer();
  const t0 = Date.now();
  assert.equal(await s.stop(), 0);
  assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
});
