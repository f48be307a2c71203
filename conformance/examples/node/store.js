"use strict";
// The four ledgers in memory, following docs/stores.md. Documents are kept exactly as received
// (the parsed objects themselves, so unknown keys and number spellings survive); their RFC 8785
// canonical text decides whether a repeated append is the same document.
const crypto = require("node:crypto");
const json = require("./json");
const { problem, argsProblem, chainKinds } = require("./schemas");

const U63 = 2n ** 63n - 1n; // largest seq stored; serde's u64 goes further, larger ones are refused
const U64_MAX = 2n ** 64n - 1n; // the largest bound a read takes
const ID = /^[A-Za-z0-9._:-]{1,256}$/; // event, tenant and correlation ids

class Failure extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}
const fail = (code, message) => { throw new Failure(code, message); };

/** The canonical text of a document, after checking it against its schema. */
function checked(type, document) {
  let text;
  try { text = json.canonical(document); } catch (error) { fail("invalid_input", error.message); }
  const found = problem(type, document);
  if (found) fail("invalid_input", found);
  return text;
}

/** check(item, index) of every item of a batch before anything is written; errors name the item. */
function each(label, items, check) {
  return items.map((item, index) => {
    try { return check(item, index); } catch (error) {
      if (error instanceof Failure) error.message = `${label} ${index}: ${error.message}`;
      throw error;
    }
  });
}

/** An integer argument or field (its exact text), refused beyond what is stored. */
function seqOf(holder, key) {
  const value = BigInt(json.numberText(holder, key));
  if (value > U63) fail("invalid_input", `${key} ${value} is above 2^63-1, the largest stored`);
  return value;
}

/** A read's bound (its exact text): any u64, as upstream takes it; one past every stored seq reads past them. */
function boundOf(holder, key) {
  const value = BigInt(json.numberText(holder, key));
  if (value < 0n || value > U64_MAX) fail("invalid_input", `${key} ${value} is not a u64`);
  return value;
}

/** A run id in any form serde reads (upper case, simple, braced, urn:uuid:) as one key. */
function runKey(runId) {
  if (problem("mfm/RunId", runId)) fail("invalid_input", `run_id ${JSON.stringify(runId)} is not a UUID`);
  return runId.toLowerCase().replace(/^urn:uuid:|[{}-]/g, "");
}

const utf8Order = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)); // as Rust compares Strings
const sha256 = (bytes) => crypto.createHash("sha256").update(bytes).digest("hex");
const same = (a, b) => json.canonical(a) === json.canonical(b);
const upTo = (limit) => (limit == null ? undefined : Number(limit)); // u64::MAX is just "all"
/** Whether an envelope belongs to the view's tenant (if any) and to the tenant a query names. */
const inTenant = (envelope, ...tenants) => tenants.every((t) => t == null || envelope.tenant_id === t);

/** converge's experience ledger; `tenant` is the view a call is made on (null: the whole store). */
class Experience {
  envelopes = []; // in append order
  eventIds = new Map(); // event_id -> canonical text

  append_events({ envelopes }, tenant) {
    const batch = each("envelope", envelopes, (envelope) => {
      const text = checked("converge/ExperienceEventEnvelope", envelope);
      for (const key of ["event_id", "tenant_id", "correlation_id"]) {
        if (envelope[key] != null && !ID.test(envelope[key])) fail("invalid_input", `${key} breaks ${ID}`);
      }
      const size = Buffer.byteLength(envelope.occurred_at);
      if (size < 1 || size > 64) fail("invalid_input", `occurred_at is ${size} bytes; 1 to 64 are allowed`);
      if (tenant !== null && envelope.tenant_id !== tenant) fail("invalid_input", `not of this view's tenant`);
      return { envelope, text };
    });
    const fresh = new Map(); // all or nothing: every id is checked before any is stored
    each("envelope", batch, ({ envelope, text }) => {
      const known = this.eventIds.get(envelope.event_id) ?? fresh.get(envelope.event_id)?.text;
      if (known === undefined) fresh.set(envelope.event_id, { envelope, text });
      else if (known !== text) fail("conflict", `event_id ${envelope.event_id} is stored with other content`);
    });
    for (const [id, { envelope, text }] of fresh) {
      this.eventIds.set(id, text);
      this.envelopes.push(envelope);
    }
  }

