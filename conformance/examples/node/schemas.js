"use strict";
// Validation against the repository's JSON Schemas (schemas/**/*.json) with Ajv's 2020-12 class,
// plus the two rules plain JSON Schema cannot state, which every binding must reproduce:
//   x-max-utf8-bytes: a string's length counted in UTF-8 bytes;
//   integer literals: an integer position refuses a float literal such as 1.0 (serde does);
// and integer bounds are checked exactly (as doubles, u64::MAX + 1 would equal u64::MAX).
const fs = require("node:fs");
const path = require("node:path");
const Ajv2020 = require("ajv/dist/2020").default;
const json = require("./json");

const ROOT = path.join(__dirname, "..", "..", "..", "schemas");
const BASE = "https://ledgerspec.dev/schemas/v1/";

// Formats are annotations here: RunId's pattern states the UUID forms, and the f32/f64 schemas
// state their ranges. Unknown keywords (x-skip-serializing-if, discriminator, ...) are ignored.
const ajv = new Ajv2020({ strict: false, validateFormats: false });
ajv.addKeyword({
  keyword: "x-max-utf8-bytes",
  type: "string",
  validate: (limit, data) => Buffer.byteLength(data, "utf8") <= limit,
});
ajv.addKeyword({
  keyword: "x-exact", // added below where integers are checked: { integer, minimum, maximum } as exact text
  type: "number",
  validate({ integer, minimum, maximum }, data, _schema, where) {
    const text = where.parentData ? json.numberText(where.parentData, where.parentDataProperty) : String(data);
    if (!/^-?\d+$/.test(text)) return !integer; // 1.0, 1e2: JSON Schema calls them integers, serde does not
    const value = BigInt(text);
    return (minimum === undefined || BigInt(minimum) <= value) && (maximum === undefined || value <= BigInt(maximum));
  },
});

function* walk(node) {
  if (node === null || typeof node !== "object") return;
  yield node;
  for (const child of Object.values(node)) yield* walk(child);
}

/** Read a schema losslessly and mark its integer positions and bounds for x-exact. */
function load(file) {
  const schema = json.parse(fs.readFileSync(file, "utf8"));
  for (const node of [...walk(schema)]) {
    const integer = [].concat(node.type).includes("integer");
    const bound = (key) => {
      const text = typeof node[key] === "number" ? json.numberText(node, key) : "";
      return /^-?\d+$/.test(text) ? text : undefined; // integer bounds (the schemas have no others)
    };
    const [minimum, maximum] = [bound("minimum"), bound("maximum")];
    if (integer || minimum || maximum) node["x-exact"] = { integer, minimum, maximum };
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
  // Inside a union every variant reports; the deepest problem is usually in the variant meant.
  const error = validate.errors.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a));
  const message = error.keyword === "x-exact" ? "must be an integer literal within its bounds" : error.message;
  return `${label}${error.instancePath}: ${message}`;
}

/** A problem of `value` as a document of `type` (e.g. "converge/EventQuery"), or null. */
const problem = (type, value) => check(`${BASE}${type}.json`, value, type);
/** A problem of the arguments of operation `op` (e.g. "runs.append"), or null. */
const argsProblem = (op, args) => check(`${PROTOCOL}#/$defs/operations/${op}/args`, args, op);

module.exports = { problem, argsProblem, chainKinds };
