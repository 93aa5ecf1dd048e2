/**
 * The automerge-perf "paper" editing trace (/work/shared/data/automerge-paper.SOURCE.txt):
 * 259,778 keystrokes that wrote the 104,852-character LaTeX source of a paper, replayed into a
 * Y.Doc shaped exactly like Guildhall meeting notes, so benchmarks open a real document with
 * its real history (every deleted character is still a tombstone) instead of one big insert.
 *
 * Shape: the notes' Tiptap body is the XML fragment `MEETING_NOTES_ROOT`; each line of the text
 * is one `paragraph` element holding one Y.XmlText (an empty line: none, or an emptied one). A
 * "\n" typed is Enter (the paragraph splits), a "\n" deleted is Backspace joining two lines.
 * Each keystroke changes a ProseMirror document and is written to Yjs as y-tiptap's binding
 * writes it, one transaction per keystroke (see EditorReplay), so the Yjs operations, and with
 * them the history and tombstones, are the ones a member typing the paper into NotesEditor makes.
 * No DOM: both the browser bench and the server-side workloads use it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { getSchema } from '@tiptap/core';
import { Fragment, type Node as PMNode } from '@tiptap/pm/model';
import { Transform } from '@tiptap/pm/transform';
import StarterKit from '@tiptap/starter-kit';
import { updateYFragment, ySyncPluginKey } from '@tiptap/y-tiptap';
import { simpleDiffString } from 'lib0/diff';
import * as Y from 'yjs';
import { MEETING_NOTES_ROOT, META_ROOT, SCHEMA_VERSION, type DocumentMeta } from '../../shared/schema/documents.ts';

/** `[position, characters deleted there, text inserted there]`, positions in the text at that moment. */
export type TraceEdit = [position: number, deleteCount: number, inserted?: string];

export interface EditingTrace {
  edits: TraceEdit[];
  finalText: string;
}

/** The team's data folder beside the checkout (../shared/data); TRACE_PATH points elsewhere. */
export const PAPER_TRACE_PATH = process.env.TRACE_PATH ?? fileURLToPath(new URL('../../../shared/data/automerge-paper-edits.json.gz', import.meta.url));
export const PAPER_TITLE = 'A Conflict-Free Replicated JSON Datatype';
/** Fixed so the encoded state is the same bytes on every run (a random one varies its length). */
export const TRACE_CLIENT_ID = 1;
/** Fixed for the same reason; only shown as the document's creation time. */
const CREATED_AT_MS = Date.UTC(2017, 7, 1);

/** NotesEditor's document schema (Collaboration and CollaborationCaret add no nodes or marks). */
const NOTES_SCHEMA = getSchema([StarterKit.configure({ undoRedo: false })]);

let cachedTrace: EditingTrace | null = null;
let cachedState: Uint8Array | null = null;

/** Read once per process (gunzip and parse: ≈ 0.2 s). */
export function loadPaperTrace(path = PAPER_TRACE_PATH): EditingTrace {
  if (cachedTrace && path === PAPER_TRACE_PATH) return cachedTrace;
  if (!existsSync(path)) throw new Error(`editing trace not found at ${path}; set TRACE_PATH to automerge-paper-edits.json.gz`);
  const trace = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as EditingTrace;
  if (!Array.isArray(trace.edits) || typeof trace.finalText !== 'string') throw new Error(`${path} is not an editing trace`);
  if (path === PAPER_TRACE_PATH) cachedTrace = trace;
  return trace;
}

/** The characters of a text without formatting (`toString` would render marks as tags). */
function plainText(text: Y.XmlText): string {
  return (text.toDelta() as Array<{ insert: unknown }>).map((op) => op.insert).join('');
}

/**
 * The editor's side of the replay: a ProseMirror document with NotesEditor's schema, changed by
 * ProseMirror itself (Enter and Backspace over a line break are the `split` and `join` that
 * splitBlock and joinBackward apply to plain paragraphs), and written to Yjs the way y-tiptap's
 * binding writes it after every keystroke (`updateYFragment`, with the binding's map from Yjs
 * types to the nodes they were last written from, kept across keystrokes as the binding does).
 *
 * Running the binding's whole-document diff per keystroke takes one to two minutes here (on Enter
 * it compares every paragraph's text), so the common cases write what that diff writes directly:
 * - a character typed or deleted in a line: every other paragraph is mapped to an identical
 *   node, so only this line's text is diffed (one delete and one insert at the first difference);
 * - Enter or a joined line break with unchanged paragraphs after it: the binding anchors the
 *   unchanged paragraphs and updates the ones between by position (`reconcileUnanchoredChildren`):
 *   the line keeps the head (or the joined text), a new paragraph gets the tail, or the second
 *   line's paragraph is deleted.
 * Anything else (edits in the last lines, a document of fewer than three lines) goes through
 * `updateYFragment` itself. `throughBinding` sends every keystroke through it instead; both give
 * byte-identical state for the whole trace.
 *
 * A plain-text position counts each line's characters plus one "\n" between lines; lines are
 * found by walking from the last one found, because typing is local.
 */
