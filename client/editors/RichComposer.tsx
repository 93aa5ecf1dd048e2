import { CodeNode } from '@lexical/code-core';
import { LinkNode } from '@lexical/link';
import { ListItemNode, ListNode } from '@lexical/list';
import {
  $convertFromMarkdownString, $convertToMarkdownString, BOLD_ITALIC_STAR, BOLD_STAR, HEADING, INLINE_CODE, ITALIC_STAR,
  ITALIC_UNDERSCORE, LINK, ORDERED_LIST, QUOTE, STRIKETHROUGH, UNORDERED_LIST, type Transformer,
} from '@lexical/markdown';
import { ClearEditorPlugin } from '@lexical/react/LexicalClearEditorPlugin';
import { LexicalComposer } from '@lexical/react/LexicalComposer';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { HistoryPlugin } from '@lexical/react/LexicalHistoryPlugin';
import { LinkPlugin } from '@lexical/react/LexicalLinkPlugin';
import { ListPlugin } from '@lexical/react/LexicalListPlugin';
import { MarkdownShortcutPlugin } from '@lexical/react/LexicalMarkdownShortcutPlugin';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import { LexicalTypeaheadMenuPlugin, MenuOption, useBasicTypeaheadTriggerMatch } from '@lexical/react/LexicalTypeaheadMenuPlugin';
import { HeadingNode, QuoteNode } from '@lexical/rich-text';
import { $createTextNode, CLEAR_EDITOR_COMMAND, COMMAND_PRIORITY_LOW, KEY_ENTER_COMMAND, type TextNode } from 'lexical';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { createLogger } from '../app/log.ts';

const log = createLogger('rich-composer');

/** The Markdown a card or comment is stored as: what markdownImport.ts reads back (its common subset). */
const TRANSFORMERS: Transformer[] = [
  HEADING, QUOTE, UNORDERED_LIST, ORDERED_LIST, INLINE_CODE, BOLD_ITALIC_STAR, BOLD_STAR, ITALIC_STAR, ITALIC_UNDERSCORE, STRIKETHROUGH, LINK,
];
const NODES = [HeadingNode, QuoteNode, ListNode, ListItemNode, LinkNode, CodeNode];

export interface Mentionable { id: string; name: string }

export interface RichComposerResult { markdown: string; mentions: string[] }

interface Props {
  label: string;
  placeholder: string;
  /** Starting content (editing a card). */
  initialMarkdown?: string;
  /** Members who can be mentioned with "@"; none: no mentions. */
  mentionable?: readonly Mentionable[];
  /** Ctrl/⌘+Enter submits; a form's button can submit through `submitRef`. */
  onSubmit: (result: RichComposerResult) => void;
  submitRef?: { current: (() => void) | null };
  disabled?: boolean;
}

/**
 * A single-author rich composer (DESIGN §5: Lexical for cards and comments) with Markdown
 * shortcuts ("# ", "- ", "**bold**") and "@" mentions. Its result is stored as one Markdown
 * value, so it needs no CRDT binding, and search, export and the library read it as text.
 */
export function RichComposer({ label, placeholder, initialMarkdown, mentionable = [], onSubmit, submitRef, disabled = false }: Props) {
  const initialConfig = {
    namespace: 'guildhall-rich', nodes: NODES, editable: !disabled,
    editorState: initialMarkdown ? () => $convertFromMarkdownString(initialMarkdown, TRANSFORMERS) : undefined,
    onError: (error: Error) => log.error('composer failed', error),
    theme: { text: { bold: 'rt-bold', italic: 'rt-italic', strikethrough: 'rt-strike', code: 'rt-code' } },
  };
  return (
    <LexicalComposer initialConfig={initialConfig}>
      <div className="card-composer rich">
        <RichTextPlugin
          contentEditable={<ContentEditable className="card-composer-input" aria-label={label} aria-placeholder={placeholder} aria-multiline="true"
            placeholder={<div className="card-composer-placeholder">{placeholder}</div>} />}
          ErrorBoundary={LexicalErrorBoundary} />
        <HistoryPlugin />
        <ListPlugin />
        <LinkPlugin />
        <MarkdownShortcutPlugin transformers={TRANSFORMERS} />
        <ClearEditorPlugin />
        <Submit onSubmit={onSubmit} submitRef={submitRef} mentionable={mentionable} />
      </div>
    </LexicalComposer>
  );
}

