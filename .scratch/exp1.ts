import * as Y from 'yjs';
import { inspectUpdate } from '../server/relay/updates.ts';
import { decodeFrame } from '../shared/protocol/frames.ts';
const doc = new Y.Doc();
for (const bytes of [[0xff,0xff,0xff,0xff], [5], [1,1,1,1], [0x01, 0x02, 0x03], [1,0xff,0xff,0xff,0xff,0x0f], [0,0],[9,9,9,9,9,9]]) {
  try { console.log(bytes, inspectUpdate(doc, Uint8Array.from(bytes))); } catch (e) { console.log(bytes, 'throws', (e as Error).constructor.name, (e as Error).message); }
}
try { decodeFrame(Uint8Array.from([2,0,1,0xff])); } catch (e) { console.log('auth', (e as Error).constructor.name, (e as Error).message); }
