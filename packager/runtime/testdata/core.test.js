// Tests of assets/core.js; run by TestPlayerLogic (go test) with node --test.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const core = require('../assets/core.js');
const fx = require('./fixtures.js');

test('time formats', () => {
  const cases = [
    [0, '0000:00:00.00', 'PT0H0M0S'],
    [1234, '0000:00:01.23', 'PT0H0M1.23S'],
    [1205, '0000:00:01.21', 'PT0H0M1.21S'],
    [61500, '0000:01:01.50', 'PT0H1M1.5S'],
    [3723040, '0001:02:03.04', 'PT1H2M3.04S'],
    [100 * 3600000, '0100:00:00.00', 'PT100H0M0S'],
    [-5, '0000:00:00.00', 'PT0H0M0S'],
  ];
  for (const [ms, v12, v2004] of cases) {
    assert.equal(core.timespan12(ms), v12, `timespan12(${ms})`);
    assert.match(core.timespan12(ms), fx.re12.CMITimespan);
    assert.equal(core.duration2004(ms), v2004, `duration2004(${ms})`);
    assert.match(core.duration2004(ms), fx.re2004.CMITimespan);
  }
  assert.equal(core.timespan12(20000 * 3600000), '9999:59:59.99', 'timespan12 caps at 9999 hours');

  const d = new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 678));
  assert.equal(core.timestamp2004(d), '2025-01-02T03:04:05.67Z');
  assert.match(core.timestamp2004(d), fx.re2004.CMITime);
  const local = new Date(2025, 5, 6, 7, 8, 9);
  assert.equal(core.time12(local), '07:08:09');
  assert.match(core.time12(local), fx.re12.CMITime);
});

test('decimal', () => {
  assert.equal(core.decimal(46.666666, 2), '46.67');
  assert.equal(core.decimal(100, 2), '100');
  assert.equal(core.decimal(0.5), '0.5');
  assert.equal(core.decimal(-0.0000001, 2), '0');
  assert.equal(core.decimal(1e21), '1000000000000000000000');
  assert.equal(core.decimal(1.5e-6), '0.0000015');
});

test('parseNumber', () => {
  for (const [s, n] of [['3.5', 3.5], [' -2 ', -2], ['+4', 4], ['.5', 0.5], ['1e3', 1000], ['7.', 7]]) {
    assert.equal(core.parseNumber(s), n, `parseNumber(${s})`);
  }
  for (const s of ['', 'abc', '3,5', '1.2.3', 'Infinity', '1e999', '0x10']) {
    assert.equal(core.parseNumber(s), null, `parseNumber(${JSON.stringify(s)})`);
  }
});

test('isCorrect for every question type', () => {
  const q = fx.questions;
  const cases = [
    [q.single, 'right', true], [q.single, 'wrong', false], [q.single, 'nope', false],
    [q.multi, ['a', 'c'], true], [q.multi, ['c', 'a'], true], [q.multi, ['a'], false], [q.multi, ['a', 'b', 'c'], false], [q.multi, [], false],
    [q.tf, false, true], [q.tf, true, false],
    [q.fill, 'Paris', true], [q.fill, '  Paris ', true], [q.fill, 'paris', false], [q.fill, 'Lutetia', true],
    [q.fillAnyCase, 'COMFORT  ZONE', true], [q.fillAnyCase, 'comfort', true], [q.fillAnyCase, 'comfy', false],
    [q.num, 1, true], [q.num, 5.5, true], [q.num, 3, true], [q.num, 0.99, false], [q.num, 5.51, false],
    [q.exact, 42, true], [q.exact, 42.0001, false],
    [q.match, { one: 'uno', two: 'dos' }, true], [q.match, { one: 'dos', two: 'uno' }, false], [q.match, { one: 'uno' }, false],
    [q.seq, ['first', 'second', 'third'], true], [q.seq, ['second', 'first', 'third'], false], [q.seq, ['first', 'second'], false],
  ];
  for (const [question, answer, want] of cases) {
    assert.equal(core.isCorrect(question, answer), want, `isCorrect(${question.id}, ${JSON.stringify(answer)})`);
  }
});

