// Tests of assets/suspend.js; run by TestPlayerLogic (go test).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const sus = require('../assets/suspend.js');
const core = require('../assets/core.js');
const fx = require('./fixtures.js');

const empty = () => ({ viewed: {}, answers: {}, texts: {}, textOrder: [], truncated: {} });
const lay = sus.layout(fx.course);

function loadCourse(t, name) {
  const dir = process.env.COURSEKIT_COURSES;
  if (!dir) {
    t.skip('COURSEKIT_COURSES is not set: run through go test ./packager/runtime');
    return null;
  }
  return JSON.parse(fs.readFileSync(path.join(dir, name + '.json'), 'utf8'));
}

test('round trip of every answer type, viewed lessons and texts', () => {
  const st = empty();
  st.viewed = { l1: true, l3: true, l7: true };
  st.answers = {
    'fc-single': 'wrong', 'fc-multi': ['a', 'c'], 'fc-tf': false, 'fc-fill': 'Paris, | 100% sure\nreally',
    'fc-num': -3.25e-3, 'fc-match': { one: 'dos', two: 'uno' }, 'fc-seq': ['second', 'third', 'first'], 'fc-exact': 42,
  };
  st.texts = { 'fc-essay': 'An essay,\nwith | and % and \u2028 and ünïcödé 🙂', 'fc-reflect': 'Short.' };
  st.textOrder = ['fc-essay', 'fc-reflect'];
  const s = sus.encode(lay, st, 4096);
  assert.match(s, fx.re12.CMIString4096, 'one line');
  assert.equal(s.split('|').length, 5);
  const back = sus.decode(lay, s);
  assert.deepEqual(back, st);
});

test('the encoding is compact', () => {
  const st = empty();
  for (const l of fx.course.lessons) st.viewed[l.id] = true;
  for (const q of lay.questions) st.answers[q.id] = fx.correctAnswer(q);
  const s = sus.encode(lay, st, 4096);
  assert.equal(s, `1|${lay.fingerprint}|v3|0,02,0,Paris,1,01,120,comfort,42|`);
});

test('data for another course structure is ignored', () => {
  const st = empty();
  st.viewed.l1 = true;
  const s = sus.encode(lay, st, 4096);
  const other = JSON.parse(JSON.stringify(fx.course));
  other.lessons[2].body[0].id = 'renamed';
  assert.equal(sus.decode(sus.layout(other), s), null);
  for (const bad of ['', 'x', '2|' + lay.fingerprint + '|1|||', s.replace(/^1\|/, '1|zz'), 'a|b|c']) {
    assert.equal(sus.decode(lay, bad), null, JSON.stringify(bad));
  }
});

test('invalid answers are dropped, valid ones kept', () => {
  const s = `1|${lay.fingerprint}|1|9,02,x,,,1,0z,,4444x|`;
  const st = sus.decode(lay, s);
  assert.deepEqual(st.answers, { 'fc-multi': ['a', 'c'] });
  assert.deepEqual(st.viewed, { l1: true });
});

test('over budget: the newest text stays whole, the oldest is truncated', () => {
  const st = empty();
  st.viewed.l1 = true;
  st.answers['fc-single'] = 'right';
  st.texts = { 'fc-reflect': 'r'.repeat(300), 'fc-essay': 'e'.repeat(300) };
  st.textOrder = ['fc-reflect', 'fc-essay'];
  const head = sus.encode(lay, empty(), 10000).length;
  const s = sus.encode(lay, st, 500);
  assert.equal(s.length, 500);
  const back = sus.decode(lay, s);
  assert.equal(back.texts['fc-essay'], 'e'.repeat(300), 'newest whole');
  assert.ok(back.texts['fc-reflect'].length > 0 && back.texts['fc-reflect'].length < 300, 'oldest truncated');
  assert.deepEqual(back.truncated, { 'fc-reflect': true });
  assert.deepEqual(back.textOrder, ['fc-reflect', 'fc-essay']);
  assert.ok(head < 40);

  // With room for neither, the newest is cut and the oldest keeps a marker.
  const tight = sus.decode(lay, sus.encode(lay, st, 100));
  assert.equal(tight.texts['fc-reflect'], '');
  assert.ok(tight.texts['fc-essay'].length > 0);
  assert.deepEqual(tight.truncated, { 'fc-reflect': true, 'fc-essay': true });

  // A text already truncated stays marked, even when it now fits.
  const again = sus.decode(lay, sus.encode(lay, tight, 4096));
  assert.deepEqual(again.truncated, tight.truncated);
});

test('escapes are never split', () => {
  const st = empty();
  st.texts = { 'fc-essay': ',|%🙂'.repeat(50) };
  st.textOrder = ['fc-essay'];
  for (let budget = 20; budget < 120; budget++) {
    const s = sus.encode(lay, st, budget);
    assert.ok(s.length <= budget, `budget ${budget}: ${s.length}`);
    const back = sus.decode(lay, s);
    if (!back) continue;
    const text = back.texts['fc-essay'] || '';
    assert.ok(',|%🙂'.repeat(50).startsWith(text), `budget ${budget}: ${JSON.stringify(text)}`);
  }
});

