/* coursekit player: xAPI statements, shared by the cmi5, xAPI and SCORM +
 * LRS adapters. Pure functions (no DOM, no network), tested under node.
 *
 * Activity IRIs come from course.js (the Go side derives them once, from
 * the course id: COURSE/lessons/ID, COURSE/interactions/ID), so every
 * package format reports the same activities.
 *
 * Interactions follow xAPI's cmi.interaction definitions, whose response
 * formats are SCORM 2004's without its length limits:
 *
 *   question type    interactionType  response / pattern
 *   single-choice    choice           b
 *   multiple-choice  choice           a[,]c            (author's order)
 *   true-false       true-false       true | false
 *   fill-in          fill-in          text; patterns {case_matters=true}text when case matters
 *   numeric          numeric          3.5; pattern min[:]max
 *   matching         matching         src[.]tgt[,]src[.]tgt
 *   sequencing       sequencing       id[,]id[,]id
 *   reflection/essay long-fill-in     the text, no pattern
 */
(function (root, factory) {
  'use strict';
  if (typeof module === 'object' && module.exports) module.exports = factory(require('./core.js'));
  else root.CoursekitXAPI = factory(root.CoursekitCore);
})(typeof self !== 'undefined' ? self : this, function (core) {
  'use strict';

  const adl = 'http://adlnet.gov/expapi/verbs/';
  const verbs = {};
  for (const v of ['initialized', 'terminated', 'completed', 'passed', 'failed', 'answered', 'experienced', 'suspended', 'resumed']) {
    verbs[v] = { id: adl + v, display: { 'en-US': v } };
  }

  const types = {
    course: 'http://adlnet.gov/expapi/activities/course',
    lesson: 'http://adlnet.gov/expapi/activities/lesson',
    interaction: 'http://adlnet.gov/expapi/activities/cmi.interaction',
    attempt: 'http://adlnet.gov/expapi/activities/attempt',
  };

  // uuid returns a random (version 4) UUID. crypto.randomUUID needs a
  // secure context, which an LMS on plain http is not; getRandomValues
  // does not.
  function uuid(random) {
    const b = new Uint8Array(16);
    if (random) random(b);
    else if (typeof crypto !== 'undefined' && crypto.getRandomValues) crypto.getRandomValues(b);
    else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

  // plainText drops the tags of course.js's inline HTML and decodes the
  // entities Go's renderer writes.
  function plainText(s) {
    return core.normalize(String(s || '').replace(/<[^>]*>/g, ' ')
      .replace(/&(#x?[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (m, e) => {
        const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e.toLowerCase()];
        if (named) return named;
        return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
      }));
  }

  function lang(course, text) {
    return { [course.language || 'und']: text };
  }

  function components(course, list) {
    return (list || []).map((c) => ({ id: c.id, description: lang(course, plainText(c.text)) }));
  }

  const interactionTypes = {
    'single-choice': 'choice', 'multiple-choice': 'choice', 'true-false': 'true-false', 'fill-in': 'fill-in',
    numeric: 'numeric', matching: 'matching', sequencing: 'sequencing',
  };

  // response formats answer a (as the player keeps it) for question q.
  function response(q, a) {
    switch (q.type) {
      case 'single-choice': return String(a);
      case 'multiple-choice': return q.choices.filter((c) => a.includes(c.id)).map((c) => c.id).join('[,]');
      case 'sequencing': return a.join('[,]');
      case 'true-false': return String(a);
      case 'fill-in': return core.normalize(a);
      case 'numeric': return core.decimal(a);
      case 'matching': return q.sources.filter((s) => a[s.id]).map((s) => s.id + '[.]' + a[s.id]).join('[,]');
    }
    throw new Error('unknown question type ' + q.type);
  }

  function correctPatterns(q) {
    const c = q.correct;
    switch (q.type) {
      case 'single-choice': return [c.choices[0]];
      case 'multiple-choice': return [q.choices.filter((x) => c.choices.includes(x.id)).map((x) => x.id).join('[,]')];
      case 'sequencing': return [c.choices.join('[,]')];
      case 'true-false': return [String(c.bool)];
      case 'fill-in': return c.texts.map((t) => (c.caseSensitive ? '{case_matters=true}' : '') + core.normalize(t));
      case 'numeric': return [core.decimal(c.min) + '[:]' + core.decimal(c.max)];
      case 'matching': return [c.pairs.map((p) => p[0] + '[.]' + p[1]).join('[,]')];
    }
    return [];
  }

  // interaction is the activity of a question, reflection or essay, with
  // its cmi.interaction definition.
  function interaction(course, block) {
    const def = { type: types.interaction };
    if (block.kind === 'question') {
      def.name = lang(course, block.text);
      def.interactionType = interactionTypes[block.type];
      def.correctResponsesPattern = correctPatterns(block);
      if (block.type === 'matching') {
        def.source = components(course, block.sources);
        def.target = components(course, block.targets);
      } else if (block.choices) {
        def.choices = components(course, block.choices);
      }
    } else {
      def.name = lang(course, block.kind === 'essay' ? block.title : block.text);
      if (block.kind === 'essay') def.description = lang(course, block.text);
      def.interactionType = 'long-fill-in';
    }
    return { objectType: 'Activity', id: block.activity, definition: def };
  }

  // activity is a course or lesson activity with its name and type.
  function activity(course, id, name, type) {
    return { objectType: 'Activity', id: id, definition: { name: lang(course, name), type: type } };
  }

  // answerResult is the result of answering a block: the response, and for
  // questions whether it was right.
  function answerResult(block, answer, opts) {
    const r = {};
    if (block.kind === 'question') {
      r.success = !!opts.correct;
      r.response = response(block, answer);
    } else {
      r.response = String(answer);
    }
    r.duration = core.duration2004(opts.latencyMs || 0);
    return r;
  }

  // score turns core.score's raw (0-100) into an xAPI score. cmi5 wants an
  // integer raw, so with integerRaw a fractional raw is left out and the
  // scaled score stands alone.
  function score(raw, integerRaw) {
    const s = { scaled: Math.round(raw * 100) / 10000 };
    if (!integerRaw || Number.isInteger(raw)) Object.assign(s, { raw: raw, min: 0, max: 100 });
    return s;
  }

  function toArray(v) {
    if (v === undefined || v === null) return [];
    return Array.isArray(v) ? v.slice() : [v];
  }

  // mergeContext lays extra over a context template without overwriting
  // anything the template holds (cmi5 §10.2.1): context activities are
  // added to its lists, extensions and other properties only where it has
  // none.
  function mergeContext(template, extra) {
    const out = JSON.parse(JSON.stringify(template || {}));
    for (const k of Object.keys(extra || {})) {
      if (k === 'contextActivities') {
        const ca = out.contextActivities = out.contextActivities || {};
        for (const kind of Object.keys(extra.contextActivities)) {
          const list = toArray(ca[kind]);
          for (const a of extra.contextActivities[kind]) if (!list.some((x) => x.id === a.id)) list.push(a);
          ca[kind] = list;
        }
      } else if (k === 'extensions') {
        out.extensions = Object.assign({}, extra.extensions, out.extensions);
      } else if (!(k in out)) {
        out[k] = extra[k];
      }
    }
    return out;
  }

  // clock returns timestamps that strictly increase, so statements made in
  // the same millisecond still sort in the order they happened.
  function clock(now) {
    let last = 0;
    return () => {
      const t = Math.max(now(), last + 1);
      last = t;
      return new Date(t).toISOString();
    };
  }

  // normalizeActor reads an actor from a launch URL. Tin Can launchers of
  // the 0.9 era send name and mbox as arrays; xAPI wants single values.
  function normalizeActor(a) {
    if (!a || typeof a !== 'object') return null;
    const out = { objectType: 'Agent' };
    for (const k of ['name', 'mbox', 'mbox_sha1sum', 'openid', 'account']) {
      let v = a[k];
      if (Array.isArray(v)) v = v[0];
      if (k === 'account' && v) {
        v = { homePage: v.homePage || v.accountServiceHomePage, name: v.name || v.accountName };
      }
      if (v) out[k] = v;
    }
    return out.mbox || out.mbox_sha1sum || out.openid || (out.account && out.account.homePage && out.account.name) ? out : null;
  }

  // withQuery adds name=value to an IRI's query.
  function withQuery(iri, name, value) {
    const hash = iri.indexOf('#');
    const base = hash < 0 ? iri : iri.slice(0, hash);
    const frag = hash < 0 ? '' : iri.slice(hash);
    return base + (base.indexOf('?') < 0 ? '?' : '&') + name + '=' + encodeURIComponent(value) + frag;
  }

  return {
    verbs, types, uuid, uuidPattern, plainText, response, correctPatterns, interaction, activity,
    answerResult, score, mergeContext, clock, normalizeActor, withQuery,
  };
});
