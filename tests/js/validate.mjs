// Validates JSON documents against the shipped JSON Schemas with Ajv in strict mode.
// Input (stdin): {"schemas": {"<name>": <schema>, ...}, "documents": [{"schema": "<name>", "data": ...}, ...]}
// Output (stdout): [{"valid": bool, "errors": [<instancePath> <message>, ...]}, ...], one per document.
// A schema that Ajv refuses to compile (strict mode: unknown keyword, non-ECMA pattern, ...) is an
// error with exit code 2, so the calling test fails.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const input = JSON.parse(readFileSync(0, "utf8"));
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validators = {};
try {
  for (const [name, schema] of Object.entries(input.schemas)) {
    validators[name] = ajv.compile(schema);
  }
} catch (error) {
  process.stderr.write(`Ajv weigert een schema: ${error.message}\n`);
  process.exit(2);
}
const results = input.documents.map(({ schema, data }) => {
  const validate = validators[schema];
  const valid = validate(data);
  return { valid, errors: (validate.errors || []).map((e) => `${e.instancePath} ${e.message}`) };
});
process.stdout.write(JSON.stringify(results));
