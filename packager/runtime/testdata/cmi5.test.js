// Tests of assets/cmi5.js against a fake LMS (fakelrs.js): the statement
// sequences of cmi5 and xAPI launches; run by TestPlayerLogic (go test).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const C = require('../assets/cmi5.js');
const X = require('../assets/xapi.js');
const fx = require('./fixtures.js');
const F = require('./fakelrs.js');

const q = fx.questions;
const cmi5Category = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const moveonCategory = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
const sessionExt = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
const masteryExt = 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore';

const ev = (completion, success) => ({ completion, success, progress: completion === 'completed' ? 1 : 0.5 });
const sc = (raw) => ({ raw, answered: 8, count: 8 });

async function launch(opts) {
  const o = opts || {};
  const lms = o.lms || F.newLMS(o.lmsOpts);
  const env = o.env || F.env(lms);
  env.search = o.search || F.cmi5Search(o.params);
  const s = await C.launch(o.kind || 'cmi5', o.course || fx.course, env);
  return { lms, env, s };
}

const verbs = (lms) => lms.statements.map((st) => st.verb.display['en-US']);
const byVerb = (lms, v) => lms.statements.find((st) => st.verb.display['en-US'] === v);
const categories = (st) => ((st.context.contextActivities || {}).category || []).map((a) => a.id);

test('cmi5: a session from initialized to terminated, with the context template on every statement', async () => {
  const { lms, env, s } = await launch({ lmsOpts: { launchData: { masteryScore: 0.9 } } });
  assert.equal(s.connected, true);
  assert.equal(s.mastery, 0.9, 'the LMS mastery score replaces the course\'s');
  assert.equal(s.mode, 'Normal');
  const token = lms.requests.filter((r) => r.url === F.fetchURL);
  assert.equal(token.length, 1);
  assert.equal(token[0].method, 'POST');

  env.tick(1000);
  s.viewed(fx.course.lessons[0]);
  s.answer(q.single, 'right', { correct: true, latencyMs: 2000 });
  s.answer(fx.reflection, 'A thought.', { latencyMs: 500 });
  s.report(ev('incomplete', 'unknown'), { raw: 50, answered: 1, count: 8 });
  s.report(ev('incomplete', 'failed'), sc(60));
  env.tick(60000);
  s.report(ev('completed', 'passed'), sc(100));
  s.report(ev('completed', 'passed'), sc(100));
  env.tick(1500);
  assert.equal(s.finish(), true);
  assert.equal(s.finish(), false, 'terminated once');
  s.viewed(fx.course.lessons[1]);
  s.answer(q.tf, false, { correct: true, latencyMs: 1 });
  s.report(ev('completed', 'failed'), sc(10));
  assert.equal(await s.drained(), true);

  assert.deepEqual(verbs(lms), ['initialized', 'experienced', 'answered', 'answered', 'passed', 'completed', 'terminated']);
  let last = '';
  for (const st of lms.statements) {
    assert.match(st.id, X.uuidPattern);
    assert.deepEqual(st.actor, F.actor);
    assert.ok(st.timestamp > last, 'timestamps increase');
    last = st.timestamp;
    assert.equal(st.context.registration, F.registration);
    assert.equal(st.context.extensions[sessionExt], F.sessionId, 'session id from the context template');
    const grouping = st.context.contextActivities.grouping.map((a) => a.id);
    assert.deepEqual(grouping, [F.publisherId, fx.course.activity], 'the template\'s publisher id, then the course');
    const definedStatement = ['initialized', 'passed', 'completed', 'terminated'].includes(st.verb.display['en-US']);
    if (definedStatement) {
      assert.deepEqual(st.object, { objectType: 'Activity', id: F.activityId });
      const judged = st.result && ('success' in st.result || 'completion' in st.result);
      assert.deepEqual(categories(st), judged ? [cmi5Category, moveonCategory] : [cmi5Category], st.verb.id);
      assert.equal(st.context.contextActivities.parent, undefined);
    } else {
      assert.deepEqual(categories(st), [], 'cmi5 allowed statements carry no cmi5 category');
      assert.deepEqual(st.context.contextActivities.parent, [{ id: F.activityId }]);
    }
  }
  assert.equal(byVerb(lms, 'initialized').result, undefined);
  assert.deepEqual(byVerb(lms, 'experienced').object, X.activity(fx.course, fx.course.lessons[0].activity, 'One', X.types.lesson));
  const answered = lms.statements.filter((st) => st.verb.display['en-US'] === 'answered');
  assert.deepEqual(answered[0].object, X.interaction(fx.course, q.single));
  assert.deepEqual(answered[0].result, { success: true, response: 'right', duration: 'PT0H0M2S' });
  assert.deepEqual(answered[1].result, { response: 'A thought.', duration: 'PT0H0M0.5S' });
  const passed = byVerb(lms, 'passed');
  assert.deepEqual(passed.result, { score: { scaled: 1, raw: 100, min: 0, max: 100 }, success: true, duration: 'PT0H1M1S' });
  assert.equal(passed.context.extensions[masteryExt], 0.9);
  assert.deepEqual(byVerb(lms, 'completed').result, { completion: true, duration: 'PT0H1M1S' }, 'no score on completed');
  assert.deepEqual(byVerb(lms, 'terminated').result, { duration: 'PT0H1M2.5S' });
  assert.equal(byVerb(lms, 'completed').context.extensions[masteryExt], undefined);
  assert.deepEqual(env.navigated, ['https://lms.example.org/course/7'], 'returns to the LMS after terminated');

  const state = lms.state['coursekit.progress|' + F.activityId + '|' + F.registration];
  assert.equal(state.completed, true);
  assert.equal(state.passed, true);
});

