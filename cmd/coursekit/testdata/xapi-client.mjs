// xapi-client.mjs drives a running `coursekit serve` with a published xAPI
// client library, @xapi/xapi (pinned in testdata/npm), the way a course or
// an LMS plug-in would: it sends a statement and a batch, queries with the
// agent, verb and activity filters, pages through `more` links, voids
// statements and sends and reads back an attachment; it sets, merges, reads,
// lists and deletes state, activity profile and agent profile documents,
// races writers with one ETag, and reads the activity definitions and the
// Person the LRS learned from its statements. Every request goes
// through the library's own API (one of its own adapters), never raw fetch,
// so what it checks is that the library and the LRS agree.
//
// Environment:
//   COURSEKIT_XAPI_ENDPOINT  the xAPI base, e.g. http://127.0.0.1:8080/xapi/
//   COURSEKIT_XAPI_AUTH      a credential as KEY:SECRET
//   COURSEKIT_NPM_DIR        the folder holding package.json and node_modules
//   COURSEKIT_XAPI_VERSION   X-Experience-API-Version to send (default 1.0.3)
//
// It exits 0 and prints one summary line when everything matched, and 1
// with a message naming the step and what differed otherwise.

import { createRequire } from "node:module";
import { createHash, randomUUID } from "node:crypto";
import { join } from "node:path";

const env = (name) => {
  const v = process.env[name];
  if (!v) fail(`setup: ${name} is not set`);
  return v;
};

function fail(msg) {
  console.error(`xapi-client: FAIL ${msg}`);
  process.exit(1);
}

const require = createRequire(join(env("COURSEKIT_NPM_DIR"), "package.json"));
const XAPI = require("@xapi/xapi");
const libVersion = require("@xapi/xapi/package.json").version;

const [key, secret] = env("COURSEKIT_XAPI_AUTH").split(/:(.*)/s);
const xapiVersion = process.env.COURSEKIT_XAPI_VERSION || "1.0.3";
const config = { endpoint: env("COURSEKIT_XAPI_ENDPOINT"), auth: XAPI.toBasicAuth(key, secret), version: xapiVersion };
const xapi = new XAPI(config);
// The library's default axios adapter sends a multipart body (a Blob) as
// application/octet-stream under node, whatever Content-Type the library
// set; its fetch adapter keeps multipart/mixed, so attachments go that way.
const xapiFetch = new XAPI({ ...config, adapter: "fetch" });

let step = "setup";
let requests = 0;

// call runs one library request and turns a rejected promise into a clear
// failure that names the step, the status and the LRS's error body.
async function call(what, promise) {
  requests++;
  try {
    return await promise;
  } catch (err) {
    const status = err.response?.status;
    const body = err.response?.data;
    fail(`${step}: ${what}: ${status ? `HTTP ${status} ${JSON.stringify(body)}` : err.message}`);
  }
}

// callStatus runs a request that must be refused with the given status.
async function callStatus(what, promise, want) {
  requests++;
  try {
    const res = await promise;
    fail(`${step}: ${what} = HTTP ${res.status} ${JSON.stringify(res.data)}, want HTTP ${want}`);
  } catch (err) {
    const got = err.response?.status;
    if (got !== want) {
      fail(`${step}: ${what} = ${got ? `HTTP ${got} ${JSON.stringify(err.response.data)}` : err.message}, want HTTP ${want}`);
    }
    return err.response;
  }
}

function check(ok, msg) {
  if (!ok) fail(`${step}: ${msg}`);
}

function sameList(got, want, what) {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  check(g === w, `${what} = ${g}, want ${w}`);
}

const uuidRE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Everything this run sends is under a fresh tag, so its queries see only
// its own statements even on a shared database.
const run = randomUUID();
const base = `https://example.org/coursekit-e2e/${run}`;
const ann = { objectType: "Agent", name: "Ann", mbox: `mailto:ann-${run}@example.org` };
const bob = { objectType: "Agent", name: "Bob", account: { homePage: "https://lms.example.org", name: `bob-${run}` } };
const course = { objectType: "Activity", id: `${base}/course`, definition: { name: { "en-US": "Course" } } };
const lesson = (n) => ({
  objectType: "Activity",
  id: `${base}/lesson/${n}`,
  definition: { name: { "en-US": `Lesson ${n}` }, type: "http://adlnet.gov/expapi/activities/lesson" },
});
const statement = (actor, verb, object, extra = {}) => ({
  actor,
  verb,
  object,
  context: { registration: run, contextActivities: { parent: [course] } },
  ...extra,
});
const { EXPERIENCED, COMPLETED, PASSED, VOIDED } = {
  EXPERIENCED: { id: "http://adlnet.gov/expapi/verbs/experienced", display: { "en-US": "experienced" } },
  COMPLETED: XAPI.Verbs.COMPLETED,
  PASSED: XAPI.Verbs.PASSED,
  VOIDED: XAPI.Verbs.VOIDED,
};

