// Judge JSON documents with ajv (JSON Schema 2020-12) against one self-contained bundle, as an
// off-the-shelf JavaScript consumer of `ledgerspec schema --bundle [--strict]` would.
// Usage: node validate-bundle.mjs BUNDLE CASES, CASES a JSON array of {id, type, text}: each text
// is parsed with JSON.parse (as such a consumer reads it) and validated against #/$defs/<type>.
// Prints one JSON line {id, valid} per case.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";

const [bundlePath, casesPath] = process.argv.slice(2);
const bundle = JSON.parse(readFileSync(bundlePath, "utf8"));
const cases = JSON.parse(readFileSync(casesPath, "utf8"));
// strict: false lets the bundle's annotations (x-skip-serializing-if, discriminator, format hints)
// pass as the unknown keywords JSON Schema says to ignore.
const ajv = new Ajv2020({ strict: false, validateFormats: false });
ajv.addSchema(bundle);
const validators = new Map();
const lines = cases.map(({ id, type, text }) => {
  if (!validators.has(type)) {
    validators.set(type, ajv.getSchema(`${bundle.$id}#/$defs/${type}`));
  }
  return JSON.stringify({ id, valid: validators.get(type)(JSON.parse(text)) });
});
process.stdout.write(lines.join("\n") + "\n");
