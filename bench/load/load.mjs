// Load client for `prescreen serve` (loopback only, bounded): N concurrent
// clients for D seconds. Each client loops: a think time, then one request —
// mostly browsing the review pages (queue, applicant, upload page, the
// redacted image, the stylesheet), 1 in UPLOAD_EVERY an upload through the
// API. Prints latency percentiles per request class and the error count as
// JSON. Node's own http client; no dependencies.
import http from 'node:http';
import { readFileSync } from 'node:fs';

const arg = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  (a.startsWith('--') ? acc.concat([[a.slice(2), all[i + 1]]]) : acc), []));
const base = new URL(arg.base);
if (base.hostname !== '127.0.0.1') throw new Error('loopback only');
const clients = Number(arg.clients || 200);
const duration = Number(arg.seconds || 60) * 1000;
const thinkMs = Number(arg.think || 100);      // mean think time between a client's requests
const uploadEvery = Number(arg['upload-every'] || 20);
const token = arg.token, user = arg.user, password = arg.password;
const applicants = arg.applicants.split(',');
const jobs = arg.jobs.split(',');
const images = arg.images.split(',');
const file = readFileSync(arg.file);
const agent = new http.Agent({ keepAlive: true, maxSockets: clients + 10 });

function request(method, path, headers = {}, body = null) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: base.hostname, port: base.port, method, path, agent,
      headers: body ? { ...headers, 'content-length': body.length } : headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        body: Buffer.concat(chunks), ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    });
    req.on('error', (e) => resolve({ status: 0, error: String(e), ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    if (body) req.write(body);
    req.end();
  });
}

async function signIn() {
  const page = await request('GET', '/login');
  const pre = /ps_login=([0-9a-f]{64})/.exec(page.headers['set-cookie'].join(';'))[1];
  const form = `csrf=${pre}&name=${encodeURIComponent(user)}&password=${encodeURIComponent(password)}`;
  const r = await request('POST', '/login', { cookie: `ps_login=${pre}`,
    'content-type': 'application/x-www-form-urlencoded' }, Buffer.from(form));
  if (r.status !== 303) throw new Error('sign-in failed: ' + r.status);
  return 'ps_session=' + /ps_session=([0-9a-f]{64})/.exec(r.headers['set-cookie'].join(';'))[1];
}

const boundary = '----psLoadBoundary';
function multipart(applicant) {
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nselfie\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="applicant_id"\r\n\r\n${applicant}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.jpg"\r\n` +
    'Content-Type: image/jpeg\r\n\r\n');
  return Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
}

const samples = { page: [], image: [], static: [], upload: [] };
const errors = [];
let stop = false;

function pick(a) { return a[Math.floor(Math.random() * a.length)]; }

async function client(i, cookie) {
  let n = 0;
  while (!stop) {
    await new Promise((r) => setTimeout(r, Math.random() * 2 * thinkMs));
    if (stop) break;
    n++;
    let cls, r;
    if (n % uploadEvery === i % uploadEvery) {
      cls = 'upload';
      r = await request('POST', '/api/uploads', { authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}` }, multipart(arg['upload-applicant']));
      if (r.status !== 202) errors.push(`upload ${r.status} ${r.error || ''}`);
    } else {
      const roll = Math.random();
      let path;
      if (roll < 0.25) { cls = 'page'; path = '/'; }
      else if (roll < 0.5) { cls = 'page'; path = '/applicants/' + pick(applicants); }
      else if (roll < 0.75) { cls = 'page'; path = '/uploads/' + pick(jobs); }
      else if (roll < 0.9) { cls = 'image'; path = `/uploads/${pick(images)}/image`; }
      else { cls = 'static'; path = '/static/style.css'; }
      r = await request('GET', path, { cookie });
      if (r.status !== 200) errors.push(`GET ${path} ${r.status} ${r.error || ''}`);
    }
    samples[cls].push(r.ms);
  }
}

function pct(a, p) {
  if (!a.length) return null;
  const s = [...a].sort((x, y) => x - y);
  return Math.round(s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))] * 10) / 10;
}

// Sessions are made before the clock starts (sign-in runs Argon2id on
// purpose: it is slow by design and not part of browsing).
const sessions = [];
for (let k = 0; k < 8; k++) sessions.push(await signIn());
const t0 = Date.now();
const runs = [];
for (let i = 0; i < clients; i++) runs.push(client(i, sessions[i % sessions.length]));
setTimeout(() => { stop = true; }, duration);
await Promise.all(runs);
const secs = (Date.now() - t0) / 1000;
const out = { clients, seconds: Math.round(secs), think_ms_mean: thinkMs, upload_every: uploadEvery,
  requests: Object.values(samples).reduce((a, s) => a + s.length, 0), errors: errors.length,
  first_errors: errors.slice(0, 5) };
for (const [k, v] of Object.entries(samples))
  out[k] = { n: v.length, p50_ms: pct(v, 50), p95_ms: pct(v, 95), p99_ms: pct(v, 99), max_ms: pct(v, 100) };
out.rps = Math.round(out.requests / secs);
console.log(JSON.stringify(out, null, 1));
agent.destroy();
process.exit(errors.length ? 1 : 0);
