/* coursekit player: talking to an LRS. request() makes one xAPI call;
 * createQueue() is the send queue every adapter puts its statements in.
 *
 * The queue keeps each statement with the endpoint and credential it was
 * made for, in localStorage (memory when storage is refused), until the LRS
 * has accepted it, so statements outlive a closed page, a reload or an LRS
 * that is down. It sends oldest first, one request at a time, in batches;
 * on a network error, a 5xx or a 429 it waits (1 s, doubling, up to 30 s)
 * and tries again, and tries at once when the browser comes back online or
 * a new statement arrives. When the page is hidden or closed it sends what
 * is left with keepalive requests, which the browser completes after the
 * page is gone. Resending a statement the LRS already has is harmless:
 * statements carry their ids, and an LRS stores an id once.
 *
 * Statements the LRS refuses for good are dropped with a warning: a 400
 * (found by sending the batch one statement at a time), a 409, a 413 for a
 * single statement, or a 401 or 403 (the credential of a session that has
 * ended).
 */
(function (root, factory) {
  'use strict';
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.CoursekitLRS = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  const version = '1.0.3';
  const maxBatch = 50;
  // Browsers allow 64 KiB of keepalive request bodies in flight per page;
  // a batch keeps under that so each request can be a keepalive one.
  const keepaliveBytes = 60000;
  const maxDelay = 30000;

  function slash(endpoint) {
    return endpoint.endsWith('/') ? endpoint : endpoint + '/';
  }

  // request makes one xAPI call and resolves {status, json} (status 0 on a
  // network error); it never rejects.
  function request(fetchFn, o) {
    const headers = { 'X-Experience-API-Version': version };
    if (o.auth) headers.Authorization = o.auth;
    let body;
    if (o.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    }
    let url = slash(o.endpoint) + o.path;
    if (o.query) {
      const q = Object.keys(o.query).filter((k) => o.query[k] !== undefined && o.query[k] !== null)
        .map((k) => encodeURIComponent(k) + '=' + encodeURIComponent(o.query[k]));
      if (q.length) url += '?' + q.join('&');
    }
    const init = { method: o.method || 'GET', headers: headers, body: body, keepalive: !!o.keepalive, cache: 'no-store' };
    let p;
    try {
      p = Promise.resolve(fetchFn(url, init));
    } catch (e) {
      p = Promise.reject(e);
    }
    return p.then((res) => res.text().then((text) => {
      let json = null;
      try { json = text ? JSON.parse(text) : null; } catch (e) { /* not JSON */ }
      return { status: res.status, json: json };
    }), () => ({ status: 0, json: null }));
  }

  function memoryStore() {
    const m = {};
    return { getItem: (k) => (k in m ? m[k] : null), setItem: (k, v) => { m[k] = String(v); }, removeItem: (k) => { delete m[k]; } };
  }

  // createQueue: o = {fetch, storage, key, setTimeout, clearTimeout, log}.
  function createQueue(o) {
    const warn = o.log || ((msg) => { if (typeof console !== 'undefined') console.warn('coursekit: ' + msg); });
    const wait = o.setTimeout || setTimeout;
    const unwait = o.clearTimeout || clearTimeout;
    const key = o.key || 'coursekit.statements';
    let store = o.storage || memoryStore();
    const inflight = new Set(); // ids of statements in a request
    let sending = false; // the queue's own request, one at a time
    let timer = null;
    let delay = 0;
    let solo = 0; // statements left to send one at a time after a 400
    let waiters = [];

    function load() {
      try {
        const v = JSON.parse(store.getItem(key) || '[]');
        return Array.isArray(v) ? v : [];
      } catch (e) {
        return [];
      }
    }

    function save(items) {
      try {
        if (items.length) store.setItem(key, JSON.stringify(items));
        else store.removeItem(key);
      } catch (e) {
        // Full or refused storage: keep going in memory rather than lose
        // what is queued.
        warn('statements are kept in memory only: ' + e);
        const mem = memoryStore();
        if (items.length) mem.setItem(key, JSON.stringify(items));
        store = mem;
      }
    }

    // Storage is read afresh for every change, because another tab of the
    // same course may have queued or sent statements meanwhile.
    function remove(ids) {
      const left = load().filter((it) => !ids.includes(it.statement.id));
      save(left);
      if (!left.length) settle(true);
    }

    function settle(drained) {
      const ws = waiters;
      waiters = [];
      for (const w of ws) w(drained);
    }

    // batches splits items into requests: consecutive statements for one
    // endpoint and credential, at most max of them and, past the first,
    // within keepaliveBytes.
    function batches(items, max) {
      const out = [];
      let cur = null;
      for (const it of items) {
        const size = JSON.stringify(it.statement).length + 1;
        if (!cur || cur.items.length >= max || it.endpoint !== cur.endpoint || it.auth !== cur.auth || cur.bytes + size > keepaliveBytes) {
          cur = { endpoint: it.endpoint, auth: it.auth, items: [], bytes: 1 };
          out.push(cur);
        }
        cur.items.push(it);
        cur.bytes += size;
      }
      return out;
    }

    // post sends one batch; every request is a keepalive request when it
    // fits, so that it completes even if the page closes meanwhile.
    function post(b) {
      const ids = b.items.map((it) => it.statement.id);
      for (const id of ids) inflight.add(id);
      const body = JSON.stringify(b.items.map((it) => it.statement));
      return request(o.fetch, { endpoint: b.endpoint, auth: b.auth, method: 'POST', path: 'statements', body: body, keepalive: body.length <= keepaliveBytes })
        .then((r) => {
          for (const id of ids) inflight.delete(id);
          return { r: r, ids: ids };
        });
    }

    function retryLater(status) {
      delay = delay ? Math.min(delay * 2, maxDelay) : 1000;
      warn('the LRS did not take statements (' + (status || 'network error') + '); trying again in ' + delay / 1000 + ' s');
      timer = wait(() => { timer = null; pump(); }, delay);
      settle(false);
    }

    function pump() {
      if (sending || timer) return;
      const items = load().filter((it) => !inflight.has(it.statement.id));
      if (!items.length) {
        if (!inflight.size) settle(true);
        return;
      }
      sending = true;
      post(batches(items, solo > 0 ? 1 : maxBatch)[0]).then(({ r, ids }) => {
        sending = false;
        if (r.status >= 200 && r.status < 300) {
          delay = 0;
          if (solo > 0) solo--;
          remove(ids);
        } else if ((r.status === 400 || r.status === 409 || r.status === 413) && ids.length > 1) {
          solo = ids.length;
        } else if ([400, 401, 403, 409, 413].includes(r.status)) {
          warn('the LRS refused statement ' + ids.join(', ') + ' (' + r.status + (r.json && r.json.error ? ': ' + r.json.error : '') + '); dropping it');
          if (solo > 0) solo--;
          remove(ids);
        } else {
          retryLater(r.status);
          return;
        }
        pump();
      });
    }

    return {
      // add queues a statement for endpoint with the Authorization value
      // auth, and starts sending.
      add(endpoint, auth, statement) {
        const items = load();
        items.push({ endpoint: endpoint, auth: auth, statement: statement });
        save(items);
        this.flush();
      },
      // flush sends now, without waiting out a retry delay.
      flush() {
        if (timer) {
          unwait(timer);
          timer = null;
        }
        pump();
      },
      // flushAll sends everything not already on its way at once, for a
      // page that is being hidden or closed: the requests are keepalive
      // requests, which the browser completes after the page has gone.
      // What the LRS confirms while the page lives is removed; anything
      // else is sent again next time.
      flushAll() {
        if (timer) {
          unwait(timer);
          timer = null;
        }
        const items = load().filter((it) => !inflight.has(it.statement.id));
        let budget = keepaliveBytes;
        for (const b of batches(items, maxBatch)) {
          if (b.bytes > budget) break;
          budget -= b.bytes;
          post(b).then(({ r, ids }) => {
            if (r.status >= 200 && r.status < 300) remove(ids);
            else if (!sending && !timer) retryLater(r.status);
          });
        }
      },
      pending: () => load().length,
      // drained resolves true once the queue is empty, or false as soon as
      // a send fails (the statements stay queued).
      drained() {
        if (!load().length) return Promise.resolve(true);
        return new Promise((resolve) => { waiters.push(resolve); this.flush(); });
      },
      // attach sends on the page's hide and close events, and when the
      // browser is back online.
      attach(win) {
        if (!win || !win.addEventListener) return;
        win.addEventListener('online', () => this.flush());
        win.addEventListener('pagehide', () => this.flushAll());
        if (win.document) {
          win.document.addEventListener('visibilitychange', () => {
            if (win.document.visibilityState === 'hidden') this.flushAll();
          });
        }
      },
    };
  }

  // storage returns win.localStorage, or null where the browser refuses it
  // (some sandboxed frames and privacy settings throw on access).
  function storage(win) {
    try {
      const s = win.localStorage;
      const k = 'coursekit.probe';
      s.setItem(k, '1');
      s.removeItem(k);
      return s;
    } catch (e) {
      return null;
    }
  }

  return { request, createQueue, storage, slash, version, memoryStore };
});
