/* coursekit player: picks the LMS connection for the package's standard
 * and resolves the session the player talks to: SCORM 1.2 or 2004
 * (scorm.js), also reporting to an LRS when the package was built with one
 * (scormlrs.js), cmi5 or xAPI (cmi5.js), or a preview when the course was
 * opened without an LMS. A launch that fails (a spent cmi5 fetch URL, an
 * LMS that cannot be reached) is a preview that says why in .problem.
 */
(function (root) {
  'use strict';
  const scorm = root.CoursekitSCORM;
  const cmi5 = root.CoursekitCMI5;
  const scormlrs = root.CoursekitSCORMLRS;
  const L = root.CoursekitLRS;

  function environment(win) {
    let sessionStorage = null;
    try { sessionStorage = win.sessionStorage; } catch (e) { /* refused */ }
    const origin = win.location.origin && win.location.origin !== 'null' ? win.location.origin : '';
    return {
      search: win.location.search,
      fetch: win.fetch.bind(win),
      storage: L ? L.storage(win) : null, // lrs.js is only in packages that report to an LRS
      sessionStorage: sessionStorage,
      now: () => Date.now(),
      setTimeout: win.setTimeout.bind(win),
      clearTimeout: win.clearTimeout.bind(win),
      win: win,
      navigate: (url) => { win.location.href = url; },
      homePage: origin,
      lesson: new URLSearchParams(win.location.search).get('lesson'),
    };
  }

  // preview is a session that sends nothing, for a course opened without
  // an LMS or whose launch failed.
  function preview(standard, win, found, problem) {
    const s = scorm.connect('none', { parent: null });
    s.standard = standard;
    s.found = found;
    s.problem = problem || '';
    return s;
  }

  function connect(course, win) {
    const env = environment(win);
    const std = course.standard;
    if (std === 'cmi5' || std === 'xapi') {
      // A bug must not leave the learner with a blank page: the course
      // still runs, as a preview that says why.
      return cmi5.launch(std, course, env)
        .then((r) => (r.connected ? r : preview(std, win, r.found, r.problem)))
        .catch((e) => preview(std, win, true, 'The course could not connect to the LMS (' + e + ').'));
    }
    const s = scorm.connect(std, win);
    // scormlrs.js is only in packages built with an LRS.
    return Promise.resolve(scormlrs ? scormlrs.wrap(s, course, env) : s);
  }

  root.CoursekitLaunch = { connect };
})(typeof self !== 'undefined' ? self : this);
