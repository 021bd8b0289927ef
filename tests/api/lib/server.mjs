// Test harness for Zuwei's HTTP tests: starts a real `zuwei serve` on an ephemeral loopback port
// with a fresh database in a temporary folder, and sends requests with node:http so that tests
// control sockets (keep-alive, reuse, early close). Later test files build on these helpers
// (login, forms, JSON) instead of spawning the server themselves.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (tests/api/lib → ../../..). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Path of the binary under test: $ZUWEI_BIN, else build/zuwei in the repository. */
export const zuweiBin = process.env.ZUWEI_BIN || path.join(repoRoot, 'build/zuwei');

const LISTEN_LINE = /^zuwei: listening on (http:\/\/127\.0\.0\.1:(\d+)\/)$/m;
const running = new Set();

// A server left running by a crashed test must not outlive the test process.
process.on('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});

/**
 * Starts `zuwei serve` with a fresh database and waits for its "listening" line.
 * Options:
 *   env      extra environment variables (ZUWEI_TEST=1 is always set unless env.ZUWEI_TEST is
 *            given; pass ZUWEI_TEST: undefined to leave it out)
 *   args     extra command-line arguments after the standard ones (e.g. ['--threads', '2'])
 *   viaEnv   pass database and listen address through ZUWEI_DB / ZUWEI_LISTEN instead of flags
 *   timeoutMs how long to wait for the listening line (default 10 s)
 * Resolves with { url, port, proc, dir, dbPath, stop(), logs(), stdout(), waitForLog() }.
 * Rejects with the server's stderr when it exits early or does not become ready in time.
 */
/** The day this test process runs on (UTC, YYYY-MM-DD). Every server and command it starts is
 * pinned to it (ZUWEI_TODAY) unless a test pins another: a file whose tests straddle midnight
 * would otherwise compare dates the server took on one day with dates the test took on the next. */
export const TEST_DAY = new Date().toISOString().slice(0, 10);

export async function startServer({ env = {}, args = [], viaEnv = false, timeoutMs = 10_000 } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zuwei-test-'));
  const dbPath = path.join(dir, 'zuwei.db');
  const childEnv = { ...process.env, ZUWEI_TEST: '1', ZUWEI_TODAY: TEST_DAY };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = String(v);
  }
  let argv = ['serve', '--db', dbPath, '--listen', '127.0.0.1:0', ...args];
  if (viaEnv) {
    argv = ['serve', ...args];
    childEnv.ZUWEI_DB = dbPath;
    childEnv.ZUWEI_LISTEN = '127.0.0.1:0';
  }

  const proc = spawn(zuweiBin, argv, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  let out = '';
  let err = '';
  const logWaiters = new Set();
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => {
    err += d;
    for (const w of logWaiters) w();
  });
  const exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      running.delete(proc);
      resolve({ code, signal });
    });
  });
  // stdio streams may still hold data after 'exit'; 'close' means all output was read.
  const closed = new Promise((resolve) => proc.on('close', resolve));

  const ready = await new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer);
      proc.stdout.off('data', check);
      proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      reject(new Error(`zuwei serve ${why}\n--- stdout ---\n${out}\n--- stderr ---\n${err}`));
    };
    const timer = setTimeout(() => fail(`printed no listening line within ${timeoutMs} ms`), timeoutMs);
    const check = () => {
      const m = LISTEN_LINE.exec(out);
      if (!m) return;
      clearTimeout(timer);
      proc.stdout.off('data', check);
      resolve({ url: m[1], port: Number(m[2]) });
    };
    proc.stdout.on('data', check);
    proc.on('error', (e) => fail(`could not be started (${zuweiBin}): ${e.message}`));
    exited.then(({ code, signal }) => fail(`exited early (code ${code}, signal ${signal})`));
  });

  let stopping = null;
  return {
    ...ready,
    proc,
    dir,
    dbPath,
    /** Everything the server wrote to stderr so far (access log and diagnostics). */
    logs: () => err,
    /** Everything the server wrote to stdout so far. */
    stdout: () => out,
    /** Resolves with the first regex match in stderr, waiting up to timeoutMs for it. */
    waitForLog(re, waitMs = 5000) {
      return new Promise((resolve, reject) => {
        const look = () => {
          const m = re.exec(err);
          if (!m) return false;
          logWaiters.delete(look);
          clearTimeout(timer);
          resolve(m);
          return true;
        };
        const timer = setTimeout(() => {
          logWaiters.delete(look);
          reject(new Error(`no log line matching ${re} within ${waitMs} ms\n--- stderr ---\n${err}`));
        }, waitMs);
        if (!look()) logWaiters.add(look);
      });
    },
    /**
     * Sends `signal` (default SIGTERM) and resolves with the exit code once the process has
     * exited (null if a signal killed it). After `timeoutMs` it kills the server and rejects.
     * The temporary folder is removed afterwards unless keepDir is true.
     */
    stop({ signal = 'SIGTERM', timeoutMs = 10_000, keepDir = false } = {}) {
      if (!stopping) {
        stopping = (async () => {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
          let timer;
          const timeout = new Promise((_, reject) => {
            timer = setTimeout(() => {
              proc.kill('SIGKILL');
              reject(new Error(`zuwei did not exit within ${timeoutMs} ms after ${signal}\n${err}`));
            }, timeoutMs);
          });
          try {
            const { code } = await Promise.race([exited, timeout]);
            await closed;
            return code;
          } finally {
            clearTimeout(timer);
            if (!keepDir) rmSync(dir, { recursive: true, force: true });
          }
        })();
      }
      return stopping;
    },
  };
}

