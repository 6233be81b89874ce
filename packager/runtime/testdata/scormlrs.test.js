// Tests of assets/scormlrs.js: a SCORM session that also reports to an LRS
// by the ADL xAPI Profile for SCORM; run by TestPlayerLogic (go test).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const scorm = require('../assets/scorm.js');
const W = require('../assets/scormlrs.js');
const X = require('../assets/xapi.js');
const fx = require('./fixtures.js');
const F = require('./fakelrs.js');

const lrsCourse = Object.assign({}, fx.course, { lrs: { endpoint: F.endpoint, auth: 'Basic a2V5OnNlY3JldA==' } });
const homePage = 'https://moodle.example.org';

// lms is a SCORM 2004 API in a parent frame with the given data.
function lms(data) {
  const store = Object.assign({ 'cmi.learner_id': 'learner-1', 'cmi.learner_name': 'Doe, Jane', 'cmi.interactions._count': '0' }, data);
  const api = {
    Initialize: () => 'true', Terminate: () => 'true', Commit: () => 'true', GetLastError: () => '0',
    GetValue: (k) => (k in store ? store[k] : ''), SetValue: (k, v) => { store[k] = v; return 'true'; },
  };
  const top = { API_1484_11: api };
  top.parent = top;
  return { store, win: { parent: top } };
}

function connect(course, data, lrs) {
  const l = lms(data);
  const env = F.env(lrs || F.newLMS(), { homePage: homePage });
  const s = W.wrap(scorm.connect('scorm2004', l.win, () => {}), course, env);
  return { s, env, store: l.store, lrs: env.fetch && lrs };
}

const ev = (completion, success) => ({ completion, success, progress: 1 });
const verbs = (lrs) => lrs.statements.map((st) => st.verb.display['en-US']);

test('a new attempt: initialized, answered, failed, passed, completed, terminated', async () => {
  const lrs = F.newLMS();
  const { s, env, store } = connect(lrsCourse, { 'cmi.entry': 'ab-initio' }, lrs);
  assert.match(s.attempt, X.uuidPattern);
  assert.equal(s.reserve, 37);
  s.report(ev('incomplete', 'unknown'), { raw: null, answered: 0, count: 8 });
  s.answer(fx.questions.tf, true, { correct: false, latencyMs: 1200 });
  s.report(ev('incomplete', 'failed'), { raw: 40, answered: 8, count: 8 });
  s.answer(fx.questions.tf, false, { correct: true, latencyMs: 800 });
  s.report(ev('completed', 'passed'), { raw: 87.5, answered: 8, count: 8 });
  s.report(ev('completed', 'passed'), { raw: 87.5, answered: 8, count: 8 });
  s.setSuspendData('1|fp|3||');
  env.tick(90000);
  s.finish('normal', 90000);
  await s.drained();

  assert.equal(store['cmi.completion_status'], 'completed', 'the SCORM calls still reach the LMS');
  assert.equal(store['cmi.suspend_data'], '1|fp|3|||' + s.attempt, 'the attempt id rides in suspend_data');
  assert.deepEqual(verbs(lrs), ['initialized', 'answered', 'failed', 'answered', 'passed', 'completed', 'terminated']);
  const sco = X.activity(fx.course, fx.course.activity, 'C', X.types.course);
  const attempt = fx.course.activity + '?attemptId=' + s.attempt;
  for (const st of lrs.statements) {
    assert.deepEqual(st.actor, { objectType: 'Agent', account: { homePage: homePage, name: 'learner-1' } }, 'no name leaves the LMS');
    assert.equal(st.context.registration, s.attempt);
    assert.deepEqual(st.context.contextActivities.category, [{ id: 'http://adlnet.gov/xapi/profile/scorm' }]);
    assert.deepEqual(st.context.contextActivities.grouping.map((a) => a.id), [attempt]);
    assert.equal(st.context.contextActivities.grouping[0].definition.type, 'http://adlnet.gov/expapi/activities/attempt');
  }
  const by = (v) => lrs.statements.filter((st) => st.verb.display['en-US'] === v);
  assert.deepEqual(by('initialized')[0].object, sco);
  assert.deepEqual(by('answered')[0].object, X.interaction(fx.course, fx.questions.tf));
  assert.deepEqual(by('answered')[0].context.contextActivities.parent, [{ id: fx.course.activity }]);
  assert.deepEqual(by('answered')[1].result, { success: true, response: 'false', duration: 'PT0H0M0.8S' });
  assert.deepEqual(by('failed')[0].result.score, { scaled: 0.4, raw: 40, min: 0, max: 100 });
  assert.deepEqual(by('passed')[0].result.score, { scaled: 0.875, raw: 87.5, min: 0, max: 100 });
  assert.deepEqual(by('terminated')[0].result, {
    success: true, completion: true, score: { scaled: 0.875, raw: 87.5, min: 0, max: 100 }, duration: 'PT0H1M30S',
  });
  assert.equal(lrs.requests.filter((r) => r.method === 'POST').every((r) => r.init.headers.Authorization === 'Basic a2V5OnNlY3JldA=='), true);
});

