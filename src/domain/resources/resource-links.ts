/** Links between resources (idm_resource_links) and the ended ones (idm_resource_link_history). */
import type { ResourceLinkHistoryRow, ResourceLinkRow } from "../../store/entities.js";
import { runInBatches } from "../../store/prepared-statements.js";
import { chunks, run } from "../../store/statements.js";
import * as q from "./resource-queries.js";
import { DEFAULT_PAGE_SIZE, keysetPages, type StoreSession } from "./store-session.js";

/** When a write happens and which job instance makes it (null outside jobs). */
export interface WriteContext {
  at: Date;
  jobInstanceId: number | null;
  /**
   * The versions replaced and the links ended are dropped, not archived: FulfillTask's
   * IgnoreHistorization, for initial loads whose intermediate states nobody will ask about.
   */
  withoutHistory?: boolean;
}

export interface LinkInput {
  association: string;
  fromResourceId: number;
  toResourceId: number;
}

export class ResourceLinks {
  constructor(private readonly session: StoreSession) {}

  async insert(links: readonly LinkInput[], context: WriteContext): Promise<void> {
    const rows = links.map((l): q.NewLink => ({ ...l, validFrom: context.at, createdByJobInstance: context.jobInstanceId }));
    await this.session.transaction(async (s) => {
      await runInBatches(s.m, rows, s.rowBatch(q.INSERT_COLUMNS.links), (batch) => q.insertLinks(s.m, batch));
    });
  }

  /** An association's links in (from, to) order, `pageSize` at a time. */
  pages(association: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceLinkRow[]> {
    return keysetPages(
      (after: q.LinkPosition | undefined) => q.selectLinks(this.session.m, association, after, pageSize).getMany(),
      (last) => ({ fromResourceId: last.fromResourceId, toResourceId: last.toResourceId }), pageSize,
    );
  }

  /** Ends links: archived (valid until `at`, unless `withoutHistory`), then removed. */
  async end(ids: readonly number[], context: WriteContext): Promise<void> {
    if (ids.length === 0) return;
    await this.session.transaction(async (s) => {
      for (const batch of chunks(ids, s.idBatch() - 2)) {
        if (context.withoutHistory !== true) await run(s.m, q.archiveLinks(s.m, batch, context.at, context.jobInstanceId));
        await run(s.m, q.deleteLinks(s.m, batch));
      }
    });
  }

  /** The links from or to these resources. */
  async ofResources(ids: readonly number[]): Promise<ResourceLinkRow[]> {
    const rows: ResourceLinkRow[] = [];
    for (const batch of chunks(ids, Math.floor(this.session.idBatch() / 2))) rows.push(...(await q.selectLinksOfResources(this.session.m, batch).getMany()));
    return rows;
  }

  /** The ended links from a resource, oldest first. */
  async history(fromResourceId: number): Promise<ResourceLinkHistoryRow[]> {
    return q.selectLinkHistory(this.session.m, fromResourceId).getMany();
  }
}
