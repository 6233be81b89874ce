/* coursekit player: cmi.interactions records, in each SCORM version's format.
 *
 * Every check of a question, and every save of a reflection or essay,
 * appends one interaction (cmi.interactions.n, n = _count), so the LMS keeps
 * each attempt; the last one is the learner's answer. The id is the
 * question's id (an NCName: a valid CMIIdentifier and long_identifier_type,
 * and the same on every build).
 *
 *   question type    1.2 type / response             2004 type / response
 *   single-choice    choice      b                   choice       two-way
 *   multiple-choice  choice      a,c                 choice       a[,]c
 *   true-false       true-false  t | f               true-false   true | false
 *   fill-in          fill-in     text                fill-in      text
 *   numeric          numeric     3.5                 numeric      3.5
 *   matching         matching    a.b,b.a             matching     src[.]tgt[,]src[.]tgt
 *   sequencing       sequencing  b,a,c               sequencing   id[,]id[,]id
 *   reflection/essay fill-in     first 255 chars     long-fill-in first 4000 chars
 *
 * SCORM 1.2 responses name choices, sources and targets by one character
 * each, a-z then 0-9, in the author's order (ids when a list has more than
 * 36 entries). Correct response patterns use the same format, one pattern
 * per accepted fill-in answer (at most 10); 2004 fill-in patterns start with
 * {case_matters=true} when case matters, numeric ones are min[:]max. SCORM
 * 1.2 has no numeric range: a range question sends no pattern there.
 * Reflections and essays are "neutral" with weighting 0 and no pattern.
 * Text responses become one line (line breaks turn into " ¶ ") because
 * runtimes check them against single-line patterns, and 2004 text does not
 * start with "{" (a space is put before it), which would read as a delimiter.
 */
(function (root, factory) {
  'use strict';
  if (typeof module === 'object' && module.exports) module.exports = factory(require('./core.js'));
  else root.CoursekitInteractions = factory(root.CoursekitCore);
})(typeof self !== 'undefined' ? self : this, function (core) {
  'use strict';

  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';

  function char12(list, id) {
    const i = list.findIndex((c) => c.id === id);
    if (i < 0) return '';
    return list.length <= chars.length ? chars[i] : id;
  }

  function oneLine(s) {
    return String(s).trim().replace(/\s*(?:\r\n|[\r\n\u2028\u2029])+\s*/g, ' \u00b6 ');
  }

  // clip shortens s to at most n UTF-16 code units, ending with an ellipsis,
  // without splitting a surrogate pair.
  function clip(s, n) {
    if (s.length <= n) return s;
    let cut = s.slice(0, n - 1);
    if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
    return cut + '\u2026';
  }

  // langString makes a SCORM 2004 localized string of at most n characters.
  function langString(s, n) {
    let t = oneLine(s).replace(/\[,\]/g, ',');
    if (t.charAt(0) === '{') t = ' ' + t;
    return clip(t, n);
  }

  function unique(list) {
    return list.filter((x, i) => list.indexOf(x) === i);
  }

  const types = {
    'single-choice': 'choice',
    'multiple-choice': 'choice',
    'true-false': 'true-false',
    'fill-in': 'fill-in',
    numeric: 'numeric',
    matching: 'matching',
    sequencing: 'sequencing',
  };

  // responses returns a question's learner response and correct response
  // patterns in the given version's format.
  function responses(standard, q, a) {
    const v12 = standard === 'scorm12';
    const sep = v12 ? ',' : '[,]';
    const ch = (list, id) => (v12 ? char12(list, id) : id);
    const c = q.correct;
    switch (q.type) {
      case 'single-choice':
        return { learner: ch(q.choices, a), patterns: [ch(q.choices, c.choices[0])] };
      case 'multiple-choice':
      case 'sequencing': {
        const list = (ids) => ids.map((id) => ch(q.choices, id)).join(sep);
        return { learner: list(a), patterns: [list(c.choices)] };
      }
      case 'true-false':
        if (v12) return { learner: a ? 't' : 'f', patterns: [c.bool ? 't' : 'f'] };
        return { learner: String(a), patterns: [String(c.bool)] };
      case 'fill-in': {
        const texts = unique(c.texts).slice(0, 10);
        if (v12) return { learner: clip(oneLine(a), 255), patterns: texts.map((t) => clip(oneLine(t), 255)) };
        const prefix = c.caseSensitive ? '{case_matters=true}' : '';
        return { learner: langString(a, 250), patterns: texts.map((t) => prefix + langString(t, 250)) };
      }
      case 'numeric':
        if (v12) return { learner: core.decimal(a), patterns: c.min === c.max ? [core.decimal(c.min)] : [] };
        return { learner: core.decimal(a), patterns: [core.decimal(c.min) + '[:]' + core.decimal(c.max)] };
      case 'matching': {
        const pairSep = v12 ? '.' : '[.]';
        const list = (m) => q.sources.filter((s) => m[s.id])
          .map((s) => ch(q.sources, s.id) + pairSep + ch(q.targets, m[s.id])).join(sep);
        const correct = {};
        for (const p of c.pairs) correct[p[0]] = p[1];
        return { learner: list(a), patterns: [list(correct)] };
      }
    }
    throw new Error('unknown question type ' + q.type);
  }

  // record describes one interaction. block is a question, reflection or
  // essay from course.js; answer the learner's answer (text for
  // reflections and essays); opts {correct, date, latencyMs}.
  function record(standard, block, answer, opts) {
    const v12 = standard === 'scorm12';
    const date = opts.date || new Date();
    const rec = {
      id: block.id,
      latency: v12 ? core.timespan12(opts.latencyMs) : core.duration2004(opts.latencyMs),
      time: v12 ? core.time12(date) : core.timestamp2004(date),
      patterns: [],
    };
    let description;
    if (block.kind === 'question') {
      const r = responses(standard, block, answer);
      rec.type = types[block.type];
      rec.learner = r.learner;
      rec.patterns = r.patterns;
      rec.result = opts.correct ? 'correct' : v12 ? 'wrong' : 'incorrect';
      rec.weighting = core.decimal(block.weight, 2);
      description = block.text;
    } else {
      rec.type = v12 ? 'fill-in' : 'long-fill-in';
      rec.learner = v12 ? clip(oneLine(answer), 255) : langString(answer, 4000);
      rec.result = 'neutral';
      rec.weighting = '0';
      description = block.kind === 'essay' ? block.title : block.text;
    }
    rec.description = v12 ? '' : langString(description || '', 250);
    return rec;
  }

  // elements lists the data model elements to set for interaction n, in an
  // order every runtime accepts (id and type first).
  function elements(standard, n, rec) {
    const p = 'cmi.interactions.' + n + '.';
    const out = [[p + 'id', rec.id], [p + 'type', rec.type]];
    if (standard === 'scorm12') {
      out.push([p + 'time', rec.time], [p + 'weighting', rec.weighting]);
      rec.patterns.forEach((pat, k) => out.push([p + 'correct_responses.' + k + '.pattern', pat]));
      out.push([p + 'student_response', rec.learner], [p + 'result', rec.result], [p + 'latency', rec.latency]);
    } else {
      out.push([p + 'timestamp', rec.time], [p + 'weighting', rec.weighting]);
      if (rec.description) out.push([p + 'description', rec.description]);
      rec.patterns.forEach((pat, k) => out.push([p + 'correct_responses.' + k + '.pattern', pat]));
      out.push([p + 'learner_response', rec.learner], [p + 'result', rec.result], [p + 'latency', rec.latency]);
    }
    return out;
  }

  return { responses, record, elements, oneLine, clip, langString };
});
