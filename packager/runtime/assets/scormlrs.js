/* coursekit player: SCORM packages that also report to an LRS (built with
 * --lrs-endpoint and --lrs-credential). wrap() puts itself between the
 * player and the SCORM session: every call still goes to the LMS, and the
 * same events become xAPI statements, following ADL's xAPI Profile for
 * SCORM:
 *
 *   SCORM                                  statement (object)
 *   Initialize, entry ab-initio            initialized (the SCO)
 *   Initialize, entry resume               resumed (the SCO)
 *   completion becomes completed           completed (the SCO)
 *   success becomes passed / failed        passed / failed, with the score
 *   an interaction recorded                answered (the question), with the response
 *   Terminate with exit suspend            suspended, with the SCO's result
 *   Terminate otherwise                    terminated, with the SCO's result
 *
 * The SCO is the course (one SCO for the course) or the lesson (a SCO per
 * lesson), with the IRIs course.js carries. The learner is an account:
 * homePage the origin the LMS serves the package from, name the LMS's
 * learner id (cmi.core.student_id / cmi.learner_id); no name or e-mail
 * leaves the LMS. Every statement groups the course and the attempt,
 * SCO?attemptId=UUID, and carries the profile's category; the attempt's
 * UUID is also the registration, so one query returns an attempt. The
 * attempt id travels in suspend_data, after the player's own fields, so a
 * resumed attempt keeps it; the player is told to leave room for it.
 *
 * Without a learner id (a preview, or an LMS that gives none) nothing is
 * sent: there is nobody to report about.
 */
(function (root, factory) {
  'use strict';
  if (typeof module === 'object' && module.exports) {
    module.exports = factory(require('./core.js'), require('./xapi.js'), require('./lrs.js'));
  } else {
    root.CoursekitSCORMLRS = factory(root.CoursekitCore, root.CoursekitXAPI, root.CoursekitLRS);
  }
})(typeof self !== 'undefined' ? self : this, function (core, X, L) {
  'use strict';

  const profile = { id: 'http://adlnet.gov/xapi/profile/scorm' };
  // reserve is the room the attempt id takes in suspend_data: "|" and a UUID.
  const reserve = 37;

  // wrap returns a session that reports s to the LRS in course.lrs. env:
  // {fetch, storage, now, setTimeout, clearTimeout, win, homePage, lesson, log}.
  function wrap(s, course, env) {
    if (!course.lrs || !s.connected || !s.learnerId || !env.homePage) return s;
    const warn = env.log || ((msg) => { if (typeof console !== 'undefined') console.warn('coursekit: ' + msg); });
    const queue = L.createQueue({ fetch: env.fetch, storage: env.storage, key: 'coursekit.statements', setTimeout: env.setTimeout, clearTimeout: env.clearTimeout, log: warn });
    queue.attach(env.win);
    const stamp = X.clock(env.now);
    const endpoint = L.slash(course.lrs.endpoint);
    const auth = course.lrs.auth;

    // suspend_data: the player's five fields, then the attempt id.
    const parts = String(s.suspendData || '').split('|');
    let attempt = parts.length >= 6 && X.uuidPattern.test(parts[5]) ? parts[5] : '';
    const playerData = parts.length >= 6 ? parts.slice(0, 5).join('|') : s.suspendData;
    const resuming = s.entry === 'resume';
    if (!attempt || !resuming) attempt = X.uuid();

    const lesson = course.scoPerLesson ? course.lessons.find((l) => l.id === env.lesson) || course.lessons[0] : null;
    const sco = lesson
      ? X.activity(course, lesson.activity, lesson.title, X.types.lesson)
      : X.activity(course, course.activity, course.title, X.types.course);
    const grouping = [];
    if (sco.id !== course.activity) grouping.push(X.activity(course, course.activity, course.title, X.types.course));
    grouping.push(X.activity(course, X.withQuery(sco.id, 'attemptId', attempt), 'Attempt of ' + sco.definition.name[course.language], X.types.attempt));
    const actor = { objectType: 'Agent', account: { homePage: env.homePage, name: s.learnerId } };
    const started = env.now();

    function send(verb, object, result, parent) {
      const ca = { grouping: grouping, category: [profile] };
      if (parent) ca.parent = [{ id: sco.id }];
      const st = {
        id: X.uuid(), actor: actor, verb: X.verbs[verb], object: object, timestamp: stamp(),
        context: { registration: attempt, contextActivities: ca },
      };
      if (result) st.result = result;
      queue.add(endpoint, auth, st);
    }

    // outcome is the SCO's result as the profile describes it for
    // suspended and terminated statements.
    function outcome(withDuration) {
      const r = {};
      if (last) {
        if (last.ev.success !== 'unknown') r.success = last.ev.success === 'passed';
        r.completion = last.ev.completion === 'completed';
        if (last.sc && last.sc.raw !== null && last.sc.answered > 0) r.score = X.score(last.sc.raw, false);
      }
      if (withDuration) r.duration = core.duration2004(env.now() - started);
      return r;
    }

    let last = null;
    let baseline = resuming; // a resumed attempt's first report is where it was, not news
    send(resuming ? 'resumed' : 'initialized', sco);

    return Object.assign(Object.create(s), {
      suspendData: playerData,
      reserve: reserve,
      attempt: attempt,
      queue: queue,

      report(ev, sc) {
        s.report(ev, sc);
        if (s.terminated) return;
        const before = last ? last.ev : baseline ? ev : { completion: 'incomplete', success: 'unknown' };
        baseline = false;
        last = { ev: ev, sc: sc };
        if (ev.success !== before.success && (ev.success === 'passed' || ev.success === 'failed') && sc && sc.raw !== null) {
          send(ev.success, sco, { score: X.score(sc.raw, false), success: ev.success === 'passed', duration: core.duration2004(env.now() - started) });
        }
        if (ev.completion === 'completed' && before.completion !== 'completed') {
          send('completed', sco, { completion: true, duration: core.duration2004(env.now() - started) });
        }
      },

      setSuspendData(d) { s.setSuspendData(d + '|' + attempt); },

      answer(block, answer, opts) {
        if (s.terminated) return;
        send('answered', X.interaction(course, block), X.answerResult(block, answer, opts), true);
      },

      finish(exit, ms) {
        const wasTerminated = s.terminated;
        const done = s.finish(exit, ms);
        if (!wasTerminated) {
          send(exit === 'suspend' ? 'suspended' : 'terminated', sco, outcome(true));
          queue.flushAll();
        }
        return done;
      },

      drained: () => queue.drained(),
    });
  }

  return { wrap, reserve, profile };
});