class EditorReplay {
  private pmDoc: PMNode;
  /** The fragment's paragraphs, index for index with `pmDoc`'s children after every edit. */
  private yParagraphs: Y.XmlElement[] = [];
  private readonly binding: Parameters<typeof updateYFragment>[3] = { mapping: new Map(), isOMark: new Map() };
  private line = 0;
  private lineStart = 0;

  constructor(private readonly doc: Y.Doc, private readonly fragment: Y.XmlFragment, private readonly throughBinding: boolean) {
    // An empty editor holds one empty paragraph; the binding writes nothing before the first change.
    this.pmDoc = NOTES_SCHEMA.nodes.doc!.create(null, NOTES_SCHEMA.nodes.paragraph!.create());
  }

  insertChar(position: number, char: string): void {
    const offset = this.locate(position);
    if (char === '\n') this.changeLines(new Transform(this.pmDoc).split(this.pmPosition(offset))); // Enter
    else this.changeLine((text) => text.cut(0, offset).append(Fragment.from(NOTES_SCHEMA.text(char))).append(text.cut(offset)));
  }

  deleteChar(position: number): void {
    const offset = this.locate(position);
    if (offset < this.pmDoc.child(this.line).content.size) this.changeLine((text) => text.cut(0, offset).append(text.cut(offset + 1)));
    else this.changeLines(new Transform(this.pmDoc).join(this.pmPosition(offset) + 1)); // Backspace over the line break
  }

  private changeLine(edit: (text: Fragment) => Fragment): void {
    const before = this.pmDoc.child(this.line);
    const after = before.copy(edit(before.content));
    this.pmDoc = this.pmDoc.copy(this.pmDoc.content.replaceChild(this.line, after));
    if (this.throughBinding || this.yParagraphs.length !== this.pmDoc.childCount) this.writeWholeDocument();
    else this.writeParagraph(this.yParagraphs[this.line]!, after);
  }

  private changeLines(transform: Transform): void {
    this.pmDoc = transform.doc;
    const { mapping } = this.binding;
    const ys = this.yParagraphs;
    const ps = this.pmDoc.content.content;
    let left = 0;
    while (left < ys.length && left < ps.length && mapping.get(ys[left]!) === ps[left]) left++;
    let right = 0;
    while (right < ys.length - left && right < ps.length - left && mapping.get(ys[ys.length - 1 - right]!) === ps[ps.length - 1 - right]) right++;
    // The binding reconciles by anchors only with two or more of them and one that moved.
    if (this.throughBinding || left + right < 2 || right === 0) {
      this.writeWholeDocument();
      return;
    }
    const yBetween = ys.slice(left, ys.length - right);
    const pBetween = ps.slice(left, ps.length - right);
    const paired = Math.min(yBetween.length, pBetween.length);
    for (let i = 0; i < paired; i++) this.writeParagraph(yBetween[i]!, pBetween[i]!);
    const removed = yBetween.slice(paired);
    if (removed.length > 0) this.fragment.delete(left + paired, removed.length);
    for (const paragraph of removed) mapping.delete(paragraph);
    const added = pBetween.slice(paired).map((node) => this.createParagraph(node));
    if (added.length > 0) this.fragment.insert(left + paired, added);
    ys.splice(left + paired, removed.length, ...added);
  }

  private writeWholeDocument(): void {
    updateYFragment(this.doc, this.fragment, this.pmDoc, this.binding);
    this.yParagraphs = this.fragment.toArray() as Y.XmlElement[];
  }

  /**
   * What the binding writes to a paragraph now shown as `after` (`updateMatchingYChild`, then
   * `updateYFragment` on it; this schema's paragraphs have no attributes, and no marks are typed).
   */
  private writeParagraph(paragraph: Y.XmlElement, after: PMNode): void {
    const { mapping } = this.binding;
    const before = (mapping.get(paragraph) as PMNode).textContent;
    const text = paragraph.length > 0 ? paragraph.get(0) as Y.XmlText : null;
    const textNodes = [...after.children];
    if ((text !== null) === (textNodes.length > 0) && before === after.textContent) {
      mapping.set(paragraph, after); // equal: only the mapping moves on
      return;
    }
    if (!text) {
      const created = new Y.XmlText(after.textContent);
      paragraph.insert(0, [created]);
      mapping.set(created, textNodes);
    } else if (textNodes.length === 0) {
      // The binding empties the last text of a paragraph rather than deleting it (y-prosemirror#108).
      text.delete(0, text.length);
      mapping.delete(text);
    } else {
      const change = simpleDiffString(before, after.textContent);
      text.delete(change.index, change.remove);
      text.insert(change.index, change.insert);
      mapping.set(text, textNodes);
    }
    mapping.set(paragraph, after);
  }

