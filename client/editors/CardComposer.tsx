import { ClearEditorPlugin } from '@lexical/react/LexicalClearEditorPlugin';
import { LexicalComposer } from '@lexical/react/LexicalComposer';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { HistoryPlugin } from '@lexical/react/LexicalHistoryPlugin';
import { PlainTextPlugin } from '@lexical/react/LexicalPlainTextPlugin';
import { $getRoot, CLEAR_EDITOR_COMMAND, COMMAND_PRIORITY_LOW, KEY_ENTER_COMMAND } from 'lexical';
import { useEffect } from 'react';
import { createLogger } from '../app/log.ts';

const log = createLogger('card-composer');

interface Props {
  /** The composer's accessible name ("New card for Start"). */
  label: string;
  placeholder: string;
  /** Called with the text on Enter (Shift+Enter makes a new line); the composer then empties. */
  onSubmit: (text: string) => void;
  disabled?: boolean;
}

/**
 * A short single-author composer (DESIGN §5: Lexical for cards, comments, reflections): its
 * result is stored as one value, so it needs no CRDT binding of its own.
 */
export function CardComposer({ label, placeholder, onSubmit, disabled = false }: Props) {
  return (
    <LexicalComposer initialConfig={{ namespace: 'guildhall-card', editable: !disabled, onError: (error) => log.error('composer failed', error) }}>
      <div className="card-composer">
        <PlainTextPlugin
          contentEditable={<ContentEditable className="card-composer-input" aria-label={label} aria-placeholder={placeholder}
            placeholder={<div className="card-composer-placeholder">{placeholder}</div>} />}
          ErrorBoundary={LexicalErrorBoundary} />
        <HistoryPlugin />
        <ClearEditorPlugin />
        <SubmitOnEnter onSubmit={onSubmit} />
        <EditableState disabled={disabled} />
      </div>
    </LexicalComposer>
  );
}

function SubmitOnEnter({ onSubmit }: { onSubmit: (text: string) => void }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => editor.registerCommand(KEY_ENTER_COMMAND, (event) => {
    if (event?.shiftKey) return false;
    event?.preventDefault();
    const text = editor.getEditorState().read(() => $getRoot().getTextContent()).trim();
    if (text) {
      onSubmit(text);
      editor.dispatchCommand(CLEAR_EDITOR_COMMAND, undefined);
    }
    return true;
  }, COMMAND_PRIORITY_LOW), [editor, onSubmit]);
  return null;
}

function EditableState({ disabled }: { disabled: boolean }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => editor.setEditable(!disabled), [editor, disabled]);
  return null;
}
