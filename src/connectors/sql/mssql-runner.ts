/**
 * SQL Server: the command goes in one request, as SQL Server takes a batch of statements and returns
 * every result set of it (nothing to split; GO, a client-side separator, is not understood). Query
 * results are streamed (`stream = true`): rows arrive as events, and the request is paused while a
 * chunk is written, which stops tedious reading the socket. A cancel or the Timeout sends an
 * attention (`request.cancel()`), which stops the statement on the server.
 *
 * The command runs on a connection of its own (a pool of one, closed at the end), also for the store's
 * database: mssql has no per-request timeout (the pool's requestTimeout is the Timeout here), and
 * nothing a command leaves on its session goes back to the store's pool.
 *
 * With an IsolationLevel the request is the batch of `mssqlRequest` below: the command, passed as the
 * parameter @command, runs through sp_executesql inside BEGIN TRY / BEGIN TRANSACTION, with
 * XACT_ABORT ON so that any error, and an attention, rolls the transaction back. The SET statements
 * last only as long as that batch, which mssql itself sends through sp_executesql: the session's
 * isolation level is as before afterwards. The inner sp_executesql makes the CATCH see even the
 * errors of a name that does not resolve, which a TRY in the same batch would miss.
 *
 * SQL Server cannot run on the development machines: what is sent is checked by an offline snapshot
 * (test/tasks/snapshots/mssql-invoke-sql-command.sql); the rest follows the mssql documentation.
 */
import { createRequire } from "node:module";
import type { DataSourceOptions } from "typeorm";
import { CsvFile } from "../csv/csv-file.js";
import { isolationSql, type IsolationLevel } from "./isolation.js";
import {
  abortError, CommandTimeout, SqlCommandError, storeConnection, tempPath,
  type CsvOutput, type RunnerOpener, type RunOptions, type SqlParameter, type SqlRunner, type WrittenFile,
} from "./runner.js";

/** The part of mssql used here (the package ships no types). */
export interface MssqlConfig {
  server?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  connectionTimeout?: number;
  requestTimeout?: number;
  pool?: { max: number; min: number };
  options?: Record<string, unknown>;
  [key: string]: unknown;
}
interface MssqlColumn {
  name: string;
  type?: unknown;
}
interface MssqlRequest {
  stream: boolean;
  arrayRowMode: boolean;
  input(name: string, type: unknown, value: unknown): MssqlRequest;
  query(command: string): Promise<{ rowsAffected: number[] }>;
  batch(command: string): Promise<{ rowsAffected: number[] }>;
  cancel(): void;
  pause(): boolean;
  resume(): boolean;
  on(event: "recordset", listener: (columns: MssqlColumn[]) => void): MssqlRequest;
  on(event: "row", listener: (row: unknown[]) => void): MssqlRequest;
  on(event: "error", listener: (error: Error & { code?: string; lineNumber?: number }) => void): MssqlRequest;
  on(event: "done", listener: () => void): MssqlRequest;
}
export interface MssqlPool {
  config: MssqlConfig;
  connect(): Promise<MssqlPool>;
  request(): MssqlRequest;
  close(): Promise<void>;
  on(event: "error", listener: (error: Error) => void): MssqlPool;
}
interface MssqlModule {
  ConnectionPool: new (config: MssqlConfig) => MssqlPool;
  NVarChar(length: number): unknown;
  MAX: number;
  Date: unknown;
  Time: unknown;
  DateTime: unknown;
  DateTime2: unknown;
  SmallDateTime: unknown;
  DateTimeOffset: unknown;
}

let mssqlModule: MssqlModule | undefined;
function mssql(): MssqlModule {
  return (mssqlModule ??= createRequire(import.meta.url)("mssql") as MssqlModule);
}

/** What one command sends: the pure part of this module, snapshotted offline. */
export interface MssqlRequestPlan {
  /** `batch`: the text as it is (execSqlBatch, like SSMS); `query`: through sp_executesql with the inputs. */
  method: "batch" | "query";
  text: string;
  inputs: { name: string; type: "nvarchar(max)"; value: string }[];
  stream: boolean;
  arrayRowMode: boolean;
}

/**
 * Bound parameters go as nvarchar(max) inputs `@p1`…: SQL Server converts each to the type of what it
 * is compared with (nvarchar ranks below the numbers and dates), as it would a string literal.
 */
