/** Writes a valid configuration of `tasks` tasks (20 per job, 2.5 jobs per file) into `dir`. */
export function generateConfig(dir: string, tasks: number): void;
