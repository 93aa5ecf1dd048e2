import type { ClientClaim } from '../cluster/bus.ts';
import { createLogger } from '../log.ts';

const log = createLogger('relay:client-ids');

/** Who first wrote with each Yjs clientID, per document (the directory keeps it). */
export interface ClientOwnership {
  clientOwners(doc: string): Promise<Map<number, string>>;
  bindClients(doc: string, clientIds: readonly number[], memberId: string): Promise<void>;
}

/**
 * What a member's update may claim: false if it extends another member's clientID;
 * 'unverified' if the document has content from a clientID whose author this room has not heard
 * of (another node's row, read back without its claim); else the new bindings (null: none),
 * which travel with the update to the other nodes.
 */
export type ClaimResult = ClientClaim | null | false | 'unverified';

/**
 * One room's view of clientID ownership (DESIGN §2 validate): a member may not extend another
 * member's clientID. Checked in memory, in frame order; the directory is the authority when
 * nodes disagree, and is asked whenever this room lacks an answer.
 */
export class ClientIdOwners {
  private readonly owners = new Map<number, string>();
  /** clientIDs with content here that the directory had no owner for when asked. */
  private readonly unownedInDirectory = new Set<number>();
  private refreshing = false;

  constructor(private readonly doc: string, private readonly ownership: ClientOwnership) {}

  /** clientID → member, as this room knows it (live: bindings made later show up here). */
  get known(): ReadonlyMap<number, string> {
    return this.owners;
  }

  /** Reads the directory's bindings; they override anything heard from peers meanwhile. */
  async load(): Promise<void> {
    this.adopt(await this.ownership.clientOwners(this.doc));
  }

  /** `hasContent(client)`: the document already holds something that clientID wrote. */
  claim(memberId: string, authors: Iterable<number>, hasContent: (client: number) => boolean): ClaimResult {
    const fresh: number[] = [];
    for (const client of authors) {
      const owner = this.owners.get(client);
      if (owner !== undefined) {
        if (owner !== memberId) return false;
      } else if (hasContent(client) && !this.unownedInDirectory.has(client)) {
        return 'unverified';
      } else {
        fresh.push(client);
      }
    }
    if (fresh.length === 0) return null;
    for (const client of fresh) this.owners.set(client, memberId);
    this.ownership.bindClients(this.doc, fresh, memberId)
      .catch((error: unknown) => log.error('clientID binding not stored', { doc: this.doc, error }));
    return { memberId, clients: fresh };
  }

  /** A peer node's binding, carried with its update: fills what this room did not know. */
  heard({ memberId, clients }: ClientClaim): void {
    for (const client of clients) if (!this.owners.has(client)) this.owners.set(client, memberId);
  }

  /** After an 'unverified' claim: asks the directory, so the writer's resend gets an answer. */
  verify(asked: Iterable<number>): void {
    if (this.refreshing) return;
    this.refreshing = true;
    this.ownership.clientOwners(this.doc)
      .then((owners) => {
        this.adopt(owners);
        // Content without a binding (its binding failed to store): the next writer may claim it.
        for (const client of asked) if (!owners.has(client)) this.unownedInDirectory.add(client);
      })
      .catch((error: unknown) => log.warn('clientID owners not refreshed', { doc: this.doc, error }))
      .finally(() => { this.refreshing = false; });
  }

  private adopt(owners: Map<number, string>): void {
    for (const [client, member] of owners) this.owners.set(client, member);
  }
}
