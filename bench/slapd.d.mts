import type { Client } from "ldapts";

export const SLAPD: string;
export const SUFFIX: string;
export const ROOT_DN: string;

export interface Slapd {
  url: string;
  suffix: string;
  rootDn: string;
  /** Random per server, so that a test can look for it in logs and errors. */
  password: string;
  /** A client bound as the root DN (closed by stop). */
  admin(): Promise<Client>;
  stop(): Promise<void>;
}

export interface SlapdOptions {
  /** false: writes not flushed to disk (dbnosync). */
  sync?: boolean;
  /** The database suffix, `dc=…` first: its entry is created as a dcObject organization. */
  suffix?: string;
  /** Schema files included after the standard ones. */
  schemas?: string[];
}

/** Starts slapd and waits until it answers a bind; fails when slapd is not installed. */
export function startSlapd(options?: SlapdOptions): Promise<Slapd>;
