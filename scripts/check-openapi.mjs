// kyso: checks the OpenAPI 3.1 document of `kyso serve` with a real validator
// (@seriousme/openapi-schema-validator), then every answer the API tests recorded (JSON lines:
// method, route, status, content_type, body) against the document's response schemas with ajv
// (JSON Schema 2020-12). Usage: node scripts/check-openapi.mjs openapi.json api-responses.jsonl
// Exit 0 all good, 1 a problem, 77 the npm packages are missing (run `npm ci`).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let Validator, Ajv2020, addFormats;
try {
  ({ Validator } = await import("@seriousme/openapi-schema-validator"));
  Ajv2020 = require("ajv/dist/2020").default;
  addFormats = require("ajv-formats").default;
} catch (e) {
  console.error(`check-openapi: npm packages missing (npm ci at the repository root): ${e.message}`);
  process.exit(77);
}

const [docPath, recordPath] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(docPath, "utf8"));

let passed = 0;
let failed = 0;
const fail = (what) => {
  failed++;
  console.error(`FAIL ${what}`);
};

// 1. The document itself.
const validator = new Validator();
const res = await validator.validate(doc);
if (res.valid && validator.version === "3.1") {
  passed++;
} else {
  fail(`document (version ${validator.version}): ${JSON.stringify(res.errors, null, 1)}`);
}

// 2. Every recorded answer against its route's response.
const inline = (schema) => {
  if (Array.isArray(schema)) return schema.map(inline);
  if (schema && typeof schema === "object") {
    if (typeof schema.$ref === "string" && schema.$ref.startsWith("#/components/schemas/")) {
      return inline(doc.components.schemas[schema.$ref.slice("#/components/schemas/".length)]);
    }
    return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, inline(v)]));
  }
  return schema;
};
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map();
const lines = readFileSync(recordPath, "utf8").split("\n").filter((l) => l.trim() !== "");
const routesSeen = new Set();
for (const line of lines) {
  const r = JSON.parse(line);
  const where = `${r.method} ${r.path} → ${r.status}`;
  if (!r.route) {
    // Unmatched paths answer 404/405 with the error schema; nothing to look up.
    if (r.status === 404 || r.status === 405) passed++;
    else fail(`${where}: no route matched`);
    continue;
  }
  const op = doc.paths?.[r.route]?.[r.method.toLowerCase()];
  if (!op) {
    fail(`${where}: ${r.method} ${r.route} is not in the document`);
    continue;
  }
  routesSeen.add(`${r.method} ${r.route}`);
  const status = String(r.status);
  const response = op.responses[status] ?? op.responses[`${status[0]}XX`] ?? op.responses.default;
  if (!response) {
    fail(`${where}: status not documented`);
    continue;
  }
  const media = (r.content_type || "").split(";")[0].trim();
  if (!response.content) {
    if (r.status === 204 || !media) passed++;
    else fail(`${where}: a body of ${media} where the document has none`);
    continue;
  }
  const content = response.content[media];
  if (!content) {
    fail(`${where}: media type ${media} not documented (${Object.keys(response.content)})`);
    continue;
  }
  if (media !== "application/json") {
    passed++;
    continue;
  }
  const key = `${r.route} ${r.method} ${status} ${media}`;
  if (!compiled.has(key)) compiled.set(key, ajv.compile(inline(content.schema ?? {})));
  const validate = compiled.get(key);
  if (validate(r.body)) passed++;
  else fail(`${where}: ${ajv.errorsText(validate.errors)}`);
}

const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
  Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
const untested = documented.filter((k) => !routesSeen.has(k));
console.log(`check-openapi: ${lines.length} answers on ${routesSeen.size} of ${documented.length} routes`);
if (untested.length) console.log(`check-openapi: routes without a recorded answer: ${untested.join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