/**
 * Runs the zuwei binary with `args` to completion (for verbs other than serve).
 * Returns { code, signal, stdout, stderr }.
 */
export function runZuwei(args, { env = {}, timeoutMs = 10_000 } = {}) {
  const r = spawnSync(zuweiBin, args, {
    env: { ...process.env, ZUWEI_TODAY: TEST_DAY, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  if (r.error) throw r.error;
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A minimal cookie jar: remembers name=value pairs from Set-Cookie headers (ignoring attributes
 * other than an expiry in the past or Max-Age=0, which delete) and renders a Cookie header.
 */
export class CookieJar {
  constructor() { this.cookies = new Map(); }

  /** Stores the cookies set by a response's headers. */
  update(headers) {
    for (const line of setCookies(headers)) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a)) ||
        attrs.some((a) => {
          const m = /^\s*expires\s*=(.*)$/i.exec(a);
          return m && Date.parse(m[1]) < Date.now();
        });
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** Value of one cookie, or undefined. */
  get(name) { return this.cookies.get(name); }

  /** The Cookie request header value, or undefined when the jar is empty. */
  header() {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** The Set-Cookie header lines of a response as an array (possibly empty). */
export function setCookies(headers) {
  const v = headers['set-cookie'];
  if (!v) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * Sends one HTTP request with node:http.
 * Options: method (GET), headers ({}), body (string | Buffer), agent (false = a fresh
 * connection that is closed afterwards), jar (CookieJar: sends its cookies and stores new ones),
 * timeoutMs (10 s), rawPath (sent as the request target exactly as given, without the URL
 * normalisation that would turn "/a/%2e%2e/b" into "/b"; url then only gives host and port),
 * expectContinue (send "Expect: 100-continue" and the body only after the server's 100 Continue,
 * as a careful client does with a large upload; a server that refuses early never gets the body).
 * Resolves with { status, headers, text, body (Buffer), reusedSocket, socket }.
 * If the server answers before the whole body was sent (e.g. 413) and closes the connection,
 * the response is still returned; only an error before any response rejects.
 */
export function request(url, {
  method = 'GET', headers = {}, body, agent = false, jar, timeoutMs = 10_000, rawPath, expectContinue = false,
} = {}) {
  return new Promise((resolve, reject) => {
    const hdrs = { ...headers };
    if (body !== undefined && hdrs['content-length'] === undefined && hdrs['Content-Length'] === undefined) {
      hdrs['Content-Length'] = Buffer.byteLength(body);
    }
    const cookie = jar && jar.header();
    if (cookie && hdrs.cookie === undefined && hdrs.Cookie === undefined) hdrs.Cookie = cookie;
    if (expectContinue && body !== undefined) hdrs.Expect = '100-continue';

    let answered = false;
    const u = new URL(url);
    const req = http.request({
      host: u.hostname, port: u.port, path: rawPath ?? u.pathname + u.search, method, headers: hdrs, agent,
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`request ${method} ${String(url).slice(0, 80)} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('response', (res) => {
      answered = true;
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        const buf = Buffer.concat(chunks);
        if (jar) jar.update(res.headers);
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body: buf,
          text: buf.toString('utf8'),
          reusedSocket: req.reusedSocket,
          socket: req.socket,
        });
      });
      res.on('error', (e) => { clearTimeout(timer); reject(e); });
    });
    req.on('error', (e) => {
      if (answered) return;
      clearTimeout(timer);
      reject(e);
    });
    if (body === undefined) req.end();
    else if (expectContinue) req.on('continue', () => req.end(body));
    else req.end(body);
  });
}

/** Encodes an object or array of [name, value] pairs as application/x-www-form-urlencoded. */
export function formBody(fields) {
  return new URLSearchParams(Array.isArray(fields) ? fields : Object.entries(fields)).toString();
}

/** Sleeps for ms milliseconds. */
export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
