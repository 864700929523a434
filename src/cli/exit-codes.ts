/** The exit codes of `idm` (README: Exit codes), apart from the ones a command gives its own errors. */
import type { JobState } from "../domain/vocabulary.js";

/** The exit code of a run, by the state the job instance ended in. */
export const EXIT_CODE: Record<JobState, number> = {
  Succeeded: 0, Error: 1, Interrupted: 1, InProgress: 1, Warning: 2, Blocked: 3, Cancelled: 4,
};
export const EXIT_ALREADY_RUNNING = 5;
export const EXIT_USAGE = 64;
/** What a command names is not there (`idm show` of an unknown key, `idm orders approve` of an unknown id). */
export const EXIT_ABSENT = 3;
/** The output cannot be created (sysexits EX_CANTCREAT): idm init into a folder that is not empty. */
export const EXIT_CANNOT_CREATE = 73;
