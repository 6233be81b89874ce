/* coursekit player: knowledge checks, reflections and essays as accessible
 * forms. Each question is a fieldset whose legend is the prompt; feedback
 * goes to a polite live region, and focus stays on the Check button so the
 * learner can change the answer and check again (the last check counts).
 * Matching uses one <select> per source; sequencing an ordered list with
 * Move up / Move down buttons. Also the player's English strings and el().
 */
(function (root) {
  'use strict';
  const core = root.CoursekitCore;

  const strings = {
    skip: 'Skip to content',
    preview: 'Preview (no LMS)',
    notConnected: 'Not connected to the LMS: progress is not saved',
    launchMode: (m) => (m === 'Review' ? 'Review' : 'Browse') + ': results are not recorded',
    connected: 'Connected to the LMS',
    learner: 'Learner: ',
    contents: 'Contents',
    exit: 'Save and exit',
    exitPreview: 'End preview',
    exitedTitle: 'Progress saved',
    exited: 'Your progress is saved. You can close this page now.',
    exitedPreviewTitle: 'Preview ended',
    exitedPreview: 'The preview has ended. Reload the page to start again.',
    endedTitle: 'Session ended',
    ended: 'This session has ended. Open the course again from your learning platform.',
    previous: 'Previous',
    next: 'Next',
    lessonNav: 'Lesson navigation',
    objectives: 'In this lesson you will',
    minutes: (m) => (m >= 60 ? 'About ' + Math.floor(m / 60) + (m >= 120 ? ' hours' : ' hour') + (m % 60 ? ' ' + (m % 60) + ' minutes' : '') : 'About ' + m + (m === 1 ? ' minute' : ' minutes')),
    exerciseFiles: 'Exercise files',
    resources: 'Resources',
    newTab: ' (opens in a new tab)',
    table: 'Table',
    viewed: ' (viewed)',
    progress: (v, n) => v + ' of ' + n + (n === 1 ? ' lesson' : ' lessons') + ' viewed',
    checks: (a, n, s) => 'Knowledge checks: ' + a + ' of ' + n + ' answered' + (s === null ? '' : ', score ' + s + '%'),
    complete: 'Complete',
    courseComplete: 'You have completed this course.',
    lessonComplete: 'You have completed this lesson.',
    welcomeBack: 'Welcome back. You are where you left off.',
    noLessonTitle: 'Lesson not found',
    noLesson: (id) => 'This package has no lesson called “' + id + '”.',
    knowledgeCheck: 'Knowledge check',
    check: 'Check answer',
    correct: 'Correct.',
    incorrect: 'Not quite. You can change your answer and check again.',
    yourChoice: 'Your choice',
    chooseOne: 'Choose an answer, then check it.',
    chooseSome: 'Choose at least one answer, then check it.',
    typeAnswer: 'Type your answer, then check it.',
    typeNumber: 'Type a number, such as 3.5, then check it.',
    chooseMatches: 'Choose a match for every item, then check.',
    answer: 'Your answer',
    numberAnswer: 'Your answer (a number)',
    choose: 'Choose…',
    true: 'True',
    false: 'False',
    sequenceHint: 'Put the items in order with the Move up and Move down buttons.',
    moveUp: 'Move up',
    moveDown: 'Move down',
    moved: (t, i, n) => '“' + t + '” moved to position ' + i + ' of ' + n + '.',
    reflection: 'Reflection',
    yourReflection: 'Your reflection',
    yourEssay: 'Your essay',
    saveReflection: 'Save reflection',
    submitEssay: 'Submit essay',
    saved: (t) => 'Saved at ' + t + '.',
    submitted: (t) => 'Submitted at ' + t + '. You can edit and submit again.',
    writeFirst: 'Write something first.',
    words: (n, guide) => n + (n === 1 ? ' word' : ' words') + (guide ? ' (guide length: ' + guide + ' words)' : ''),
    keepCopy: 'Keep your own copy of long answers: the learning platform may keep only part of a long text.',
    truncated: 'Only the start of your earlier text could be kept between sessions, because the learning platform limits how much a course can store.',
  };

  // el creates an element with attributes and children (nodes or text).
  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) e.setAttribute(k, attrs[k]);
    for (const c of [].concat(children === undefined ? [] : children)) e.append(c);
    return e;
  }

  function html(tag, attrs, markup) {
    const e = el(tag, attrs);
    e.innerHTML = markup;
    return e;
  }

  // textOf is the plain text of inline HTML, parsed inert (a <template>
  // loads nothing).
  function textOf(markup) {
    const t = document.createElement('template');
    t.innerHTML = markup;
    return t.content.textContent.trim();
  }

  function choiceInputs(q, base, type, list) {
    return el('div', { class: 'ck-options' }, list.map((c) => {
      const id = base + '-' + c.id;
      return el('div', { class: 'ck-option' }, [
        el('input', { type: type, id: id, name: base, value: c.id }),
        html('label', { for: id }, c.text),
      ]);
    }));
  }

  function textInput(base, label, numeric) {
    return el('div', { class: 'ck-field' }, [
      el('label', { for: base + '-input' }, label),
      el('input', { type: 'text', id: base + '-input', class: 'ck-input', inputmode: numeric ? 'decimal' : null, autocomplete: 'off', spellcheck: 'false', maxlength: '200' }),
    ]);
  }

  function matching(q, base) {
    const targets = (q.order || q.targets.map((t) => t.id)).map((id) => q.targets.find((t) => t.id === id));
    return el('div', { class: 'ck-matches' }, q.sources.map((s) => {
      const id = base + '-' + s.id;
      const sel = el('select', { id: id, 'data-ck-source': s.id, class: 'ck-select' },
        [el('option', { value: '' }, strings.choose)].concat(targets.map((t) => el('option', { value: t.id }, textOf(t.text)))));
      return el('div', { class: 'ck-match' }, [html('label', { for: id }, s.text), sel]);
    }));
  }

  function sequencing(q, base, status) {
    const list = el('ol', { class: 'ck-sequence' });
    const order = q.order || q.choices.map((c) => c.id);
    for (const id of order) {
      const c = q.choices.find((x) => x.id === id);
      const textID = base + '-' + id + '-text';
      list.append(el('li', { 'data-ck-choice': id }, [
        html('span', { class: 'ck-seq-text', id: textID }, c.text),
        el('span', { class: 'ck-seq-buttons' }, [
          el('button', { type: 'button', class: 'ck-button ck-button-small', 'data-ck-move': 'up', 'aria-describedby': textID }, strings.moveUp),
          el('button', { type: 'button', class: 'ck-button ck-button-small', 'data-ck-move': 'down', 'aria-describedby': textID }, strings.moveDown),
        ]),
      ]));
    }
    const refresh = () => {
      const items = Array.from(list.children);
      items.forEach((li, i) => {
        li.querySelector('[data-ck-move="up"]').setAttribute('aria-disabled', String(i === 0));
        li.querySelector('[data-ck-move="down"]').setAttribute('aria-disabled', String(i === items.length - 1));
      });
    };
    list.addEventListener('click', (e) => {
      const btn = e.target.closest('[data-ck-move]');
      if (!btn || btn.getAttribute('aria-disabled') === 'true') return;
      const li = btn.closest('li');
      const up = btn.getAttribute('data-ck-move') === 'up';
      if (up) list.insertBefore(li, li.previousElementSibling);
      else list.insertBefore(li.nextElementSibling, li);
      refresh();
      btn.focus();
      const items = Array.from(list.children);
      status.textContent = strings.moved(li.querySelector('.ck-seq-text').textContent, items.indexOf(li) + 1, items.length);
    });
    refresh();
    return [el('p', { class: 'ck-hint' }, strings.sequenceHint), list];
  }

  // readAnswer returns {answer} or {error, focus}.
  function readAnswer(q, box) {
    const checked = () => Array.from(box.querySelectorAll('input:checked')).map((i) => i.value);
    const input = box.querySelector('.ck-input');
    switch (q.type) {
      case 'single-choice':
      case 'true-false': {
        const v = checked()[0];
        if (v === undefined) return { error: strings.chooseOne, focus: box.querySelector('input') };
        return { answer: q.type === 'true-false' ? v === 'true' : v };
      }
      case 'multiple-choice': {
        const v = checked();
        if (!v.length) return { error: strings.chooseSome, focus: box.querySelector('input') };
        return { answer: q.choices.map((c) => c.id).filter((id) => v.includes(id)) };
      }
      case 'fill-in':
        if (!core.normalize(input.value)) return { error: strings.typeAnswer, focus: input };
        return { answer: input.value.trim() };
      case 'numeric': {
        const n = core.parseNumber(input.value);
        if (n === null) return { error: strings.typeNumber, focus: input };
        return { answer: n };
      }
      case 'matching': {
        const a = {};
        for (const sel of box.querySelectorAll('select')) {
          if (!sel.value) return { error: strings.chooseMatches, focus: sel };
          a[sel.getAttribute('data-ck-source')] = sel.value;
        }
        return { answer: a };
      }
      case 'sequencing':
        return { answer: Array.from(box.querySelectorAll('li[data-ck-choice]')).map((li) => li.getAttribute('data-ck-choice')) };
    }
    return { error: strings.chooseOne };
  }

  function showAnswer(q, box, a) {
    switch (q.type) {
      case 'single-choice':
      case 'multiple-choice':
      case 'true-false':
        for (const i of box.querySelectorAll('input')) i.checked = [].concat(a).map(String).includes(i.value);
        break;
      case 'fill-in':
      case 'numeric':
        box.querySelector('.ck-input').value = String(a);
        break;
      case 'matching':
        for (const sel of box.querySelectorAll('select')) sel.value = a[sel.getAttribute('data-ck-source')] || '';
        break;
      case 'sequencing': {
        const list = box.querySelector('ol');
        for (const id of a) list.append(list.querySelector('li[data-ck-choice="' + id + '"]'));
        list.querySelectorAll('li').forEach((li, i, all) => {
          li.querySelector('[data-ck-move="up"]').setAttribute('aria-disabled', String(i === 0));
          li.querySelector('[data-ck-move="down"]').setAttribute('aria-disabled', String(i === all.length - 1));
        });
      }
    }
  }

  function showFeedback(q, wrap, fb, a, correct) {
    wrap.setAttribute('data-ck-result', correct ? 'correct' : 'incorrect');
    const parts = [el('p', { class: 'ck-verdict ck-verdict-' + (correct ? 'correct' : 'incorrect') }, [
      el('span', { 'aria-hidden': 'true', class: 'ck-verdict-icon' }, correct ? '✓' : '✗'),
      ' ' + (correct ? strings.correct : strings.incorrect),
    ])];
    if (q.type === 'single-choice' || q.type === 'multiple-choice') {
      const chosen = q.choices.filter((c) => [].concat(a).includes(c.id) && c.feedback);
      if (chosen.length) {
        parts.push(el('ul', { class: 'ck-choice-feedback' }, chosen.map((c) => {
          const li = el('li', {}, [el('span', { class: 'ck-choice-name' }, strings.yourChoice + ' “' + textOf(c.text) + '”: ')]);
          li.append(html('span', {}, c.feedback));
          return li;
        })));
      }
    }
    const overall = correct ? q.feedback.correct : q.feedback.incorrect;
    if (overall) parts.push(html('p', {}, overall));
    fb.setAttribute('data-ck-result', correct ? 'correct' : 'incorrect');
    fb.replaceChildren(...parts);
  }

  // renderQuestion returns the form for question q. ctx: {answer (saved, or
  // undefined), onCheck(q, answer) → correct}.
  function renderQuestion(q, ctx) {
    const base = 'ck-q-' + q.id;
    const wrap = el('div', { class: 'ck-question', 'data-ck-question': q.id, 'data-ck-type': q.type });
    const fs = el('fieldset', { class: 'ck-fieldset' }, [html('legend', { class: 'ck-prompt' }, q.prompt)]);
    const seqStatus = el('div', { class: 'ck-sr-only', 'aria-live': 'polite' });
    switch (q.type) {
      case 'single-choice': fs.append(choiceInputs(q, base, 'radio', q.choices)); break;
      case 'multiple-choice': fs.append(choiceInputs(q, base, 'checkbox', q.choices)); break;
      case 'true-false': fs.append(choiceInputs(q, base, 'radio', [{ id: 'true', text: strings.true }, { id: 'false', text: strings.false }])); break;
      case 'fill-in': fs.append(textInput(base, strings.answer, false)); break;
      case 'numeric': fs.append(textInput(base, strings.numberAnswer, true)); break;
      case 'matching': fs.append(matching(q, base)); break;
      case 'sequencing': fs.append(...sequencing(q, base, seqStatus), seqStatus); break;
    }
    const check = el('button', { type: 'button', class: 'ck-button', 'data-ck-check': '' }, strings.check);
    const fb = el('div', { class: 'ck-feedback', 'data-ck-feedback': '', role: 'status' });
    wrap.append(el('p', { class: 'ck-kicker' }, strings.knowledgeCheck), fs, el('div', { class: 'ck-actions' }, [check]), fb);

    const doCheck = () => {
      const r = readAnswer(q, fs);
      if (r.error) {
        wrap.removeAttribute('data-ck-result');
        fb.removeAttribute('data-ck-result');
        fb.replaceChildren(el('p', { class: 'ck-verdict' }, r.error));
        if (r.focus) r.focus.focus();
        return;
      }
      showFeedback(q, wrap, fb, r.answer, ctx.onCheck(q, r.answer));
    };
    check.addEventListener('click', doCheck);
    const input = fs.querySelector('.ck-input');
    if (input) input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); doCheck(); } });
    if (ctx.answer !== undefined) {
      showAnswer(q, fs, ctx.answer);
      showFeedback(q, wrap, fb, ctx.answer, core.isCorrect(q, ctx.answer));
    }
    return wrap;
  }

  // renderText returns the form for a reflection or essay. ctx: {text,
  // truncated, onSave(block, text)}.
  function renderText(b, ctx) {
    const base = 'ck-t-' + b.id;
    const essay = b.kind === 'essay';
    const wrap = el('div', { class: 'ck-text-task ck-' + b.kind, ['data-ck-' + b.kind]: b.id });
    wrap.append(essay ? el('h2', { class: 'ck-essay-title' }, b.title) : el('p', { class: 'ck-kicker' }, strings.reflection));
    wrap.append(html('div', { class: 'ck-prompt', id: base + '-prompt' }, b.prompt));
    const area = el('textarea', {
      id: base + '-input', class: 'ck-textarea', rows: essay ? '14' : '6', 'data-ck-response': b.id,
      'aria-describedby': base + '-prompt ' + base + '-words',
    });
    const words = el('p', { class: 'ck-hint', id: base + '-words' });
    const count = () => { words.textContent = strings.words(core.wordCount(area.value), b.words); };
    area.addEventListener('input', count);
    wrap.append(el('label', { for: area.id, class: 'ck-label' }, essay ? strings.yourEssay : strings.yourReflection), area, words);
    if (ctx.truncated) wrap.append(el('p', { class: 'ck-note', 'data-ck-truncated': '' }, strings.truncated));
    if (essay) wrap.append(el('p', { class: 'ck-hint' }, strings.keepCopy));
    const save = el('button', { type: 'button', class: 'ck-button', 'data-ck-save': '' }, essay ? strings.submitEssay : strings.saveReflection);
    const fb = el('div', { class: 'ck-feedback', 'data-ck-feedback': '', role: 'status' });
    wrap.append(el('div', { class: 'ck-actions' }, [save]), fb);
    save.addEventListener('click', () => {
      if (!area.value.trim()) {
        fb.replaceChildren(el('p', { class: 'ck-verdict' }, strings.writeFirst));
        area.focus();
        return;
      }
      ctx.onSave(b, area.value);
      const note = wrap.querySelector('[data-ck-truncated]');
      if (note) note.remove();
      const t = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      fb.replaceChildren(el('p', { class: 'ck-verdict' }, essay ? strings.submitted(t) : strings.saved(t)));
    });
    if (typeof ctx.text === 'string') area.value = ctx.text;
    count();
    return wrap;
  }

  root.CoursekitQuestions = { strings, el, html, textOf, renderQuestion, renderText };
})(typeof self !== 'undefined' ? self : this);
