/** The name of the lease a job's runner holds: one running instance per job. */
import { createHash } from "node:crypto";

/** Lease names hold 64 characters; a longer job identifier is named by its hash. */
export function jobLeaseName(job: string): string {
  return job.length <= 60 ? `job:${job}` : `job#${createHash("sha256").update(job).digest("hex").slice(0, 59)}`;
}
