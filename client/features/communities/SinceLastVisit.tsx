import { useEffect, useState } from 'react';
import { activitySince, type ActivityItem } from '../../../shared/health/activity.ts';
import { createLogger } from '../../app/log.ts';
import { Link, targetPath } from '../../app/router.tsx';
import { loadLocalCommunity } from '../../collab/localDocuments.ts';

const log = createLogger('activity');
const KEY_PREFIX = 'guildhall:last-visit:';
const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The visit before this one (read once per page load), and this one remembered for next time. */
function previousVisit(communityId: string): number | null {
  const stored = Number(localStorage.getItem(KEY_PREFIX + communityId));
  localStorage.setItem(KEY_PREFIX + communityId, String(Date.now()));
  return Number.isFinite(stored) && stored > 0 ? stored : null;
}

/** "Since you last visited": what is new in the community, from this device's documents (offline too). */
export function SinceLastVisit({ communityId }: { communityId: string }) {
  const [since] = useState(() => previousVisit(communityId));
  const [items, setItems] = useState<ActivityItem[] | null>(null);
  useEffect(() => {
    if (since === null) return;
    let current = true;
    loadLocalCommunity(communityId).then((docs) => {
      if (current) setItems(activitySince(communityId, docs, since));
      for (const doc of docs.values()) doc.destroy();
    }, (e: unknown) => log.warn('activity not read', e));
    return () => { current = false; };
  }, [communityId, since]);
  if (since === null || items === null) return null;
  return (
    <section className="since-last-visit" aria-labelledby="since-heading">
      <h2 id="since-heading">Since you last visited <span className="muted-inline">({when.format(since)})</span></h2>
      {items.length === 0 ? <p className="muted">Nothing new on this device.</p> : (
        <ul aria-label="New since your last visit">
          {items.map((item, i) => (
            <li key={i}>
              <span className="chip">{item.kind}</span>{' '}
              {item.target ? <Link to={targetPath(communityId, item.target)}>{item.title || 'Untitled'}</Link> : item.title}
              <span className="muted-inline">{item.by ? ` — ${item.by}` : ''}, {when.format(item.at)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
