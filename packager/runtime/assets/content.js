/* coursekit player: adjustments to rendered lesson HTML and link lists.
 * External links are marked and say they open a new tab; wide tables
 * scroll on their own (and can be scrolled by keyboard); task-list boxes
 * get names; and in lesson mode, links to
 * other lessons (other SCOs, which the LMS navigates to) become plain text.
 */
(function (root) {
  'use strict';
  const core = root.CoursekitCore;
  const Q = root.CoursekitQuestions;
  const S = Q.strings;
  const el = Q.el;

  function markExternal(a) {
    a.classList.add('ck-external');
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer');
    a.append(el('span', { class: 'ck-ext-icon', 'aria-hidden': 'true' }, '↗'), el('span', { class: 'ck-sr-only' }, S.newTab));
  }

  // enhance adjusts lesson HTML in place. opts: {lessonMode, current}.
  function enhance(box, opts) {
    for (const a of box.querySelectorAll('a.ck-external, a[target="_blank"]')) markExternal(a);
    for (const t of box.querySelectorAll('table')) {
      const wrap = el('div', { class: 'ck-table-wrap', tabindex: '0', role: 'region', 'aria-label': S.table });
      t.replaceWith(wrap);
      wrap.append(t);
    }
    for (const input of box.querySelectorAll('li > input[type="checkbox"][disabled]')) {
      input.setAttribute('aria-label', input.parentElement.textContent.trim());
    }
    if (opts.lessonMode) {
      for (const a of box.querySelectorAll('a[href^="#/"]')) {
        const r = core.parseRoute(a.getAttribute('href'));
        if (r && r.lesson !== opts.current) {
          const span = el('span', { class: 'ck-xref' });
          span.append(...a.childNodes);
          a.replaceWith(span);
        }
      }
    }
  }

  // linkList lists exercise files or resources; local files show their
  // type and, when download is set, download rather than open.
  function linkList(links, download) {
    return el('ul', { class: 'ck-links' }, links.map((l) => {
      const ext = /\.([a-z0-9]+)$/i.exec(l.href);
      const a = el('a', { href: l.href, download: download && !l.external ? '' : null },
        l.title + (!l.external && ext ? ' (' + ext[1].toUpperCase() + ')' : ''));
      if (l.external) markExternal(a);
      return el('li', {}, [a]);
    }));
  }

  root.CoursekitContent = { enhance, linkList, markExternal };
})(typeof self !== 'undefined' ? self : this);
