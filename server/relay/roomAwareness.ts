import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/closeCodes.ts';
import { encodeFrame } from '../../shared/protocol/frames.ts';
import {
  AWARENESS_BROADCAST_WINDOW_MS, AWARENESS_FORGET_AFTER_MS, MAX_AWARENESS_CLIENTS_PER_CONNECTION, MAX_AWARENESS_STATE_BYTES,
} from '../../shared/limits.ts';
import type { Member } from '../directory/directory.ts';
import type { Connection } from './connection.ts';
import { WindowedFlush } from './windowedFlush.ts';

/** Presence states another relay node holds for its own connections (DESIGN §4). */
export class PeerNode {
  /** Peers' states are stamped by the node that accepted them; here they speak for no member. */
  readonly member = null;
  constructor(readonly id: string) {}
}

/** Origin of removing a gone peer's states: every node does it itself, so it is not published. */
const PEER_GONE = 'peer-gone';

/** Whoever announced a presence state: a connection here, or another node. */
type PresenceOwner = Connection | PeerNode;

export interface PresenceChannels {
  /** To every connection of this room. */
  broadcast(frame: Uint8Array): void;
  /** To the other nodes, for states this node's connections set; null on a single node. */
  publish: ((update: Uint8Array) => void) | null;
}

/**
 * Presence for one room: which connection owns which awareness clientIDs (so a connection's
 * states vanish when it does), coalesced broadcasts, and bounded memory. With several nodes,
 * states set here are published to the others, and states of a peer node vanish with it.
 *
 * Broadcasts: a room sends at most one presence frame per AWARENESS_BROADCAST_WINDOW_MS, holding
 * the newest state of every client that changed since the last one; a room quiet for a window
 * sends at once. Without the window, a busy room sends a frame per event-loop turn (200 members
 * moving cursors: about 90 frames a second to each of them), and stock y-websocket providers
 * answer every frame that changes anything with one of their own (they re-broadcast each change
 * they see): what the relay sends a member comes back as that member's inbound rate.
 *
 * Memory: y-protocols keeps a `meta` entry per clientID forever; a client inventing clientIDs
 * would grow it without bound. So a connection may own at most
 * MAX_AWARENESS_CLIENTS_PER_CONNECTION ids, and the clocks of removed states are forgotten —
 * but only after AWARENESS_FORGET_AFTER_MS: until then a late echo of the old state (stock
 * providers re-broadcast what they receive) is recognised as old and cannot resurrect a ghost.
 *
 * Identity: on a connection with a member token, every state it sets gets its `user` field
 * from the directory (name, colour, member id), and it may not set states that a connection of
 * another member owns.
 */
export class RoomAwareness {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly owners = new Map<PresenceOwner, Set<number>>();
  private readonly peers = new Map<string, PeerNode>();
  private readonly changed = new Set<number>();
  /** The part of `changed` this node's connections made: what the other nodes need to hear. */
  private readonly changedHere = new Set<number>();
  /** Removed ids and when they were removed; their clocks are forgotten after a grace period. */
  private readonly removedAt = new Map<number, number>();
  private readonly broadcasts = new WindowedFlush(() => AWARENESS_BROADCAST_WINDOW_MS, () => this.flush());
  private destroyed = false;

