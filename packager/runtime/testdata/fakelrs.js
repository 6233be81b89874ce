// A fake LMS and LRS for the node tests of the xAPI adapters: a fetch
// function that answers the cmi5 fetch URL, the State and Agent Profile
// resources and the Statements resource from memory, with a switch that
// makes the LRS unreachable, and the environment the adapters take.
'use strict';
const L = require('../assets/lrs.js');

const endpoint = 'https://lms.example.org/xapi/';
const fetchURL = 'https://lms.example.org/cmi5/fetch?k=abc';
const actor = { objectType: 'Agent', account: { homePage: 'https://lms.example.org', name: 'learner-1' } };
const registration = '2c1d7a4e-8f0b-4e51-9d2a-4b7f5e9c3a10';
const activityId = 'https://lms.example.org/activities/au-7';
const sessionId = 'session-42';
const publisherId = 'https://example.org/c/au';

function launchData(over) {
  return Object.assign({
    contextTemplate: {
      contextActivities: { grouping: [{ id: publisherId }] },
      extensions: { 'https://w3id.org/xapi/cmi5/context/extensions/sessionid': sessionId },
    },
    launchMode: 'Normal',
    moveOn: 'CompletedAndPassed',
    returnURL: 'https://lms.example.org/course/7',
  }, over || {});
}

function response(status, body) {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  return Promise.resolve({ status: status, text: () => Promise.resolve(text) });
}

// newLMS returns {fetch, requests, statements, state, ...}; opts:
// {launchData, prefs, tokenError, down, statementStatus}.
function newLMS(opts) {
  const o = opts || {};
  const lms = {
    requests: [], statements: [], state: {}, tokens: 0, fetched: {}, down: !!o.down,
    launchData: o.launchData === null ? null : launchData(o.launchData),
    prefs: o.prefs, statementStatus: o.statementStatus,
  };
  lms.fetch = (url, init) => {
    const method = (init && init.method) || 'GET';
    lms.requests.push({ method: method, url: url, init: init });
    if (lms.down) return Promise.reject(new TypeError('Failed to fetch'));
    if (url.startsWith(fetchURL.split('?')[0])) {
      if (method !== 'POST') return response(405);
      if (o.tokenError) return response(200, { 'error-code': String(o.tokenError), 'error-text': 'no' });
      lms.tokens++;
      if (lms.fetched[url]) return response(200, { 'error-code': '1', 'error-text': 'The authorization token has already been returned.' });
      lms.fetched[url] = true;
      return response(200, { 'auth-token': 'dG9rZW4=' });
    }
    const u = new URL(url);
    const path = u.pathname.replace('/xapi/', '');
    const q = Object.fromEntries(u.searchParams);
    if (path === 'statements' && method === 'POST') {
      const status = typeof lms.statementStatus === 'function' ? lms.statementStatus(JSON.parse(init.body)) : lms.statementStatus || 200;
      if (status === 200) {
        const list = JSON.parse(init.body);
        for (const st of list) if (!lms.statements.some((x) => x.id === st.id)) lms.statements.push(st);
        return response(200, list.map((st) => st.id));
      }
      return response(status, { error: 'refused' });
    }
    if (path === 'activities/state') {
      if (q.stateId === 'LMS.LaunchData') return lms.launchData ? response(200, lms.launchData) : response(404);
      const key = q.stateId + '|' + q.activityId + '|' + q.registration;
      if (method === 'PUT') {
        if (o.noState) return response(404);
        lms.state[key] = JSON.parse(init.body);
        return response(204);
      }
      return key in lms.state ? response(200, lms.state[key]) : response(404);
    }
    if (path === 'agents/profile') return lms.prefs ? response(200, lms.prefs) : response(404);
    return response(404);
  };
  return lms;
}

// fakeTimers runs timeouts when the test says.
function fakeTimers() {
  let next = 1;
  const pending = new Map();
  return {
    setTimeout: (fn, ms) => { const id = next++; pending.set(id, { fn, ms }); return id; },
    clearTimeout: (id) => { pending.delete(id); },
    pending: () => Array.from(pending.values()).map((p) => p.ms),
    runAll() {
      const fns = Array.from(pending.values());
      pending.clear();
      for (const p of fns) p.fn();
    },
  };
}

// env is what launch() and wrap() take.
function env(lms, over) {
  const timers = fakeTimers();
  let t = Date.UTC(2025, 2, 1, 9, 0, 0);
  const e = {
    fetch: lms.fetch, storage: L.memoryStore(), sessionStorage: L.memoryStore(), timers: timers,
    setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout, win: null, navigated: [],
    now: () => t, tick: (ms) => { t += ms; }, log: () => {},
  };
  e.navigate = (url) => e.navigated.push(url);
  return Object.assign(e, over || {});
}

function cmi5Search(over) {
  const p = Object.assign({ endpoint: endpoint, fetch: fetchURL, actor: JSON.stringify(actor), registration: registration, activityId: activityId }, over || {});
  return '?' + Object.keys(p).filter((k) => p[k] !== null).map((k) => k + '=' + encodeURIComponent(p[k])).join('&');
}

// settle lets every pending promise run.
async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

module.exports = { newLMS, env, fakeTimers, cmi5Search, settle, endpoint, fetchURL, actor, registration, activityId, sessionId, publisherId, launchData };
