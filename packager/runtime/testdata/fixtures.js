// Shared fixtures for the player's node tests: questions like those of
// testdata/courses/features, a small course, and the SCORM data types as
// regular expressions written from the SCORM 1.2 and 2004 RTE books.
'use strict';

const questions = {
  single: {
    kind: 'question', id: 'fc-single', type: 'single-choice', prompt: 'Pick the <em>right</em> one.', text: 'Pick the right one.', weight: 2,
    choices: [{ id: 'right', text: 'The <code>right</code> one', feedback: 'Yes.' }, { id: 'wrong', text: 'The wrong one', feedback: 'No.' }],
    correct: { choices: ['right'] }, feedback: { correct: 'Good.', incorrect: 'Try again.' },
  },
  multi: {
    kind: 'question', id: 'fc-multi', type: 'multiple-choice', prompt: 'Pick two.', text: 'Pick two.', weight: 1,
    choices: [{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }, { id: 'c', text: 'C' }], correct: { choices: ['a', 'c'] }, feedback: {},
  },
  tf: { kind: 'question', id: 'fc-tf', type: 'true-false', prompt: 'The sky is green.', text: 'The sky is green.', weight: 1, correct: { bool: false }, feedback: {} },
  fill: {
    kind: 'question', id: 'fc-fill', type: 'fill-in', prompt: 'Capital of France?', text: 'Capital of France?', weight: 1,
    correct: { texts: ['Paris', 'Lutetia'], caseSensitive: true }, feedback: {},
  },
  fillAnyCase: {
    kind: 'question', id: 'comfort-zone', type: 'fill-in', prompt: 'Our ___ zone.', text: 'Our ___ zone.', weight: 1,
    correct: { texts: ['comfort', 'comfort zone'] }, feedback: {},
  },
  num: { kind: 'question', id: 'fc-num', type: 'numeric', prompt: 'From 1 to 5.5.', text: 'From 1 to 5.5.', weight: 1, correct: { min: 1, max: 5.5 }, feedback: {} },
  exact: { kind: 'question', id: 'fc-exact', type: 'numeric', prompt: 'The answer?', text: 'The answer?', weight: 1, correct: { min: 42, max: 42 }, feedback: {} },
  match: {
    kind: 'question', id: 'fc-match', type: 'matching', prompt: 'Match.', text: 'Match.', weight: 1,
    sources: [{ id: 'one', text: '1' }, { id: 'two', text: '2' }], targets: [{ id: 'uno', text: 'uno' }, { id: 'dos', text: 'dos' }],
    order: ['dos', 'uno'], correct: { pairs: [['one', 'uno'], ['two', 'dos']] }, feedback: {},
  },
  seq: {
    kind: 'question', id: 'fc-seq', type: 'sequencing', prompt: 'Order.', text: 'Order.', weight: 1,
    choices: [{ id: 'third', text: 'Third' }, { id: 'first', text: 'First' }, { id: 'second', text: 'Second' }],
    order: ['second', 'third', 'first'], correct: { choices: ['first', 'second', 'third'] }, feedback: {},
  },
};

const reflection = { kind: 'reflection', id: 'fc-reflect', prompt: '<p>Think about it.</p>', text: 'Think about it.' };
const essay = { kind: 'essay', id: 'fc-essay', title: 'An essay', prompt: '<p>Write.</p>', text: 'Write.', words: 500 };

// course is a small course in course.js's shape.
const course = {
  format: 1, id: 'https://example.org/c', title: 'C', language: 'en', version: '1.0.0', standard: 'scorm12', scoPerLesson: false,
  mastery: 0.75, completion: { rule: 'viewed-and-passed', threshold: 0 },
  sections: [{ id: 's', title: 'S', lessons: ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7'] }],
  lessons: [
    { id: 'l1', title: 'One', section: 's', objectives: [], minutes: 0, exerciseFiles: [], body: [{ kind: 'html', html: '<p>x</p>' }, questions.single, questions.multi] },
    { id: 'l2', title: 'Two', section: 's', objectives: [], minutes: 0, exerciseFiles: [], body: [questions.tf, questions.fill, reflection] },
    { id: 'l3', title: 'Three', section: 's', objectives: [], minutes: 0, exerciseFiles: [], body: [questions.num, questions.match, questions.seq] },
    { id: 'l4', title: 'Four', section: 's', objectives: [], minutes: 0, exerciseFiles: [], body: [essay, questions.fillAnyCase] },
    { id: 'l5', title: 'Five', section: 's', objectives: [], minutes: 0, exerciseFiles: [], body: [] },
    { id: 'l6', title: 'Six', section: 's', objectives: [], minutes: 0, exerciseFiles: [], body: [] },
    { id: 'l7', title: 'Seven', section: 's', objectives: [], minutes: 0, exerciseFiles: [], body: [questions.exact] },
  ],
  resources: [],
};

// Activity IRIs, as course.ActivityID gives them on the Go side.
course.activity = course.id;
for (const l of course.lessons) {
  l.activity = course.id + '/lessons/' + l.id;
  for (const b of l.body) if (b.id) b.activity = course.id + '/interactions/' + b.id;
}

// correctAnswer returns the right answer to any question in course.js's shape.
function correctAnswer(q) {
  const c = q.correct;
  switch (q.type) {
    case 'single-choice': return c.choices[0];
    case 'multiple-choice': return q.choices.map((x) => x.id).filter((id) => c.choices.includes(id));
    case 'sequencing': return c.choices.slice();
    case 'true-false': return c.bool;
    case 'fill-in': return c.texts[0];
    case 'numeric': return c.min;
    case 'matching': return Object.fromEntries(c.pairs);
  }
  throw new Error(q.type);
}

const re12 = {
  CMITimespan: /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/,
  CMITime: /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/,
  CMIDecimal: /^-?\d+(\.\d+)?$/,
  CMIIdentifier: /^[\x21-\x7E]{1,255}$/,
  CMIString255: /^.{0,255}$/,
  CMIString4096: /^.{0,4096}$/,
  CMIFeedback: /^.{0,255}$/,
  type: /^(true-false|choice|fill-in|matching|performance|sequencing|likert|numeric)$/,
  result: /^(correct|wrong|unanticipated|neutral)$/,
};

const re2004 = {
  CMITimespan: /^P(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/,
  CMITime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,2}(Z|[+-]\d{2}(:\d{2})?)?)?$/,
  CMIDecimal: /^-?\d+(\.\d+)?$/,
  LongIdentifier: /^(?!urn:)\S{1,4000}$/,
  ShortIdentifier: /^[\w.-]{1,250}$/,
  LangString250: /^(?!\{).{0,250}$/,
  LangString4000: /^(?!\{).{0,4000}$/,
  type: /^(true-false|choice|fill-in|long-fill-in|matching|performance|sequencing|likert|numeric|other)$/,
  result: /^(correct|incorrect|unanticipated|neutral)$/,
};

module.exports = { questions, reflection, essay, course, correctAnswer, re12, re2004 };