  constructor(doc: Y.Doc, private readonly channels: PresenceChannels) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onUpdate);
  }

  apply(connection: Connection, update: Uint8Array): void {
    let entries: AwarenessEntry[];
    try {
      entries = readAwarenessEntries(update);
    } catch {
      return connection.close(CloseCode.malformedFrame, 'undecodable awareness update');
    }
    // The limit is per state (DESIGN §6): one update may carry many, e.g. a stock provider
    // re-broadcasting a busy room's presence, every state of it at a clock the room already has.
    if (entries.some((entry) => entry.bytes > MAX_AWARENESS_STATE_BYTES)) {
      return connection.close(CloseCode.frameTooLarge, 'awareness state too large');
    }
    // Stock providers re-broadcast every change they see, so an update may echo other members'
    // states and removals at clocks the room already has. Only states this update would newly
    // set count as this connection speaking for a client.
    const owned = this.owners.get(connection) ?? new Set<number>();
    const claimed = new Set(owned);
    const applied: AwarenessEntry[] = [];
    for (const entry of entries) {
      if (!this.wouldApply(entry)) continue; // an echo: changes nothing
      if (connection.member && this.ownedByOtherMember(entry.id, connection)) continue; // not theirs to set
      if (!entry.removal) claimed.add(entry.id);
      applied.push(entry);
    }
    if (claimed.size > MAX_AWARENESS_CLIENTS_PER_CONNECTION) {
      return connection.close(CloseCode.malformedFrame, 'too many awareness clients on one connection');
    }
    if (applied.length === 0) return;
    try {
      const stamped = connection.member ? encodeEntries(applied, stampUser(connection.member)) : update;
      awarenessProtocol.applyAwarenessUpdate(this.awareness, stamped, connection);
    } catch {
      connection.close(CloseCode.malformedFrame, 'undecodable awareness update');
    }
  }

  /** States from another node: applied as they are (that node checked and stamped them). */
  applyPeer(nodeId: string, update: Uint8Array): void {
    let peer = this.peers.get(nodeId);
    if (!peer) this.peers.set(nodeId, (peer = new PeerNode(nodeId)));
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, peer);
    } catch {
      // A malformed peer message is dropped; its next renewal carries the state again.
    }
  }

  /** Publishes every state this node's connections hold: a node that opened the room asked. */
  publishOwn(): void {
    const ids = [...this.owners].flatMap(([owner, owned]) => (owner instanceof PeerNode ? [] : [...owned]));
    if (ids.length > 0) this.channels.publish?.(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
  }

  /** A peer node died or left: its states go, as a departed connection's do. */
  releasePeer(nodeId: string): void {
    const peer = this.peers.get(nodeId);
    if (!peer) return;
    this.peers.delete(nodeId);
    this.release(peer, PEER_GONE);
  }

  /** Every current state (possibly none), for a client that just joined or asked. */
  snapshotFrame(): Uint8Array {
    const clients = [...this.awareness.getStates().keys()];
    return encodeFrame({ type: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients) });
  }

  /** Removes every state the connection (or peer node) announced, and forgets their clocks. */
  release(owner: PresenceOwner, origin: typeof PEER_GONE | null = null): void {
    const owned = this.owners.get(owner);
    this.owners.delete(owner);
    if (!owned || owned.size === 0) return;
    const ids = [...owned].filter((id) => !this.ownedByAnother(id, owner));
    awarenessProtocol.removeAwarenessStates(this.awareness, ids, origin);
  }

  destroy(): void {
    this.destroyed = true;
    this.broadcasts.cancel();
    this.awareness.off('update', this.onUpdate);
    this.awareness.destroy();
  }

  private ownedByAnother(id: number, owner: PresenceOwner): boolean {
    for (const [other, ids] of this.owners) if (other !== owner && ids.has(id)) return true;
    return false;
  }

  private ownedByOtherMember(id: number, connection: Connection): boolean {
    for (const [other, ids] of this.owners) {
      if (other !== connection && ids.has(id) && this.memberOf(other, id) !== connection.member?.id) return true;
    }
    return false;
  }

  /** A peer's state carries its member in `user.memberId`, stamped by the node that accepted it. */
  private memberOf(owner: PresenceOwner, id: number): string | undefined {
    if (!(owner instanceof PeerNode)) return owner.member?.id;
    const user = (this.awareness.states.get(id) as { user?: { memberId?: unknown } } | undefined)?.user;
    return typeof user?.memberId === 'string' ? user.memberId : undefined;
  }

  /** y-protocols' own rule: a newer clock, or a removal at the same clock of a present state. */
  private wouldApply({ id, clock, removal }: AwarenessEntry): boolean {
    const current = this.awareness.meta.get(id)?.clock ?? 0;
    return current < clock || (current === clock && removal && this.awareness.states.has(id));
  }

  private forgetOldClocks(now: number): void {
    for (const [id, at] of this.removedAt) {
      if (now - at < AWARENESS_FORGET_AFTER_MS) continue;
      this.removedAt.delete(id);
      if (!this.awareness.states.has(id)) this.awareness.meta.delete(id);
    }
  }

  private readonly onUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const fromPeer = origin instanceof PeerNode || origin === PEER_GONE;
    if (removed.length > 0) {
      // Every removal — a connection gone, a peer's, a timeout — has its clock forgotten later.
      const now = Date.now();
      for (const id of removed) this.removedAt.set(id, now);
      this.forgetOldClocks(now);
    }
    if (origin && typeof origin === 'object' && !this.destroyed) {
      const connection = origin as PresenceOwner;
      let owned = this.owners.get(connection);
      if (!owned) this.owners.set(connection, (owned = new Set()));
      // `updated` too: a member reconnecting within the awareness timeout re-announces a state
      // the room still holds; the new connection now owns it (a takeover, not a spoof: the
      // membership issue stamps identity from the token).
      for (const id of [...added, ...updated]) {
        for (const [other, ids] of this.owners) if (other !== connection) ids.delete(id);
        owned.add(id);
      }
      for (const id of removed) owned.delete(id);
    }
    for (const id of [...added, ...updated, ...removed]) {
      this.changed.add(id);
      if (!fromPeer) this.changedHere.add(id);
    }
    this.scheduleFlush();
  };

  /**
   * Changes are coalesced per room, at most one flush per window (at once when the last flush is
   * a window old, still in a later turn so that one turn's changes go together), and sent to
   * every connection, the sender included: y-websocket clients count their own echoed state as
   * liveness.
   */
  private scheduleFlush(): void {
    if (!this.destroyed) this.broadcasts.schedule();
  }

  /** Sends the changed states; false when there was nothing to send. */
  private flush(): boolean {
    const clients = [...this.changed];
    const clientsHere = [...this.changedHere];
    this.changed.clear();
    this.changedHere.clear();
    if (clients.length === 0 || this.destroyed) return false;
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients);
    this.channels.broadcast(encodeFrame({ type: 'awareness', update }));
    if (clientsHere.length > 0) this.channels.publish?.(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clientsHere));
    return true;
  }
}

