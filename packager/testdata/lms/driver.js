// Test driver for the end-to-end tests: helpers the Go test calls, through
// chromedp, to act in the SCO's iframe the way a learner would (clicking,
// typing) and to read what the LMS stored. Loaded by lms.html.
(function () {
  'use strict';
  function frame() { return document.getElementById('sco'); }
  function doc() { return frame().contentDocument; }
  function win() { return frame().contentWindow; }
  function q(sel) {
    const el = doc().querySelector(sel);
    if (!el) throw new Error('no element ' + sel);
    return el;
  }
  function type(el, text) {
    el.focus();
    el.value = text;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }
  function questionData(id) {
    for (const l of win().coursekitCourse.lessons) {
      for (const b of l.body) if (b.kind === 'question' && b.id === id) return b;
    }
    throw new Error('no question ' + id);
  }
  // answer fills in question id rightly or wrongly, then checks it.
  function answer(id, right) {
    const box = q('[data-ck-question="' + id + '"]');
    const data = questionData(id);
    const c = data.correct;
    const pick = (v) => box.querySelector('input[value="' + v + '"]').click();
    switch (data.type) {
      case 'single-choice': {
        const wrong = data.choices.find((ch) => !c.choices.includes(ch.id));
        pick(right ? c.choices[0] : wrong.id);
        break;
      }
      case 'multiple-choice':
        for (const input of box.querySelectorAll('input[type="checkbox"]')) {
          const want = right ? c.choices.includes(input.value) : !c.choices.includes(input.value);
          if (input.checked !== want) input.click();
        }
        break;
      case 'true-false':
        pick(String(right ? c.bool : !c.bool));
        break;
      case 'fill-in':
        type(box.querySelector('.ck-input'), right ? c.texts[0] : 'not the answer');
        break;
      case 'numeric':
        type(box.querySelector('.ck-input'), String(right ? c.min : c.max + 1000));
        break;
      case 'matching': {
        const targets = data.targets.map((t) => t.id);
        for (const [src, tgt] of c.pairs) {
          const sel = box.querySelector('select[data-ck-source="' + src + '"]');
          const wrong = targets.find((t) => t !== tgt);
          sel.value = right ? tgt : wrong;
          sel.dispatchEvent(new Event('change', { bubbles: true }));
        }
        break;
      }
      case 'sequencing': {
        const order = right ? c.choices : c.choices.slice().reverse();
        for (let i = 0; i < order.length; i++) {
          for (let guard = 0; guard < order.length; guard++) {
            const items = Array.from(box.querySelectorAll('li[data-ck-choice]'));
            const at = items.findIndex((li) => li.getAttribute('data-ck-choice') === order[i]);
            if (at <= i) break;
            items[at].querySelector('[data-ck-move="up"]').click();
          }
        }
        break;
      }
      default:
        throw new Error('unknown question type ' + data.type);
    }
    box.querySelector('[data-ck-check]').click();
    return box.getAttribute('data-ck-result');
  }
  window.drive = {
    ready: () => !!(frame() && win().coursekit && doc().getElementById('ck-status') &&
      doc().getElementById('ck-status').getAttribute('data-ck-connected') !== null &&
      doc().querySelector('[data-ck-current-lesson]')),
    state: () => win().coursekit.state(),
    status: () => q('#ck-status').textContent,
    click: (sel) => { q(sel).click(); return true; },
    exists: (sel) => !!doc().querySelector(sel),
    lesson: () => q('[data-ck-current-lesson]').getAttribute('data-ck-current-lesson'),
    questions: () => Array.from(doc().querySelectorAll('[data-ck-question]')).map((e) => e.getAttribute('data-ck-question')),
    texts: () => Array.from(doc().querySelectorAll('textarea[data-ck-response]')).map((e) => e.getAttribute('data-ck-response')),
    answer: answer,
    write: (id, text) => {
      const area = q('textarea[data-ck-response="' + id + '"]');
      type(area, text);
      area.closest('[data-ck-reflection],[data-ck-essay]').querySelector('[data-ck-save]').click();
      return true;
    },
    // leave unloads the SCO, as an LMS does when the learner closes it.
    leave: () => { frame().src = 'about:blank'; return true; },
    log: () => window.lmsLog.slice(),
    stored: () => JSON.parse(localStorage.getItem('cmi:' + new URLSearchParams(location.search).get('key'))),
    axe: () => new Promise((resolve, reject) => {
      const s = doc().createElement('script');
      s.src = '/vendor/axe/axe.min.js';
      s.onload = () => win().axe.run(doc(), { resultTypes: ['violations'] }).then((r) =>
        resolve(r.violations.map((v) => v.id + ': ' + v.help + ' (' + v.nodes.map((n) => n.target.join(' ')).join(', ') + ')')), reject);
      s.onerror = () => reject(new Error('axe did not load'));
      doc().head.appendChild(s);
    }),
  };
})();