  /** `createTypeFromElementNode` for a paragraph: its text is added before the paragraph is. */
  private createParagraph(node: PMNode): Y.XmlElement {
    const paragraph = new Y.XmlElement('paragraph');
    if (node.childCount > 0) {
      const text = new Y.XmlText(node.textContent);
      paragraph.insert(0, [text]);
      this.binding.mapping.set(text, [...node.children]);
    }
    this.binding.mapping.set(paragraph, node);
    return paragraph;
  }

  /** Moves to the line holding `position`; returns the offset in that line. */
  private locate(position: number): number {
    const lengthOf = (line: number): number => this.pmDoc.child(line).content.size;
    while (position < this.lineStart) {
      this.line -= 1;
      this.lineStart -= lengthOf(this.line) + 1;
    }
    while (position > this.lineStart + lengthOf(this.line)) {
      this.lineStart += lengthOf(this.line) + 1;
      this.line += 1;
      if (this.line >= this.pmDoc.childCount) throw new RangeError(`position ${position} is past the end of the text`);
    }
    return position - this.lineStart;
  }

  /**
   * `lineStart` counts one "\n" per earlier line; ProseMirror counts two tokens there (closing
   * and opening paragraph), plus this line's opening.
   */
  private pmPosition(offset: number): number {
    return this.lineStart + this.line + offset + 1;
  }
}

/**
 * Replays `trace` into the notes fragment `field` of `doc` (which must not hold notes yet), one
 * transaction per edit. `throughBinding`: every keystroke through y-tiptap's whole-document diff
 * (one to two minutes; same bytes), to check the fast path.
 */
export function replayIntoNotes(doc: Y.Doc, trace: EditingTrace, { field = MEETING_NOTES_ROOT, throughBinding = false } = {}): void {
  const fragment = doc.getXmlFragment(field);
  if (fragment.length > 0) throw new Error(`${field} already has content`);
  const editor = new EditorReplay(doc, fragment, throughBinding);
  for (const [position, deleteCount, inserted] of trace.edits) {
    doc.transact(() => {
      for (let i = 0; i < deleteCount; i++) editor.deleteChar(position);
      if (inserted) for (let i = 0; i < inserted.length; i++) editor.insertChar(position + i, inserted[i]!);
    }, ySyncPluginKey);
  }
}

/** The notes as plain text: each paragraph's text, paragraphs joined by "\n" (the trace's own line breaks). */
export function notesPlainText(doc: Y.Doc, field = MEETING_NOTES_ROOT): string {
  return doc.getXmlFragment(field).toArray().map((node) => {
    if (!(node instanceof Y.XmlElement)) throw new Error('notes hold a bare text node');
    return node.toArray().map((child) => (child instanceof Y.XmlText ? plainText(child) : '')).join('');
  }).join('\n');
}

/**
 * A complete meeting-notes document of the paper: the replayed notes plus the `meta` map a
 * meeting carries. Throws if the replay does not reproduce the trace's final text exactly.
 */
export function buildPaperDocument({ clientId = TRACE_CLIENT_ID, throughBinding = false }: { clientId?: number; throughBinding?: boolean } = {}): Y.Doc {
  const trace = loadPaperTrace();
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const meta: DocumentMeta = { kind: 'meeting', title: PAPER_TITLE, createdAt: CREATED_AT_MS, schemaVersion: SCHEMA_VERSION };
  doc.transact(() => {
    const map = doc.getMap(META_ROOT);
    for (const [key, value] of Object.entries(meta)) map.set(key, value);
  });
  replayIntoNotes(doc, trace, { throughBinding });
  if (notesPlainText(doc) !== trace.finalText) throw new Error('replaying the paper trace did not reproduce its final text');
  return doc;
}

/** `Y.encodeStateAsUpdate` of `buildPaperDocument()`, built once per process (the replay takes seconds). */
export function paperDocumentState(): Uint8Array {
  if (!cachedState) {
    const doc = buildPaperDocument();
    cachedState = Y.encodeStateAsUpdate(doc);
    doc.destroy();
  }
  return cachedState;
}
