/* coursekit player: the cmi5 and xAPI (Tin Can) adapters. Both report to
 * an LRS with xAPI statements, put in the send queue (lrs.js); cmi5 adds
 * its launch sequence and rules.
 *
 * launch('cmi5', course, env) reads endpoint, fetch, actor, registration
 * and activityId from the launch URL (cmi5 §8.1), POSTs to the fetch URL
 * once for the auth token (§8.2; the token is kept in sessionStorage, so a
 * reload of the page does not spend the one-time URL again), reads
 * LMS.LaunchData from the State resource (§10) and cmi5LearnerPreferences
 * from the Agent Profile resource (§11). launch('xapi', ...) reads
 * endpoint, auth, actor, registration and activity_id, the conventional
 * Tin Can launch parameters. Both read the player's own progress from the
 * State document "coursekit.progress" and write it back as the learner
 * goes (an LRS without the State resource just means no resume).
 *
 * Statements, in order: initialized; experienced for each lesson shown
 * and answered for each check or save (cmi5 "allowed" statements: the
 * context template, no cmi5 category); passed (with the score, as soon as
 * the mastery score is reached) and completed (as soon as the completion
 * rule is met), each at most once per registration; failed, only when the
 * session ends below the mastery score, because a session may hold only
 * one of passed and failed and the learner may still try again; terminated
 * last, with the session's duration. cmi5 defined statements carry the
 * cmi5 category, and the moveon category when their result has success
 * or completion. In Browse and Review launch modes only initialized and
 * terminated are sent of the defined statements. The mastery score in
 * LMS.LaunchData, when there is one, replaces the course's (the player
 * reads session.mastery). When LMS.LaunchData has a returnURL, the page
 * goes there once terminated has been sent (or could not be).
 */
