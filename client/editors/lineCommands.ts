import { Extension, type Editor } from '@tiptap/core';

/** Each editor's handler, set by its component (so the editor need not be rebuilt when it changes). */
const handlers = new WeakMap<Editor, (line: string) => boolean>();

export function setLineCommandHandler(editor: Editor, handler: ((line: string) => boolean) | undefined): void {
  if (handler) handlers.set(editor, handler);
  else handlers.delete(editor);
}

/**
 * Enter on a paragraph that starts with "/" offers its text to the editor's handler. When the
 * handler takes the line, the paragraph is emptied and Enter does nothing else; otherwise Enter
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
        // The line became an entry: empty it and keep the caret there, ready for the next line
        // (removing the paragraph would put the caret at the end of the one before, and what is
        // typed next would join it).
        return editor.chain().command(({ tr }) => {
          tr.delete($from.start(), $from.end());
          return true;
        }).run();
      },
    };
  },
});
