import { isContentFrameBytes, SyncType } from '../../shared/protocol/frames.ts';

export interface FrameObserver {
  contentFrameSent(kind: 'step2' | 'update'): void;
}

/**
 * A WebSocket class for y-websocket's `WebSocketPolyfill` option that reports every content frame
 * (sync step 2 / update) it sends, in order: the client half of the ack capability. The stock
 * provider stays untouched; only what goes on the wire is observed. `Base` lets Node tests pass `ws`.
 */
export function ackCountingWebSocket(observer: FrameObserver, Base: typeof WebSocket = WebSocket): typeof WebSocket {
  return class AckCountingWebSocket extends Base {
    override send(data: Parameters<WebSocket['send']>[0]): void {
      super.send(data);
      if (!(data instanceof Uint8Array)) return;
      if (isContentFrameBytes(data)) observer.contentFrameSent(data[1] === SyncType.step2 ? 'step2' : 'update');
    }
  };
}
