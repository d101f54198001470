/** Writes docs/config-reference.md from the config schema (`npm run docs:config`). */
import { writeFileSync } from "node:fs";
import { renderConfigReference } from "../shared/config/reference-doc.ts";

writeFileSync(new URL("../docs/config-reference.md", import.meta.url), renderConfigReference());
console.log("wrote docs/config-reference.md");