  append_event({ envelope }, tenant) {
    this.append_events({ envelopes: [envelope] }, tenant);
  }

  write_artifact_state_transition({ artifact_id, kind, event }, tenant) {
    const position = this.envelopes.length + 1;
    let id = `artifact-transition:${position}`;
    for (let n = 1; this.eventIds.has(id); n += 1) id = `artifact-transition:${position}:${n}`; // a caller's id
    const envelope = {
      event_id: id,
      occurred_at: new Date().toISOString(),
      tenant_id: tenant,
      correlation_id: null,
      event: { type: "ArtifactStateTransitioned", data: { artifact_id, artifact_kind: kind, event } },
    };
    this.append_events({ envelopes: [envelope] }, tenant);
  }

  query_events({ query: q }, tenant) {
    const { start, end } = q.time_range ?? {};
    return this.envelopes.filter((e) => inTenant(e, tenant, q.tenant_id)
      && (q.correlation_id == null || e.correlation_id === q.correlation_id)
      && (q.kinds.length === 0 || q.kinds.includes(e.event.type))
      && (q.chain_id == null || (chainKinds.has(e.event.type) && e.event.data.chain_id === q.chain_id))
      && (start == null || utf8Order(start, e.occurred_at) <= 0)
      && (end == null || utf8Order(e.occurred_at, end) <= 0)).slice(0, upTo(q.limit));
  }

  query_artifacts({ query: q }, tenant) {
    const latest = new Map(); // (tenant, artifact) -> its latest transition, ordered by when it was written
    for (const e of this.envelopes.filter((e) => e.event.type === "ArtifactStateTransitioned")) {
      const key = JSON.stringify([e.tenant_id ?? null, e.event.data.artifact_id]);
      latest.delete(key);
      latest.set(key, e);
    }
    return [...latest.values()].filter((e) => inTenant(e, tenant, q.tenant_id)
      && (q.artifact_id == null || e.event.data.artifact_id === q.artifact_id)
      && (q.kind == null || same(e.event.data.artifact_kind, q.kind))
      && (q.state == null || e.event.data.event.to_state === q.state)).slice(0, upTo(q.limit));
  }

  get_trace_link({ trace_link_id }, tenant) {
    const found = this.envelopes.findLast((e) => e.event.type === "ReplayTraceRecorded"
      && e.event.data.trace_link_id === trace_link_id && inTenant(e, tenant));
    return found ? found.event.data.trace_link : null;
  }
}

/** mfm-machine's run event streams: per run, seqs 1, 2, 3, ... */
class Runs {
  runs = new Map(); // run key -> events; seq n is at index n - 1

  head_seq({ run_id }) {
    return this.runs.get(runKey(run_id))?.length ?? 0;
  }

  append(args) {
    const run = runKey(args.run_id);
    const expected = seqOf(args, "expected_seq");
    each("event", args.events, (event, index) => {
      checked("mfm/EventEnvelope", event);
      if (runKey(event.run_id) !== run) fail("invalid_input", `run_id ${event.run_id} is not the run appended to`);
      const seq = expected + BigInt(index + 1);
      if (seqOf(event, "seq") !== seq) fail("invalid_input", `seq must be ${seq}`);
    });
    const events = this.runs.get(run) ?? [];
    if (BigInt(events.length) !== expected) fail("concurrency", `head is ${events.length}, not ${expected}`);
    this.runs.set(run, events.concat(args.events));
    return events.length + args.events.length;
  }

