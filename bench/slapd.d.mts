import type { Client } from "ldapts";

export const SLAPD: string;
export const SUFFIX: string;
export const ROOT_DN: string;

export interface Slapd {
  url: string;
  rootDn: string;
  /** Random per server, so that a test can look for it in logs and errors. */
  password: string;
  /** A client bound as the root DN (closed by stop). */
  admin(): Promise<Client>;
  stop(): Promise<void>;
}

/** Starts slapd and waits until it answers a bind; fails when slapd is not installed. `sync: false`: writes not flushed to disk (dbnosync). */
export function startSlapd(options?: { sync?: boolean }): Promise<Slapd>;
