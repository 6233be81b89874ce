/* coursekit player: pure logic (no DOM), shared by the browser and node tests.
 *
 * Answers, as the player keeps them (state.answers[questionId]):
 *   single-choice    "choiceId"
 *   multiple-choice  ["choiceId", ...]            (in the author's choice order)
 *   true-false       true | false
 *   fill-in          "text as typed"
 *   numeric          3.5                          (a finite number)
 *   matching         {"sourceId": "targetId", ...} (every source)
 *   sequencing       ["choiceId", ...]            (the learner's order)
 */
(function (root, factory) {
  'use strict';
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.CoursekitCore = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  // ---- Answers and scoring ----

  function normalize(s) {
    return String(s).trim().replace(/\s+/g, ' ');
  }

  // parseNumber reads a learner's numeric answer: digits with an optional
  // sign, decimal point and exponent. It returns null for anything else.
  function parseNumber(s) {
    const t = String(s).trim();
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return null;
    const n = Number(t);
    return Number.isFinite(n) ? n : null;
  }

  // isComplete reports whether an answer has every part the question needs.
  function isComplete(q, a) {
    switch (q.type) {
      case 'single-choice': return typeof a === 'string' && q.choices.some((c) => c.id === a);
      case 'multiple-choice': return Array.isArray(a) && a.length > 0;
      case 'true-false': return a === true || a === false;
      case 'fill-in': return typeof a === 'string' && normalize(a) !== '';
      case 'numeric': return typeof a === 'number' && Number.isFinite(a);
      case 'matching': return !!a && q.sources.every((s) => typeof a[s.id] === 'string' && a[s.id] !== '');
      case 'sequencing': return Array.isArray(a) && a.length === q.choices.length;
    }
    return false;
  }

  function isCorrect(q, a) {
    if (!isComplete(q, a)) return false;
    const c = q.correct;
    switch (q.type) {
      case 'single-choice': return a === c.choices[0];
      case 'multiple-choice':
        return a.length === c.choices.length && c.choices.every((id) => a.includes(id));
      case 'true-false': return a === c.bool;
      case 'fill-in': {
        const fold = (s) => (c.caseSensitive ? normalize(s) : normalize(s).toLowerCase());
        return c.texts.some((t) => fold(t) === fold(a));
      }
      case 'numeric': return a >= c.min && a <= c.max;
      case 'matching': return c.pairs.every((p) => a[p[0]] === p[1]);
      case 'sequencing': return a.every((id, i) => id === c.choices[i]);
    }
    return false;
  }

  function round2(n) {
    return Math.round(n * 100) / 100;
  }

  // score weighs every question in scope; unanswered questions count as
  // wrong. raw is 0..100 (two decimals), null when there is nothing to score.
  function score(questions, answers) {
    let total = 0;
    let got = 0;
    let answered = 0;
    for (const q of questions) {
      const w = q.weight > 0 ? q.weight : 0;
      total += w;
      if (Object.prototype.hasOwnProperty.call(answers, q.id)) {
        answered++;
        if (isCorrect(q, answers[q.id])) got += w;
      }
    }
    return {
      raw: total > 0 ? round2((100 * got) / total) : null,
      answered: answered,
      count: questions.length,
    };
  }

  // ---- Completion and success ----

  // evaluate applies the course's rules. rules: {rule, threshold, mastery
  // (0..1 or null), lessonMode, needsPass}. facts: {lessons, viewed, score}.
  // In lesson mode a lesson is complete when viewed, and also passed when it
  // has questions and the course needs a pass. A pass is never required of
  // a scope without questions: there is nothing to fail.
  function evaluate(rules, facts) {
    const sc = facts.score;
    const frac = facts.lessons > 0 ? Math.min(1, facts.viewed / facts.lessons) : 1;
    let success = 'unknown';
    if (rules.mastery !== null && rules.mastery !== undefined && sc.count > 0 && sc.raw !== null) {
      if (sc.raw >= rules.mastery * 100 - 1e-9) success = 'passed';
      else if (sc.answered === sc.count) success = 'failed';
    }
    const passed = sc.count === 0 || success === 'passed';
    const viewedAll = frac >= 1;
    let done;
    if (rules.lessonMode) {
      done = viewedAll && (!rules.needsPass || passed);
    } else {
      switch (rules.rule) {
        case 'passed': done = passed; break;
        case 'viewed-and-passed': done = viewedAll && passed; break;
        case 'progress': done = frac >= (rules.threshold || 0) - 1e-9; break;
        default: done = viewedAll;
      }
    }
    // progress_measure: the viewed fraction under the progress rule (the LMS
    // compares it with the manifest's completionThreshold); otherwise 1 only
    // when complete, so it never claims more than completion_status does.
    let progress = frac;
    if (rules.lessonMode || rules.rule !== 'progress') progress = done ? 1 : Math.min(frac, 0.99);
    return {
      completion: done ? 'completed' : 'incomplete',
      success: success,
      progress: round2(progress),
    };
  }

  // lessonStatus12 folds completion and success into SCORM 1.2's single
  // cmi.core.lesson_status. An unfinished course stays "incomplete" even
  // after a failing score, because the learner can still try again.
  function lessonStatus12(ev) {
    if (ev.completion !== 'completed') return 'incomplete';
    if (ev.success === 'passed') return 'passed';
    if (ev.success === 'failed') return 'failed';
    return 'completed';
  }

  // exitValue is "suspend" while the learner has more to do, so the LMS
  // keeps the attempt; normal ("" in 1.2) once complete.
  function exitValue(standard, ev) {
    if (ev.completion !== 'completed') return 'suspend';
    return standard === 'scorm12' ? '' : 'normal';
  }

  // ---- Time formats ----

  function pad(n, width) {
    return String(n).padStart(width, '0');
  }

  function centiseconds(ms) {
    return Math.max(0, Math.round((Number(ms) || 0) / 10));
  }

  // timespan12 formats a duration as a SCORM 1.2 CMITimespan, HHHH:MM:SS.SS.
  function timespan12(ms) {
    const cs = Math.min(centiseconds(ms), 9999 * 360000 + 359999);
    const h = Math.floor(cs / 360000);
    const m = Math.floor(cs / 6000) % 60;
    const s = Math.floor(cs / 100) % 60;
    return pad(h, 4) + ':' + pad(m, 2) + ':' + pad(s, 2) + '.' + pad(cs % 100, 2);
  }

  // duration2004 formats a duration as an ISO 8601 duration, PT#H#M#S, with
  // at most two decimals of seconds.
  function duration2004(ms) {
    const cs = centiseconds(ms);
    const h = Math.floor(cs / 360000);
    const m = Math.floor(cs / 6000) % 60;
    const s = Math.floor(cs / 100) % 60;
    const frac = cs % 100 ? '.' + pad(cs % 100, 2).replace(/0$/, '') : '';
    return 'PT' + h + 'H' + m + 'M' + s + frac + 'S';
  }

  // time12 is a SCORM 1.2 CMITime, HH:MM:SS, in the learner's local time.
  function time12(d) {
    return pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2);
  }

  // timestamp2004 is a SCORM 2004 time(second,10,0) in UTC:
  // YYYY-MM-DDThh:mm:ss.ssZ (the time zone may only follow a fraction).
  function timestamp2004(d) {
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1, 2) + '-' + pad(d.getUTCDate(), 2) +
      'T' + pad(d.getUTCHours(), 2) + ':' + pad(d.getUTCMinutes(), 2) + ':' + pad(d.getUTCSeconds(), 2) +
      '.' + pad(Math.floor(d.getUTCMilliseconds() / 10), 2) + 'Z';
  }

  // decimal formats a number for a CMIDecimal: no exponent, at most
  // `places` decimals, no trailing zeros.
  function decimal(n, places) {
    const p = places === undefined ? 7 : places;
    const x = Number(n);
    if (Math.abs(x) >= 1e21) return BigInt(Math.round(x)).toString(); // toFixed goes exponential
    let s = x.toFixed(p);
    if (s.indexOf('.') >= 0) s = s.replace(/0+$/, '').replace(/\.$/, '');
    return s === '-0' ? '0' : s;
  }

  // ---- LMS API discovery ----

  // The ADL algorithm: look in win and up to 7 parents, then in the
  // opener's chain (window.opener, then window.top.opener). Frames from
  // another origin throw on access; they end that chain.
  const maxParents = 7;
  const apiNames = { scorm12: 'API', scorm2004: 'API_1484_11' };
  const apiProbe = { scorm12: 'LMSInitialize', scorm2004: 'Initialize' };

  function scan(win, standard) {
    const name = apiNames[standard];
    for (let depth = 0; win && depth <= maxParents; depth++) {
      let api = null;
      let parent = null;
      try {
        api = win[name];
        parent = win.parent;
      } catch (e) {
        return null;
      }
      if (api && typeof api[apiProbe[standard]] === 'function') return api;
      if (!parent || parent === win) return null;
      win = parent;
    }
    return null;
  }

  function findAPI(win, standard) {
    if (!apiNames[standard] || !win) return null;
    let api = scan(win, standard);
    if (api) return api;
    const openers = [];
    try { openers.push(win.opener); } catch (e) { /* cross-origin */ }
    try { if (win.top && win.top !== win) openers.push(win.top.opener); } catch (e) { /* cross-origin */ }
    for (const op of openers) {
      if (op && (api = scan(op, standard))) return api;
    }
    return null;
  }

  // ---- Small things ----

  // parseRoute reads a player route, "#/LESSON" or "#/LESSON/ANCHOR", as
  // lesson HTML links other lessons; null for any other hash.
  function parseRoute(hash) {
    const m = /^#\/([^/]+)(?:\/(.+))?$/.exec(hash || '');
    if (!m) return null;
    try {
      return { lesson: decodeURIComponent(m[1]), anchor: m[2] ? decodeURIComponent(m[2]) : '' };
    } catch (e) {
      return null;
    }
  }

  // displayName turns SCORM's "Last, First" into "First Last".
  function displayName(s) {
    const t = normalize(s || '');
    const parts = t.split(',');
    if (parts.length === 2 && parts[0].trim() && parts[1].trim()) return parts[1].trim() + ' ' + parts[0].trim();
    return t;
  }

  // fnv1a is a 32-bit FNV-1a hash of a string's UTF-16 code units, in base 36.
  function fnv1a(s) {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(36);
  }

  function wordCount(s) {
    const t = String(s).trim();
    return t ? t.split(/\s+/).length : 0;
  }

  // blocksOf returns the blocks of the given kinds in the lessons, in order.
  function blocksOf(lessons, kinds) {
    const out = [];
    for (const l of lessons) for (const b of l.body) if (kinds.includes(b.kind)) out.push(b);
    return out;
  }

  return {
    normalize, parseNumber, isComplete, isCorrect, score, round2,
    evaluate, lessonStatus12, exitValue,
    timespan12, duration2004, time12, timestamp2004, decimal,
    findAPI, apiNames, displayName, fnv1a, wordCount, blocksOf, parseRoute,
  };
});
