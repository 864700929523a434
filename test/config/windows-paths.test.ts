/** Paths.WindowsPrefixes: a Windows configuration's paths made local (config/windows-paths.ts), and the settings read through it. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readSettingsFile } from "../../src/config/settings.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { isWindowsAbsolutePath, localPath, readWindowsPrefixes } from "../../src/config/windows-paths.js";
import { configFile, writeFolder } from "../helpers/temp-folder.js";

const PREFIXES = readWindowsPrefixes({ "D:\\Conf": "/srv/idm/conf", "D:\\Conf\\Scripts": "/opt/scripts", "\\\\fs01\\IDM": "/mnt/idm", "E:": "/mnt/e" });

describe("localPath", () => {
  it.each([
    ["D:\\Conf\\Scripts\\HR_PreCollect.ps1", "/opt/scripts/HR_PreCollect.ps1"],
    ["d:/conf/sql/HR.sql", "/srv/idm/conf/sql/HR.sql"],
    ["D:\\CONF", "/srv/idm/conf"],
    ["D:\\Conf\\", "/srv/idm/conf"],
    ["D:\\Conf\\Other\\..\\Data\\x.csv", "/srv/idm/conf/Data/x.csv"],
    ["\\\\FS01\\idm\\exports\\a.csv", "/mnt/idm/exports/a.csv"],
    ["//fs01/IDM/b.csv", "/mnt/idm/b.csv"],
    ["E:\\x\\y", "/mnt/e/x/y"],
    ["Scripts\\HR.ps1", "Scripts/HR.ps1"],
    ["/srv/local.sh", "/srv/local.sh"],
    ["relative/x.sql", "relative/x.sql"],
  ])("maps %s to %s: the longest prefix, whole folders, any case, either slash", (path, local) => {
    expect(localPath(path, PREFIXES, "InputPath")).toBe(local);
  });

  it("refuses a Windows path that no prefix maps, naming the setting and what it maps", () => {
    expect(() => localPath("D:\\Config\\x.ps1", PREFIXES, "InvokeExpressionTask T: InputPath")).toThrow(
      "InvokeExpressionTask T: InputPath D:\\Config\\x.ps1 is a Windows path that no prefix maps; Paths.WindowsPrefixes in the settings maps Windows prefixes " +
        "to local folders (it maps D:\\Conf\\Scripts, \\\\fs01\\IDM, D:\\Conf, E:)",
    );
    expect(() => localPath("C:\\x", [], "OutputPath")).toThrow("OutputPath C:\\x is a Windows path that no prefix maps; Paths.WindowsPrefixes in the settings maps Windows prefixes to local folders (it maps none)");
    expect(() => localPath("\\\\other\\share\\x", PREFIXES, "Path")).toThrow("is a Windows path that no prefix maps");
    expect(() => localPath("D:Conf\\x", PREFIXES, "Path")).toThrow("relative to a drive's current folder");
  });

  it("tells Windows paths from local ones", () => {
    expect(["C:\\", "c:/x", "C:", "\\\\srv\\share", "//srv/share/x", "D:rel"].every(isWindowsAbsolutePath)).toBe(true);
    expect(["/srv/x", "x/y", "x\\y", "\\single", "C", "CC:\\x"].some(isWindowsAbsolutePath)).toBe(false);
  });

  it("refuses a setting whose key is not a Windows prefix, whose folder is not a path, or that names one prefix twice", () => {
    expect(() => readWindowsPrefixes({ "/srv": "/x" })).toThrow('setting Paths.WindowsPrefixes: "/srv" is not a Windows path prefix');
    expect(() => readWindowsPrefixes({ "D:\\Conf": 3 })).toThrow("setting Paths.WindowsPrefixes.D:\\Conf must be a local folder path, not 3");
    expect(() => readWindowsPrefixes({ "D:\\Conf": "/a", "d:/conf/": "/b" })).toThrow('"D:\\Conf" and "d:/conf/" are the same prefix');
    expect(() => readWindowsPrefixes(["D:"])).toThrow("must be an object of Windows path prefix");
  });
});

describe("settings read through Paths.WindowsPrefixes", () => {
  function settingsFile(json: unknown): string {
    const file = join(writeFolder({}), "appsettings.json");
    writeFileSync(file, JSON.stringify(json));
    return file;
  }

  it("maps the folder settings and a connection's Windows paths; leaves the rest as written", () => {
    const settings = readSettingsFile(settingsFile({
      Paths: { WindowsPrefixes: { "D:\\IDM": "/srv/idm" }, Work: "D:\\IDM\\Work", Export: ".idm/export" },
      Tasks: { ScriptRoots: ["D:\\IDM\\Conf", "scripts"] },
      InvokeSqlCommands: { Q: { SQLInputFile: "D:\\IDM\\Sql\\q.sql" } },
      Connections: { HRPeople: { Folder: "D:\\IDM\\In\\HR", Separator: ";" } },
    }), []);
    expect(settings.paths).toMatchObject({ work: "/srv/idm/Work", export: ".idm/export" });
    expect(settings.tasks.scriptRoots).toEqual(["/srv/idm/Conf", "scripts"]);
    expect(settings.tasks.invokeSqlCommands.Q).toEqual({ sqlInputFile: "/srv/idm/Sql/q.sql" });
    expect(settings.connections.HRPeople).toEqual({ Folder: "/srv/idm/In/HR", Separator: ";" });
  });

  it("refuses a folder setting written as a Windows path that no prefix maps, naming the setting", () => {
    expect(() => readSettingsFile(settingsFile({ Paths: { Temp: "C:\\Temp" } }), [])).toThrow(
      "setting Paths.Temp C:\\Temp is a Windows path that no prefix maps; Paths.WindowsPrefixes in the settings maps Windows prefixes to local folders (it maps none)",
    );
    expect(() => readSettingsFile(settingsFile({ Connections: { HR: { Folder: "\\\\fs\\in" } } }), [])).toThrow("setting Connections.HR.Folder \\\\fs\\in is a Windows path that no prefix maps");
  });
});

describe("validate: Windows paths that no prefix maps", () => {
  const body = [
    `  <Agent Identifier="Local" DisplayName_L1="Local agent"/>`,
    `  <Job Identifier="J" DisplayName_L1="J">`,
    `    <InvokeExpressionTask Identifier="Pre" DisplayName_L1="Pre" InputPath="D:\\Conf\\Scripts\\HR_PreCollect.ps1"/>`,
    `    <InvokeSqlCommandTask Identifier="Q" DisplayName_L1="Q" SQLInputFile="E:\\Sql\\q.sql" OutputPath="D:\\Conf\\Out"/>`,
    `  </Job>`,
  ].join("\n");

  it("warns at the attribute, naming the setting and the settings file; a mapped one says nothing; the folder stays valid", () => {
    const file = join(writeFolder({}), "appsettings.json");
    writeFileSync(file, JSON.stringify({ Paths: { WindowsPrefixes: { "D:\\Conf": "/srv/idm/conf" } } }));
    const settings = readSettingsFile(file, [file]);
    const result = validateFolder(writeFolder({ "jobs.xml": configFile(body) }), settings.validation, settings);
    expect(result.valid).toBe(true);
    expect(result.problems).toEqual([{
      code: "unmapped-windows-path", severity: "warning", file: "jobs.xml", line: 6, column: 61,
      message: 'InvokeSqlCommandTask "Q" SQLInputFile E:\\Sql\\q.sql is a Windows path that no prefix maps; Paths.WindowsPrefixes in the settings maps Windows prefixes ' +
        `to local folders (it maps D:\\Conf), e.g. { "D:\\\\Conf": "/srv/idm/conf" }; settings read from ${file}; give another file with --settings <file>`,
    }]);
  });
});
