// Tests of assets/xapi.js; run by TestPlayerLogic (go test).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const X = require('../assets/xapi.js');
const fx = require('./fixtures.js');

const q = fx.questions;

test('verbs are ADL verbs', () => {
  for (const v of ['initialized', 'terminated', 'completed', 'passed', 'failed', 'answered', 'experienced', 'suspended', 'resumed']) {
    assert.deepEqual(X.verbs[v], { id: 'http://adlnet.gov/expapi/verbs/' + v, display: { 'en-US': v } });
  }
});

test('uuid is a random version 4 UUID', () => {
  const seen = new Set();
  for (let i = 0; i < 200; i++) {
    const u = X.uuid();
    assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    seen.add(u);
  }
  assert.equal(seen.size, 200);
  assert.equal(X.uuid((b) => b.fill(0)), '00000000-0000-4000-8000-000000000000');
});

test('responses and correct response patterns in xAPI format', () => {
  const cases = [
    // question, answer, response, patterns
    [q.single, 'wrong', 'wrong', ['right']],
    [q.multi, ['c', 'a'], 'a[,]c', ['a[,]c']],
    [q.tf, true, 'true', ['false']],
    [q.fill, '  Paris,\n France ', 'Paris, France', ['{case_matters=true}Paris', '{case_matters=true}Lutetia']],
    [q.fillAnyCase, 'Comfort', 'Comfort', ['comfort', 'comfort zone']],
    [q.num, 3.5, '3.5', ['1[:]5.5']],
    [q.exact, 42, '42', ['42[:]42']],
    [q.match, { one: 'dos', two: 'uno' }, 'one[.]dos[,]two[.]uno', ['one[.]uno[,]two[.]dos']],
    [q.seq, ['second', 'first', 'third'], 'second[,]first[,]third', ['first[,]second[,]third']],
  ];
  for (const [question, answer, response, patterns] of cases) {
    assert.equal(X.response(question, answer), response, question.id);
    assert.deepEqual(X.correctPatterns(question), patterns, question.id);
  }
});

test('interaction definitions', () => {
  const single = X.interaction(fx.course, q.single);
  assert.deepEqual(single, {
    objectType: 'Activity', id: 'https://example.org/c/interactions/fc-single',
    definition: {
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction', name: { en: 'Pick the right one.' }, interactionType: 'choice',
      correctResponsesPattern: ['right'],
      choices: [{ id: 'right', description: { en: 'The right one' } }, { id: 'wrong', description: { en: 'The wrong one' } }],
    },
  });
  const match = X.interaction(fx.course, q.match).definition;
  assert.equal(match.interactionType, 'matching');
  assert.deepEqual(match.source.map((c) => c.id), ['one', 'two']);
  assert.deepEqual(match.target.map((c) => c.id), ['uno', 'dos']);
  assert.equal(match.choices, undefined);
  assert.equal(X.interaction(fx.course, q.num).definition.choices, undefined);
  const essay = X.interaction(fx.course, fx.essay).definition;
  assert.deepEqual([essay.interactionType, essay.name.en, essay.description.en], ['long-fill-in', 'An essay', 'Write.']);
  assert.equal(X.interaction(fx.course, fx.reflection).definition.name.en, 'Think about it.');
});

test('answer results', () => {
  assert.deepEqual(X.answerResult(q.multi, ['a', 'c'], { correct: true, latencyMs: 1500 }), { success: true, response: 'a[,]c', duration: 'PT0H0M1.5S' });
  assert.deepEqual(X.answerResult(fx.essay, 'My essay.', { latencyMs: 0 }), { response: 'My essay.', duration: 'PT0H0M0S' });
});

test('plain text from course HTML', () => {
  assert.equal(X.plainText('A <em>b</em> &amp; c &lt;d&gt; &#39;e&#x27; &quot;f&quot;'), 'A b & c <d> \'e\' "f"');
});

test('scores', () => {
  assert.deepEqual(X.score(80, true), { scaled: 0.8, raw: 80, min: 0, max: 100 });
  assert.deepEqual(X.score(66.67, true), { scaled: 0.6667 }, 'cmi5 wants an integer raw');
  assert.deepEqual(X.score(66.67, false), { scaled: 0.6667, raw: 66.67, min: 0, max: 100 });
});

test('mergeContext keeps everything the template holds', () => {
  const template = {
    registration: 'r-template',
    contextActivities: { grouping: [{ id: 'pub' }], other: { id: 'single' } },
    extensions: { 'https://w3id.org/xapi/cmi5/context/extensions/sessionid': 's1', x: 'template' },
  };
  const got = X.mergeContext(template, {
    registration: 'r-extra', language: 'en',
    contextActivities: { grouping: [{ id: 'pub' }, { id: 'course' }], category: [{ id: 'cmi5' }], other: [{ id: 'more' }] },
    extensions: { x: 'extra', y: 'extra' },
  });
  assert.deepEqual(got, {
    registration: 'r-template', language: 'en',
    contextActivities: { grouping: [{ id: 'pub' }, { id: 'course' }], other: [{ id: 'single' }, { id: 'more' }], category: [{ id: 'cmi5' }] },
    extensions: { 'https://w3id.org/xapi/cmi5/context/extensions/sessionid': 's1', x: 'template', y: 'extra' },
  });
  assert.deepEqual(template.contextActivities.grouping, [{ id: 'pub' }], 'the template itself is untouched');
  assert.deepEqual(X.mergeContext(undefined, { registration: 'r' }), { registration: 'r' });
});

test('clock gives strictly increasing UTC timestamps', () => {
  let t = Date.UTC(2025, 0, 1);
  const stamp = X.clock(() => t);
  const a = stamp();
  const b = stamp();
  t -= 5000; // a clock that steps back
  const c = stamp();
  assert.deepEqual([a, b, c], ['2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.001Z', '2025-01-01T00:00:00.002Z']);
});

test('actors from launch URLs', () => {
  assert.deepEqual(X.normalizeActor({ name: ['Jane'], mbox: ['mailto:jane@example.org'], objectType: 'Agent' }),
    { objectType: 'Agent', name: 'Jane', mbox: 'mailto:jane@example.org' });
  assert.deepEqual(X.normalizeActor({ account: [{ accountServiceHomePage: 'https://lms', accountName: '7' }] }),
    { objectType: 'Agent', account: { homePage: 'https://lms', name: '7' } });
  assert.equal(X.normalizeActor({ name: 'No identifier' }), null);
  assert.equal(X.normalizeActor('x'), null);
  assert.equal(X.normalizeActor(undefined), null);
});

test('withQuery', () => {
  assert.equal(X.withQuery('https://x/c', 'attemptId', 'a b'), 'https://x/c?attemptId=a%20b');
  assert.equal(X.withQuery('https://x/c?v=1#f', 'attemptId', '1'), 'https://x/c?v=1&attemptId=1#f');
});