class MentionOption extends MenuOption {
  constructor(readonly member: Mentionable) {
    super(member.id);
  }
}

function Submit({ onSubmit, submitRef, mentionable }: { onSubmit: Props['onSubmit']; submitRef: Props['submitRef']; mentionable: readonly Mentionable[] }) {
  const [editor] = useLexicalComposerContext();
  const picked = useRef(new Map<string, string>());
  const submit = useCallback(() => {
    const markdown = editor.getEditorState().read(() => $convertToMarkdownString(TRANSFORMERS)).trim();
    if (!markdown) return;
    // A mention counts while its "@Name" is still in the text (a member may have deleted it).
    const mentions = [...picked.current].filter(([, name]) => markdown.includes(`@${name}`)).map(([id]) => id);
    onSubmit({ markdown, mentions });
    picked.current.clear();
    editor.dispatchCommand(CLEAR_EDITOR_COMMAND, undefined);
  }, [editor, onSubmit]);
  useEffect(() => {
    if (submitRef) submitRef.current = submit;
    return () => { if (submitRef) submitRef.current = null; };
  }, [submit, submitRef]);
  useEffect(() => editor.registerCommand(KEY_ENTER_COMMAND, (event) => {
    if (!event || !(event.ctrlKey || event.metaKey)) return false;
    event.preventDefault();
    submit();
    return true;
  }, COMMAND_PRIORITY_LOW), [editor, submit]);
  return mentionable.length ? <Mentions mentionable={mentionable} onPick={(m) => picked.current.set(m.id, m.name)} /> : null;
}

function Mentions({ mentionable, onPick }: { mentionable: readonly Mentionable[]; onPick: (member: Mentionable) => void }) {
  const [query, setQuery] = useState<string | null>(null);
  const trigger = useBasicTypeaheadTriggerMatch('@', { minLength: 0, allowWhitespace: false });
  const options = useMemo(() => {
    const q = (query ?? '').toLowerCase();
    return mentionable.filter((m) => m.name.toLowerCase().includes(q)).slice(0, 8).map((m) => new MentionOption(m));
  }, [mentionable, query]);
  const onSelect = useCallback((option: MentionOption, node: TextNode | null, close: () => void) => {
    // The node normally holds "@query"; typed fast, the "@" can stay in the node before it.
    const withTrigger = node === null || node.getTextContent().startsWith('@');
    const mention = $createTextNode(`${withTrigger ? '@' : ''}${option.member.name} `);
    if (node) node.replace(mention);
    mention.select();
    onPick(option.member);
    close();
  }, [onPick]);
  return (
    <LexicalTypeaheadMenuPlugin<MentionOption> onQueryChange={setQuery} onSelectOption={onSelect} triggerFn={trigger} options={options}
      menuRenderFn={(anchor, { selectedIndex, selectOptionAndCleanUp, setHighlightedIndex }) => anchor.current && options.length
        ? createPortal(
          <ul className="mention-menu" role="listbox" aria-label="Mention a member">
            {options.map((option, i) => (
              <li key={option.key} role="option" aria-selected={selectedIndex === i} className={selectedIndex === i ? 'selected' : ''}
                onMouseEnter={() => setHighlightedIndex(i)} onMouseDown={(e) => { e.preventDefault(); selectOptionAndCleanUp(option); }}>
                @{option.member.name}
              </li>
            ))}
          </ul>, anchor.current)
        : null} />
  );
}
