/**
 * Every statement of the lease protocol, as QueryBuilders: lease.ts runs them and the SQL Server
 * snapshot test prints them, so what is reviewed offline is what runs.
 */
import {
  LessThan, type DataSource, type DeleteQueryBuilder, type EntityManager, type InsertQueryBuilder, type ObjectLiteral,
  type SelectQueryBuilder, type UpdateQueryBuilder,
} from "typeorm";
import { ENTITY, type LeaseRow } from "./entities.js";

export type Db = DataSource | EntityManager;

/** Frees the lease when its holder stopped extending it: the first half of an acquire. */
export function deleteExpiredLease(db: Db, name: string, now: Date): DeleteQueryBuilder<ObjectLiteral> {
  return db.createQueryBuilder().delete().from(ENTITY.lease).where({ name, expiresAt: LessThan(now) });
}

/** Takes the lease; fails on the primary key when someone holds it: the second half of an acquire. */
export function insertLease(db: Db, row: LeaseRow): InsertQueryBuilder<ObjectLiteral> {
  return db.createQueryBuilder().insert().into(ENTITY.lease).values(row).updateEntity(false);
}

/** Extends the lease; touches no row when it is no longer ours. */
export function extendLease(db: Db, name: string, owner: string, now: Date, expiresAt: Date): UpdateQueryBuilder<ObjectLiteral> {
  return db.createQueryBuilder().update(ENTITY.lease).set({ heartbeatAt: now, expiresAt }).where({ name, owner }).updateEntity(false);
}

/** Gives the lease back, only if it is still ours. */
export function deleteOwnLease(db: Db, name: string, owner: string): DeleteQueryBuilder<ObjectLiteral> {
  return db.createQueryBuilder().delete().from(ENTITY.lease).where({ name, owner });
}

export function selectLease(db: Db, name: string): SelectQueryBuilder<LeaseRow> {
  return db.createQueryBuilder<LeaseRow>(ENTITY.lease, "l").where({ name });
}
