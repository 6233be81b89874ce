// Tests of assets/scorm.js against fake LMS APIs; run by TestPlayerLogic.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const scorm = require('../assets/scorm.js');
const ix = require('../assets/interactions.js');
const fx = require('./fixtures.js');

// fakeAPI records every call; values are what GetValue answers.
function fakeAPI(std, values, opts) {
  const o = opts || {};
  const calls = [];
  const data = Object.assign({}, values);
  const n = scorm.names[std];
  const api = {
    calls, data,
    [n.initialize]: (p) => { calls.push([n.initialize, p]); return o.initFails ? 'false' : 'true'; },
    [n.getValue]: (k) => { calls.push([n.getValue, k]); return k in data ? data[k] : ''; },
    [n.setValue]: (k, v) => {
      calls.push([n.setValue, k, v]);
      if (o.throws) throw new Error('boom');
      data[k] = v;
      return o.setFails ? 'false' : 'true';
    },
    [n.commit]: (p) => { calls.push([n.commit, p]); return 'true'; },
    [n.terminate]: (p) => { calls.push([n.terminate, p]); return 'true'; },
    [n.lastError]: () => '405',
  };
  return api;
}

function inFrame(name, api) {
  const top = { [name]: api };
  top.parent = top;
  const child = { parent: top };
  return child;
}

const ev = (completion, success, progress) => ({ completion, success, progress });

test('SCORM 1.2 session', () => {
  const api = fakeAPI('scorm12', {
    'cmi.core.student_name': 'Doe, Jane', 'cmi.core.entry': 'resume', 'cmi.core.lesson_location': 'l2',
    'cmi.suspend_data': '1|x|||', 'cmi.interactions._count': '2',
  });
  const s = scorm.connect('scorm12', inFrame('API', api), () => {});
  assert.equal(s.connected, true);
  assert.deepEqual([s.learnerName, s.entry, s.location, s.suspendData], ['Doe, Jane', 'resume', 'l2', '1|x|||']);
  assert.deepEqual(api.calls[0], ['LMSInitialize', '']);

  s.report(ev('incomplete', 'unknown', 0.5), { raw: 0, answered: 0, count: 3 });
  assert.equal(api.data['cmi.core.lesson_status'], 'incomplete');
  assert.equal(api.data['cmi.core.score.raw'], undefined, 'no score before an answer');
  s.report(ev('completed', 'passed', 1), { raw: 66.666, answered: 2, count: 3 });
  assert.equal(api.data['cmi.core.lesson_status'], 'passed');
  assert.deepEqual(['min', 'max', 'raw'].map((k) => api.data['cmi.core.score.' + k]), ['0', '100', '66.67']);
  assert.equal(api.data['cmi.progress_measure'], undefined);

  const before = api.calls.length;
  s.report(ev('completed', 'passed', 1), { raw: 66.666, answered: 2, count: 3 });
  s.setLocation('l2');
  assert.equal(api.calls.length, before + 1, 'unchanged values are not sent again');

  s.interact(ix.record('scorm12', fx.questions.single, 'right', { correct: true, date: new Date(), latencyMs: 1500 }));
  s.interact(ix.record('scorm12', fx.questions.tf, true, { correct: false, date: new Date(), latencyMs: 0 }));
  assert.equal(api.data['cmi.interactions.2.id'], 'fc-single');
  assert.equal(api.data['cmi.interactions.2.student_response'], 'a');
  assert.equal(api.data['cmi.interactions.2.latency'], '0000:00:01.50');
  assert.equal(api.data['cmi.interactions.3.result'], 'wrong');

  s.commit();
  assert.equal(s.finish('suspend', 3723040), true);
  assert.equal(s.finish('', 0), false, 'second finish does nothing');
  s.setSuspendData('late');
  s.commit();
  assert.equal(api.data['cmi.core.exit'], 'suspend');
  assert.equal(api.data['cmi.core.session_time'], '0001:02:03.04');
  assert.equal(api.calls.filter((c) => c[0] === 'LMSFinish').length, 1);
  assert.ok(!api.calls.some((c) => c[2] === 'late'), 'nothing is sent after LMSFinish');
  const last = api.calls.slice(-2).map((c) => c[0]);
  assert.deepEqual(last, ['LMSCommit', 'LMSFinish']);
});

