import * as Y from 'yjs';
import { inspectUpdate } from '../server/relay/updates.ts';
const u = Uint8Array.from([1,2,1,0,39,1,1,109,1,107,2,4,0,1,31,1,120,0]);
console.log(inspectUpdate(new Y.Doc(), u));
try { Y.applyUpdate(new Y.Doc(), u) } catch (e) { console.log((e as Error).message) }
const u2 = Uint8Array.from([1,1,1,0,4,0,1,31,1,120,0]);
console.log(inspectUpdate(new Y.Doc(), u2));
try { Y.applyUpdate(new Y.Doc(), u2) } catch (e) { console.log((e as Error).message) }
