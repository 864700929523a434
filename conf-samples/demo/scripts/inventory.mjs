// Run by the InvokeExpressionTask "Demo_Inventory" of the Demo_Main job: writes one CSV line per
// XML file of this configuration folder (the script's working directory) into the export folder.
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

function xmlFiles(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return xmlFiles(path);
    return entry.name.endsWith(".xml") ? [path] : [];
  });
}

const files = xmlFiles(".").sort();
const csv = ["File,Bytes", ...files.map((file) => `${file},${statSync(file).size}`)].join("\n");
const output = join(process.env.IDM_EXPORT_FOLDER, "demo-inventory.csv");
writeFileSync(output, `${csv}\n`);
console.log(`${files.length} configuration files listed in ${output}`);