test('cmi5: failed only when the session ends below the mastery score, and never after passed', async () => {
  let r = await launch();
  r.s.report(ev('incomplete', 'failed'), sc(40));
  r.s.finish();
  await r.s.drained();
  assert.deepEqual(verbs(r.lms), ['initialized', 'failed', 'terminated']);
  const failed = byVerb(r.lms, 'failed');
  assert.deepEqual(failed.result.score, { scaled: 0.4, raw: 40, min: 0, max: 100 });
  assert.equal(failed.result.success, false);
  assert.equal(failed.context.extensions[masteryExt], undefined, 'no LMS mastery score, no extension');

  // A learner who passes, then changes an answer and ends below the score.
  r = await launch();
  r.s.report(ev('completed', 'passed'), sc(80));
  r.s.report(ev('completed', 'failed'), sc(70));
  r.s.finish();
  await r.s.drained();
  assert.deepEqual(verbs(r.lms), ['initialized', 'passed', 'completed', 'terminated']);
});

test('cmi5: Browse and Review send no completion, pass or fail', async () => {
  for (const mode of ['Browse', 'Review']) {
    const { lms, s } = await launch({ lmsOpts: { launchData: { launchMode: mode } } });
    assert.equal(s.mode, mode);
    s.viewed(fx.course.lessons[0]);
    s.answer(q.tf, false, { correct: true, latencyMs: 10 });
    s.report(ev('completed', 'passed'), sc(100));
    s.report(ev('completed', 'failed'), sc(10));
    s.finish();
    await s.drained();
    assert.deepEqual(verbs(lms), ['initialized', 'experienced', 'answered', 'terminated'], mode);
  }
});

test('cmi5: completed and passed once per registration, across sessions', async () => {
  const lms = F.newLMS();
  const first = await launch({ lms });
  first.s.report(ev('completed', 'passed'), sc(100));
  first.s.finish();
  await first.s.drained();
  // A new session of the same registration: another fetch URL.
  const env = F.env(lms);
  const second = await launch({ lms, env, params: { fetch: F.fetchURL.replace('abc', 'def') } });
  assert.equal(second.s.entry, 'resume');
  second.s.report(ev('completed', 'passed'), sc(100));
  second.s.report(ev('completed', 'failed'), sc(0));
  second.s.finish();
  await second.s.drained();
  assert.deepEqual(verbs(lms), ['initialized', 'passed', 'completed', 'terminated', 'initialized', 'terminated']);
});