// ids of a statements page, and every page of a query through `more`.
const idsOf = (res) => res.data.statements.map((s) => s.id);

async function allPages(what, params) {
  const first = await call(what, xapi.getStatements(params));
  const pages = [idsOf(first)];
  let more = first.data.more;
  while (more) {
    check(pages.length < 100, `${what}: more links do not end`);
    const next = await call(`${what} more ${more}`, xapi.getMoreStatements({ more }));
    pages.push(idsOf(next));
    more = next.data.more;
  }
  return pages;
}

async function main() {
  step = "about";
  const about = await call("getAbout", xapi.getAbout());
  check(about.data.version?.includes(xapiVersion), `about.version = ${JSON.stringify(about.data.version)}, want it to include ${xapiVersion}`);

  step = "send one";
  const single = statement(ann, EXPERIENCED, lesson(1), {
    result: { score: { scaled: 0.875, raw: 7, min: 0, max: 8 }, duration: "PT1M2.5S" },
    timestamp: "2026-11-23T10:00:00.123Z",
  });
  const one = await call("sendStatement", xapi.sendStatement({ statement: single }));
  check(one.status === 200, `sendStatement status = ${one.status}, want 200`);
  check(Array.isArray(one.data) && one.data.length === 1 && uuidRE.test(one.data[0]), `sendStatement ids = ${JSON.stringify(one.data)}, want one lower-case UUID`);
  check(one.headers["x-experience-api-version"], "sendStatement response has no X-Experience-API-Version");
  check(one.headers["x-experience-api-consistent-through"], "sendStatement response has no X-Experience-API-Consistent-Through");
  const singleID = one.data[0];

  step = "get one";
  const got = await call("getStatement", xapi.getStatement({ statementId: singleID }));
  const s = got.data;
  check(s.id === singleID, `id = ${s.id}, want ${singleID}`);
  sameList(s.actor, ann, "actor");
  sameList(s.verb, EXPERIENCED, "verb");
  check(s.object.id === lesson(1).id, `object.id = ${s.object.id}, want ${lesson(1).id}`);
  check(s.result.score.scaled === 0.875 && s.result.duration === "PT1M2.5S", `result = ${JSON.stringify(s.result)}, want it as sent`);
  check(s.timestamp && s.stored && s.authority && s.version, `stored statement lacks timestamp, stored, authority or version: ${JSON.stringify(s)}`);
  check(s.context.registration === run, `context.registration = ${s.context.registration}, want ${run}`);

  step = "send batch";
  // Ann and Bob work through lessons 2..4; one statement carries its own id.
  const ownID = randomUUID();
  const batch = [
    statement(ann, EXPERIENCED, lesson(2)),
    statement(ann, COMPLETED, lesson(2), { id: ownID }),
    statement(bob, EXPERIENCED, lesson(2)),
    statement(ann, EXPERIENCED, lesson(3)),
    statement(bob, COMPLETED, lesson(2)),
    statement(ann, COMPLETED, lesson(3)),
    statement(ann, PASSED, course, { result: { success: true }, context: { registration: run } }),
  ];
  const sent = await call("sendStatements", xapi.sendStatements({ statements: batch }));
  check(sent.data.length === batch.length, `sendStatements returned ${sent.data.length} ids, want ${batch.length}`);
  check(sent.data.every((id) => uuidRE.test(id)), `sendStatements ids = ${JSON.stringify(sent.data)}, want UUIDs`);
  check(sent.data[1] === ownID, `the statement sent with id ${ownID} came back as ${sent.data[1]}`);
  check(new Set(sent.data).size === batch.length, `sendStatements ids are not unique: ${JSON.stringify(sent.data)}`);
  // Every statement of this run in the order it was stored.
  const all = [singleID, ...sent.data].map((id, i) => ({ id, st: [single, ...batch][i] }));

  // A re-sent statement with the same id and content changes nothing; the
  // same id with other content is a conflict.
  step = "resend";
  await call("sendStatement same id", xapi.sendStatement({ statement: batch[1] }));
  await callStatus("sendStatement same id, other content", xapi.sendStatement({ statement: { ...batch[1], verb: PASSED } }), 409);
  await callStatus("sendStatement with an invalid mbox", xapi.sendStatement({ statement: statement({ mbox: "ann@example.org" }, EXPERIENCED, lesson(1)) }), 400);

  // The query answers newest first unless ascending is set.
  const expect = (pred) => all.filter((x) => pred(x.st)).map((x) => x.id).reverse();
  const sameAgent = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const queries = [
    { name: "agent Ann", params: { agent: ann }, want: expect((st) => sameAgent(st.actor, ann)) },
    { name: "agent Bob (account)", params: { agent: { account: bob.account } }, want: expect((st) => sameAgent(st.actor, bob)) },
    { name: "verb completed", params: { verb: COMPLETED.id, registration: run }, want: expect((st) => st.verb.id === COMPLETED.id) },
    { name: "activity lesson 2", params: { activity: lesson(2).id }, want: expect((st) => st.object.id === lesson(2).id) },
    {
      name: "agent Ann + verb experienced + activity lesson 3",
      params: { agent: ann, verb: EXPERIENCED.id, activity: lesson(3).id },
      want: expect((st) => sameAgent(st.actor, ann) && st.verb.id === EXPERIENCED.id && st.object.id === lesson(3).id),
    },
    {
      name: "activity course, related_activities",
      params: { activity: course.id, related_activities: true },
      want: expect(() => true),
    },
    { name: "activity course, not related", params: { activity: course.id }, want: expect((st) => st.object.id === course.id) },
    { name: "registration, ascending", params: { registration: run, ascending: true }, want: all.map((x) => x.id) },
    { name: "nobody", params: { agent: { mbox: `mailto:nobody-${run}@example.org` } }, want: [] },
  ];
  step = "query";
  for (const q of queries) {
    const res = await call(`getStatements ${q.name}`, xapi.getStatements(q.params));
    sameList(idsOf(res), q.want, `getStatements ${q.name}`);
    check(res.data.more === "" || res.data.more === undefined, `getStatements ${q.name}: more = ${JSON.stringify(res.data.more)} with no limit, want none`);
    check(res.headers["x-experience-api-consistent-through"], `getStatements ${q.name}: no X-Experience-API-Consistent-Through`);
  }
  step = "query format=ids";
  const ids = await call("getStatements format=ids", xapi.getStatements({ agent: bob, format: "ids" }));
  for (const st of ids.data.statements) {
    sameList(st.actor, { objectType: "Agent", account: bob.account }, "format=ids actor");
  }

  // Paging: every limit walks the same statements in the same order, each
  // page at most limit long; statements that arrive between pages neither
  // shift nor repeat what the rest of the walk sees.
  step = "page";
  let pagesWalked = 0;
  const annAll = expect((st) => sameAgent(st.actor, ann));
  for (const limit of [1, 2, 3, annAll.length, annAll.length + 1]) {
    const pages = await allPages(`agent Ann limit ${limit}`, { agent: ann, limit });
    pagesWalked += pages.length;
    check(pages.every((p) => p.length <= limit && p.length > 0), `limit ${limit}: page sizes ${pages.map((p) => p.length)}, want 1..${limit}`);
    sameList(pages.flat(), annAll, `agent Ann limit ${limit}, all pages`);
  }
  for (const ascending of [false, true]) {
    const name = `registration limit 2 ascending=${ascending}`;
    const first = await call(name, xapi.getStatements({ registration: run, limit: 2, ascending }));
    check(first.data.more, `${name}: the first page has no more link`);
    const late = await call("sendStatement while paging", xapi.sendStatement({ statement: statement(bob, EXPERIENCED, lesson(9)) }));
    const lateID = late.data[0];
    const seen = idsOf(first);
    let more = first.data.more;
    while (more) {
      const next = await call(`${name} more`, xapi.getMoreStatements({ more }));
      seen.push(...idsOf(next));
      more = next.data.more;
      pagesWalked++;
    }
    const before = all.map((x) => x.id);
    // Newest first, a walk never sees what arrived after it began; oldest
    // first, it sees it once, at the end.
    sameList(seen, ascending ? [...before, lateID] : before.reverse(), name);
    all.push({ id: lateID, st: statement(bob, EXPERIENCED, lesson(9)) });
  }

  // Voiding: the voided statement leaves every query and is still there by
  // voidedStatementId; the voiding statement is an ordinary statement.
  step = "void";
  const target = sent.data[3]; // Ann experienced lesson 3
  const voiding = await call("voidStatement", xapi.voidStatement({ actor: ann, statementId: target }));
  const voidingID = voiding.data[0];
  check(uuidRE.test(voidingID), `voidStatement ids = ${JSON.stringify(voiding.data)}`);
  const annAfter = await call("getStatements agent Ann after voiding", xapi.getStatements({ agent: ann }));
  check(!idsOf(annAfter).includes(target), `the voided statement ${target} is still returned by an agent query`);
  check(idsOf(annAfter)[0] === voidingID, `the voiding statement ${voidingID} is not the newest of Ann's: ${idsOf(annAfter)}`);
  const l3 = await call("getStatements activity lesson 3 after voiding", xapi.getStatements({ activity: lesson(3).id }));
  check(!idsOf(l3).includes(target), `the voided statement ${target} is still returned by an activity query`);
  const paged = await allPages("agent Ann limit 1 after voiding", { agent: ann, limit: 1 });
  check(!paged.flat().includes(target), "the voided statement is still returned through more links");
  sameList(paged.flat(), idsOf(annAfter), "agent Ann limit 1 after voiding, all pages");
  const voided = await call("getStatements verb voided", xapi.getStatements({ verb: VOIDED.id, agent: ann }));
  sameList(idsOf(voided), [voidingID], "getStatements verb voided");
  await callStatus(`getStatement ${target} (voided)`, xapi.getStatement({ statementId: target }), 404);
  const back = await call("getVoidedStatement", xapi.getVoidedStatement({ voidedStatementId: target }));
  check(back.data.id === target, `getVoidedStatement id = ${back.data.id}, want ${target}`);
  check(back.data.object.id === lesson(3).id, `getVoidedStatement object = ${JSON.stringify(back.data.object)}`);
  await callStatus(`getVoidedStatement ${singleID} (not voided)`, xapi.getVoidedStatement({ voidedStatementId: singleID }), 404);
  const ref = await call("getStatement of the voiding statement", xapi.getStatement({ statementId: voidingID }));
  sameList(ref.data.object, { objectType: "StatementRef", id: target }, "voiding statement object");
  await callStatus("voidStatement of the voiding statement", xapi.voidStatement({ actor: ann, statementId: voidingID }), 400);
  const many = await call("voidStatements", xapi.voidStatements({ actor: bob, statementIds: [sent.data[2], sent.data[4]] }));
  check(many.data.length === 2, `voidStatements ids = ${JSON.stringify(many.data)}, want 2`);
  const bobAfter = await call("getStatements agent Bob after voiding", xapi.getStatements({ agent: bob }));
  const bobIDs = idsOf(bobAfter);
  check(!bobIDs.includes(sent.data[2]) && !bobIDs.includes(sent.data[4]), `voided statements still returned for Bob: ${bobIDs}`);

  // Attachments: sent as multipart/mixed, returned as parts with
  // attachments=true, for the statement alone and in a query.
  step = "attachments";
  // No leading or trailing white space: the library trims parts it parses.
  const text = `certificate for ${run}`;
  const payload = new TextEncoder().encode(text);
  const sha2 = createHash("sha256").update(payload).digest("hex");
  const certificate = lesson(5);
  const withAttachment = statement(ann, COMPLETED, certificate, {
    attachments: [{
      usageType: XAPI.AttachmentUsages.CERTIFICATE_OF_COMPLETION,
      display: { "en-US": "certificate" },
      contentType: "text/plain",
      length: payload.byteLength,
      sha2,
    }],
  });
  const attSent = await call("sendStatement with an attachment", xapiFetch.sendStatement({ statement: withAttachment, attachments: [payload.buffer] }));
  const attID = attSent.data[0];
  const attGot = await call("getStatement attachments=true", xapi.getStatement({ statementId: attID, attachments: true }));
  check(Array.isArray(attGot.data) && attGot.data.length === 2, `getStatement attachments=true gave ${JSON.stringify(attGot.data)}, want the statement and one part`);
  check(attGot.data[0].id === attID && attGot.data[0].attachments?.[0]?.sha2 === sha2, `getStatement attachments=true statement = ${JSON.stringify(attGot.data[0])}`);
  check(attGot.data[1] === text, `getStatement attachments=true part = ${JSON.stringify(attGot.data[1])}, want ${JSON.stringify(text)}`);
  const attQuery = await call("getStatements attachments=true", xapi.getStatements({ activity: certificate.id, attachments: true }));
  sameList(idsOf({ data: attQuery.data[0] }), [attID], "getStatements attachments=true statements");
  check(attQuery.data[1] === text, `getStatements attachments=true part = ${JSON.stringify(attQuery.data[1])}, want ${JSON.stringify(text)}`);
  const attPlain = await call("getStatement without attachments", xapi.getStatement({ statementId: attID }));
  check(attPlain.data.id === attID, `getStatement without attachments = ${JSON.stringify(attPlain.data)}, want the statement as JSON`);
  await callStatus(
    "sendStatement with an attachment but no part",
    xapi.sendStatement({ statement: statement(ann, COMPLETED, certificate, { attachments: [{ ...withAttachment.attachments[0], sha2: "0".repeat(64) }] }) }),
    400,
  );

  await documents();

  console.log(
    `xapi-client: ok: @xapi/xapi ${libVersion}, xAPI ${xapiVersion}: ${requests} requests; sent ${all.length + 1} statements, ` +
      `${queries.length} filtered queries, ${pagesWalked} pages through more, voided 3, 1 attachment; ` +
      `state, activity and agent profiles set, merged, read, raced and deleted`,
  );
}