interface AwarenessEntry {
  id: number;
  clock: number;
  /** The state's JSON text, and its length in bytes on the wire. */
  json: string;
  bytes: number;
  /** The state is JSON `null`: the client is gone. */
  removal: boolean;
}

/** Replaces the `user` field of a non-null state with the member's directory identity. */
function stampUser(member: Member): (json: string) => string {
  const user = { name: member.displayName, color: member.color, memberId: member.id };
  return (json) => {
    const state: unknown = JSON.parse(json);
    if (typeof state !== 'object' || state === null || Array.isArray(state)) return JSON.stringify({ user });
    return JSON.stringify({ ...state, user });
  };
}

function encodeEntries(entries: AwarenessEntry[], rewrite: (json: string) => string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.id);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.removal ? 'null' : rewrite(entry.json));
  }
  return encoding.toUint8Array(encoder);
}

const NULL_STATE = [0x6e, 0x75, 0x6c, 0x6c]; // "null"
const TEXT = new TextDecoder();

/** The entries of an awareness update (y-protocols' layout: count, then id, clock, JSON state). */
function readAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  let pos = 0;
  const varUint = (): number => {
    let value = 0;
    let multiplier = 1;
    for (;;) {
      if (pos >= update.length) throw new Error('truncated');
      const byte = update[pos++]!;
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return value;
      multiplier *= 128;
      if (multiplier > 2 ** 53) throw new Error('varuint too long');
    }
  };
  const count = varUint();
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const id = varUint();
    const clock = varUint();
    const length = varUint();
    if (length > update.length - pos) throw new Error('truncated');
    const removal = length === NULL_STATE.length && NULL_STATE.every((byte, k) => update[pos + k] === byte);
    entries.push({ id, clock, removal, json: TEXT.decode(update.subarray(pos, pos + length)), bytes: length });
    pos += length;
  }
  return entries;
}