test('score weighs questions and counts unanswered as wrong', () => {
  const qs = [fx.questions.single, fx.questions.multi, fx.questions.tf]; // weights 2, 1, 1
  assert.deepEqual(core.score(qs, {}), { raw: 0, answered: 0, count: 3 });
  assert.deepEqual(core.score(qs, { 'fc-single': 'right' }), { raw: 50, answered: 1, count: 3 });
  assert.deepEqual(core.score(qs, { 'fc-single': 'wrong', 'fc-multi': ['a', 'c'], 'fc-tf': false }), { raw: 50, answered: 3, count: 3 });
  assert.deepEqual(core.score(qs, { 'fc-multi': ['a', 'c'], 'fc-tf': false }), { raw: 50, answered: 2, count: 3 });
  assert.deepEqual(core.score(qs.slice(1), { 'fc-multi': ['a', 'c'] }), { raw: 50, answered: 1, count: 2 });
  assert.deepEqual(core.score([fx.questions.multi, fx.questions.tf, fx.questions.fill], { 'fc-multi': ['a', 'c'] }), { raw: 33.33, answered: 1, count: 3 });
  assert.deepEqual(core.score([], {}), { raw: null, answered: 0, count: 0 });
});

test('evaluate applies each completion rule', () => {
  const sc = (raw, answered, count) => ({ raw, answered, count });
  const rules = (rule, extra) => Object.assign({ rule, threshold: 0, mastery: 0.8, lessonMode: false, needsPass: rule === 'passed' || rule === 'viewed-and-passed' }, extra);
  const cases = [
    // rule, facts, completion, success, progress
    [rules('viewed'), { lessons: 4, viewed: 2, score: sc(100, 2, 2) }, 'incomplete', 'passed', 0.5],
    [rules('viewed'), { lessons: 4, viewed: 4, score: sc(0, 0, 2) }, 'completed', 'unknown', 1],
    [rules('viewed'), { lessons: 4, viewed: 4, score: sc(50, 2, 2) }, 'completed', 'failed', 1],
    [rules('viewed', { mastery: null }), { lessons: 4, viewed: 4, score: sc(50, 2, 2) }, 'completed', 'unknown', 1],
    [rules('passed'), { lessons: 4, viewed: 1, score: sc(80, 2, 3) }, 'completed', 'passed', 1],
    [rules('passed'), { lessons: 4, viewed: 4, score: sc(79.99, 3, 3) }, 'incomplete', 'failed', 0.99],
    [rules('passed'), { lessons: 4, viewed: 4, score: sc(60, 2, 3) }, 'incomplete', 'unknown', 0.99],
    [rules('viewed-and-passed'), { lessons: 4, viewed: 3, score: sc(100, 3, 3) }, 'incomplete', 'passed', 0.75],
    [rules('viewed-and-passed'), { lessons: 4, viewed: 4, score: sc(100, 3, 3) }, 'completed', 'passed', 1],
    [rules('viewed-and-passed'), { lessons: 4, viewed: 4, score: sc(null, 0, 0) }, 'completed', 'unknown', 1],
    [rules('progress', { threshold: 0.5 }), { lessons: 4, viewed: 1, score: sc(0, 0, 0) }, 'incomplete', 'unknown', 0.25],
    [rules('progress', { threshold: 0.5 }), { lessons: 4, viewed: 2, score: sc(0, 0, 0) }, 'completed', 'unknown', 0.5],
    [rules('progress', { threshold: 0.5 }), { lessons: 3, viewed: 3, score: sc(0, 0, 0) }, 'completed', 'unknown', 1],
    // Lesson mode: viewed, plus passed when the lesson has questions and the course needs a pass.
    [rules('viewed-and-passed', { lessonMode: true }), { lessons: 1, viewed: 1, score: sc(null, 0, 0) }, 'completed', 'unknown', 1],
    [rules('viewed-and-passed', { lessonMode: true }), { lessons: 1, viewed: 1, score: sc(50, 2, 2) }, 'incomplete', 'failed', 0.99],
    [rules('viewed-and-passed', { lessonMode: true }), { lessons: 1, viewed: 1, score: sc(100, 2, 2) }, 'completed', 'passed', 1],
    [rules('progress', { lessonMode: true, threshold: 0.5 }), { lessons: 1, viewed: 1, score: sc(0, 2, 2) }, 'completed', 'failed', 1],
  ];
  for (const [r, facts, completion, success, progress] of cases) {
    const ev = core.evaluate(r, facts);
    assert.deepEqual(ev, { completion, success, progress }, `evaluate(${JSON.stringify(r)}, ${JSON.stringify(facts)})`);
  }
});

