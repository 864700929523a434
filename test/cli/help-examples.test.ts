/** Every command's --help ends with examples, and every example names a command and options that exist. */
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program.js";

function allCommands(command: Command, path: string[] = []): [string, Command][] {
  const here: [string, Command][] = [[["idm", ...path].join(" "), command]];
  return here.concat(command.commands.flatMap((c) => allCommands(c, [...path, c.name()])));
}

function helpOf(command: Command): string {
  let text = "";
  command.configureOutput({ writeOut: (s) => void (text += s), writeErr: (s) => void (text += s) });
  command.outputHelp();
  return text;
}

/** The example lines after "Examples:", each without its "$ ". */
function examplesOf(help: string): string[] {
  const [, after] = help.split("\nExamples:\n");
  return (after ?? "").split("\n").filter((l) => l.trim() !== "").map((l) => l.replace(/^\s*\$\s+/, ""));
}

const takesValue = (command: Command, flag: string) => command.options.find((o) => o.long === flag || o.short === flag)?.required === true;

/**
 * Follows an example's words down the command tree (global options first), then checks its flags.
 * Returns the command it names and the flags no command of its path knows; shell words after a pipe
 * or a redirection are not idm's.
 */
function resolve(program: Command, example: string): { command: Command; path: string; unknown: string[] } {
  const words = example.split(/\s+/);
  const end = words.findIndex((w) => w === "|" || w.startsWith(">"));
  const idmWords = end === -1 ? words : words.slice(0, end);
  expect(idmWords[0]).toBe("idm");
  let command = program;
  const path = ["idm"];
  const unknown: string[] = [];
  for (let i = 1; i < idmWords.length; i++) {
    const word = idmWords[i]!;
    if (word.startsWith("-")) {
      const flag = word.split("=")[0]!;
      const owner = [command, ...ancestors(command)].find((c) => c.options.some((o) => o.long === flag || o.short === flag));
      if (owner === undefined) unknown.push(flag);
      else if (!word.includes("=") && takesValue(owner, flag)) i++;
      continue;
    }
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub === undefined) continue; // an argument
    command = sub;
    path.push(word);
  }
  return { command, path: path.join(" "), unknown };
}

function ancestors(command: Command): Command[] {
  return command.parent ? [command.parent, ...ancestors(command.parent)] : [];
}

const program = buildProgram();
const COMMANDS = allCommands(program);

describe("idm --help examples", () => {
  it("walks every command of the table", () => {
    expect(COMMANDS.map(([path]) => path)).toEqual(expect.arrayContaining(["idm", "idm steps", "idm instances", "idm db migrate", "idm sync discard", "idm history prune"]));
  });

  it.each(COMMANDS)("%s ends its help with two or three examples", (_, command) => {
    const help = helpOf(command);
    expect(help).toMatch(/\nExamples:\n(  \$ idm [^\n]+\n?){2,3}$/);
  });

  const resolvedExamples = (command: Command) => examplesOf(helpOf(command)).map((example) => ({ example, ...resolve(program, example) }));

  it.each(COMMANDS)("%s: each example runs an existing command with its own options", (_, command) => {
    for (const r of resolvedExamples(command)) {
      expect(r.path, r.example).not.toBe("idm");
      expect(r.unknown, r.example).toEqual([]);
    }
  });

  // The program's own examples show its commands; every command's show that command (or one of its subcommands).
  it.each(COMMANDS.filter(([, command]) => command !== program))("%s: one example runs this command", (path, command) => {
    expect(resolvedExamples(command).map((r) => r.path).some((p) => p === path || p.startsWith(`${path} `))).toBe(true);
  });
});
