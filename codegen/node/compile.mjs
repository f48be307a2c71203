// Compile a list of JSON Schemas to TypeScript declarations with json-schema-to-typescript.
//
// Input (stdin): a JSON array of schemas, each already adapted by codegen/typescript.py (its
// `title` is the type name, references are `tsType` names). Output (stdout): the declarations,
// one per schema, in input order. The options live here, next to the pinned generator, so the
// same schemas always give the same bytes.
import { compile } from "json-schema-to-typescript";

const OPTIONS = {
  bannerComment: "",
  additionalProperties: false, // a struct's TypeScript type lists its fields; no index signature
  declareExternallyReferenced: false,
  unknownAny: true,
  strictIndexSignatures: false,
  style: { printWidth: 120, singleQuote: false, semi: true, tabWidth: 2, trailingComma: "none", bracketSpacing: true },
};

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const schemas = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const declarations = [];
for (const schema of schemas) {
  declarations.push((await compile(schema, schema.title, OPTIONS)).trim());
}
process.stdout.write(declarations.join("\n\n") + "\n");
