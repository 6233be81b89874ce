// Tests of assets/interactions.js; run by TestPlayerLogic (go test).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const ix = require('../assets/interactions.js');
const core = require('../assets/core.js');
const fx = require('./fixtures.js');

const q = fx.questions;

test('responses in SCORM 1.2 format', () => {
  const cases = [
    // question, answer, learner response, correct patterns
    [q.single, 'wrong', 'b', ['a']],
    [q.multi, ['a', 'b'], 'a,b', ['a,c']],
    [q.tf, true, 't', ['f']],
    [q.fill, 'Paris, France', 'Paris, France', ['Paris', 'Lutetia']],
    [q.fill, 'line one\nline two\r\n\r\nthree', 'line one \u00b6 line two \u00b6 three', ['Paris', 'Lutetia']],
    [q.num, 3.5, '3.5', []],
    [q.exact, 42, '42', ['42']],
    [q.match, { one: 'dos', two: 'uno' }, 'a.b,b.a', ['a.a,b.b']],
    [q.seq, ['second', 'first', 'third'], 'c,b,a', ['b,c,a']],
  ];
  for (const [question, answer, learner, patterns] of cases) {
    assert.deepEqual(ix.responses('scorm12', question, answer), { learner, patterns }, `${question.id} ${JSON.stringify(answer)}`);
  }
  const long = ix.responses('scorm12', q.fill, 'x'.repeat(300)).learner;
  assert.equal(long.length, 255);
  assert.ok(long.endsWith('\u2026'));
});

test('responses in SCORM 2004 format', () => {
  const cases = [
    [q.single, 'wrong', 'wrong', ['right']],
    [q.multi, ['a', 'b'], 'a[,]b', ['a[,]c']],
    [q.tf, true, 'true', ['false']],
    [q.fill, 'Paris', 'Paris', ['{case_matters=true}Paris', '{case_matters=true}Lutetia']],
    [q.fillAnyCase, 'Comfort', 'Comfort', ['comfort', 'comfort zone']],
    [q.fill, '{lang=fr} a[,]b', ' {lang=fr} a,b', ['{case_matters=true}Paris', '{case_matters=true}Lutetia']],
    [q.num, 3.5, '3.5', ['1[:]5.5']],
    [q.exact, 42, '42', ['42[:]42']],
    [q.match, { one: 'dos', two: 'uno' }, 'one[.]dos[,]two[.]uno', ['one[.]uno[,]two[.]dos']],
    [q.seq, ['second', 'first', 'third'], 'second[,]first[,]third', ['first[,]second[,]third']],
  ];
  for (const [question, answer, learner, patterns] of cases) {
    assert.deepEqual(ix.responses('scorm2004', question, answer), { learner, patterns }, `${question.id} ${JSON.stringify(answer)}`);
  }
  const big = ix.responses('scorm2004', q.num, 123456.000001).learner;
  assert.equal(big, '123456.000001');
});

test('1.2 responses fall back to ids past 36 choices', () => {
  const many = Object.assign({}, q.multi, { choices: Array.from({ length: 40 }, (_, i) => ({ id: 'c' + i, text: String(i) })), correct: { choices: ['c0', 'c39'] } });
  assert.deepEqual(ix.responses('scorm12', many, ['c1', 'c35']), { learner: 'c1,c35', patterns: ['c0,c39'] });
});

const date = new Date(Date.UTC(2025, 2, 4, 5, 6, 7, 80));

test('question records and their data model elements', () => {
  for (const std of ['scorm12', 'scorm2004']) {
    const re = std === 'scorm12' ? fx.re12 : fx.re2004;
    for (const question of Object.values(q)) {
      const answer = fx.correctAnswer(question);
      const rec = ix.record(std, question, answer, { correct: true, date, latencyMs: 61500 });
      assert.equal(rec.id, question.id);
      assert.match(rec.type, re.type);
      assert.equal(rec.result, 'correct');
      assert.match(rec.weighting, re.CMIDecimal);
      assert.equal(rec.latency, std === 'scorm12' ? '0000:01:01.50' : 'PT0H1M1.5S');
      assert.match(rec.time, re.CMITime);
      if (std === 'scorm2004') {
        assert.equal(rec.description, question.text);
        assert.match(rec.id, re.LongIdentifier);
      } else {
        assert.equal(rec.description, '');
        assert.match(rec.id, re.CMIIdentifier);
      }
      const wrong = ix.record(std, question, answer, { correct: false, date, latencyMs: 0 });
      assert.equal(wrong.result, std === 'scorm12' ? 'wrong' : 'incorrect');

      const els = ix.elements(std, 3, rec);
      const names = els.map((e) => e[0]);
      assert.deepEqual(names.slice(0, 2), ['cmi.interactions.3.id', 'cmi.interactions.3.type'], 'id and type come first');
      assert.equal(new Set(names).size, names.length);
      const want = std === 'scorm12'
        ? ['time', 'weighting', 'student_response', 'result', 'latency']
        : ['timestamp', 'weighting', 'description', 'learner_response', 'result', 'latency'];
      for (const w of want) assert.ok(names.includes('cmi.interactions.3.' + w), `${std} ${question.id}: ${w} is set`);
      rec.patterns.forEach((p, k) => assert.ok(els.some((e) => e[0] === `cmi.interactions.3.correct_responses.${k}.pattern` && e[1] === p)));
      for (const [name, value] of els) assert.equal(typeof value, 'string', name);
    }
  }
});

