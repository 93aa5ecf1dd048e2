import { Extension, type Editor } from '@tiptap/core';

/** Each editor's handler, set by its component (so the editor need not be rebuilt when it changes). */
const handlers = new WeakMap<Editor, (line: string) => boolean>();

export function setLineCommandHandler(editor: Editor, handler: ((line: string) => boolean) | undefined): void {
  if (handler) handlers.set(editor, handler);
  else handlers.delete(editor);
}

/**
 * Enter on a paragraph that starts with "/" offers its text to the editor's handler. When the
 * handler takes the line, the paragraph is removed and Enter does nothing else; otherwise Enter
 * behaves as usual.
 */
export const LineCommands = Extension.create({
  name: 'guildhallLineCommands',
  // Before StarterKit's own Enter handling (lists, headings).
  priority: 1000,
  addKeyboardShortcuts() {
    return {
      Enter: ({ editor }) => {
        const { $from, empty } = editor.state.selection;
        const line = $from.parent.textContent;
        const handle = handlers.get(editor);
        if (!empty || !handle || !line.startsWith('/') || !handle(line)) return false;
        // The line became an entry: remove it (or, as the document's only block, empty it).
        const only = editor.state.doc.childCount === 1 && $from.depth === 1;
        return editor.chain().command(({ tr }) => {
          if (only) tr.delete($from.start(), $from.end());
          else tr.delete($from.before(), $from.after());
          return true;
        }).run();
      },
    };
  },
});