export function mssqlRequest(
  command: string, isolation: IsolationLevel | undefined, mode: "execute" | "export", parameters: readonly SqlParameter[] = [],
): MssqlRequestPlan {
  const stream = mode === "export";
  const inputs = parameters.map((value, i) => ({ name: `p${i + 1}`, type: "nvarchar(max)" as const, value: String(value) }));
  if (isolation === undefined) {
    if (inputs.length === 0) return { method: "batch", text: command, inputs, stream, arrayRowMode: stream };
    return { method: "query", text: command, inputs, stream, arrayRowMode: stream };
  }
  // The inner sp_executesql declares the command's own parameters and passes the batch's through.
  const passed = inputs.length === 0 ? "" :
    `, N'${inputs.map((i) => `@${i.name} ${i.type}`).join(", ")}', ${inputs.map((i) => `@${i.name} = @${i.name}`).join(", ")}`;
  const text = [
    "SET XACT_ABORT ON;",
    `SET TRANSACTION ISOLATION LEVEL ${isolationSql("mssql", isolation)};`,
    "BEGIN TRY",
    "  BEGIN TRANSACTION;",
    `  EXEC sys.sp_executesql @command${passed};`,
    "  COMMIT TRANSACTION;",
    "END TRY",
    "BEGIN CATCH",
    "  IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;",
    "  THROW;",
    "END CATCH;",
  ].join("\n");
  return { method: "query", text, inputs: [{ name: "command", type: "nvarchar(max)", value: command }, ...inputs], stream, arrayRowMode: stream };
}

/**
 * The configuration of the command's own pool: from a URL's TypeORM options, or from the store's
 * pool (its configuration, password included, as TypeORM built it). useUTC: a datetime without a
 * zone is read with its digits unchanged, and written without a zone.
 */
export function mssqlPoolConfig(from: { options: DataSourceOptions } | { pool: MssqlPool }, timeoutMs: number): MssqlConfig {
  let base: MssqlConfig;
  if ("pool" in from) {
    base = { ...from.pool.config };
  } else {
    const o = from.options as DataSourceOptions & { host?: string; port?: number; database?: string; username?: string; password?: string; options?: object };
    base = {
      ...(o.host === undefined ? {} : { server: o.host }),
      ...(o.port === undefined ? {} : { port: o.port }),
      ...(o.database === undefined ? {} : { database: o.database }),
      ...(o.username === undefined ? {} : { user: o.username }),
      ...(o.password === undefined ? {} : { password: o.password }),
      options: { ...o.options },
    };
  }
  return {
    ...base,
    connectionTimeout: 10_000,
    requestTimeout: timeoutMs,
    pool: { max: 1, min: 0 },
    options: { ...base.options, useUTC: true, enableArithAbort: true },
  };
}

/** Dates as ISO 8601: a date, a time, a datetime without zone (no Z), a datetimeoffset (UTC, Z). */
function dateFormatter(type: unknown): ((value: unknown) => unknown) | undefined {
  const m = mssql();
  const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value);
  if (type === m.Date) return (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value);
  if (type === m.Time) return (value) => (value instanceof Date ? value.toISOString().slice(11, 23) : value);
  if (type === m.DateTime || type === m.DateTime2 || type === m.SmallDateTime) {
    return (value) => (value instanceof Date ? value.toISOString().slice(0, 23) : value);
  }
  if (type === m.DateTimeOffset) return iso;
  return undefined;
}

export class MssqlRunner implements SqlRunner {
  readonly dialect = "mssql";

  private constructor(
    readonly display: string,
    private readonly pool: MssqlPool,
  ) {}

  static async open(config: MssqlConfig, display: string): Promise<MssqlRunner> {
    const pool = new (mssql().ConnectionPool)(config);
    pool.on("error", () => undefined); // a broken connection fails the request that uses it
    await pool.connect();
    return MssqlRunner.overPool(pool, display);
  }

  /** A runner on a connected pool, which it closes (the offline tests give it a fake one). */
  static overPool(pool: MssqlPool, display: string): MssqlRunner {
    return new MssqlRunner(display, pool);
  }

