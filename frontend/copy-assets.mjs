// Copies the prebuilt GOV.UK Frontend JavaScript into static/js/ so Django
// can serve it without Node. Run via `npm run build` (or `npm run build:js`).
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const copies = [
  [
    "node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js",
    "static/js/govuk-frontend.min.js",
  ],
];

for (const [from, to] of copies) {
  mkdirSync(dirname(join(root, to)), { recursive: true });
  copyFileSync(join(root, from), join(root, to));
  console.log(`copied ${from} -> ${to}`);
}
