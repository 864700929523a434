/**
 * The FulfillToFile package (Connection Package `Usercube.FulfillToFile…`, the reference's
 * "Custom/JSON"): one JSON file per order, `<Folder>/<ResourceType>/<OrderId>.json`, holding the
 * order as the order files hold it (`{"ProvisioningOrdersList":[order]}`, model.md §C.13), for a
 * script or a system that takes orders from a folder. Settings:
 *
 *     "Connections": { "<Connection>": { "Folder": "orders/json" } }   // under the work folder
 *
 * A file is written whole (temporary file, fsync, rename): one that exists is complete. An order
 * whose file exists already (a run killed before it could record the outcome) ends Executed
 * "already applied" and its file is left as it is, even when whoever reads the folder has changed it.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { confineTo } from "../../domain/confined-path.js";
import type { FulfilContext, FulfilOrder, Fulfiller, FulfilPackage, FulfilRoute, OrderOutcome } from "./fulfiller.js";
import { fileNameOf, outputFolder, settingsAt, writeFileAtomically } from "./package-files.js";

class FileFulfiller implements Fulfiller {
  constructor(private readonly folder: string) {}

  async *apply(orders: readonly FulfilOrder[], signal: AbortSignal): AsyncIterable<OrderOutcome> {
    for (const { id, order } of orders) {
      if (signal.aborted) return;
      const path = confineTo(join(this.folder, `${id}.json`), this.folder);
      if (existsSync(path)) {
        yield { id, state: "Executed", message: `already applied: ${path} exists`, alreadyApplied: true };
        continue;
      }
      const text = JSON.stringify({ ProvisioningOrdersList: [order] }, null, 2) + "\n";
      writeFileAtomically(path, Buffer.from(text, "utf8"), this.folder);
      yield { id, state: "Executed", message: `written to ${path}` };
    }
  }

  async close(): Promise<void> {}
}

export const filePackage: FulfilPackage = {
  name: "FulfillToFile",
  handles: (packageName) => /^Usercube\.FulfillToFile(@|$)/i.test(packageName),
  async open(route: FulfilRoute, context: FulfilContext): Promise<Fulfiller> {
    const root = outputFolder(context.settings, settingsAt(route.connection), context.workFolder, "the orders' JSON files are written in");
    const folder = confineTo(join(root, fileNameOf(route.resourceType, "ResourceType")), root);
    mkdirSync(folder, { recursive: true });
    confineTo(folder, root);
    return new FileFulfiller(folder);
  },
};
