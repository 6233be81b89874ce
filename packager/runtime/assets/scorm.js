/* coursekit player: the LMS connection, one adapter for SCORM 1.2 and 2004.
 *
 * connect(standard, win) finds the API (core.findAPI), initializes it and
 * returns a session. Without an API (or with standard "none") the session
 * is a preview: it keeps what would have been sent in memory (values()),
 * so the player behaves the same. Calls are guarded: an LMS that throws or
 * answers "false" is logged to the console and never stops the player.
 * Values that have not changed since the last write are not sent again.
 */
(function (root, factory) {
  'use strict';
  if (typeof module === 'object' && module.exports) {
    module.exports = factory(require('./core.js'), require('./interactions.js'));
  } else {
    root.CoursekitSCORM = factory(root.CoursekitCore, root.CoursekitInteractions);
  }
})(typeof self !== 'undefined' ? self : this, function (core, interactions) {
  'use strict';

  const names = {
    scorm12: {
      initialize: 'LMSInitialize', terminate: 'LMSFinish', getValue: 'LMSGetValue', setValue: 'LMSSetValue',
      commit: 'LMSCommit', lastError: 'LMSGetLastError', errorString: 'LMSGetErrorString',
      learnerName: 'cmi.core.student_name', learnerId: 'cmi.core.student_id', entry: 'cmi.core.entry', location: 'cmi.core.lesson_location',
      exit: 'cmi.core.exit', sessionTime: 'cmi.core.session_time', scorePrefix: 'cmi.core.score.',
    },
    scorm2004: {
      initialize: 'Initialize', terminate: 'Terminate', getValue: 'GetValue', setValue: 'SetValue',
      commit: 'Commit', lastError: 'GetLastError', errorString: 'GetErrorString',
      learnerName: 'cmi.learner_name', learnerId: 'cmi.learner_id', entry: 'cmi.entry', location: 'cmi.location',
      exit: 'cmi.exit', sessionTime: 'cmi.session_time', scorePrefix: 'cmi.score.',
    },
  };

  function connect(standard, win, log) {
    const warn = log || ((msg) => { if (typeof console !== 'undefined') console.warn('coursekit: ' + msg); });
    const n = names[standard];
    const api = n ? core.findAPI(win, standard) : null;
    const written = {};
    let initialized = false;
    let terminated = false;
    let interactionCount = 0;

    function call(fn, arg1, arg2) {
      try {
        const r = arguments.length > 2 ? api[fn](arg1, arg2) : api[fn](arg1);
        if (r === false || r === 'false') {
          let code = '';
          try { code = String(api[n.lastError]()); } catch (e) { /* ignore */ }
          warn(fn + '(' + (arg1 || '') + ') failed with error ' + code);
          return null;
        }
        return r;
      } catch (e) {
        warn(fn + '(' + (arg1 || '') + ') threw ' + e);
        return null;
      }
    }

    function get(element) {
      if (!initialized || terminated) return '';
      const v = call(n.getValue, element);
      return v === null || v === undefined ? '' : String(v);
    }

    function set(element, value) {
      const v = String(value);
      if (written[element] === v || terminated) return;
      written[element] = v;
      if (initialized) call(n.setValue, element, v);
    }

    if (api) {
      initialized = call(n.initialize, '') !== null;
      if (initialized) interactionCount = parseInt(get('cmi.interactions._count'), 10) || 0;
    }

    const session = {
      standard: standard,
      connected: initialized,
      // found is true when an API was found, even if it would not start.
      found: !!api,
      learnerName: initialized ? get(n.learnerName) : '',
      learnerId: initialized ? get(n.learnerId) : '',
      entry: initialized ? get(n.entry) : '',
      location: initialized ? get(n.location) : '',
      suspendData: initialized ? get('cmi.suspend_data') : '',
      get terminated() { return terminated; },

      values() {
        return Object.assign({}, written);
      },

      // report sends status, progress and score. ev from core.evaluate,
      // sc from core.score.
      report(ev, sc) {
        if (standard === 'scorm12') {
          set('cmi.core.lesson_status', core.lessonStatus12(ev));
        } else if (n) {
          set('cmi.completion_status', ev.completion);
          set('cmi.success_status', ev.success);
          set('cmi.progress_measure', core.decimal(ev.progress, 2));
        }
        if (n && sc && sc.raw !== null && sc.answered > 0) {
          if (standard === 'scorm2004') set(n.scorePrefix + 'scaled', core.decimal(sc.raw / 100, 4));
          set(n.scorePrefix + 'min', '0');
          set(n.scorePrefix + 'max', '100');
          set(n.scorePrefix + 'raw', core.decimal(sc.raw, 2));
        }
      },

      setLocation(s) { if (n) set(n.location, s); },
      setSuspendData(s) { set('cmi.suspend_data', s); },

      // interact appends interaction records (see interactions.js).
      interact(rec) {
        if (!n || terminated) return;
        for (const [element, value] of interactions.elements(standard, interactionCount, rec)) {
          written[element] = String(value);
          if (initialized) call(n.setValue, element, String(value));
        }
        interactionCount++;
      },

      commit() {
        if (initialized && !terminated) call(n.commit, '');
      },

      // finish sets exit and session time and terminates, once.
      finish(exit, sessionMs) {
        if (terminated) return false;
        if (n) {
          set(n.exit, exit);
          set(n.sessionTime, standard === 'scorm12' ? core.timespan12(sessionMs) : core.duration2004(sessionMs));
        }
        if (initialized) {
          call(n.commit, '');
          call(n.terminate, '');
        }
        terminated = true;
        return true;
      },
    };
    return session;
  }

  return { connect, names };
});