(function (root, factory) {
  'use strict';
  if (typeof module === 'object' && module.exports) {
    module.exports = factory(require('./core.js'), require('./xapi.js'), require('./lrs.js'));
  } else {
    root.CoursekitCMI5 = factory(root.CoursekitCore, root.CoursekitXAPI, root.CoursekitLRS);
  }
})(typeof self !== 'undefined' ? self : this, function (core, X, L) {
  'use strict';

  const category = {
    cmi5: { id: 'https://w3id.org/xapi/cmi5/context/categories/cmi5' },
    moveon: { id: 'https://w3id.org/xapi/cmi5/context/categories/moveon' },
  };
  const masteryExtension = 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore';
  const progressState = 'coursekit.progress';

  const fetchErrors = {
    1: 'The launch link has already been used or has expired. Open the course again from your LMS.',
    2: 'The LMS refused this launch (a security error). Open the course again from your LMS.',
    3: 'The LMS could not start this session (an application error). Try again later.',
  };

  // failure is what launch resolves when the course cannot report: found
  // says whether this was meant to be a launch at all (false: a preview).
  function failure(found, problem) {
    return { found: found, problem: problem };
  }

  function readJSON(s) {
    try { return JSON.parse(s); } catch (e) { return undefined; }
  }

  // launch resolves a session, or a failure. env: {search, fetch, storage,
  // sessionStorage, now, setTimeout, clearTimeout, win, navigate, log}.
  function launch(kind, course, env) {
    const p = new URLSearchParams(env.search || '');
    const names = kind === 'cmi5' ? ['endpoint', 'fetch', 'actor', 'registration', 'activityId'] : ['endpoint', 'auth', 'actor'];
    const missing = names.filter((n) => !p.get(n));
    if (missing.length === names.length) return Promise.resolve(failure(false, ''));
    if (missing.length) return Promise.resolve(failure(true, 'The launch address lacks ' + missing.join(', ') + '. Open the course from your learning platform.'));
    const actor = X.normalizeActor(readJSON(p.get('actor')));
    if (!actor || (kind === 'cmi5' && !actor.account)) return Promise.resolve(failure(true, 'The launch address has no usable actor. Open the course from your learning platform.'));
    const registration = p.get('registration') || undefined;
    if (registration && !X.uuidPattern.test(registration)) return Promise.resolve(failure(true, 'The launch address has a registration that is not a UUID.'));
    const cfg = {
      kind: kind, course: course, env: env, endpoint: L.slash(p.get('endpoint')), actor: actor, registration: registration,
      lessonMode: !!course.scoPerLesson, lesson: p.get('lesson'),
    };
    const unitLesson = cfg.lessonMode ? course.lessons.find((l) => l.id === cfg.lesson) || course.lessons[0] : null;
    cfg.unit = unitLesson
      ? { id: unitLesson.activity, name: unitLesson.title, type: X.types.lesson }
      : { id: course.activity, name: course.title, type: X.types.course };
    if (kind === 'cmi5') {
      cfg.activityId = p.get('activityId');
      return launchCMI5(cfg, p.get('fetch'));
    }
    cfg.activityId = p.get('activity_id') || cfg.unit.id;
    cfg.auth = p.get('auth');
    cfg.mode = 'Normal';
    cfg.saved = { sent: {} };
    return readState(cfg).then((progress) => newSession(cfg, progress, {}));
  }

  function get(cfg, path, query) {
    return L.request(cfg.env.fetch, { endpoint: cfg.endpoint, auth: cfg.auth, path: path, query: query });
  }

  function stateQuery(cfg, stateId) {
    return { stateId: stateId, activityId: cfg.activityId, agent: JSON.stringify(cfg.actor), registration: cfg.registration };
  }

  function readState(cfg) {
    return get(cfg, 'activities/state', stateQuery(cfg, progressState))
      .then((r) => (r.status === 200 && r.json && typeof r.json === 'object' ? r.json : null));
  }

  function launchCMI5(cfg, fetchURL) {
    const env = cfg.env;
    const cacheKey = 'coursekit.cmi5:' + fetchURL;
    let saved = null;
    try { saved = readJSON(env.sessionStorage && env.sessionStorage.getItem(cacheKey)) || null; } catch (e) { /* refused */ }
    if (saved && saved.sent && saved.sent.terminated) {
      return Promise.resolve(failure(true, 'This session has ended. Open the course again from your learning platform.'));
    }
    let token;
    if (saved && saved.token) {
      token = Promise.resolve(saved.token);
    } else {
      let req;
      try {
        req = Promise.resolve(env.fetch(fetchURL, { method: 'POST', cache: 'no-store' }));
      } catch (e) {
        req = Promise.reject(e);
      }
      token = req.then((res) => res.text().then((text) => {
        const j = readJSON(text) || {};
        if (res.status === 200 && typeof j['auth-token'] === 'string' && j['auth-token']) return j['auth-token'];
        const code = j['error-code'];
        throw new Error(fetchErrors[code] || 'The LMS did not give this course a token (' + (code ? 'error ' + code + ': ' + j['error-text'] : 'status ' + res.status) + '). Open the course again from your learning platform.');
      }), (e) => { throw new Error('The LMS could not be reached for a token (' + e + '). Check your connection and open the course again.'); });
      saved = { sent: {} };
    }
    return token.then((t) => {
      saved.token = t;
      cfg.auth = 'Basic ' + t;
      cfg.saved = saved;
      cfg.cacheKey = cacheKey;
      // Kept at once: a reload must not spend the one-time URL again, even
      // if reading the launch data fails this time.
      try { env.sessionStorage.setItem(cacheKey, JSON.stringify(saved)); } catch (e) { /* refused */ }
      return get(cfg, 'activities/state', stateQuery(cfg, 'LMS.LaunchData'));
    }).then((r) => {
      const ld = r.json;
      if (r.status !== 200 || !ld || typeof ld.contextTemplate !== 'object' || !ld.contextTemplate) {
        throw new Error('The course could not read its launch data from the LMS (status ' + r.status + '). Open the course again from your learning platform.');
      }
      cfg.template = ld.contextTemplate;
      cfg.mode = ['Normal', 'Browse', 'Review'].includes(ld.launchMode) ? ld.launchMode : 'Normal';
      cfg.mastery = typeof ld.masteryScore === 'number' ? ld.masteryScore : undefined;
      cfg.returnURL = typeof ld.returnURL === 'string' ? ld.returnURL : '';
      cfg.launchData = ld;
      return Promise.all([
        get(cfg, 'agents/profile', { agent: JSON.stringify(cfg.actor), profileId: 'cmi5LearnerPreferences' }),
        readState(cfg),
      ]);
    }).then(([prefs, progress]) => {
      const pr = prefs.status === 200 && prefs.json && typeof prefs.json === 'object' ? prefs.json : {};
      return newSession(cfg, progress, pr);
    }, (e) => failure(true, e.message));
  }

  // newSession reports for a launched course. progress is the player's
  // State document from an earlier session (or null), prefs the learner
  // preferences.
  function newSession(cfg, progress, prefs) {
    const env = cfg.env;
    const course = cfg.course;
    const cmi5 = cfg.kind === 'cmi5';
    const warn = env.log || ((msg) => { if (typeof console !== 'undefined') console.warn('coursekit: ' + msg); });
    const queue = L.createQueue({ fetch: env.fetch, storage: env.storage, key: 'coursekit.statements', setTimeout: env.setTimeout, clearTimeout: env.clearTimeout, log: warn });
    queue.attach(env.win);
    const stamp = X.clock(env.now);
    const saved = cfg.saved;
    const sent = saved.sent;
    const prog = progress || {};
    const reg = { completed: !!prog.completed, passed: !!prog.passed };
    const judged = cfg.mode === 'Normal';
    const doc = { suspendData: typeof prog.suspendData === 'string' ? prog.suspendData : '', location: typeof prog.location === 'string' ? prog.location : '' };
    let last = null;
    let stateWritable = true;
    let lastState = '';
    const courseRef = { id: course.activity };

    function keep() {
      if (!cfg.cacheKey) return;
      try { env.sessionStorage.setItem(cfg.cacheKey, JSON.stringify(saved)); } catch (e) { /* refused */ }
    }

    function context(defined, result, extensions) {
      const extra = { contextActivities: {} };
      if (cfg.registration) extra.registration = cfg.registration;
      if (defined) {
        if (cmi5) extra.contextActivities.category = result && ('success' in result || 'completion' in result) ? [category.cmi5, category.moveon] : [category.cmi5];
      } else {
        extra.contextActivities.parent = [{ id: cfg.activityId }];
      }
      if (cfg.activityId !== course.activity) extra.contextActivities.grouping = [courseRef];
      if (extensions) extra.extensions = extensions;
      if (!Object.keys(extra.contextActivities).length) delete extra.contextActivities;
      return X.mergeContext(cmi5 ? cfg.template : {}, extra);
    }

    function send(verb, object, result, ctx) {
      const st = { id: X.uuid(), actor: cfg.actor, verb: X.verbs[verb], object: object, timestamp: stamp(), context: ctx };
      if (result) st.result = result;
      queue.add(cfg.endpoint, cfg.auth, st);
      return st;
    }

    // unit is the launched activity: cmi5 names it by the LMS's activityId
    // alone (§9.4); xAPI packages describe it.
    const unit = cmi5 ? { objectType: 'Activity', id: cfg.activityId } : X.activity(course, cfg.activityId, cfg.unit.name, cfg.unit.type);

    function defined(verb, result, extensions) {
      send(verb, unit, result, context(true, result, extensions));
      keep();
    }

    function elapsed() {
      return core.duration2004(env.now() - saved.initializedAt);
    }

    function judgement(verb, sc) {
      const passed = verb === 'passed';
      const ext = cmi5 && cfg.mastery !== undefined ? { [masteryExtension]: cfg.mastery } : undefined;
      defined(verb, { score: X.score(sc.raw, cmi5), success: passed, duration: elapsed() }, ext);
    }

    // writeState saves the player's progress document. Writes go one at
    // a time, the latest waiting for the one in flight, because the LRS
    // may finish two concurrent PUTs in either order. Each is a keepalive
    // request, which outlives the page; when the page is being hidden or
    // closed (urgent) a waiting write goes at once, since it could not wait.
    let writing = false;
    let nextState = null;
    function writeState(urgent) {
      if (!stateWritable) return;
      const body = JSON.stringify({ suspendData: doc.suspendData, location: doc.location, completed: reg.completed, passed: reg.passed });
      if (body !== lastState) {
        lastState = body;
        nextState = body;
      }
      if (nextState !== null && (!writing || urgent)) {
        const b = nextState;
        nextState = null;
        putState(b);
      }
    }

    function putState(body) {
      writing = true;
      L.request(env.fetch, { endpoint: cfg.endpoint, auth: cfg.auth, method: 'PUT', path: 'activities/state', query: stateQuery(cfg, progressState), body: body, keepalive: body.length < 60000 })
        .then((r) => {
          writing = false;
          if ([401, 403, 404, 405, 501].includes(r.status)) {
            stateWritable = false;
            warn('the LRS does not keep this course\'s progress (State resource answered ' + r.status + '); the learner will start afresh next time');
            return;
          }
          if (r.status < 200 || r.status >= 300) lastState = '';
          writeState(false);
        });
    }

    if (env.win && env.win.addEventListener) {
      env.win.addEventListener('pagehide', () => writeState(true));
      if (env.win.document) {
        env.win.document.addEventListener('visibilitychange', () => {
          if (env.win.document.visibilityState === 'hidden') writeState(true);
        });
      }
    }

    if (!saved.initializedAt) {
      saved.initializedAt = env.now();
      sent.initialized = true;
      defined('initialized');
    }

    const session = {
      standard: cfg.kind,
      connected: true,
      found: true,
      problem: '',
      learnerName: cfg.actor.name || '',
      entry: progress ? 'resume' : '',
      location: doc.location,
      suspendData: doc.suspendData,
      mastery: cfg.mastery,
      muted: prefs.audioPreference === 'off' ? true : prefs.audioPreference === 'on' ? false : undefined,
      languages: typeof prefs.languagePreference === 'string' ? prefs.languagePreference.split(',').map((s) => s.trim()).filter(Boolean) : [],
      mode: cfg.mode,
      returnURL: cfg.returnURL || '',
      launchData: cfg.launchData || null,
      get terminated() { return !!sent.terminated; },
      queue: queue,

      values() {
        return { location: doc.location, suspendData: doc.suspendData, sent: Object.assign({}, sent), pending: queue.pending() };
      },

      // report sends passed and completed when they are first earned.
      report(ev, sc) {
        last = { ev: ev, sc: sc };
        if (sent.terminated || !judged) return;
        let changed = false;
        if (ev.success === 'passed' && sc && sc.raw !== null && !sent.passed && !sent.failed && !reg.passed) {
          sent.passed = reg.passed = changed = true;
          judgement('passed', sc);
        }
        if (ev.completion === 'completed' && !sent.completed && !reg.completed) {
          sent.completed = reg.completed = changed = true;
          defined('completed', { completion: true, duration: elapsed() });
        }
        if (changed) writeState(false);
      },

      setLocation(s) { doc.location = String(s); },
      setSuspendData(s) { doc.suspendData = String(s); },
      interact() { /* answers arrive through answer() */ },
      commit() { if (!sent.terminated) writeState(false); },

      viewed(lesson) {
        if (sent.terminated) return;
        send('experienced', X.activity(course, lesson.activity, lesson.title, X.types.lesson), null, context(false));
      },

      answer(block, answer, opts) {
        if (sent.terminated) return;
        send('answered', X.interaction(course, block), X.answerResult(block, answer, opts), context(false));
      },

      // finish sends failed when the session ends below the mastery score,
      // then terminated; once.
      finish() {
        if (sent.terminated) return false;
        if (judged && last && last.ev.success === 'failed' && last.sc && last.sc.raw !== null && !sent.passed && !sent.failed && !reg.passed) {
          sent.failed = true;
          judgement('failed', last.sc);
        }
        sent.terminated = true;
        defined('terminated', { duration: elapsed() });
        writeState(true);
        queue.flushAll();
        if (cfg.returnURL && env.navigate) {
          queue.drained().then(() => env.navigate(cfg.returnURL));
        }
        return true;
      },

      drained: () => queue.drained(),
    };
    return session;
  }

  return { launch, category, masteryExtension, progressState, fetchErrors };
});
