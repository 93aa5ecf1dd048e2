import { describe, expect, it } from 'vitest';
import { PendingChanges } from '../../client/collab/pendingChanges.ts';

/**
 * The client half of the ack capability (DESIGN §2 "an ack means durable"; DESIGN §5 the count
 * of unacknowledged local changes). The relay's ack is cumulative per connection: "your first N
 * content frames (sync step 2 / sync update) are durable".
 */

/** n local changes, each sent right away as its own update frame, as y-websocket does online. */
function typeAndSend(pending: PendingChanges, n: number): void {
  for (let i = 0; i < n; i++) {
    pending.localChange();
    pending.frameSent('update');
  }
}

describe('[R5] PendingChanges (DESIGN §2 ack capability, §5 unsaved count)', () => {
  it('starts with nothing pending', () => {
    expect(new PendingChanges().count).toBe(0);
  });

  it('counts local changes until they are acknowledged', () => {
    const pending = new PendingChanges();
    pending.localChange();
    pending.localChange();
    expect(pending.count).toBe(2);
  });

  it('an update frame\'s ack clears exactly the change that produced it', () => {
    const pending = new PendingChanges();
    typeAndSend(pending, 3);
    pending.acknowledged(1);
    expect(pending.count).toBe(2);
    pending.acknowledged(2);
    expect(pending.count).toBe(1);
    pending.acknowledged(3);
    expect(pending.count).toBe(0);
  });

  it('an ack covering several frames clears each of their changes at once', () => {
    const pending = new PendingChanges();
    typeAndSend(pending, 4);
    pending.acknowledged(3);
    expect(pending.count).toBe(1);
  });

  it('a repeated or smaller ack clears nothing more', () => {
    const pending = new PendingChanges();
    typeAndSend(pending, 3);
    pending.acknowledged(2);
    pending.acknowledged(2);
    pending.acknowledged(1);
    expect(pending.count).toBe(1);
  });

  it('a change made after its update frame was acked is still pending', () => {
    const pending = new PendingChanges();
    typeAndSend(pending, 1);
    pending.acknowledged(1);
    pending.localChange();
    expect(pending.count).toBe(1);
  });

  it('an acked step 2 clears every change made before it was sent, frames or not', () => {
    const pending = new PendingChanges();
    pending.localChange(); // offline: no frame
    pending.localChange();
    typeAndSend(pending, 1);
    pending.frameSent('step2');
    pending.localChange(); // after the step 2 was sent: not covered by it
    pending.acknowledged(1); // only the update frame so far
    expect(pending.count).toBe(3);
    pending.acknowledged(2); // the step 2
    expect(pending.count).toBe(1);
  });

  it('clamps acks beyond the frames sent, and a later frame still waits for its own ack', () => {
    const pending = new PendingChanges();
    typeAndSend(pending, 2);
    pending.acknowledged(5);
    expect(pending.count).toBe(0);
    typeAndSend(pending, 1); // frame 3: the earlier "5" must not count for it
    expect(pending.count).toBe(1);
    pending.acknowledged(5);
    expect(pending.count).toBe(0);
  });

  it('clamped acks do not pre-acknowledge a step 2 sent later', () => {
    const pending = new PendingChanges();
    pending.acknowledged(3); // nothing sent yet
    pending.localChange();
    pending.frameSent('step2');
    expect(pending.count).toBe(1);
    pending.acknowledged(1);
    expect(pending.count).toBe(0);
  });

  describe('reconnects', () => {
    it('unacked changes stay pending across a connection reset until the new connection\'s step 2 is acked', () => {
      const pending = new PendingChanges();
      typeAndSend(pending, 3);
      pending.acknowledged(1);
      pending.connectionReset(); // frames 2 and 3 were never acknowledged
      expect(pending.count).toBe(2);

      pending.acknowledged(3); // an ack on the new connection before it carried anything
      expect(pending.count).toBe(2);
      pending.frameSent('step2');
      expect(pending.count).toBe(2);
      pending.acknowledged(1);
      expect(pending.count).toBe(0);
    });

    it('counts the new connection\'s frames from one', () => {
      const pending = new PendingChanges();
      typeAndSend(pending, 5);
      pending.connectionReset();
      pending.frameSent('step2');
      typeAndSend(pending, 1);
      pending.acknowledged(1);
      expect(pending.count).toBe(1); // only the change sent after the step 2
      pending.acknowledged(2);
      expect(pending.count).toBe(0);
    });

    it('an update frame sent before the step 2 of a fresh connection does not clear older pending changes', () => {
      const pending = new PendingChanges();
      typeAndSend(pending, 2); // sent on the old connection, never acked
      pending.connectionReset();
      typeAndSend(pending, 1); // typed after the socket opened, before the server's step 1 arrived
      pending.frameSent('step2');
      pending.acknowledged(1); // acks only the update frame
      expect(pending.count).toBe(2);
      pending.acknowledged(2); // the step 2 carries the two older changes
      expect(pending.count).toBe(0);
    });

    it('a step 2 sent on a connection that dropped before its ack does not clear anything', () => {
      const pending = new PendingChanges();
      pending.localChange();
      pending.frameSent('step2');
      pending.connectionReset();
      pending.acknowledged(1); // new connection: frame 1 does not exist yet
      expect(pending.count).toBe(1);
    });
  });

  describe('changes restored from a previous page load', () => {
    it('counts them as pending from the start', () => {
      expect(new PendingChanges(4).count).toBe(4);
    });

    it('an acked update frame does not clear them: only a step 2 carries them', () => {
      const pending = new PendingChanges(3);
      typeAndSend(pending, 1);
      pending.acknowledged(1);
      expect(pending.count).toBe(3);
    });

    it('the first acked step 2 clears them', () => {
      const pending = new PendingChanges(3);
      pending.frameSent('step2');
      expect(pending.count).toBe(3);
      pending.acknowledged(1);
      expect(pending.count).toBe(0);
    });

    it('a step 2 that was sent but never acked before a reconnect leaves them pending', () => {
      const pending = new PendingChanges(2);
      pending.frameSent('step2');
      pending.connectionReset();
      expect(pending.count).toBe(2);
      pending.frameSent('step2');
      pending.acknowledged(1);
      expect(pending.count).toBe(0);
    });

    it('this load\'s own changes made after the step 2 remain pending after it clears the restored ones', () => {
      const pending = new PendingChanges(2);
      pending.frameSent('step2');
      typeAndSend(pending, 1);
      pending.acknowledged(1);
      expect(pending.count).toBe(1);
    });
  });

  it('[E4] knows the relay holds everything only once this connection\'s step 2 is acked', () => {
    const pending = new PendingChanges();
    expect(pending.handshakeAcked).toBe(false);
    pending.frameSent('update');
    pending.acknowledged(1);
    expect(pending.handshakeAcked).toBe(false); // an update frame carries only its own change
    pending.frameSent('step2');
    pending.acknowledged(2);
    expect(pending.handshakeAcked).toBe(true);
    pending.connectionReset();
    expect(pending.handshakeAcked).toBe(false);
  });
});
