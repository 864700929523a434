/**
 * Order files: `<Paths.Work>/ProvisioningOrders/<Connector>/<ResourceType>-<job instance>-<n>.json`,
 * each `{"ProvisioningOrdersList":[…]}` with one order per line. A file is written under a temporary
 * name, the orders are recorded Transmitted in the database, and only then is the file given its
 * name: a run that dies in between leaves a `.tmp` file and its assignments Pending (the next run
 * sends them again), never a file the database does not know of.
 */
import { existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { confineTo } from "../confined-path.js";
import type { OrderDocument } from "./order-documents.js";

export const ORDERS_FOLDER = "ProvisioningOrders";

export function orderFileText(documents: readonly OrderDocument[]): string {
  return `{"ProvisioningOrdersList":[\n${documents.map((d) => JSON.stringify(d)).join(",\n")}\n]}\n`;
}

export class OrderFiles {
  readonly folder: string;
  #next = 1;

  constructor(private readonly workFolder: string, connector: string, private readonly prefix: string) {
    this.folder = join(workFolder, ORDERS_FOLDER, connector);
  }

  /** The next file name of this run that no file has yet. */
  private nextName(): string {
    for (;;) {
      const name = `${this.prefix}-${String(this.#next++).padStart(4, "0")}.json`;
      if (!existsSync(join(this.folder, name)) && !existsSync(join(this.folder, `${name}.tmp`))) return name;
    }
  }

  /** Writes the documents under a temporary name; `publish` gives the file its name once the orders are recorded. */
  async write(documents: readonly OrderDocument[]): Promise<{ path: string; publish(): Promise<void> }> {
    await mkdir(confineTo(this.folder, this.workFolder), { recursive: true });
    const path = confineTo(join(this.folder, this.nextName()), this.workFolder);
    const temporary = `${path}.tmp`;
    await writeFile(temporary, orderFileText(documents), "utf8");
    return { path, publish: () => rename(temporary, path) };
  }
}
