"use strict";
// Lossless JSON. JSON.parse turns every number into a double, so 18446744073709551615 would come
// back as ...616 and 1.0 as 1. The reviver's third argument (the number's source text) is kept in
// a side table keyed by the object or array holding the number; the writer and the validator read
// it back. Node 21+ gives the source text by default; node 20 needs a V8 flag.
const hasSource = () => JSON.parse("1", (key, value, context) => context?.source) === "1";
if (!hasSource()) require("node:v8").setFlagsFromString("--harmony-json-parse-with-source");
if (!hasSource()) throw new Error("JSON.parse gives no number source text here: use node 20 or later");

const sources = new WeakMap(); // holder (object or array) -> Map(key -> number's source text)

function parse(text) {
  return JSON.parse(text, function (key, value, context) {
    if (typeof value === "number") {
      if (!sources.has(this)) sources.set(this, new Map());
      sources.get(this).set(key, context.source);
    }
    return value;
  });
}

/** The source text of the number at holder[key] (bigints and numbers we made: their own text). */
function numberText(holder, key) {
  const value = holder[key];
  return typeof value === "bigint" ? value.toString() : sources.get(holder)?.get(String(key)) ?? String(value);
}

/** JSON text of a value: numbers exactly as received, bigints in full. */
function stringify(value) {
  return write({ "": value }, "", false);
}

/** RFC 8785 canonical text (keys sorted by UTF-16 code units, numbers by value, integers exact at
 * any size), except that a float literal stays a float (1.0 is not 1: serde tells them apart). Throws a message for what has no canonical form or breaks the store's caps. */
function canonical(value) {
  const text = write({ "": value }, "", true);
  if (Buffer.byteLength(text) > 16 * 1024 * 1024) throw new Error("document is over 16 MiB canonical");
  return text;
}

function write(holder, key, canon, depth = 0) {
  const value = holder[key];
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number" || typeof value === "bigint") {
    const text = numberText(holder, key);
    if (!canon) return text;
    // serde_json refuses a number a double cannot hold, integers included ("number out of range")
    if (!Number.isFinite(Number(value))) throw new Error(`${text.slice(0, 40)} is out of a double's range`);
    if (/^-?\d+$/.test(text)) return BigInt(text).toString(); // an integer literal: exact digits
    const shortest = Object.is(value, -0) ? "-0" : String(value); // ECMAScript's form, as RFC 8785 says,
    return /[.e]/.test(shortest) ? shortest : `${shortest}.0`; // except that 1.0 stays a float, not 1
  }
  if (typeof value === "string") return string(value, canon);
  if (canon && depth >= 127) throw new Error("document nests deeper than 127 levels");
  if (Array.isArray(value)) return `[${value.map((_, i) => write(value, i, canon, depth + 1)).join(",")}]`;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  if (canon) keys.sort(); // default sort compares UTF-16 code units
  return `{${keys.map((k) => `${string(k, canon)}:${write(value, k, canon, depth + 1)}`).join(",")}}`;
}

function string(value, canon) {
  if (canon && /[\uD800-\uDFFF]/u.test(value)) throw new Error("a string holds a lone UTF-16 surrogate");
  return JSON.stringify(value); // the escaping RFC 8785 prescribes
}

module.exports = { parse, numberText, stringify, canonical };
