import * as Y from 'yjs';
const doc = new Y.Doc(); doc.clientID = 1;
const t = new Y.Text(); doc.getMap('m').set('k', t); t.insert(0, 'x');
const u = Y.encodeStateAsUpdate(doc);
console.log(JSON.stringify([...u]));
const p = u.slice(); 
// find pattern
console.log(Y.decodeUpdate(u).structs.map(s => [(s as any).id, (s as any).parent]));
