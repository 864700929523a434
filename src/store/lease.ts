/**
 * Named leases in idm_leases: at most one holder at a time, and a holder that dies (no heartbeat)
 * loses the lease once it expires. Times are the clocks of the processes involved, so hosts that
 * share a lease need synchronised clocks (NTP); the TTL absorbs small skews.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { isTransient, isUniqueViolation } from "./db-errors.js";
import { deleteExpiredLease, deleteOwnLease, extendLease, insertLease, selectLease } from "./lease-queries.js";
import type { LeaseRow } from "./entities.js";
import type { Store } from "./store.js";

export type LeaseHolder = Omit<LeaseRow, "name">;

export class LeaseBusyError extends Error {
  constructor(
    readonly leaseName: string,
    readonly holder: LeaseHolder,
  ) {
    super(`lease "${leaseName}" is held by ${holder.host} pid ${holder.pid} since ${holder.acquiredAt.toISOString()}`);
    this.name = "LeaseBusyError";
  }
}

export interface LeaseOptions {
  /** how long to wait for a held lease before LeaseBusyError (0: one attempt) */
  waitMs: number;
  /** how long the lease outlives its last heartbeat (default 15000) */
  ttlMs?: number;
  /** default ttlMs / 3 */
  heartbeatMs?: number;
  /** default 200 */
  pollMs?: number;
  /** Ends the wait: the acquire throws the signal's reason. */
  signal?: AbortSignal;
  /** Told once, when the lease is first found held and the acquire starts waiting. */
  onWait?: (busy: LeaseBusyError) => void;
}

export interface Lease {
  readonly name: string;
  readonly owner: string;
  /** Aborted when the lease is released, or lost (taken over after expiry, or not extended in time). */
  readonly signal: AbortSignal;
  release(): Promise<void>;
}

export async function readLease(store: Store, name: string): Promise<LeaseHolder | undefined> {
  const row = await selectLease(store.dataSource, name).getOne();
  if (row === null) return undefined;
  const { owner, host, pid, acquiredAt, heartbeatAt, expiresAt } = row;
  return { owner, host, pid, acquiredAt, heartbeatAt, expiresAt };
}

/**
 * One attempt: true when the lease is now ours. The insert alone decides (primary key), so the two
 * statements need no common transaction: deleting a lease that expired is right whoever does it.
 * Not using one matters on SQLite, where a transaction held across an await blocks the thread of any
 * other connection of the same process in SQLite's busy wait, the holder included.
 */
async function tryAcquire(store: Store, name: string, owner: string, ttlMs: number): Promise<boolean> {
  const now = new Date();
  const row = { name, owner, host: hostname(), pid: process.pid, acquiredAt: now, heartbeatAt: now, expiresAt: new Date(now.getTime() + ttlMs) };
  try {
    await deleteExpiredLease(store.dataSource, name, now).execute();
    await insertLease(store.dataSource, row).execute();
    return true;
  } catch (error) {
    if (isUniqueViolation(error) || isTransient(error)) return false;
    throw error;
  }
}

/** Whether a process of this pid exists on this host; `kill(pid, 0)` only checks, it sends nothing. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** A holder on this host whose process is gone. */
function isDeadLocalHolder(holder: LeaseHolder): boolean {
  return holder.host === hostname() && holder.pid !== process.pid && !processExists(holder.pid);
}

/** Why the lease `name` has no live holder (free, expired, or held by a process of this host that is gone), or undefined while it may have one. */
export function goneHolder(name: string, lease: LeaseHolder | undefined, now = new Date()): string | undefined {
  if (lease === undefined) return `its lease ${name} is not held`;
  if (lease.expiresAt <= now) return `its lease ${name} expired at ${lease.expiresAt.toISOString()}`;
  if (isDeadLocalHolder(lease)) return `its holder, pid ${lease.pid} on this host, is gone`;
  return undefined;
}

export async function acquireLease(store: Store, name: string, options: LeaseOptions): Promise<Lease> {
  const ttlMs = options.ttlMs ?? 15_000;
  const pollMs = options.pollMs ?? 200;
  const owner = randomUUID();
  const deadline = Date.now() + options.waitMs;
  let holder: LeaseHolder | undefined;
  let waiting = false;
  for (;;) {
    options.signal?.throwIfAborted();
    if (await tryAcquire(store, name, owner, ttlMs)) break;
    holder = (await readLease(store, name).catch(() => undefined)) ?? holder;
    if (holder !== undefined && isDeadLocalHolder(holder)) {
      // Killed on this host (SIGKILL, a crash): no need to wait for its lease to expire.
      await deleteOwnLease(store.dataSource, name, holder.owner).execute();
      holder = undefined;
      continue;
    }
    if (Date.now() + pollMs > deadline) {
      if (holder !== undefined) throw new LeaseBusyError(name, holder);
      throw new Error(`cannot acquire lease "${name}": the database stayed busy for ${options.waitMs} ms`);
    }
    if (!waiting && holder !== undefined) options.onWait?.(new LeaseBusyError(name, holder));
    waiting = true;
    // An abort ends the sleep; the check at the top of the loop then throws its reason.
    await sleep(pollMs, undefined, options.signal ? { signal: options.signal } : undefined).catch(() => undefined);
  }
  return holdLease(store, name, owner, ttlMs, options.heartbeatMs ?? Math.max(1, Math.floor(ttlMs / 3)));
}

function holdLease(store: Store, name: string, owner: string, ttlMs: number, heartbeatMs: number): Lease {
  const controller = new AbortController();
  let validUntil = Date.now() + ttlMs;
  let beating: Promise<void> | undefined;

  const beat = async (): Promise<void> => {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + ttlMs);
    try {
      const result = await extendLease(store.dataSource, name, owner, now, expiresAt).execute();
      if (result.affected === 0) return stop(new Error(`lease "${name}" was taken over after it expired`));
      validUntil = expiresAt.getTime();
    } catch {
      // A failed heartbeat is retried at the next tick; the lease is lost only once it could have expired.
      if (Date.now() >= validUntil) stop(new Error(`lease "${name}" expired: its heartbeat failed until the deadline`));
    }
  };
  // A slow heartbeat (SQLite waiting for another writer) skips the ticks it overlaps.
  const timer = setInterval(() => {
    if (controller.signal.aborted || beating !== undefined) return;
    beating = beat().finally(() => (beating = undefined));
  }, heartbeatMs);
  timer.unref();

  function stop(reason: Error): void {
    clearInterval(timer);
    if (!controller.signal.aborted) controller.abort(reason);
  }

  let released: Promise<void> | undefined;
  return {
    name,
    owner,
    signal: controller.signal,
    release() {
      released ??= (async () => {
        stop(new Error(`lease "${name}" was released`));
        await beating;
        await deleteOwnLease(store.dataSource, name, owner).execute();
      })();
      return released;
    },
  };
}