test('leaving midway: suspended; coming back: resumed, in the same attempt', async () => {
  const lrs = F.newLMS();
  const first = connect(lrsCourse, { 'cmi.entry': 'ab-initio' }, lrs);
  first.s.report(ev('incomplete', 'unknown'), { raw: null, answered: 0, count: 8 });
  first.s.setSuspendData('1|fp|1||');
  first.s.finish('suspend', 1000);
  await first.s.drained();

  const saved = first.store['cmi.suspend_data'];
  const second = connect(lrsCourse, { 'cmi.entry': 'resume', 'cmi.suspend_data': saved }, lrs);
  assert.equal(second.s.suspendData, '1|fp|1||', 'the player sees only its own fields');
  assert.equal(second.s.attempt, first.s.attempt);
  second.s.report(ev('completed', 'unknown'), { raw: null, answered: 0, count: 0 });
  second.s.finish('normal', 1000);
  await second.s.drained();
  assert.deepEqual(verbs(lrs), ['initialized', 'suspended', 'resumed', 'terminated'],
    'a resumed attempt\'s first report is where it already was');
  const suspended = lrs.statements[1];
  assert.deepEqual(suspended.result, { completion: false, duration: 'PT0H0M0S' });
  assert.ok(lrs.statements.every((st) => st.context.registration === first.s.attempt));

  // A new attempt gets a new id even when old data is there.
  const third = connect(lrsCourse, { 'cmi.entry': 'ab-initio', 'cmi.suspend_data': saved }, lrs);
  assert.notEqual(third.s.attempt, first.s.attempt);
});

test('a SCO per lesson is the lesson, grouped in the course', async () => {
  const lrs = F.newLMS();
  const course = Object.assign({}, lrsCourse, { scoPerLesson: true });
  const l = lms({});
  const env = F.env(lrs, { homePage: homePage, lesson: 'l3' });
  const s = W.wrap(scorm.connect('scorm2004', l.win, () => {}), course, env);
  s.finish('normal', 0);
  await s.drained();
  const st = lrs.statements[0];
  assert.equal(st.object.id, fx.course.lessons[2].activity);
  assert.deepEqual(st.context.contextActivities.grouping.map((a) => a.id),
    [fx.course.activity, fx.course.lessons[2].activity + '?attemptId=' + s.attempt]);
});

test('nothing is reported without an LRS, an LMS or a learner id', () => {
  const plain = lms({}).win;
  const s1 = scorm.connect('scorm2004', plain, () => {});
  assert.equal(W.wrap(s1, fx.course, F.env(F.newLMS(), { homePage: homePage })), s1, 'no LRS in the package');
  const s2 = scorm.connect('scorm2004', { parent: null }, () => {});
  assert.equal(W.wrap(s2, lrsCourse, F.env(F.newLMS(), { homePage: homePage })), s2, 'a preview');
  const s3 = scorm.connect('scorm2004', lms({ 'cmi.learner_id': '' }).win, () => {});
  assert.equal(W.wrap(s3, lrsCourse, F.env(F.newLMS(), { homePage: homePage })), s3, 'no learner id');
  const s4 = scorm.connect('scorm2004', plain, () => {});
  assert.equal(W.wrap(s4, lrsCourse, F.env(F.newLMS(), { homePage: '' })), s4, 'a file:// page has no origin');
});