test('cmi5: a reload keeps the token and the session; after terminated the session is over', async () => {
  const lms = F.newLMS();
  const env = F.env(lms);
  const first = await launch({ lms, env });
  first.s.report(ev('completed', 'unknown'), { raw: null, answered: 0, count: 0 });
  await first.s.drained();
  const reloaded = await launch({ lms, env });
  assert.equal(reloaded.s.connected, true);
  assert.equal(lms.tokens, 1, 'the one-time fetch URL is not spent again');
  reloaded.s.report(ev('completed', 'unknown'), { raw: null, answered: 0, count: 0 });
  reloaded.s.finish();
  await reloaded.s.drained();
  assert.deepEqual(verbs(lms), ['initialized', 'completed', 'terminated'], 'no second initialized or completed');
  const again = await launch({ lms, env });
  assert.equal(again.s.connected, undefined);
  assert.equal(again.s.found, true);
  assert.match(again.s.problem, /session has ended/);
});

test('cmi5: a token is kept even when the launch data cannot be read', async () => {
  const lms = F.newLMS({ launchData: null });
  const env = F.env(lms);
  const first = await launch({ lms, env });
  assert.match(first.s.problem, /launch data/);
  lms.launchData = F.launchData();
  const second = await launch({ lms, env });
  assert.equal(second.s.connected, true);
  assert.equal(lms.tokens, 1, 'the reload used the token it already had');
});

test('cmi5: launch failures say why', async () => {
  const cases = [
    [{ lmsOpts: { tokenError: 1 } }, /already been used or has expired/],
    [{ lmsOpts: { tokenError: 2 } }, /security error/],
    [{ lmsOpts: { tokenError: 3 } }, /application error/],
    [{ lmsOpts: { launchData: null } }, /could not read its launch data.*404/],
    [{ lmsOpts: { down: true } }, /could not be reached/],
    [{ params: { registration: null, activityId: null } }, /lacks registration, activityId/],
    [{ params: { actor: '{"name":"x"}' } }, /no usable actor/],
    [{ params: { actor: '{"mbox":"mailto:a@b.c"}' } }, /no usable actor/],
    [{ params: { registration: 'not-a-uuid' } }, /not a UUID/],
  ];
  for (const [opts, want] of cases) {
    const { lms, s } = await launch(opts);
    assert.equal(s.found, true, String(want));
    assert.match(s.problem, want);
    assert.equal(lms.statements.length, 0);
  }
  const { s } = await launch({ search: '?lesson=l1' });
  assert.deepEqual(s, { found: false, problem: '' }, 'no launch parameters at all: a preview');
});

test('cmi5: learner preferences', async () => {
  let r = await launch({ lmsOpts: { prefs: { languagePreference: 'fr-FR, en-GB', audioPreference: 'off' } } });
  assert.equal(r.s.muted, true);
  assert.deepEqual(r.s.languages, ['fr-FR', 'en-GB']);
  assert.ok(r.lms.requests.some((x) => /agents\/profile\?.*profileId=cmi5LearnerPreferences/.test(x.url)));
  r = await launch({ lmsOpts: { prefs: { audioPreference: 'on' } } });
  assert.equal(r.s.muted, false);
  r = await launch();
  assert.equal(r.s.muted, undefined, 'no preference, the player\'s default');
});

test('xAPI: the same statements without the cmi5 rules', async () => {
  const actor09 = { name: ['Jane Doe'], mbox: ['mailto:jane@example.org'] };
  const search = '?endpoint=' + encodeURIComponent(F.endpoint) + '&auth=' + encodeURIComponent('Basic a2V5OnNlY3JldA==') +
    '&actor=' + encodeURIComponent(JSON.stringify(actor09)) + '&registration=' + F.registration;
  const { lms, env, s } = await launch({ kind: 'xapi', search });
  assert.equal(s.connected, true);
  assert.equal(s.learnerName, 'Jane Doe');
  s.viewed(fx.course.lessons[0]);
  s.answer(q.single, 'wrong', { correct: false, latencyMs: 100 });
  s.report(ev('incomplete', 'failed'), sc(50));
  env.tick(2000);
  s.finish();
  await s.drained();
  assert.deepEqual(verbs(lms), ['initialized', 'experienced', 'answered', 'failed', 'terminated']);
  const course = X.activity(fx.course, fx.course.activity, fx.course.title, X.types.course);
  for (const st of lms.statements) {
    assert.deepEqual(st.actor, { objectType: 'Agent', name: 'Jane Doe', mbox: 'mailto:jane@example.org' });
    assert.equal(st.context.registration, F.registration);
    assert.equal(st.context.extensions, undefined);
    assert.deepEqual(categories(st), []);
  }
  assert.deepEqual(byVerb(lms, 'initialized').object, course);
  assert.deepEqual(byVerb(lms, 'answered').context.contextActivities, { parent: [{ id: fx.course.activity }] });
  assert.deepEqual(byVerb(lms, 'failed').result.score, { scaled: 0.5, raw: 50, min: 0, max: 100 });
  assert.deepEqual(byVerb(lms, 'terminated').result, { duration: 'PT0H0M2S' });
  assert.ok(lms.requests.filter((r) => r.method === 'POST').every((r) => r.init.headers.Authorization === 'Basic a2V5OnNlY3JldA=='));
  assert.ok(!lms.requests.some((r) => r.url === F.fetchURL));
  assert.deepEqual(env.navigated, []);
});

