import { useState, type FormEvent } from 'react';
import type * as Y from 'yjs';
import { castBallot, tallyOf } from '../../../shared/charter/model.ts';
import { CHOICES, needsReason, type CharterVersion, type Choice, type PersonalBallot } from '../../../shared/schema/charter.ts';

const CHOICE_TEXT: Record<Choice, string> = {
  agree: 'Agree', abstain: 'Abstain', object: 'Object (say why)', block: 'Block (say why)',
};
const STATUS_TEXT: Record<CharterVersion['status'], string> = {
  template: 'starting template', open: 'open for endorsement', ratified: 'ratified', 'not-ratified': 'not ratified', blocked: 'blocked',
};
export const statusText = (status: CharterVersion['status']): string => STATUS_TEXT[status];

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const formatWhen = (ms: number): string => dateTime.format(ms);

export function TallyLine({ version }: { version: CharterVersion }) {
  const t = tallyOf(version.ballots);
  return (
    <span className="tally" aria-label={`Tally of version ${version.number}`}>
      {t.agree} agree · {t.abstain} abstain · {t.object} object · {t.block} block
      <span className="muted-inline"> — {t.counted} of {version.electorate} counted, quorum {version.quorumPercent} %</span>
    </span>
  );
}

interface Props {
  version: CharterVersion;
  personal: Y.Doc | null;
  mine: PersonalBallot | undefined;
  myMemberId: string;
  readOnly: boolean;
}

/**
 * The open round: what is proposed, the tally so far, objections and blocks with their reasons,
 * and this member's ballot — written into their personal document, so it can be cast offline and
 * counts when it syncs before the closing date.
 */
export function RoundPanel({ version, personal, mine, myMemberId, readOnly }: Props) {
  const [choice, setChoice] = useState<Choice>(mine?.choice ?? 'agree');
  const [reason, setReason] = useState(mine?.reason ?? '');
  const counted = version.ballots[myMemberId];
  const concerns = Object.values(version.ballots).filter((b) => b.choice === 'object' || b.choice === 'block');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!personal || (needsReason(choice) && !reason.trim())) return;
    castBallot(personal, version.number, { choice, reason: needsReason(choice) ? reason.trim() : '' });
  };
  return (
    <section className="round" aria-label={`Endorsement of version ${version.number}`}>
      <h2>Version {version.number} is open for endorsement</h2>
      <p>{version.summary} <span className="muted-inline">— proposed by {version.proposedBy}; closes {formatWhen(version.closesAt!)}</span></p>
      <p><TallyLine version={version} /></p>
      {concerns.length > 0 && (
        <ul className="concerns" aria-label="Objections and blocks">
          {concerns.map((b) => <li key={`${b.name}-${b.countedAt}`}><strong>{b.name}</strong> {b.choice === 'block' ? 'blocks' : 'objects'}: {b.reason}</li>)}
        </ul>
      )}
      {!readOnly && personal && (
        <form className="ballot" onSubmit={submit} aria-label="Your ballot">
          <fieldset className="choice">
            <legend>Your ballot</legend>
            {CHOICES.map((c) => (
              <label key={c}><input type="radio" name={`choice-${version.number}`} checked={choice === c} onChange={() => setChoice(c)} />{CHOICE_TEXT[c]}</label>
            ))}
          </fieldset>
          {needsReason(choice) && <label>Reason<textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} /></label>}
          <button type="submit" className="primary" disabled={needsReason(choice) && !reason.trim()}>{mine ? 'Change my ballot' : 'Cast my ballot'}</button>
          <p className="muted" role="status">
            {mine
              ? counted && counted.choice === mine.choice && counted.reason === mine.reason
                ? `Your ballot (${mine.choice}) is counted.`
                : `Your ballot (${mine.choice}) is kept on this device and counts when it reaches the server before the round closes.`
              : 'You have not cast a ballot yet.'}
          </p>
        </form>
      )}
    </section>
  );
}
