/* coursekit player: the suspend_data encoding.
 *
 * suspend_data carries what the learner has done between sessions, within
 * a budget: 4,096 characters in SCORM 1.2, 64,000 in SCORM 2004. It is
 * five fields separated by "|":
 *
 *   1|<fingerprint>|<viewed>|<answers>|<texts>
 *
 *   1            the format version.
 *   fingerprint  FNV-1a (base 36) of the course's structure: lesson ids,
 *                question ids, types and choice ids, reflection and essay
 *                ids. Data written for another structure is ignored and the
 *                learner starts afresh (the bookmark still applies), because
 *                the fields below are positional.
 *   viewed       lessons viewed, as a bit set over the course's lessons in
 *                outline order, five lessons per base-32 digit, lowest first
 *                (trailing zeros dropped).
 *   answers      the last checked answer of each question, in course order,
 *                separated by ","; empty for unanswered (trailing ones
 *                dropped). Choices, targets and sequencing items are
 *                indexes in the author's order in base 36, one digit each
 *                (two when a list has more than 36 entries):
 *                  single-choice "1", multiple-choice "02" (sorted),
 *                  sequencing "2013" (learner's order), true-false "1"/"0",
 *                  matching one target digit per source ("_" unset),
 *                  numeric the number, fill-in the escaped text.
 *   texts        saved reflections and essays, oldest save first, separated
 *                by ",": <block index in base 36><flag><escaped text>. The
 *                block index counts reflections and essays in course
 *                order; flag ":" is the whole text, "!" a truncated one.
 *
 * Escaping: "%", ",", "|" and line terminators become %XX (%uXXXX above
 * U+00FF), so every field is one line, as SCORM 1.2's CMIString4096 needs.
 *
 * Over budget: reflection and essay texts are long, and are also sent in
 * full (up to each version's limit) as interactions when saved, so they
 * give way first. The newest save is kept whole if it fits; older texts get
 * what room is left and are truncated, oldest first, down to a bare "!"
 * marker (the player then tells the learner only part of the text could be
 * kept). If the answers alone do not fit, the last answers are dropped. The
 * result never exceeds the budget.
 */