test('never over budget, whatever the state', () => {
  let seed = 7;
  const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const words = ['a', 'long,', 'text|', '100%', 'ünï', '🙂', '\n', 'word'];
  const text = (n) => Array.from({ length: n }, () => words[rand(words.length)]).join(' ');
  for (let i = 0; i < 300; i++) {
    const st = empty();
    for (const l of lay.lessons) if (rand(2)) st.viewed[l] = true;
    for (const q of lay.questions) if (rand(3)) st.answers[q.id] = q.type === 'fill-in' ? 'w ' + text(rand(60)) : fx.correctAnswer(q);
    for (const b of lay.texts) if (rand(2)) { st.texts[b.id] = text(rand(3000)); st.textOrder.push(b.id); }
    const budget = [30, 80, 200, 1000, 4096, 64000][rand(6)];
    const s = sus.encode(lay, st, budget);
    assert.ok(s.length <= budget, `state ${i}: ${s.length} > ${budget}`);
    assert.match(s, /^[^\n\r\u2028\u2029]*$/);
    const back = sus.decode(lay, s);
    if (s === '') continue;
    assert.ok(back, `state ${i} decodes`);
    for (const id of Object.keys(back.answers)) assert.deepEqual(back.answers[id], st.answers[id], `state ${i} answer ${id}`);
    for (const id of Object.keys(back.texts)) {
      assert.ok(st.texts[id].startsWith(back.texts[id]), `state ${i} text ${id} is a prefix`);
      if (!back.truncated[id]) assert.equal(back.texts[id], st.texts[id]);
    }
    if (budget >= 4096) assert.deepEqual(back.answers, st.answers, `state ${i}: every answer fits in ${budget}`);
  }
});

// The largest test course, every lesson viewed, every question answered
// (fill-ins at their 200-character limit, full of characters that need
// escaping), a reflection and a 1,500-word essay: within SCORM 1.2's 4,096.
test('peer support worst case fits SCORM 1.2 suspend_data', (t) => {
  const course = loadCourse(t, 'peer-support-training');
  if (!course) return;
  const cl = sus.layout(course);
  const st = empty();
  for (const l of course.lessons) st.viewed[l.id] = true;
  for (const q of cl.questions) {
    if (q.type === 'fill-in') st.answers[q.id] = 'a,|%'.repeat(50);
    else if (q.type === 'multiple-choice') st.answers[q.id] = q.choices.map((c) => c.id);
    else st.answers[q.id] = fx.correctAnswer(q);
  }
  assert.equal(cl.questions.length, Object.keys(st.answers).length);
  assert.ok(cl.texts.length >= 2, 'the course has a reflection and an essay');
  const reflection = cl.texts.find((b) => b.kind === 'reflection');
  const essay = cl.texts.find((b) => b.kind === 'essay');
  st.texts[reflection.id] = 'I would say that I have used services, and why that matters.\n'.repeat(40);
  st.texts[essay.id] = ('My recovery story, in my own words. ' + 'word '.repeat(1500)).trim();
  st.textOrder = [reflection.id, essay.id];

  const s = sus.encode(cl, st, sus.budgets.scorm12);
  const answersOnly = sus.encode(cl, Object.assign({}, st, { texts: {}, textOrder: [] }), sus.budgets.scorm12);
  const typical = Object.assign(empty(), { viewed: st.viewed, answers: {} });
  for (const q of cl.questions) typical.answers[q.id] = fx.correctAnswer(q);
  const typicalLen = sus.encode(cl, typical, sus.budgets.scorm12).length;
  t.diagnostic(`peer support suspend_data: ${s.length} characters with texts (budget 4096); ${answersOnly.length} without texts (worst-case answers); ${typicalLen} with typical answers`);
  assert.ok(s.length <= 4096, `${s.length} > 4096`);
  assert.match(s, fx.re12.CMIString4096);

  const back = sus.decode(cl, s);
  assert.deepEqual(back.answers, st.answers, 'every answer survives');
  assert.deepEqual(back.viewed, st.viewed, 'every lesson stays viewed');
  assert.ok(back.texts[essay.id].length > 3000, 'most of the newest text is kept');
  assert.equal(back.truncated[essay.id], true);
  assert.equal(back.truncated[reflection.id], true);

  // SCORM 2004's 64,000 characters keep both texts whole.
  const big = sus.decode(cl, sus.encode(cl, st, sus.budgets.scorm2004));
  assert.deepEqual(big.texts, st.texts);
  assert.deepEqual(big.truncated, {});
});

test('answers give way only when they alone are over budget', () => {
  const st = empty();
  for (const q of lay.questions) st.answers[q.id] = fx.correctAnswer(q);
  st.answers['fc-fill'] = 'x'.repeat(200);
  const s = sus.encode(lay, st, 60);
  assert.ok(s.length <= 60);
  const back = sus.decode(lay, s);
  assert.ok(Object.keys(back.answers).length < lay.questions.length);
  assert.equal(back.answers['fc-single'], 'right');
  assert.equal(sus.encode(lay, st, 5), '');
});

test('fields after the fifth (an LRS attempt id) do not stop decoding', () => {
  const st = empty();
  st.viewed = { l2: true };
  const s = sus.encode(lay, st, 4096);
  assert.deepEqual(sus.decode(lay, s + '|2c1d7a4e-8f0b-4e51-9d2a-4b7f5e9c3a10'), st);
});
