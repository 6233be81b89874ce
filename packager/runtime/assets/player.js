/* coursekit player: the page. Reads window.coursekitCourse (course.js),
 * connects to the LMS (launch.js: SCORM, cmi5 or xAPI) and shows the course
 * (course mode) or the one lesson named by ?lesson=ID (lesson mode, one SCO
 * or AU per lesson).
 *
 * Stable DOM hooks, for tests and for people:
 *   html[data-ck-mode]         "course" | "lesson"; html[data-ck-standard]
 *   #ck-status                 "Preview (no LMS)", why a launch failed, or
 *                              the learner's name (data-ck-learner holds
 *                              it exactly; data-ck-connected "true" |
 *                              "false"; data-ck-mode the cmi5 launch mode)
 *   #ck-exit                   saves, terminates the LMS session, shows
 *                              a closing message
 *   #ck-menu                   opens the contents on narrow screens
 *   #ck-nav                    course contents (course mode)
 *   [data-ck-lesson="ID"]      contents link to a lesson; aria-current="page"
 *                              on the current one, data-ck-viewed="true" once
 *                              viewed
 *   #ck-prev, #ck-next         previous / next lesson (disabled at the ends)
 *   #ck-progress               progress and score text
 *   #ck-lesson-title           the lesson's h1;
 *   [data-ck-current-lesson]   the lesson <article>, its value the lesson id
 *   [data-ck-question="ID"]    a question; data-ck-type its type;
 *                              data-ck-result "correct" | "incorrect" once
 *                              checked. Inside: radios/checkboxes with
 *                              value = choice id ("true"/"false" for
 *                              true-false), input.ck-input (fill-in,
 *                              numeric), select[data-ck-source="SOURCE"]
 *                              with option values = target ids (matching),
 *                              li[data-ck-choice="ID"] with
 *                              button[data-ck-move="up"|"down"] (sequencing),
 *                              [data-ck-check] and [data-ck-feedback]
 *   [data-ck-reflection="ID"], [data-ck-essay="ID"]
 *                              textarea[data-ck-response="ID"], [data-ck-save],
 *                              [data-ck-feedback]
 *
 * Debug API, window.coursekit:
 *   state()        {mode, standard, connected, learner, lesson, lessons,
 *                   viewed: [ids], answers: {id: answer}, results: {id: bool},
 *                   texts: {id: text}, truncated: [ids], score (0-100|null),
 *                   answered, questions, status: {completion, success,
 *                   progress, lessonStatus}, finished, launchMode,
 *                   problem, muted, pending (statements not yet sent)}
 *   suspendData()  the suspend_data string the player would write now
 *   cmi()          every value written to the LMS (or that would have been)
 *   go(id, anchor) show a lesson (course mode)
 *   finish()       what #ck-exit does
 */
