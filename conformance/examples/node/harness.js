#!/usr/bin/env node
"use strict";
// A ledgerspec store harness: reads requests from standard input and answers on standard output,
// one JSON document per line (conformance/schemas/harness.json, protocol version 2).
//   ledgerspec conformance --harness "node conformance/examples/node/harness.js"
const json = require("./json");
const readline = require("node:readline");
const { newStore, call, Failure } = require("./store");

const VERSION = 2;
const CAPABILITIES = ["experience", "runs", "artifacts", "journal", "tenancy", "concurrency"];

/** The outcome of one call: its result, or the code of the store error it raised. */
function outcome(store, { op, args, tenant = null }) {
  try {
    return { result: call(store, op, args, tenant) };
  } catch (error) {
    if (error instanceof Failure) return { error: error.code, message: error.message };
    throw error; // a bug, not a store error: the scenario is reported errored
  }
}

/** A step's outcome: a call's, an array for a repeated call, one array per branch for `parallel`.
 * Node runs one call at a time, so the branches simply run one after the other. */
function step(store, s) {
  if (s.op === "parallel") return s.branches.map((branch) => branch.map((c) => step(store, c)));
  if (s.repeat !== undefined) return Array.from({ length: s.repeat }, () => outcome(store, s));
  return outcome(store, s);
}

function answer(request) {
  switch (request.cmd) {
    case "start":
      if (request.version !== VERSION) throw new Error(`this harness speaks protocol version ${VERSION}`);
      return {
        version: VERSION,
        store: { name: "ledgerspec-node-memory", language: "javascript", capabilities: CAPABILITIES },
      };
    case "run": {
      const store = newStore(); // every scenario starts from a fresh, empty store
      try {
        return { seq: request.seq, outcomes: request.scenario.steps.map((s) => step(store, s)) };
      } catch (error) {
        return { seq: request.seq, errored: { context: { scenario: request.scenario.id, error: error.stack } } };
      }
    }
    case "stop":
      process.exit(0);
  }
  throw new Error(`unknown request ${request.cmd}`);
}

readline.createInterface({ input: process.stdin, crlfDelay: Infinity }).on("line", (line) => {
  process.stdout.write(`${json.stringify(answer(json.parse(line)))}\n`);
});
