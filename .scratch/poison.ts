import * as Y from 'yjs';
const u = Uint8Array.from([1,8,133,232,167,247,13,0,4,1,1,116,1,104,129,133,232,167,247,13,0,2,132,133,232,167,247,13,2,2,108,111,39,1,1,109,1,107,1,8,1,1,97,2,125,1,119,1,120,135,133,232,167,247,13,7,2,4,0,133,232,167,247,13,31,2,105,110,7,1,1,120,3,1,112,1,133,232,167,247,13,1,1,2]);
const d = Y.decodeUpdate(u);
for (const s of d.structs) console.log(s.constructor.name, s.id, (s as any).parent, (s as any).parentSub, (s as any).origin, (s as any).content?.constructor.name);
try { Y.applyUpdate(new Y.Doc(), u) } catch (e) { console.log((e as Error).stack) }