(function () {
  'use strict';
  const core = window.CoursekitCore;
  const ix = window.CoursekitInteractions;
  const suspend = window.CoursekitSuspend;
  const Q = window.CoursekitQuestions;
  const content = window.CoursekitContent;
  const S = Q.strings;
  const el = Q.el;
  const course = window.coursekitCourse;
  const $ = (id) => document.getElementById(id);

  const started = Date.now();
  const lessonMode = !!course.scoPerLesson;
  const lessons = new Map(course.lessons.map((l) => [l.id, l]));
  const lay = suspend.layout(course);
  let budget = suspend.budgets[course.standard] || suspend.budgets.none;
  const rules = {
    rule: course.completion.rule,
    threshold: course.completion.threshold,
    mastery: course.mastery,
    lessonMode: lessonMode,
    needsPass: course.completion.rule === 'passed' || course.completion.rule === 'viewed-and-passed',
  };

  // session, st and resumed are set by begin, once the LMS connection is up.
  let session = null;
  let st = null;
  let resumed = false;

  let scope = course.lessons;
  if (lessonMode) {
    const id = new URLSearchParams(window.location.search).get('lesson');
    const l = id ? lessons.get(id) : course.lessons[0];
    scope = l ? [l] : [];
    if (!l) {
      $('ck-lesson').replaceChildren(message(S.noLessonTitle, S.noLesson(id)));
    }
  }
  const scopeQuestions = core.blocksOf(scope, ['question']);
  const shownAt = {};
  let current = null;
  let finished = false;
  let wasComplete = null;

  // message is a page of its own (exit, errors), with the h1 every page has.
  function message(title, text) {
    return el('div', { class: 'ck-message' }, [el('h1', { id: 'ck-finished', tabindex: '-1' }, title), el('p', {}, text)]);
  }

  function evaluateNow() {
    const sc = core.score(scopeQuestions, st.answers);
    const viewed = scope.filter((l) => st.viewed[l.id]).length;
    return { sc: sc, ev: core.evaluate(rules, { lessons: scope.length, viewed: viewed, score: sc }) };
  }

  function announce(msg) {
    const a = $('ck-announcer');
    a.textContent = '';
    window.setTimeout(() => { a.textContent = msg; }, 50);
  }

  // persist reports status and score, the bookmark and suspend_data, then
  // commits if asked: after a check or save, on lesson change, on hide.
  function persist(commit) {
    if (finished || !scope.length) return;
    const r = evaluateNow();
    session.report(r.ev, r.sc);
    if (current) session.setLocation(current);
    session.setSuspendData(suspend.encode(lay, st, budget));
    if (commit) session.commit();
    showProgress(r.ev, r.sc);
  }

  function finish() {
    if (finished) return;
    persist(false);
    const exit = scope.length ? core.exitValue(course.standard, evaluateNow().ev) : 'suspend';
    session.finish(exit, Date.now() - started);
    finished = true;
  }

  function showProgress(ev, sc) {
    const box = $('ck-progress');
    if (!box) return;
    const viewed = scope.filter((l) => st.viewed[l.id]).length;
    const parts = [];
    if (!lessonMode) {
      parts.push(el('p', {}, S.progress(viewed, scope.length)));
      const bar = el('span', {});
      bar.style.width = Math.round((100 * viewed) / Math.max(1, scope.length)) + '%';
      parts.push(el('div', { class: 'ck-bar', 'aria-hidden': 'true' }, [bar]));
    }
    if (scopeQuestions.length) parts.push(el('p', {}, S.checks(sc.answered, sc.count, sc.answered ? sc.raw : null)));
    const done = ev.completion === 'completed';
    if (done) parts.push(el('p', { class: 'ck-complete' }, S.complete));
    box.setAttribute('data-ck-completion', ev.completion);
    box.replaceChildren(...parts);
    if (wasComplete === false && done) announce(lessonMode ? S.lessonComplete : S.courseComplete);
    wasComplete = done;
    for (const a of document.querySelectorAll('[data-ck-lesson]')) {
      const id = a.getAttribute('data-ck-lesson');
      a.setAttribute('data-ck-viewed', String(!!st.viewed[id]));
      a.querySelector('.ck-toc-mark').textContent = st.viewed[id] ? '✓' : '';
      a.querySelector('.ck-sr-only').textContent = st.viewed[id] ? S.viewed : '';
      if (id === current) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  }

  function renderLesson(l) {
    const art = el('article', { class: 'ck-lesson', 'data-ck-current-lesson': l.id, 'aria-labelledby': 'ck-lesson-title' });
    const section = course.sections.find((s) => s.id === l.section);
    if (section && !lessonMode) art.append(el('p', { class: 'ck-kicker' }, section.title));
    art.append(el('h1', { id: 'ck-lesson-title', tabindex: '-1' }, l.title));
    if (l.minutes) art.append(el('p', { class: 'ck-meta' }, S.minutes(l.minutes)));
    if (l.objectives.length) {
      art.append(el('div', { class: 'ck-objectives' }, [
        el('h2', {}, S.objectives),
        el('ul', {}, l.objectives.map((o) => el('li', {}, o))),
      ]));
    }
    for (const b of l.body) {
      if (b.kind === 'html') {
        const d = Q.html('div', { class: 'ck-content' }, b.html);
        content.enhance(d, { lessonMode: lessonMode, current: current });
        art.append(d);
      } else if (b.kind === 'question') {
        shownAt[b.id] = Date.now();
        art.append(Q.renderQuestion(b, { answer: st.answers[b.id], onCheck: onCheck }));
      } else {
        shownAt[b.id] = Date.now();
        art.append(Q.renderText(b, { text: st.texts[b.id], truncated: !!st.truncated[b.id], onSave: onSave }));
      }
    }
    if (session.muted !== undefined) for (const m of art.querySelectorAll('audio, video')) m.muted = session.muted;
    if (l.exerciseFiles.length) {
      art.append(el('section', { class: 'ck-files', 'aria-labelledby': 'ck-files-title' }, [
        el('h2', { id: 'ck-files-title' }, S.exerciseFiles), content.linkList(l.exerciseFiles, true),
      ]));
    }
    const parts = [art];
    if (lessonMode) {
      parts.push(el('div', { class: 'ck-progress', id: 'ck-progress' }));
    } else {
      const i = course.lessons.indexOf(l);
      const prev = course.lessons[i - 1];
      const next = course.lessons[i + 1];
      const button = (id, label, target) => {
        const b = el('button', { type: 'button', class: 'ck-button ck-pager-' + label.toLowerCase(), id: id, disabled: target ? null : '' },
          [el('span', { class: 'ck-pager-label' }, label)].concat(target ? [' ', el('span', { class: 'ck-pager-title' }, target.title)] : []));
        if (target) b.addEventListener('click', () => navigate(target.id));
        return b;
      };
      parts.push(el('nav', { class: 'ck-pager', 'aria-label': S.lessonNav }, [button('ck-prev', S.previous, prev), button('ck-next', S.next, next)]));
    }
    $('ck-lesson').replaceChildren(...parts);
  }

  function onCheck(q, answer) {
    const correct = core.isCorrect(q, answer);
    st.answers[q.id] = answer;
    const now = Date.now();
    session.interact(ix.record(course.standard, q, answer, { correct: correct, date: new Date(now), latencyMs: now - (shownAt[q.id] || now) }));
    if (session.answer) session.answer(q, answer, { correct: correct, latencyMs: now - (shownAt[q.id] || now) });
    shownAt[q.id] = now;
    persist(true);
    return correct;
  }

  function onSave(b, text) {
    st.texts[b.id] = text;
    st.textOrder = st.textOrder.filter((id) => id !== b.id).concat(b.id);
    delete st.truncated[b.id];
    const now = Date.now();
    session.interact(ix.record(course.standard, b, text, { date: new Date(now), latencyMs: now - (shownAt[b.id] || now) }));
    if (session.answer) session.answer(b, text, { latencyMs: now - (shownAt[b.id] || now) });
    shownAt[b.id] = now;
    persist(true);
  }

  function navigate(id, anchor) {
    const hash = '#/' + id + (anchor ? '/' + anchor : '');
    if (window.location.hash === hash) show(id, anchor, true);
    else window.location.hash = hash;
  }

  // show displays a lesson (and scrolls to an anchor in it); focus moves to
  // the lesson title or the anchor when the learner asked for it.
  function show(id, anchor, focus) {
    if (finished) return;
    const l = lessons.get(id);
    if (!l || !scope.includes(l)) return;
    if (current !== id) {
      current = id;
      renderLesson(l);
      st.viewed[id] = true;
      if (session.viewed) session.viewed(l);
      document.title = l.title + ' – ' + course.title;
      document.body.classList.remove('ck-nav-open');
      $('ck-menu').setAttribute('aria-expanded', 'false');
      persist(true);
    }
    const target = anchor ? document.getElementById(anchor) : null;
    if (target) {
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.scrollIntoView();
      if (focus) target.focus();
    } else if (focus) {
      window.scrollTo(0, 0);
      $('ck-lesson-title').focus();
    }
  }

  function renderChrome() {
    const status = $('ck-status');
    status.setAttribute('data-ck-connected', String(session.connected));
    if (session.connected) {
      const name = core.displayName(session.learnerName);
      status.setAttribute('data-ck-learner', name);
      status.replaceChildren(...(name ? [el('span', { class: 'ck-sr-only' }, S.learner), name] : [S.connected]));
      if (session.mode && session.mode !== 'Normal') {
        status.setAttribute('data-ck-mode', session.mode);
        status.append(' · ' + S.launchMode(session.mode));
      }
    } else {
      status.textContent = course.standard === 'none' || !session.found ? S.preview : session.problem || S.notConnected;
      status.classList.add('ck-status-preview');
      $('ck-exit').textContent = S.exitPreview;
    }
    $('ck-exit').addEventListener('click', () => {
      finish();
      $('ck-lesson').replaceChildren(session.connected ? message(S.exitedTitle, S.exited) : message(S.exitedPreviewTitle, S.exitedPreview));
      $('ck-finished').focus();
      $('ck-exit').disabled = true;
    });
    document.querySelector('.ck-skip').addEventListener('click', (e) => {
      e.preventDefault();
      $('ck-main').focus();
    });
    if (course.resources.length) {
      $('ck-footer').append(el('h2', { class: 'ck-footer-title' }, S.resources), content.linkList(course.resources, false));
    }
    const meta = [course.title + ' ' + course.version].concat(course.authors || [], course.licence ? [course.licence] : []);
    $('ck-footer').append(el('p', { class: 'ck-meta' }, meta.join(' · ')));
    if (lessonMode) return;

    const nav = $('ck-nav');
    nav.hidden = false;
    const menu = $('ck-menu');
    menu.hidden = false;
    menu.addEventListener('click', () => {
      const open = document.body.classList.toggle('ck-nav-open');
      menu.setAttribute('aria-expanded', String(open));
    });
    nav.append(el('div', { class: 'ck-progress', id: 'ck-progress' }));
    for (const s of course.sections) {
      nav.append(el('p', { class: 'ck-toc-section', id: 'ck-section-' + s.id }, s.title));
      nav.append(el('ol', { class: 'ck-toc', 'aria-labelledby': 'ck-section-' + s.id }, s.lessons.map((id) => el('li', {}, [
        el('a', { href: '#/' + id, 'data-ck-lesson': id }, [
          el('span', { class: 'ck-toc-mark', 'aria-hidden': 'true' }),
          el('span', { class: 'ck-toc-title' }, lessons.get(id).title),
          el('span', { class: 'ck-sr-only' }),
        ]),
      ]))));
    }
  }

  function start() {
    renderChrome();
    if (lessonMode) {
      if (scope.length) show(scope[0].id, '', false);
      const r = core.parseRoute(window.location.hash);
      if (r && r.anchor && scope.length && r.lesson === scope[0].id) show(r.lesson, r.anchor, false);
    } else {
      const r = core.parseRoute(window.location.hash);
      let id = r && lessons.has(r.lesson) ? r.lesson : '';
      if (!id && resumed && lessons.has(session.location)) id = session.location;
      if (!id) id = course.lessons[0].id;
      show(id, r && r.lesson === id ? r.anchor : '', false);
      if (!(r && lessons.has(r.lesson))) {
        try { window.history.replaceState(null, '', '#/' + id); } catch (e) { /* file:// in some browsers */ }
      }
      if (resumed && session.location === id) announce(S.welcomeBack);
    }
    window.addEventListener('hashchange', () => {
      const r = core.parseRoute(window.location.hash);
      if (r) show(r.lesson, r.anchor, true);
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') persist(true);
    });
    window.addEventListener('pagehide', finish);
    window.addEventListener('beforeunload', finish);
    window.addEventListener('pageshow', (e) => {
      if (e.persisted && finished) $('ck-lesson').replaceChildren(message(S.endedTitle, S.ended));
    });
  }

  window.coursekit = {
    state() {
      const r = evaluateNow();
      const results = {};
      for (const q of scopeQuestions) if (q.id in st.answers) results[q.id] = core.isCorrect(q, st.answers[q.id]);
      return JSON.parse(JSON.stringify({
        mode: lessonMode ? 'lesson' : 'course',
        standard: course.standard,
        connected: session.connected,
        learner: core.displayName(session.learnerName),
        lesson: current,
        lessons: scope.map((l) => l.id),
        viewed: course.lessons.filter((l) => st.viewed[l.id]).map((l) => l.id),
        answers: st.answers,
        results: results,
        texts: st.texts,
        truncated: Object.keys(st.truncated),
        score: r.sc.raw,
        answered: r.sc.answered,
        questions: r.sc.count,
        status: Object.assign({ lessonStatus: core.lessonStatus12(r.ev) }, r.ev),
        finished: finished,
        launchMode: session.mode || '',
        problem: session.problem || '',
        muted: session.muted === undefined ? null : session.muted,
        pending: session.queue ? session.queue.pending() : 0,
      }));
    },
    suspendData: () => suspend.encode(lay, st, budget),
    cmi: () => session.values(),
    go: (id, anchor) => navigate(id, anchor),
    finish: finish,
  };

  // begin starts the player once the connection is up: a cmi5 or xAPI
  // launch reads its token, launch data and the learner's progress first.
  function begin(s) {
    session = s;
    st = suspend.decode(lay, session.suspendData) || { viewed: {}, answers: {}, texts: {}, textOrder: [], truncated: {} };
    resumed = session.entry === 'resume' || !!session.suspendData;
    budget -= session.reserve || 0;
    if (typeof session.mastery === 'number') rules.mastery = session.mastery;
    start();
  }

  window.CoursekitLaunch.connect(course, window).then(begin);
})();
