"use strict";
// Validation against the repository's JSON Schemas (schemas/**/*.json) with Ajv's 2020-12 class,
// plus the two rules plain JSON Schema cannot state, which every binding must reproduce:
//   x-max-utf8-bytes: a string's length counted in UTF-8 bytes;
//   integer literals: an integer position refuses a float literal such as 1.0 (serde does), and
//   its bounds are checked exactly (u64::MAX + 1 rounds to u64::MAX as a double).
const fs = require("node:fs");
const path = require("node:path");
const Ajv2020 = require("ajv/dist/2020").default;
const json = require("./json");

const ROOT = path.join(__dirname, "..", "..", "..", "schemas");
const BASE = "https://ledgerspec.dev/schemas/v1/";

// Formats are annotations here: RunId's pattern states the UUID forms, and the f32/f64 schemas
// state their ranges. Unknown keywords (x-skip-serializing-if, discriminator, ...) are ignored.
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
ajv.addKeyword({
  keyword: "x-max-utf8-bytes",
  type: "string",
  validate: (limit, data) => Buffer.byteLength(data, "utf8") <= limit,
});
ajv.addKeyword({
  keyword: "x-integer", // added below to every integer position: [minimum, maximum] as exact text
  type: "number",
  validate([min, max], _data, _schema, where) {
    const text = json.numberText(where.parentData, where.parentDataProperty);
    if (!/^-?\d+$/.test(text)) return false; // 1.0, 1e2: JSON Schema calls them integers, serde does not
    const value = BigInt(text);
    return (min === undefined || BigInt(min) <= value) && (max === undefined || value <= BigInt(max));
  },
});

function* walk(node) {
  if (node === null || typeof node !== "object") return;
  yield node;
  for (const child of Object.values(node)) yield* walk(child);
}

/** Read a schema losslessly and mark its integer positions with their exact bounds. */
function load(file) {
  const schema = json.parse(fs.readFileSync(file, "utf8"));
  for (const node of walk(schema)) {
    if ([].concat(node.type).includes("integer")) {
      const bound = (key) => (key in node ? json.numberText(node, key) : undefined);
      node["x-integer"] = [bound("minimum"), bound("maximum")];
    }
  }
  ajv.addSchema(schema);
  return schema;
}

const chainKinds = new Set(); // ExperienceEvent variants whose data declares a chain_id
for (const file of fs.readdirSync(ROOT, { recursive: true }).filter((f) => f.endsWith(".json"))) {
  const schema = load(path.join(ROOT, file));
  const variant = /^converge\.ExperienceEvent\.(\w+)\.Fields$/.exec(schema.title ?? "");
  if (variant && schema.properties?.chain_id) chainKinds.add(variant[1]);
}
// The harness protocol states every operation's arguments (their names, types and documents).
const PROTOCOL = load(path.join(__dirname, "..", "..", "schemas", "harness.json")).$id;

function check(ref, value, label) {
  const validate = ajv.getSchema(ref);
  if (validate(value)) return null;
  const [error] = validate.errors;
  return `${label}${error.instancePath}: ${error.keyword === "x-integer" ? "not an integer in range" : error.message}`;
}

/** A problem of `value` as a document of `type` (e.g. "converge/EventQuery"), or null. */
const problem = (type, value) => check(`${BASE}${type}.json`, value, type);
/** A problem of the arguments of operation `op` (e.g. "runs.append"), or null. */
const argsProblem = (op, args) => check(`${PROTOCOL}#/$defs/operations/${op}/args`, args, op);

module.exports = { problem, argsProblem, chainKinds };