  async execute(sql: string, options: RunOptions): Promise<number> {
    const plan = mssqlRequest(sql, options.isolation, "execute");
    const request = this.#request(plan);
    return this.#guard(request, options, async () => {
      const result = await (plan.method === "batch" ? request.batch(plan.text) : request.query(plan.text));
      return result.rowsAffected.reduce((sum, n) => sum + n, 0);
    });
  }

  async export(sql: string, output: CsvOutput, options: RunOptions, parameters: readonly SqlParameter[] = []): Promise<WrittenFile[]> {
    const plan = mssqlRequest(sql, options.isolation, "export", parameters);
    const request = this.#request(plan);
    return this.#guard(request, options, () => new Promise<WrittenFile[]>((resolve, reject) => {
      const files: WrittenFile[] = [];
      let file: CsvFile | undefined;
      let formatters: (((value: unknown) => unknown) | undefined)[] = [];
      let total = 0;
      let failure: unknown;
      let ended = false;
      /** The file operation under way; events that come meanwhile wait in `backlog`, in order. */
      let busy = false;
      const backlog: ({ recordset: MssqlColumn[] } | { row: unknown[] })[] = [];

      const closeFile = async (complete: boolean) => {
        const current = file;
        file = undefined;
        if (current === undefined) return;
        await current.close(complete);
        files.at(-1)!.rows = current.rows;
      };
      const finish = () => {
        if (failure !== undefined) void closeFile(false).finally(() => reject(failure));
        else closeFile(true).then(() => resolve(files), reject);
      };
      const run = (operation: () => Promise<void>) => {
        busy = true;
        request.pause();
        operation().then(
          () => {
            busy = false;
            while (!busy && backlog.length > 0) handle(backlog.shift()!);
            if (busy) return;
            if (ended) finish();
            else request.resume();
          },
          (error: unknown) => {
            failure ??= error;
            request.cancel();
          },
        );
      };
      const handle = (event: { recordset: MssqlColumn[] } | { row: unknown[] }) => {
        if (failure !== undefined) return;
        if ("recordset" in event) {
          formatters = event.recordset.map((column) => dateFormatter(column.type));
          run(async () => {
            await closeFile(true);
            const index = files.length + 1;
            file = await CsvFile.create(tempPath(output, index), output.encoding, event.recordset.map((c) => c.name));
            files.push({ index, temp: file.path, rows: 0 });
          });
          return;
        }
        const row = event.row;
        for (let i = 0; i < row.length; i++) {
          const format = formatters[i];
          if (format !== undefined && row[i] !== null) row[i] = format(row[i]);
        }
        if (++total % 10_000 === 0) options.progress(total);
        if (file!.row(row)) run(() => file!.flush());
      };

      request.on("recordset", (columns) => (busy ? backlog.push({ recordset: columns }) : handle({ recordset: columns })));
      request.on("row", (row) => (busy ? backlog.push({ row }) : handle({ row })));
      request.on("error", (error) => (failure ??= error));
      request.on("done", () => {
        ended = true;
        options.progress(total);
        if (!busy) finish();
      });
      // In stream mode mssql reports through the events; its promise fails only when nothing ran.
      (plan.method === "batch" ? request.batch(plan.text) : request.query(plan.text)).catch((error: unknown) => {
        failure ??= error;
        if (ended) return;
        ended = true;
        if (!busy) finish();
      });
    }));
  }

  async close(): Promise<void> {
    await this.pool.close().catch(() => undefined);
  }

  #request(plan: MssqlRequestPlan): MssqlRequest {
    const m = mssql();
    const request = this.pool.request();
    request.stream = plan.stream;
    request.arrayRowMode = plan.arrayRowMode;
    for (const input of plan.inputs) request.input(input.name, m.NVarChar(m.MAX), input.value);
    return request;
  }

  /** Cancels the request on abort; turns SQL Server's errors into SqlCommandError (with their line). */
  async #guard<T>(request: MssqlRequest, options: RunOptions, work: () => Promise<T>): Promise<T> {
    const { signal } = options;
    if (signal.aborted) throw abortError(signal);
    const onAbort = () => request.cancel();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      return await work();
    } catch (error) {
      if (signal.aborted) throw abortError(signal);
      const e = error as { code?: string; lineNumber?: number; number?: number };
      if (e.code === "ETIMEOUT") throw new CommandTimeout(options.timeoutMs);
      if (e.code === "EREQUEST" && error instanceof Error) {
        throw new SqlCommandError(error.message, e.lineNumber === undefined ? {} : { line: e.lineNumber }, { cause: error });
      }
      throw error;
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }
}

export const mssqlRunners: RunnerOpener = {
  forStore: (store, display, timeoutMs) => MssqlRunner.open(mssqlPoolConfig({ pool: storeConnection<MssqlPool>(store, "master") }, timeoutMs), display),
  forTarget: (options, display, timeoutMs) => MssqlRunner.open(mssqlPoolConfig({ options }, timeoutMs), display),
};