test('xAPI: a lesson launched on its own is the object, grouped in the course', async () => {
  const course = Object.assign({}, fx.course, { scoPerLesson: true });
  const search = '?endpoint=' + encodeURIComponent(F.endpoint) + '&auth=Basic%20eA%3D%3D&actor=' +
    encodeURIComponent(JSON.stringify(F.actor)) + '&lesson=l2';
  const { lms, s } = await launch({ kind: 'xapi', course, search });
  s.finish();
  await s.drained();
  const st = lms.statements[0];
  assert.equal(st.object.id, fx.course.lessons[1].activity);
  assert.equal(st.context.registration, undefined, 'no registration in the launch, none in the statements');
  assert.deepEqual(st.context.contextActivities.grouping, [{ id: fx.course.activity }]);
});

test('progress is kept in the State resource; an LRS without it is asked once', async () => {
  const lms = F.newLMS();
  const { s } = await launch({ lms });
  s.setLocation('l3');
  s.setSuspendData('1|abc|3||');
  s.commit();
  s.commit();
  await F.settle();
  const puts = lms.requests.filter((r) => r.method === 'PUT');
  assert.equal(puts.length, 1, 'an unchanged document is not written again');
  assert.deepEqual(JSON.parse(puts[0].init.body), { suspendData: '1|abc|3||', location: 'l3', completed: false, passed: false });
  const next = await launch({ lms, params: { fetch: F.fetchURL + '2' } });
  assert.equal(next.s.location, 'l3');
  assert.equal(next.s.suspendData, '1|abc|3||');

  const bare = F.newLMS({ noState: true });
  const r = await launch({ lms: bare });
  for (const loc of ['a', 'b', 'c']) {
    r.s.setLocation(loc);
    r.s.commit();
    await F.settle();
  }
  assert.equal(bare.requests.filter((x) => x.method === 'PUT').length, 1);
});

test('progress writes go one at a time, the latest last; an urgent one goes at once', async () => {
  const lms = F.newLMS();
  const env = F.env(lms);
  const order = [];
  let release;
  const gate = new Promise((r) => { release = r; });
  env.fetch = (url, init) => {
    if (init && init.method === 'PUT') {
      order.push(JSON.parse(init.body).location);
      assert.equal(init.keepalive, true);
      if (order.length === 1) return gate.then(() => lms.fetch(url, init));
    }
    return lms.fetch(url, init);
  };
  const { s } = await launch({ lms, env });
  s.setLocation('a'); s.commit();
  s.setLocation('b'); s.commit();
  s.setLocation('c'); s.commit();
  await F.settle();
  assert.deepEqual(order, ['a'], 'the second write waits for the first');
  release();
  await F.settle();
  assert.deepEqual(order, ['a', 'c'], 'then only the latest is written');
  assert.equal(lms.state['coursekit.progress|' + F.activityId + '|' + F.registration].location, 'c');

  // The session ends while a write is in flight: the last state goes at once.
  let hold;
  const held = new Promise((r) => { hold = r; });
  const fetch = env.fetch;
  env.fetch = (url, init) => (init && init.method === 'PUT' && order.length === 2 ? (order.push('held'), held.then(() => lms.fetch(url, init))) : fetch(url, init));
  s.setLocation('d'); s.commit();
  s.setLocation('e'); s.finish();
  await F.settle();
  assert.deepEqual(order, ['a', 'c', 'held', 'e']);
  hold();
});
