// Parses each Mermaid diagram given as JSON on stdin with mermaid.parse (Mermaid's own grammars);
// prints one JSON result per diagram: {"ok": true, "type": ...} or {"ok": false, "error": ...}.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const diagram of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(diagram);
    results.push({ ok: true, type: parsed.diagramType });
  } catch (error) {
    results.push({ ok: false, error: String(error.message || error) });
  }
}
process.stdout.write(JSON.stringify(results));
