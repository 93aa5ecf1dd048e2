import { useRef, useState } from 'react';
import type * as Y from 'yjs';
import { addComment, threadOf } from '../../../shared/board/model.ts';
import type { BoardComment } from '../../../shared/schema/board.ts';
import { RichComposer, type Mentionable } from '../../editors/RichComposer.tsx';
import { MarkdownView } from './MarkdownView.tsx';
import { ModerationButtons } from './Moderation.tsx';

interface Props {
  board: Y.Doc;
  cardId: string;
  comments: readonly BoardComment[];
  me: { memberId: string; name: string };
  mentionable: readonly Mentionable[];
  /** Writing closed: read-only member, or the card is locked or hidden. */
  closed: string | null;
  moderator: boolean;
  communityId: string;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A card's comment thread: answers nest under what they answer; "@" mentions a member. */
export function Comments({ board, cardId, comments, me, mentionable, closed, moderator, communityId }: Props) {
  const [replyTo, setReplyTo] = useState<string | null>(null);
  const thread = threadOf(comments);
  const post = (parent: string | null) => ({ markdown, mentions }: { markdown: string; mentions: string[] }): void => {
    addComment(board, { card: cardId, parent, body: markdown, mentions, author: me.memberId, authorName: me.name });
    setReplyTo(null);
  };
  return (
    <section className="comments" aria-label="Comments">
      <h3>Comments <span className="muted-inline">{comments.length}</span></h3>
      {thread.length === 0 && <p className="muted">No comments yet.</p>}
      <ol className="thread">
        {thread.map(({ comment, depth }) => (
          <li key={comment.id} className="comment" style={{ marginLeft: `${Math.min(depth, 4) * 1.25}rem` }} aria-label={`Comment by ${comment.authorName}`}>
            <p className="comment-meta"><strong>{comment.authorName || 'Someone'}</strong> · {timeFormat.format(comment.createdAt)}
              {comment.mentions.includes(me.memberId) && <span className="chip chip-current">mentions you</span>}
              {comment.moderation.locked && <span aria-label="Locked"> 🔒</span>}</p>
            {comment.moderation.hidden ? <p className="moderated">Hidden by a moderator</p> : <MarkdownView markdown={comment.body} />}
            <div className="row">
              {!closed && !comment.moderation.hidden && !comment.moderation.locked && <button type="button" className="link" onClick={() => setReplyTo(comment.id)}>Reply</button>}
              {moderator && <ModerationButtons communityId={communityId} target={{ kind: 'comment', id: comment.id }} moderation={comment.moderation} />}
            </div>
            {replyTo === comment.id && <Composer label={`Reply to ${comment.authorName}`} mentionable={mentionable} onPost={post(comment.id)} onCancel={() => setReplyTo(null)} />}
          </li>
        ))}
      </ol>
      {closed ? <p className="muted">{closed}</p> : <Composer label="New comment" mentionable={mentionable} onPost={post(null)} />}
    </section>
  );
}

function Composer({ label, mentionable, onPost, onCancel }: { label: string; mentionable: readonly Mentionable[]; onPost: (r: { markdown: string; mentions: string[] }) => void; onCancel?: () => void }) {
  const submit = useRef<(() => void) | null>(null);
  return (
    <form className="comment-form" onSubmit={(e) => { e.preventDefault(); submit.current?.(); }}>
      <RichComposer label={label} placeholder="Write a comment — @ mentions a member, Ctrl+Enter posts" mentionable={mentionable}
        submitRef={submit} onSubmit={onPost} />
      <div className="row">
        <button type="submit" className="primary">{onCancel ? 'Post reply' : 'Comment'}</button>
        {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
