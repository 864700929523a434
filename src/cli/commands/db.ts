import type { Command } from "commander";
import type { Store } from "../../store/store.js";

/**
 * `idm db migrate` and `idm db status`. They ask for a store opened without migrating (openStore's
 * `migrate: false`): otherwise opening would already have migrated, and both would report nothing.
 * The store module (TypeORM) is imported by the action, once a store is open: not by `idm --help`.
 */
export function registerDb(program: Command, openFromOptions: (options: { migrate: false }) => Promise<Store>): void {
  const db = program.command("db").description("database schema: migrations")
    .addHelpText("after", `
Examples:
  $ idm db status
  $ idm --database postgres://idm@127.0.0.1:5432/idm db migrate`);
  const withUnmigrated = async (run: (store: Store) => Promise<void>): Promise<void> => {
    const store = await openFromOptions({ migrate: false });
    try {
      await run(store);
    } finally {
      await store.close();
    }
  };

  db.command("migrate")
    .description("apply the pending schema migrations")
    .option("--json", "print the result as JSON")
    .addHelpText("after", `
Examples:
  $ idm db migrate
  $ idm --database sqlite:.idm/idm.db db migrate --json`)
    .action((options: { json?: boolean }) => withUnmigrated(async (store) => {
      const { migrate } = await import("../../store/store.js");
      const ran = await migrate(store);
      if (options.json) process.stdout.write(`${JSON.stringify({ database: store.display, ran }, null, 2)}\n`);
      else if (ran.length === 0) process.stdout.write(`${store.display}: up to date\n`);
      else for (const name of ran) process.stdout.write(`ran  ${name}\n`);
    }));

  db.command("status")
    .description("list the schema migrations and whether each has run")
    .option("--json", "print the result as JSON")
    .addHelpText("after", `
Examples:
  $ idm db status
  $ idm db status --json`)
    .action((options: { json?: boolean }) => withUnmigrated(async (store) => {
      const { migrationStatus } = await import("../../store/store.js");
      const migrations = await migrationStatus(store);
      if (options.json) process.stdout.write(`${JSON.stringify({ database: store.display, migrations }, null, 2)}\n`);
      else for (const m of migrations) process.stdout.write(`${m.ran ? "ran" : "pending"}  ${m.name}\n`);
    }));
}
