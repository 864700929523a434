// Rewrites README's task table from the task table and the JSON Schemas (npm run gen; needs the build).
import { readFileSync, writeFileSync } from "node:fs";
import { withTaskTable } from "../dist/tasks/readme-task-table.js";

const readme = new URL("../README.md", import.meta.url);
writeFileSync(readme, withTaskTable(readFileSync(readme, "utf8")));
