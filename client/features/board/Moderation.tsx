import { useState } from 'react';
import type { Moderation, ModerationAction, ModerationTarget } from '../../../shared/schema/board.ts';
import { memberRequest } from '../../app/api.ts';
import { useOnline } from '../../ui/useOnline.ts';
import { MarkdownView } from './MarkdownView.tsx';

/** Hide / lock for moderators; the server does it (documents/board.ts), so it needs a connection. */
export function ModerationButtons({ communityId, target, moderation }: { communityId: string; target: ModerationTarget; moderation: Moderation }) {
  const online = useOnline();
  const [error, setError] = useState<string | null>(null);
  const act = (action: ModerationAction): void => {
    setError(null);
    memberRequest(communityId, 'POST', '/board/moderation', { ...target, action }).catch((e: unknown) => setError((e as Error).message));
  };
  const what = target.kind === 'card' ? 'card' : 'comment';
  return (
    <span className="moderation-tools">
      <button type="button" disabled={!online} onClick={() => act(moderation.hidden ? 'unhide' : 'hide')}>{moderation.hidden ? `Unhide ${what}` : `Hide ${what}`}</button>
      {!moderation.hidden && <button type="button" disabled={!online} onClick={() => act(moderation.locked ? 'unlock' : 'lock')}>{moderation.locked ? `Unlock ${what}` : `Lock ${what}`}</button>}
      {error && <span className="error" role="alert">{error}</span>}
    </span>
  );
}

/** What a moderator hid, fetched from the server on request (no other device holds it). */
export function HiddenContentView({ communityId, target }: { communityId: string; target: ModerationTarget }) {
  const [content, setContent] = useState<{ title?: string; body: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (content) return <div className="hidden-content"><p className="muted">Hidden content, visible to moderators only:</p>{content.title && <h4>{content.title}</h4>}<MarkdownView markdown={content.body} /></div>;
  return (
    <p>
      <button type="button" onClick={() => memberRequest<{ title?: string; body: string }>(communityId, 'GET', `/board/hidden/${target.kind}/${target.id}`).then(setContent, (e: unknown) => setError((e as Error).message))}>
        Show hidden content
      </button>
      {error && <span className="error" role="alert"> {error}</span>}
    </p>
  );
}
