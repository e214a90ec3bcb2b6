// A JavaScript client of `meldcode-rules serve` for Node.js 18+ (built-in fetch, no packages).
//
//     node examples/clients/js/oordeel.mjs http://127.0.0.1:8000 examples/clients/acuut-eerder-gemeld.json
//
// Posts the case to POST /v1/oordeel and prints the judgement, or the Dutch problem document
// (RFC 9457) and exit code 1. MELDCODE_TOKEN, when set, is sent as the bearer token.
// For TypeScript, the types of case and judgement can be generated from schemas/openapi.json
// (for example with openapi-typescript); this file stays plain JavaScript so node runs it as is.
import { readFile } from "node:fs/promises";

const [base, caseFile] = process.argv.slice(2);
if (!base || !caseFile) {
  console.error("gebruik: node oordeel.mjs BASIS-URL CASUS.json");
  process.exit(2);
}

/** @type {Record<string, string>} */
const headers = { "Content-Type": "application/json" };
if (process.env.MELDCODE_TOKEN) headers.Authorization = `Bearer ${process.env.MELDCODE_TOKEN}`;

const response = await fetch(`${base}/v1/oordeel`, {
  method: "POST",
  headers,
  body: await readFile(caseFile, "utf8"),
  signal: AbortSignal.timeout(30_000),
});
if (!response.ok) {
  const problem = await response.json(); // application/problem+json, in Dutch
  console.error(`fout ${problem.status}: ${problem.title}: ${problem.detail}`);
  for (const fout of problem.fouten) console.error(`  - ${fout}`);
  process.exit(1);
}
/** @type {{melden: string, besluit: string, stap: number, referentie: string | null, acties: {code: string}[], open_vragen: {feit: string, vraag: string}[]}} */
const oordeel = await response.json();
console.log(`melden: ${oordeel.melden}`);
console.log(`besluit: ${oordeel.besluit}`);
console.log(`stap: ${oordeel.stap}`);
console.log(`referentie: ${oordeel.referentie ?? ""}`);
console.log(`acties: ${oordeel.acties.map((a) => a.code).join(", ")}`);
for (const vraag of oordeel.open_vragen) console.log(`open vraag: ${vraag.vraag}`);
