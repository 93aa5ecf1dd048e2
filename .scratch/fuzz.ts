import * as Y from 'yjs';
import { inspectUpdate } from '../server/relay/updates.ts';
const src = new Y.Doc();
src.getText('t').insert(0, 'hello');
src.getMap('m').set('k', new Y.Map());
src.getArray('a').push([1, 'x', new Y.Text('in')]);
src.getXmlFragment('x').insert(0, [new Y.XmlElement('p')]);
src.getText('t').delete(1, 2);
const base = Y.encodeStateAsUpdate(src);
let seed = 1;
const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const found = new Map<string, number[]>();
for (let i = 0; i < 200000 && found.size < 8; i++) {
  const u = base.slice();
  const n = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < n; k++) u[Math.floor(rnd() * u.length)] = Math.floor(rnd() * 256);
  const host = new Y.Doc();
  try { inspectUpdate(host, u); } catch { continue; }
  try { Y.applyUpdate(new Y.Doc(), u); } catch (e) {
    const msg = (e as Error).message;
    if (!found.has(msg)) { found.set(msg, [...u]); console.log(i, msg); }
  }
}
for (const [m, u] of found) console.log(m, JSON.stringify(u));
