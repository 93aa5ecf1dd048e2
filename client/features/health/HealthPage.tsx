import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { healthReport, weeksCsv, type HealthReport } from '../../../shared/health/aggregate.ts';
import { createLogger } from '../../app/log.ts';
import { communityHomePath, Link } from '../../app/router.tsx';
import { memberMay, useMember } from '../../app/useMember.ts';
import { useStoredCommunity } from '../../collab/communityTokens.ts';
import type { Identity } from '../../collab/docSession.ts';
import { loadLocalCommunity } from '../../collab/localDocuments.ts';
import { todayIso } from '../meeting/ActionRow.tsx';
import { download } from '../../ui/download.ts';
import { ValueStories } from './ValueStories.tsx';

const log = createLogger('health');

/**
 * How the community is doing, from what it already produces (issue 10): participation,
 * meetings and attendance, action items, retrospective themes, the charter, board and library
 * growth, value stories. Computed on this device from its documents, so it works offline; counts
 * only, never a ranking of people.
 */
export function HealthPage({ communityId, identity }: { communityId: string; identity: Identity }) {
  const entry = useStoredCommunity(communityId);
  const member = useMember(communityId);
  const [report, setReport] = useState<HealthReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    loadLocalCommunity(communityId).then((docs) => {
      if (current) setReport(healthReport(communityId, docs, Date.now(), todayIso()));
      for (const doc of docs.values()) doc.destroy();
    }, (e: unknown) => {
      log.error('health view not computed', e);
      if (current) setError('This browser cannot read its local documents.');
    });
    return () => { current = false; };
  }, [communityId]);
  if (!entry) return <p className="empty">The health view belongs to a community you are a member of. <Link to="/">Back to Guildhall</Link></p>;
  const analyst = memberMay(member, communityId, 'export-analytics');
  return (
    <article className="document health-page">
      <nav className="crumbs" aria-label="Breadcrumb"><Link to={communityHomePath(communityId)}>← {entry.name}</Link></nav>
      <header className="document-header">
        <h1>Community health</h1>
        <p className="muted">From the documents on this device — online or not. Counts of what the community does together; nobody is ranked.</p>
      </header>
      {error && <p className="error" role="alert">{error}</p>}
      {!report ? <p className="muted">Reading this device's documents…</p> : (
        <>
          <Figures report={report} />
          <Chart title="Participation per week" data={report.weeks} bars={[['contributors', 'Contributors', '#2f6f4e'], ['meetings', 'Meetings held', '#8a4b9c']]} lines={[['attendance', 'Average attendance', '#c77d1a']]} />
          <Chart title="Action items per week" data={report.weeks} bars={[['actionsOpened', 'Opened', '#c77d1a'], ['actionsDone', 'Done', '#2f6f4e']]} />
          <Chart title="Board and library growth" data={report.weeks} lines={[['cardsTotal', 'Board cards', '#2b6cb0'], ['entriesTotal', 'Library entries', '#2f6f4e']]} />
          <section aria-labelledby="themes-heading">
            <h2 id="themes-heading">Retrospective themes</h2>
            {report.retroThemes.length === 0 ? <p className="muted">No closed retrospective on this device yet.</p> : (
              <ol className="themes" aria-label="Retrospective themes">
                {report.retroThemes.map((r, i) => (
                  <li key={i}><strong>{r.title}</strong> ({new Date(r.at).toLocaleDateString()}): {r.themes.map((t) => `${t.label} (${t.votes})`).join(' · ') || 'no topics'}</li>
                ))}
              </ol>
            )}
          </section>
          <ValueStories communityId={communityId} identity={identity} />
          {analyst && (
            <p><button type="button" onClick={() => download(`guildhall-${communityId}-health.csv`, weeksCsv(report.weeks), 'text/csv')}>Export the weekly figures (CSV)</button></p>
          )}
        </>
      )}
    </article>
  );
}

function Figures({ report }: { report: HealthReport }) {
  const { actions, board, library, charter } = report;
  const charterText = charter.openRound
    ? `version ${charter.openRound.number} open: ${charter.openRound.counted} of ${charter.openRound.electorate} have endorsed`
    : charter.ratifiedVersion !== null ? `version ${charter.ratifiedVersion} ratified` : 'no ratified version yet';
  const tiles: Array<[string, string]> = [
    ['Open action items', `${actions.open}${actions.overdue ? ` (${actions.overdue} overdue)` : ''}`],
    ['Done action items', String(actions.done)],
    ['Decisions', String(report.decisions)],
    ['Board', `${count(board.cards, 'card')}, ${count(board.comments, 'comment')}`],
    ['Library', `${count(library.entries, 'entry', 'entries')}, ${library.verified} verified${library.reviewDue ? `, ${library.reviewDue} due for review` : ''}`],
    ['Charter', charterText],
  ];
  return (
    <dl className="health-figures" aria-label="Figures">
      {tiles.map(([label, value]) => <div key={label}><dt>{label}</dt><dd>{value}</dd></div>)}
    </dl>
  );
}

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

type Series = [key: string, name: string, colour: string];

function Chart({ title, data, bars = [], lines = [] }: { title: string; data: HealthReport['weeks']; bars?: Series[]; lines?: Series[] }) {
  const Kind = bars.length ? BarChart : LineChart;
  return (
    <section className="health-chart" aria-label={title}>
      <h2>{title}</h2>
      <ResponsiveContainer width="100%" height={220}>
        <Kind data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e0d8" />
          <XAxis dataKey="week" tickFormatter={(w: string) => w.slice(5)} fontSize={12} />
          <YAxis allowDecimals={false} fontSize={12} width={32} />
          <Tooltip />
          <Legend />
          {bars.map(([key, name, colour]) => <Bar key={key} dataKey={key} name={name} fill={colour} isAnimationActive={false} />)}
          {lines.map(([key, name, colour]) => <Line key={key} dataKey={key} name={name} stroke={colour} dot={false} isAnimationActive={false} />)}
        </Kind>
      </ResponsiveContainer>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead><tr><th>Week</th>{[...bars, ...lines].map(([key, name]) => <th key={key}>{name}</th>)}</tr></thead>
        <tbody>{data.map((w) => <tr key={w.week}><td>{w.week}</td>{[...bars, ...lines].map(([key]) => <td key={key}>{String(w[key as keyof typeof w])}</td>)}</tr>)}</tbody>
      </table>
    </section>
  );
}