test('right answers give a response equal to the pattern', () => {
  for (const std of ['scorm12', 'scorm2004']) {
    for (const question of [q.single, q.multi, q.tf, q.match, q.seq]) {
      const r = ix.responses(std, question, fx.correctAnswer(question));
      assert.equal(r.learner, r.patterns[0], `${std} ${question.id}`);
    }
  }
});

test('reflections and essays are neutral text interactions', () => {
  const text = '{Dear diary}\nParagraph one.\n\nParagraph two, with [,] in it.' + ' word'.repeat(2000);
  const r12 = ix.record('scorm12', fx.essay, text, { date, latencyMs: 0 });
  assert.equal(r12.type, 'fill-in');
  assert.equal(r12.result, 'neutral');
  assert.equal(r12.weighting, '0');
  assert.deepEqual(r12.patterns, []);
  assert.equal(r12.learner.length, 255);
  assert.match(r12.learner, fx.re12.CMIFeedback);
  assert.ok(r12.learner.startsWith('{Dear diary} \u00b6 Paragraph one. \u00b6 Paragraph two'));

  const r04 = ix.record('scorm2004', fx.essay, text, { date, latencyMs: 0 });
  assert.equal(r04.type, 'long-fill-in');
  assert.equal(r04.result, 'neutral');
  assert.equal(r04.description, 'An essay');
  assert.equal(r04.learner.length, 4000);
  assert.match(r04.learner, fx.re2004.LangString4000);
  assert.ok(r04.learner.startsWith(' {Dear diary} \u00b6 Paragraph one.'));
  assert.ok(!ix.elements('scorm2004', 0, r04).some((e) => e[0].includes('correct_responses')));

  const refl = ix.record('scorm2004', fx.reflection, 'Short.', { date, latencyMs: 0 });
  assert.equal(refl.learner, 'Short.');
  assert.equal(refl.description, 'Think about it.');
});

test('descriptions are one line, at most 250 characters', () => {
  const long = Object.assign({}, q.single, { text: 'A\nB ' + 'x'.repeat(400) });
  const d = ix.record('scorm2004', long, 'right', { correct: true, date, latencyMs: 0 }).description;
  assert.equal(d.length, 250);
  assert.match(d, fx.re2004.LangString250);
});

test('every question of the sample courses makes valid records', (t) => {
  const dir = process.env.COURSEKIT_COURSES;
  if (!dir) return t.skip('COURSEKIT_COURSES is not set: run through go test ./packager/runtime');
  for (const name of ['peer-support-training', 'features']) {
    const course = JSON.parse(fs.readFileSync(path.join(dir, name + '.json'), 'utf8'));
    const qs = core.blocksOf(course.lessons, ['question']);
    assert.ok(qs.length > 0);
    for (const question of qs) {
      for (const std of ['scorm12', 'scorm2004']) {
        const answer = fx.correctAnswer(question);
        assert.ok(core.isCorrect(question, answer), `${question.id}: its own answer is correct`);
        const rec = ix.record(std, question, answer, { correct: true, date, latencyMs: 1000 });
        if (std === 'scorm2004') {
          assert.match(rec.description, fx.re2004.LangString250, question.id);
          for (const p of rec.patterns.concat(rec.learner)) {
            for (const part of p.replace(/^\{case_matters=true\}/, '').split(/\[,\]|\[\.\]|\[:\]/)) {
              if (question.type === 'fill-in') assert.match(part, fx.re2004.LangString250, question.id);
              else if (question.type === 'numeric') assert.match(part, fx.re2004.CMIDecimal, question.id);
              else if (question.type !== 'true-false') assert.match(part, fx.re2004.ShortIdentifier, question.id);
            }
          }
        } else {
          assert.match(rec.learner, fx.re12.CMIFeedback, question.id);
        }
      }
    }
  }
});
