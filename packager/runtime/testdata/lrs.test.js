// Tests of assets/lrs.js, the send queue; run by TestPlayerLogic (go test).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const L = require('../assets/lrs.js');
const F = require('./fakelrs.js');

const ep = F.endpoint;
const auth = 'Basic dG9rZW4=';
let n = 0;
const st = (label) => ({ id: '00000000-0000-4000-8000-' + String(++n).padStart(12, '0'), verb: { id: 'v' }, label: label });

function newQueue(lms, storage, timers) {
  return L.createQueue({ fetch: lms.fetch, storage: storage, setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout, log: () => {} });
}

test('statements go out in order, in batches, with the xAPI headers', async () => {
  const lms = F.newLMS();
  const timers = F.fakeTimers();
  const storage = L.memoryStore();
  const q = newQueue(lms, storage, timers);
  const sent = [st('a'), st('b'), st('c')];
  for (const s of sent) q.add(ep, auth, s);
  assert.equal(await q.drained(), true);
  assert.deepEqual(lms.statements.map((s) => s.label), ['a', 'b', 'c']);
  const posts = lms.requests.filter((r) => r.method === 'POST');
  assert.equal(posts[0].url, ep + 'statements');
  assert.deepEqual(posts[0].init.headers, { 'X-Experience-API-Version': '1.0.3', Authorization: auth, 'Content-Type': 'application/json' });
  assert.equal(posts[0].init.keepalive, true, 'small requests outlive the page');
  assert.ok(posts.length <= 2, 'the second and third go together');
  assert.equal(storage.getItem('coursekit.statements'), null, 'nothing left in storage');
});

test('an LRS that is down: kept, retried with backoff, sent in order after a reload', async () => {
  const lms = F.newLMS({ down: true });
  const timers = F.fakeTimers();
  const storage = L.memoryStore();
  const q = newQueue(lms, storage, timers);
  q.add(ep, auth, st('first'));
  await F.settle();
  assert.deepEqual(timers.pending(), [1000]);
  timers.runAll();
  await F.settle();
  assert.deepEqual(timers.pending(), [2000], 'the delay doubles');
  q.add(ep, auth, st('second'));
  await F.settle();
  assert.equal(q.pending(), 2);
  assert.equal(JSON.parse(storage.getItem('coursekit.statements')).length, 2, 'queued statements are in storage');
  assert.equal(await q.drained(), false, 'drained says false while the LRS is down');

  // The page is closed and opened again; the LRS is back.
  lms.down = false;
  const again = newQueue(lms, storage, F.fakeTimers());
  again.add(ep, auth, st('third'));
  assert.equal(await again.drained(), true);
  assert.deepEqual(lms.statements.map((s) => s.label), ['first', 'second', 'third']);
});

test('the delay stops growing at 30 seconds and resets after a success', async () => {
  const lms = F.newLMS({ down: true });
  const timers = F.fakeTimers();
  const q = newQueue(lms, L.memoryStore(), timers);
  q.add(ep, auth, st('x'));
  const delays = [];
  for (let i = 0; i < 8; i++) {
    await F.settle();
    delays.push(timers.pending()[0]);
    timers.runAll();
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  lms.down = false;
  await F.settle();
  timers.runAll();
  await F.settle();
  assert.equal(q.pending(), 0);
  lms.down = true;
  q.add(ep, auth, st('y'));
  await F.settle();
  assert.deepEqual(timers.pending(), [1000]);
});

test('a 5xx is retried; a 400 drops only the bad statement; 401 and 409 drop', async () => {
  const lms = F.newLMS();
  let fail = 503;
  lms.statementStatus = (list) => {
    if (fail) { const f = fail; fail = 0; return f; }
    return list.some((s) => s.label === 'bad') ? 400 : 200;
  };
  const timers = F.fakeTimers();
  const q = newQueue(lms, L.memoryStore(), timers);
  q.add(ep, auth, st('a'));
  await F.settle();
  assert.equal(q.pending(), 1, 'kept after a 503');
  q.add(ep, auth, st('bad'));
  q.add(ep, auth, st('c'));
  assert.equal(await q.drained(), true);
  assert.deepEqual(lms.statements.map((s) => s.label), ['a', 'c']);

  for (const status of [401, 403, 409]) {
    lms.statementStatus = status;
    q.add(ep, auth, st('refused'));
    assert.equal(await q.drained(), true, 'status ' + status);
  }
});

test('statements for different endpoints or credentials go in separate requests', async () => {
  const lms = F.newLMS();
  const q = newQueue(lms, L.memoryStore(), F.fakeTimers());
  q.add(ep, 'Basic b2xk', st('old session'));
  q.add(ep, auth, st('new session'));
  await q.drained();
  const posts = lms.requests.filter((r) => r.method === 'POST');
  assert.deepEqual(posts.map((p) => p.init.headers.Authorization), ['Basic b2xk', auth]);
});

test('flushAll sends everything at once with keepalive requests', async () => {
  const lms = F.newLMS({ down: true });
  const timers = F.fakeTimers();
  const q = newQueue(lms, L.memoryStore(), timers);
  for (let i = 0; i < 3; i++) q.add(ep, auth, st('x' + i));
  await F.settle();
  lms.down = false;
  lms.requests.length = 0;
  q.flushAll();
  assert.deepEqual(timers.pending(), [], 'the retry timer is cancelled');
  await F.settle();
  assert.equal(lms.requests.length, 1);
  assert.equal(lms.requests[0].init.keepalive, true);
  assert.equal(q.pending(), 0);
});

test('a queue without usable storage keeps statements in memory', async () => {
  const lms = F.newLMS({ down: true });
  const full = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); }, removeItem: () => {} };
  const warnings = [];
  const q = L.createQueue({ fetch: lms.fetch, storage: full, setTimeout: F.fakeTimers().setTimeout, clearTimeout: () => {}, log: (m) => warnings.push(m) });
  q.add(ep, auth, st('kept'));
  assert.equal(q.pending(), 1);
  await F.settle();
  lms.down = false;
  q.flush();
  assert.equal(await q.drained(), true);
  assert.deepEqual(lms.statements.map((s) => s.label), ['kept']);
  assert.ok(warnings.some((w) => /memory/.test(w)));
});

test('request: query strings, documents, and network errors as status 0', async () => {
  const lms = F.newLMS({ down: true });
  assert.deepEqual(await L.request(lms.fetch, { endpoint: 'https://x/xapi', path: 'about' }), { status: 0, json: null });
  const seen = [];
  const fetch = (url, init) => { seen.push([url, init]); return Promise.resolve({ status: 200, text: () => Promise.resolve('{"a":1}') }); };
  const r = await L.request(fetch, { endpoint: 'https://x/xapi', path: 'activities/state', query: { stateId: 'a b', registration: undefined }, method: 'PUT', body: { v: 1 } });
  assert.deepEqual(r, { status: 200, json: { a: 1 } });
  assert.equal(seen[0][0], 'https://x/xapi/activities/state?stateId=a%20b');
  assert.equal(seen[0][1].body, '{"v":1}');
  const throws = () => { throw new TypeError('blocked'); };
  assert.deepEqual(await L.request(throws, { endpoint: 'https://x/', path: 'about' }), { status: 0, json: null });
});
