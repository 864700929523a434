import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATABASE_URL, parseDatabaseUrl, redactUrl, resolveDatabaseUrl } from "../../src/store/database-url.js";
import { openStore } from "../../src/store/store.js";

describe("parseDatabaseUrl", () => {
  it("resolves sqlite paths from the given folder, and accepts :memory: and absolute paths", () => {
    const relative = parseDatabaseUrl("sqlite:.idm/idm.db", "/work/project");
    expect(relative).toMatchObject({ dialect: "sqlite", display: "sqlite:.idm/idm.db" });
    expect(relative.options).toMatchObject({ type: "better-sqlite3", database: join("/work/project", ".idm/idm.db"), timeout: 10_000 });
    // WAL is switched on by the dialect's prepareDatabase (store.test.ts checks it on a real file).
    expect(parseDatabaseUrl("sqlite::memory:").options).toMatchObject({ database: ":memory:" });
    expect(parseDatabaseUrl("sqlite:/var/lib/idm.db", "/elsewhere").options).toMatchObject({ database: "/var/lib/idm.db" });
    expect(parseDatabaseUrl("sqlite:///var/lib/idm.db").options).toMatchObject({ database: "/var/lib/idm.db" });
    expect(() => parseDatabaseUrl("sqlite:")).toThrow(/names no file/);
  });

  it("passes postgres URLs to pg as they are, and shows them without the password", () => {
    for (const scheme of ["postgres", "postgresql"]) {
      const target = parseDatabaseUrl(`${scheme}://idm:s3cret@db.example:5433/idm?sslmode=require`);
      expect(target.dialect).toBe("postgres");
      expect(target.display).toBe(`${scheme}://idm:***@db.example:5433/idm?sslmode=require`);
      expect(target.options).toMatchObject({ type: "postgres", url: `${scheme}://idm:s3cret@db.example:5433/idm?sslmode=require` });
    }
    expect(parseDatabaseUrl("postgres://postgres@127.0.0.1:5432/test").display).toBe("postgres://postgres@127.0.0.1:5432/test");
    expect(parseDatabaseUrl("postgres://idm@db/idm?password=s3cret&sslmode=require").display).toBe("postgres://idm@db/idm?password=***&sslmode=require");
  });

  it("splits mssql URLs into tedious options, encrypt on and the certificate checked by default", () => {
    const target = parseDatabaseUrl("mssql://sa:p%40ss%3Aword@sql.example:1433/Usercube");
    expect(target.dialect).toBe("mssql");
    expect(target.display).toBe("mssql://sa:***@sql.example:1433/Usercube");
    expect(target.options).toEqual({
      type: "mssql", host: "sql.example", port: 1433, database: "Usercube", username: "sa", password: "p@ss:word",
      options: { encrypt: true, trustServerCertificate: false },
    });
    const local = parseDatabaseUrl("sqlserver://sa:pw@localhost/idm?encrypt=false&trustServerCertificate=true");
    expect(local.options).toMatchObject({ host: "localhost", options: { encrypt: false, trustServerCertificate: true } });
    expect(local.options).not.toHaveProperty("port");
  });

  it("refuses mssql options it does not know, without quoting the password", () => {
    const unknown = () => parseDatabaseUrl("mssql://sa:hunter22@h/idm?encrypted=true");
    expect(unknown).toThrow('database URL "mssql://sa:***@h/idm?encrypted=true": unknown parameter encrypted (known: encrypt, trustServerCertificate)');
    expect(() => parseDatabaseUrl("mssql://sa:hunter22@h/idm?encrypt=maybe")).toThrow(/encrypt must be true or false, not "maybe"/);
  });

  it("names the accepted forms for anything else, with the password hidden", () => {
    let message = "";
    try {
      parseDatabaseUrl("mysql://root:hunter22@localhost/idm");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^unsupported database URL "mysql:\/\/root:\*\*\*@localhost\/idm": expected sqlite:<path>/);
    expect(message).toContain("postgres://user:password@host:port/database");
    expect(message).toContain("mssql://");
    expect(message).not.toContain("hunter22");
    expect(() => parseDatabaseUrl("Server=.;Database=Usercube;Integrated Security=SSPI")).toThrow(/unsupported database URL/);
  });

  it("redacts passwords that contain @ and /, and leaves URLs without one alone", () => {
    expect(redactUrl("postgres://u:a/b@c@host/db")).toBe("postgres://u:***@host/db");
    expect(redactUrl("postgres://u@host/db")).toBe("postgres://u@host/db");
    expect(redactUrl("sqlite:idm.db")).toBe("sqlite:idm.db");
  });
});

describe("resolveDatabaseUrl", () => {
  it("takes the flag, then IDM_DATABASE_URL, then the settings' ConnectionString, then the default", () => {
    const env = { IDM_DATABASE_URL: "sqlite:env.db" };
    const settings = { ConnectionString: "sqlite:settings.db" };
    expect(resolveDatabaseUrl("sqlite:flag.db", env, settings)).toBe("sqlite:flag.db");
    expect(resolveDatabaseUrl(undefined, env, settings)).toBe("sqlite:env.db");
    expect(resolveDatabaseUrl(undefined, {}, settings)).toBe("sqlite:settings.db");
    expect(resolveDatabaseUrl(undefined, { IDM_DATABASE_URL: "" }, {})).toBe(DEFAULT_DATABASE_URL);
    expect(DEFAULT_DATABASE_URL).toBe("sqlite:.idm/idm.db");
  });
});

describe("connection errors", () => {
  it("say which database could not be reached, without the password or a stack", async () => {
    const error = await openStore("postgres://idm:Tr0ub4dor-3@127.0.0.1:1/test").then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/^cannot connect to postgres:\/\/idm:\*\*\*@127\.0\.0\.1:1\/test: .*ECONNREFUSED/);
    expect(error?.message).not.toContain("Tr0ub4dor");
    expect(error?.message).not.toContain("\n");
    expect(error?.cause).toBeUndefined();
  });
});
