import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import { useEffect } from 'react';
import StarterKit from '@tiptap/starter-kit';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Identity } from '../collab/docSession.ts';
import { LineCommands, setLineCommandHandler } from './lineCommands.ts';

interface Props {
  doc: Y.Doc;
  awareness: Awareness;
  field: string;
  identity: Identity;
  label: string;
  readOnly?: boolean;
  /** Enter on a line starting with "/" (e.g. "/action …"): return true to take the line. */
  onLineCommand?: (line: string) => boolean;
}

/**
 * Co-edited long text (DESIGN §5): Tiptap bound to one XML fragment of the document, with the
 * other members' carets and names. Undo is Collaboration's own (per member), so StarterKit's
 * history is off.
 */
export function NotesEditor({ doc, awareness, field, identity, label, readOnly = false, onLineCommand }: Props) {
  const editor = useEditor({
    editable: !readOnly,
    extensions: [
      StarterKit.configure({ undoRedo: false }),
      Collaboration.configure({ document: doc, field }),
      CollaborationCaret.configure({ provider: { awareness }, user: identity }),
      LineCommands,
    ],
    editorProps: {
      attributes: { 'aria-label': label, role: 'textbox', 'aria-multiline': 'true', class: 'prose' },
    },
  }, [doc, awareness, field]);
  // Access can change while the document is open (a role change): follow it without a remount.
  useEffect(() => { editor?.setEditable(!readOnly); }, [editor, readOnly]);
  useEffect(() => { if (editor) setLineCommandHandler(editor, onLineCommand); }, [editor, onLineCommand]);

  return (
    <div className="editor">
      {editor && !readOnly && <Toolbar editor={editor} />}
      <EditorContent editor={editor} />
    </div>
  );
}

const MARKS = [
  { label: 'Bold', text: 'B', mark: 'bold', run: (e: Editor) => e.chain().focus().toggleBold().run() },
  { label: 'Italic', text: 'I', mark: 'italic', run: (e: Editor) => e.chain().focus().toggleItalic().run() },
] as const;

function Toolbar({ editor }: { editor: Editor }) {
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      heading: e.isActive('heading', { level: 2 }),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
    }),
  });
  const block = [
    { label: 'Heading', text: 'H', key: 'heading', run: () => editor.chain().focus().toggleHeading({ level: 2 }).run() },
    { label: 'Bulleted list', text: '•', key: 'bulletList', run: () => editor.chain().focus().toggleBulletList().run() },
    { label: 'Numbered list', text: '1.', key: 'orderedList', run: () => editor.chain().focus().toggleOrderedList().run() },
  ] as const;
  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting">
      {MARKS.map((m) => (
        <button key={m.mark} type="button" aria-label={m.label} aria-pressed={active[m.mark]} onClick={() => m.run(editor)}>
          <span className={`tb-${m.mark}`}>{m.text}</span>
        </button>
      ))}
      {block.map((b) => (
        <button key={b.key} type="button" aria-label={b.label} aria-pressed={active[b.key]} onClick={b.run}>{b.text}</button>
      ))}
    </div>
  );
}