test('lesson status and exit', () => {
  const ev = (completion, success) => ({ completion, success, progress: 0 });
  assert.equal(core.lessonStatus12(ev('incomplete', 'failed')), 'incomplete');
  assert.equal(core.lessonStatus12(ev('incomplete', 'passed')), 'incomplete');
  assert.equal(core.lessonStatus12(ev('completed', 'passed')), 'passed');
  assert.equal(core.lessonStatus12(ev('completed', 'failed')), 'failed');
  assert.equal(core.lessonStatus12(ev('completed', 'unknown')), 'completed');
  assert.equal(core.exitValue('scorm12', ev('incomplete', 'unknown')), 'suspend');
  assert.equal(core.exitValue('scorm12', ev('completed', 'unknown')), '');
  assert.equal(core.exitValue('scorm2004', ev('incomplete', 'passed')), 'suspend');
  assert.equal(core.exitValue('scorm2004', ev('completed', 'failed')), 'normal');
});

// frames builds a chain of fake windows, innermost first; api is placed in
// the window at index where.
function frames(n, where, name) {
  const wins = [];
  for (let i = 0; i < n; i++) wins.push({ name: 'w' + i });
  wins.forEach((w, i) => { w.parent = wins[i + 1] || w; w.top = wins[n - 1]; });
  const api = { LMSInitialize() {}, Initialize() {} };
  if (where !== null) wins[where][name] = api;
  return { wins, api };
}

test('findAPI walks up to 7 parents, then the opener', () => {
  for (const [std, name] of [['scorm12', 'API'], ['scorm2004', 'API_1484_11']]) {
    let f = frames(1, 0, name);
    assert.equal(core.findAPI(f.wins[0], std), f.api, `${std}: API in the window itself`);
    f = frames(8, 7, name);
    assert.equal(core.findAPI(f.wins[0], std), f.api, `${std}: API 7 parents up`);
    f = frames(9, 8, name);
    assert.equal(core.findAPI(f.wins[0], std), null, `${std}: API 8 parents up is too far`);
    f = frames(3, null, name);
    assert.equal(core.findAPI(f.wins[0], std), null, `${std}: no API`);

    const opener = frames(3, 2, name);
    f = frames(2, null, name);
    f.wins[0].opener = opener.wins[0];
    assert.equal(core.findAPI(f.wins[0], std), opener.api, `${std}: API in the opener's parent`);
    f = frames(2, null, name);
    f.wins[1].opener = opener.wins[0];
    assert.equal(core.findAPI(f.wins[0], std), opener.api, `${std}: API via top.opener`);
  }
  // The other version's API does not count.
  const f = frames(2, 1, 'API');
  assert.equal(core.findAPI(f.wins[0], 'scorm2004'), null);
  assert.equal(core.findAPI(f.wins[0], 'none'), null);
  // An object without the API's functions is not an API.
  assert.equal(core.findAPI({ API: {}, parent: null }, 'scorm12'), null);
});

test('findAPI stops at a frame from another origin', () => {
  const top = { API: { LMSInitialize() {} } };
  top.parent = top;
  const foreign = {};
  Object.defineProperty(foreign, 'API', { get() { throw new Error('SecurityError'); } });
  Object.defineProperty(foreign, 'parent', { get() { throw new Error('SecurityError'); } });
  const win = { parent: foreign };
  assert.equal(core.findAPI(win, 'scorm12'), null);
  const blocked = { parent: null };
  Object.defineProperty(blocked, 'opener', { get() { throw new Error('SecurityError'); } });
  assert.equal(core.findAPI(blocked, 'scorm12'), null);
});

test('small helpers', () => {
  assert.equal(core.displayName('Doe, Jane'), 'Jane Doe');
  assert.equal(core.displayName('Jane Doe'), 'Jane Doe');
  assert.equal(core.displayName(' a, b, c '), 'a, b, c');
  assert.equal(core.displayName(''), '');
  assert.deepEqual(core.parseRoute('#/checks'), { lesson: 'checks', anchor: '' });
  assert.deepEqual(core.parseRoute('#/checks/first-checks'), { lesson: 'checks', anchor: 'first-checks' });
  assert.equal(core.parseRoute('#ck-main'), null);
  assert.equal(core.parseRoute(''), null);
  assert.equal(core.wordCount('  one two\nthree '), 3);
  assert.equal(core.wordCount(''), 0);
  assert.equal(core.fnv1a(''), (0x811c9dc5).toString(36));
  assert.notEqual(core.fnv1a('a'), core.fnv1a('b'));
});