  read_range(args) {
    const from = boundOf(args, "from_seq");
    const to = args.to_seq == null ? U63 : boundOf(args, "to_seq");
    const events = this.runs.get(runKey(args.run_id)) ?? [];
    return events.filter((_, index) => from <= BigInt(index + 1) && BigInt(index + 1) <= to);
  }
}

/** mfm-machine's content-addressed artifacts: id = lowercase SHA-256 hex of the bytes. */
class Artifacts {
  artifacts = new Map(); // id -> { kind, bytes }

  put({ kind, data }) {
    const bytes = Buffer.from(data, "base64");
    if (bytes.toString("base64") !== data) fail("invalid_input", "data is not base64");
    const id = sha256(bytes);
    if (!this.artifacts.has(id)) this.artifacts.set(id, { kind, bytes }); // the first kind is kept
    return id;
  }

  get({ artifact_id }) {
    const stored = this.artifacts.get(artifact_id) ?? fail("not_found", `artifact ${artifact_id} is not stored`);
    if (sha256(stored.bytes) !== artifact_id) fail("corruption", `the bytes of ${artifact_id} no longer hash to it`);
    return stored.bytes.toString("base64");
  }

  exists({ artifact_id }) {
    return this.artifacts.has(artifact_id);
  }
}

/** agent-sdk's run journals: per run, journal_seq 1, 2, 3, ...; duplicates are deduplicated. */
class Journal {
  journals = new Map(); // run_id -> { record, text }; journal_seq n is at index n - 1

  append({ record }) {
    const text = checked("agentsdk/JournalRecord", record);
    const version = json.numberText(record, "journal_schema_version");
    if (version !== "1") fail("invalid_input", `journal_schema_version ${version} is not read; only 1 is`);
    const seq = seqOf(record, "journal_seq");
    const journal = this.journals.get(record.run_id) ?? [];
    const cursor = (stored) => `journal.${journal.indexOf(stored) + 1}`;
    const byId = journal.find((stored) => stored.record.record_id === record.record_id);
    if (byId?.text === text) return cursor(byId);
    if (byId) fail("conflict", `record_id ${record.record_id} is journaled with other content`);
    for (const key of ["idempotency_key", "dedupe_key"]) {
      const duplicate = record[key] != null && journal.find((stored) => same(stored.record[key] ?? null, record[key]));
      if (duplicate) return cursor(duplicate);
    }
    const next = BigInt(journal.length + 1);
    if (seq < next) fail("concurrency", `journal_seq ${seq} is taken; the next is ${next}`);
    if (seq > next) fail("invalid_input", `journal_seq ${seq} leaves a gap; the next is ${next}`);
    this.journals.set(record.run_id, journal.concat([{ record, text }]));
    return `journal.${seq}`;
  }

  read(args) {
    const from = args.from_seq == null ? 1n : boundOf(args, "from_seq");
    const to = args.to_seq == null ? U63 : boundOf(args, "to_seq");
    const journal = this.journals.get(args.run_id) ?? [];
    const records = journal.map((stored) => stored.record);
    return records.filter((_, index) => from <= BigInt(index + 1) && BigInt(index + 1) <= to);
  }
}

/** A fresh, empty store: the four ledgers. */
const newStore = () => ({
  experience: new Experience(),
  runs: new Runs(),
  artifacts: new Artifacts(),
  journal: new Journal(),
});

/** Carry out one call of an operation (e.g. "runs.append") on a store; returns its JSON result. */
function call(store, op, args, tenant) {
  if (tenant !== null && !ID.test(tenant)) fail("invalid_input", `the tenant id breaks ${ID}`);
  const found = argsProblem(op, args);
  if (found) fail(op.includes("query") ? "invalid_query" : "invalid_input", found);
  const [ledger, method] = op.split(".");
  return store[ledger][method](args, tenant) ?? null;
}

module.exports = { newStore, call, Failure };
