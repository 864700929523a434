import { UnknownSubjectError } from "../../domain/rolemodel/report-lookups.js";
import { CliError } from "../cli-error.js";
import { EXIT_ABSENT, EXIT_USAGE } from "../exit-codes.js";

/**
 * A report naming what is not there: an unknown entity type or resource type is a usage error
 * (64, as `idm steps` for an unknown job); an unknown key is an absent thing (3, as `idm show`).
 */
export async function reportSubjectError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UnknownSubjectError) throw new CliError(error.message, error.subject === "key" ? EXIT_ABSENT : EXIT_USAGE);
    throw error;
  }
}