// sha1ETag is the ETag the LRS must give a document: its SHA-1, quoted.
const sha1ETag = (text) => `"${createHash("sha1").update(text).digest("hex")}"`;

// raced sends requests at once and checks that exactly one succeeded and
// the others failed with HTTP 412; it returns the winner's index.
async function raced(what, promises) {
  requests += promises.length;
  const results = await Promise.allSettled(promises);
  const statuses = results.map((r) => (r.status === "fulfilled" ? r.value.status : r.reason.response?.status ?? r.reason.message));
  const winners = statuses.flatMap((s, i) => (s === 204 ? [i] : []));
  check(winners.length === 1 && statuses.filter((s) => s === 412).length === promises.length - 1,
    `${what}: statuses ${JSON.stringify(statuses)}, want one 204 and the rest 412`);
  return winners[0];
}

// documents drives the State, Activity Profile and Agent Profile resources
// and reads back what the LRS learned of activities and agents.
async function documents() {
  step = "state";
  const where = { agent: ann, activityId: lesson(1).id, registration: run };
  const bookmark = { ...where, stateId: "bookmark" };
  const first = { page: 1, scores: [0.5, 0.875] };
  await call("setState", xapi.setState({ ...bookmark, state: first }));
  let got = await call("getState", xapi.getState(bookmark));
  sameList(got.data, first, "getState");
  check(got.headers.etag === sha1ETag(JSON.stringify(first)), `getState ETag = ${got.headers.etag}, want ${sha1ETag(JSON.stringify(first))}`);
  check(got.headers["last-modified"], "getState has no Last-Modified");
  await call("createState (merge)", xapi.createState({ ...bookmark, state: { page: 2, done: true } }));
  got = await call("getState after merge", xapi.getState(bookmark));
  sameList(got.data, { page: 2, scores: [0.5, 0.875], done: true }, "getState after merge");
  const merged = got.headers.etag;
  await callStatus("setState If-Match stale", xapi.setState({ ...bookmark, state: {}, etag: sha1ETag(JSON.stringify(first)), matchHeader: "If-Match" }), 412);
  await call("setState If-Match current", xapi.setState({ ...bookmark, state: { page: 3 }, etag: merged, matchHeader: "If-Match" }));
  if (xapiVersion.startsWith("2.")) {
    await callStatus("setState without preconditions over a state (2.0)", xapi.setState({ ...bookmark, state: { page: 4 } }), 409);
  } else {
    await call("setState without preconditions over a state (1.0.3)", xapi.setState({ ...bookmark, state: { page: 4 } }));
  }
  await call("setState If-None-Match *", xapi.setState({ ...where, stateId: "other", state: "plain text", contentType: "text/plain", etag: "*", matchHeader: "If-None-Match" }));
  await callStatus("setState If-None-Match * again", xapi.setState({ ...where, stateId: "other", state: "x", contentType: "text/plain", etag: "*", matchHeader: "If-None-Match" }), 412);
  const text = await call("getState text", xapi.getState({ ...where, stateId: "other" }));
  check(text.data === "plain text" && text.headers["content-type"]?.startsWith("text/plain"), `getState text = ${JSON.stringify(text.data)} ${text.headers["content-type"]}`);
  sameList((await call("getStates", xapi.getStates(where))).data, ["bookmark", "other"], "getStates");
  sameList((await call("getStates since", xapi.getStates({ ...where, since: "2999-01-01T00:00:00Z" }))).data, [], "getStates since the future");
  // Two clients that read the same version write at once.
  let current = (await call("getState before the race", xapi.getState(bookmark))).headers.etag;
  const contenders = [{ writer: "a" }, { writer: "b" }];
  let winner = await raced("two setState with one If-Match",
    contenders.map((state) => xapi.setState({ ...bookmark, state, etag: current, matchHeader: "If-Match" })));
  sameList((await call("getState after the race", xapi.getState(bookmark))).data, contenders[winner], "the state after the race");
  current = (await call("getState", xapi.getState(bookmark))).headers.etag;
  await callStatus("deleteState If-Match stale", xapi.deleteState({ ...bookmark, etag: merged }), 412);
  await call("deleteState If-Match current", xapi.deleteState({ ...bookmark, etag: current }));
  await callStatus("getState deleted", xapi.getState(bookmark), 404);
  await call("deleteStates", xapi.deleteStates(where));
  sameList((await call("getStates after deleteStates", xapi.getStates(where))).data, [], "getStates after deleteStates");

  for (const [name, ctx, set, create, get, list, del] of [
    ["activity profile", { activityId: lesson(1).id }, "setActivityProfile", "createActivityProfile", "getActivityProfile", "getActivityProfiles", "deleteActivityProfile"],
    ["agent profile", { agent: bob }, "setAgentProfile", "createAgentProfile", "getAgentProfile", "getAgentProfiles", "deleteAgentProfile"],
  ]) {
    step = name;
    const doc = { ...ctx, profileId: "preferences" };
    await call(`${set} If-None-Match *`, xapi[set]({ ...doc, profile: { theme: "dark" }, etag: "*", matchHeader: "If-None-Match" }));
    const res = await callStatus(`${set} without preconditions over it`, xapi[set]({ ...doc, profile: { theme: "light" } }), 409);
    check(JSON.stringify(res.data).includes("If-Match"), `the 409 does not explain what to do: ${JSON.stringify(res.data)}`);
    let etag = (await call(get, xapi[get](doc))).headers.etag;
    await call(`${create} (merge) If-Match`, xapi[create]({ ...doc, profile: { size: 2 }, etag, matchHeader: "If-Match" }));
    got = await call(`${get} after merge`, xapi[get](doc));
    sameList(got.data, { theme: "dark", size: 2 }, `${get} after merge`);
    sameList((await call(list, xapi[list](ctx))).data, ["preferences"], list);
    etag = got.headers.etag;
    const merges = [{ by: "a" }, { by: "b" }, { by: "c" }];
    winner = await raced(`three ${create} with one If-Match`, merges.map((profile) => xapi[create]({ ...doc, profile, etag, matchHeader: "If-Match" })));
    got = await call(`${get} after the race`, xapi[get](doc));
    sameList(got.data, { theme: "dark", size: 2, ...merges[winner] }, `${get} after the race`);
    await callStatus(`${del} If-Match stale`, xapi[del]({ ...doc, etag }), 412);
    await call(`${del} If-Match current`, xapi[del]({ ...doc, etag: got.headers.etag }));
    await callStatus(`${get} deleted`, xapi[get](doc), 404);
  }

  // The admin credential holds all, so its statements define activities
  // and agents.
  step = "activities and agents";
  const activity = await call("getActivity", xapi.getActivity({ activityId: lesson(1).id }));
  sameList(activity.data, { objectType: "Activity", id: lesson(1).id, definition: lesson(1).definition }, "getActivity");
  const never = `${base}/never-sent`;
  sameList((await call("getActivity never sent", xapi.getActivity({ activityId: never }))).data, { objectType: "Activity", id: never }, "getActivity never sent");
  const person = await call("getAgent", xapi.getAgent({ agent: { mbox: ann.mbox } }));
  sameList(person.data, { objectType: "Person", name: ["Ann"], mbox: [ann.mbox] }, "getAgent");
}

main().catch((err) => fail(`${step}: ${err.stack || err}`));