(function (root, factory) {
  'use strict';
  if (typeof module === 'object' && module.exports) module.exports = factory(require('./core.js'));
  else root.CoursekitSuspend = factory(root.CoursekitCore);
})(typeof self !== 'undefined' ? self : this, function (core) {
  'use strict';

  const version = '1';
  const budgets = { scorm12: 4096, scorm2004: 64000, none: 64000 };

  function escape(s) {
    return String(s).replace(/[%,|\r\n\u2028\u2029]/g, (ch) => {
      const c = ch.charCodeAt(0);
      return c < 256 ? '%' + c.toString(16).toUpperCase().padStart(2, '0') : '%u' + c.toString(16).toUpperCase().padStart(4, '0');
    });
  }

  function unescape(s) {
    return s.replace(/%u([0-9A-F]{4})|%([0-9A-F]{2})/g, (m, u, x) => String.fromCharCode(parseInt(u || x, 16)));
  }

  // escapedPrefix returns the longest escaped prefix of s at most max long,
  // never splitting an escape or a surrogate pair.
  function escapedPrefix(s, max) {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      let piece = escape(s[i]);
      if (/[\uD800-\uDBFF]/.test(s[i]) && i + 1 < s.length) piece += s[++i];
      if (out.length + piece.length > max) break;
      out += piece;
    }
    return out;
  }

  // layout is the course's positional structure, computed once per course.
  function layout(course) {
    const questions = core.blocksOf(course.lessons, ['question']);
    const texts = core.blocksOf(course.lessons, ['reflection', 'essay']);
    const parts = [course.lessons.map((l) => l.id).join(',')];
    for (const q of questions) {
      const lists = [q.choices, q.sources, q.targets].map((l) => (l || []).map((c) => c.id).join('.'));
      parts.push(q.id + ':' + q.type + ':' + lists.join(':'));
    }
    parts.push(texts.map((t) => t.id).join(','));
    return {
      lessons: course.lessons.map((l) => l.id),
      questions: questions,
      texts: texts,
      fingerprint: core.fnv1a(parts.join('|')),
    };
  }

  function width(list) {
    return list.length > 36 ? 2 : 1;
  }

  function indexOf(list, id) {
    const i = list.findIndex((c) => c.id === id);
    return i < 0 ? null : i.toString(36).padStart(width(list), '0');
  }

  function indexes(list, s) {
    const w = width(list);
    if (s.length % w) return null;
    const out = [];
    for (let i = 0; i < s.length; i += w) {
      const k = s.slice(i, i + w);
      const n = parseInt(k, 36);
      if (!/^[0-9a-z]+$/.test(k) || !(n < list.length)) return null;
      out.push(list[n].id);
    }
    return out;
  }

  function encodeAnswer(q, a) {
    switch (q.type) {
      case 'single-choice': return indexOf(q.choices, a) || '';
      case 'multiple-choice': return q.choices.filter((c) => a.includes(c.id)).map((c) => indexOf(q.choices, c.id)).join('');
      case 'sequencing': return a.map((id) => indexOf(q.choices, id) || '').join('');
      case 'true-false': return a ? '1' : '0';
      case 'matching': return q.sources.map((s) => (a[s.id] && indexOf(q.targets, a[s.id])) || '_'.repeat(width(q.targets))).join('');
      case 'numeric': return escape(String(a));
      case 'fill-in': return escape(a);
    }
    return '';
  }

  // decodeAnswer returns the answer, or undefined when s is not a valid
  // complete answer to q.
  function decodeAnswer(q, s) {
    let a;
    switch (q.type) {
      case 'single-choice': { const ids = indexes(q.choices, s); a = ids && ids.length === 1 ? ids[0] : undefined; break; }
      case 'multiple-choice': a = indexes(q.choices, s) || undefined; break;
      case 'sequencing': { const ids = indexes(q.choices, s); a = ids && new Set(ids).size === ids.length ? ids : undefined; break; }
      case 'true-false': a = s === '1' ? true : s === '0' ? false : undefined; break;
      case 'matching': {
        const w = width(q.targets);
        if (s.length !== q.sources.length * w) break;
        a = {};
        q.sources.forEach((src, i) => {
          const ids = indexes(q.targets, s.slice(i * w, i * w + w));
          if (ids) a[src.id] = ids[0];
        });
        break;
      }
      case 'numeric': a = core.parseNumber(unescape(s)); break;
      case 'fill-in': a = unescape(s); break;
    }
    return a !== undefined && a !== null && core.isComplete(q, a) ? a : undefined;
  }

  function encodeViewed(lay, viewed) {
    let out = '';
    for (let i = 0; i < lay.lessons.length; i += 5) {
      let v = 0;
      for (let j = 0; j < 5 && i + j < lay.lessons.length; j++) if (viewed[lay.lessons[i + j]]) v |= 1 << j;
      out += v.toString(32);
    }
    return out.replace(/0+$/, '');
  }

  // encode returns the suspend_data for state {viewed, answers, texts,
  // textOrder, truncated} in at most budget characters.
  function encode(lay, st, budget) {
    const answers = lay.questions.map((q) => (Object.prototype.hasOwnProperty.call(st.answers, q.id) ? encodeAnswer(q, st.answers[q.id]) : ''));
    const head = () => [version, lay.fingerprint, encodeViewed(lay, st.viewed), answers.join(',').replace(/,+$/, '')].join('|');
    let s = head();
    while (s.length + 1 > budget && answers.some((a) => a !== '')) {
      let i = answers.length - 1;
      while (answers[i] === '') i--;
      answers[i] = '';
      s = head();
    }
    if (s.length + 1 > budget) return '';

    // Texts, newest save first, get what room is left.
    const ids = lay.texts.map((t) => t.id);
    const order = (st.textOrder || []).filter((id) => ids.includes(id) && typeof st.texts[id] === 'string');
    for (const id of ids) if (typeof st.texts[id] === 'string' && !order.includes(id)) order.unshift(id);
    // Each text's overhead (index, flag and comma) is set aside first, so
    // that older texts keep at least their "!" marker.
    const newestFirst = order.slice().reverse();
    const overheads = newestFirst.map((id, n) => ids.indexOf(id).toString(36).length + 1 + (n > 0 ? 1 : 0));
    let room = budget - s.length - 1;
    let reserved = overheads.reduce((a, b) => a + b, 0);
    const kept = {};
    newestFirst.forEach((id, n) => {
      reserved -= overheads[n];
      if (room < overheads[n]) return;
      const key = ids.indexOf(id).toString(36);
      const free = Math.max(0, room - overheads[n] - Math.max(0, reserved));
      const full = escape(st.texts[id]);
      const whole = full.length <= free && !(st.truncated && st.truncated[id]);
      const text = whole ? full : escapedPrefix(st.texts[id], free);
      kept[id] = key + (whole ? ':' : '!') + text;
      room -= overheads[n] + text.length;
    });
    const out = s + '|' + order.filter((id) => kept[id] !== undefined).map((id) => kept[id]).join(',');
    return out.length <= budget ? out : s + '|';
  }

  // decode returns the state suspend_data s holds for the course, or null
  // when s is empty, not ours, or written for a different course structure.
  function decode(lay, s) {
    const parts = String(s || '').split('|');
    // Fields after the fifth belong to others (scormlrs.js keeps its
    // attempt id there) and are ignored.
    if (parts.length < 5 || parts[0] !== version || parts[1] !== lay.fingerprint) return null;
    const st = { viewed: {}, answers: {}, texts: {}, textOrder: [], truncated: {} };
    for (let i = 0; i < parts[2].length; i++) {
      const v = parseInt(parts[2][i], 32);
      for (let j = 0; j < 5; j++) {
        const id = lay.lessons[i * 5 + j];
        if (v & (1 << j) && id) st.viewed[id] = true;
      }
    }
    parts[3].split(',').forEach((enc, i) => {
      const q = lay.questions[i];
      if (!q || enc === '') return;
      const a = decodeAnswer(q, enc);
      if (a !== undefined) st.answers[q.id] = a;
    });
    if (parts[4] !== '') {
      for (const entry of parts[4].split(',')) {
        const m = /^([0-9a-z]+)([:!])(.*)$/.exec(entry);
        const block = m && lay.texts[parseInt(m[1], 36)];
        if (!block || st.textOrder.includes(block.id)) continue;
        st.texts[block.id] = unescape(m[3]);
        st.textOrder.push(block.id);
        if (m[2] === '!') st.truncated[block.id] = true;
      }
    }
    return st;
  }

  return { layout, encode, decode, budgets, escape, unescape, encodeAnswer, decodeAnswer };
});