test('SCORM 2004 session', () => {
  const api = fakeAPI('scorm2004', { 'cmi.learner_name': 'Jane', 'cmi.entry': 'ab-initio', 'cmi.interactions._count': '0' });
  const s = scorm.connect('scorm2004', inFrame('API_1484_11', api), () => {});
  assert.equal(s.connected, true);
  assert.equal(s.learnerName, 'Jane');
  s.report(ev('incomplete', 'failed', 0.99), { raw: 40, answered: 5, count: 5 });
  assert.deepEqual(
    ['cmi.completion_status', 'cmi.success_status', 'cmi.progress_measure', 'cmi.score.scaled', 'cmi.score.raw', 'cmi.score.min', 'cmi.score.max'].map((k) => api.data[k]),
    ['incomplete', 'failed', '0.99', '0.4', '40', '0', '100']);
  s.interact(ix.record('scorm2004', fx.essay, 'My essay.', { date: new Date(Date.UTC(2025, 0, 1)), latencyMs: 90000 }));
  assert.equal(api.data['cmi.interactions.0.type'], 'long-fill-in');
  assert.equal(api.data['cmi.interactions.0.learner_response'], 'My essay.');
  assert.equal(api.data['cmi.interactions.0.timestamp'], '2025-01-01T00:00:00.00Z');
  assert.equal(api.data['cmi.interactions.0.latency'], 'PT0H1M30S');
  s.setLocation('l3');
  assert.equal(api.data['cmi.location'], 'l3');
  s.finish('normal', 1500);
  assert.equal(api.data['cmi.exit'], 'normal');
  assert.equal(api.data['cmi.session_time'], 'PT0H0M1.5S');
  assert.equal(api.calls.filter((c) => c[0] === 'Terminate').length, 1);
});

test('without an API the session is a preview that keeps the values', () => {
  const win = { parent: null };
  for (const std of ['none', 'scorm12', 'scorm2004']) {
    const s = scorm.connect(std, win, () => {});
    assert.equal(s.connected, false);
    assert.equal(s.found, false);
    assert.equal(s.suspendData, '');
    s.report(ev('completed', 'passed', 1), { raw: 100, answered: 1, count: 1 });
    s.setSuspendData('x');
    s.interact(ix.record('scorm2004', fx.questions.tf, false, { correct: true, date: new Date(), latencyMs: 0 }));
    s.commit();
    assert.equal(s.finish('', 0), true);
    assert.equal(s.finish('', 0), false);
    assert.equal(s.values()['cmi.suspend_data'], 'x');
  }
});

test('an LMS that fails or throws never stops the player', () => {
  const warnings = [];
  const refuses = fakeAPI('scorm12', {}, { initFails: true });
  const s1 = scorm.connect('scorm12', inFrame('API', refuses), (m) => warnings.push(m));
  assert.equal(s1.connected, false);
  assert.equal(s1.found, true);
  s1.report(ev('incomplete', 'unknown', 0), { raw: null, answered: 0, count: 0 });
  s1.finish('suspend', 0);
  assert.ok(!refuses.calls.some((c) => c[0] === 'LMSSetValue' || c[0] === 'LMSFinish'), 'nothing is sent to an API that did not start');
  assert.match(warnings[0], /LMSInitialize\(\) failed with error 405/);

  const throws = fakeAPI('scorm2004', {}, { throws: true });
  const s2 = scorm.connect('scorm2004', inFrame('API_1484_11', throws), (m) => warnings.push(m));
  assert.equal(s2.connected, true);
  s2.setSuspendData('x');
  s2.interact(ix.record('scorm2004', fx.questions.tf, false, { correct: true, date: new Date(), latencyMs: 0 }));
  assert.equal(s2.finish('suspend', 0), true);
  assert.ok(warnings.some((m) => /SetValue\(cmi.suspend_data\) threw Error: boom/.test(m)));
  assert.equal(throws.calls.filter((c) => c[0] === 'Terminate').length, 1);
});
