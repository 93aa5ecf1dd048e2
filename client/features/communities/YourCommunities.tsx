import { communityPath, Link, NEW_COMMUNITY_PATH, navigate } from '../../app/router.tsx';
import { useStoredCommunities } from '../../collab/communityTokens.ts';

/** The communities this browser holds a membership for (from the token store), and a way to start one. */
export function YourCommunities() {
  const communities = useStoredCommunities();
  return (
    <section className="communities" aria-labelledby="your-communities-title">
      <header className="section-header">
        <h2 id="your-communities-title">Your communities</h2>
        <button type="button" onClick={() => navigate(NEW_COMMUNITY_PATH)}>Create a community</button>
      </header>
      {communities.length === 0
        ? <p className="muted">You have not joined a community yet. Create one, or open an invite link someone sent you.</p>
        : (
          <ul className="doc-list" aria-label="Your communities">
            {communities.map((c) => (
              <li key={c.communityId}>
                <Link to={communityPath(c.communityId)} className="doc-link">
                  <span><span className="doc-title">{c.name}</span> <span className="muted-inline">· {c.domain}</span></span>
                  <span className="doc-date">{c.removed ? 'removed' : c.role}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}
