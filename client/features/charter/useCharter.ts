import { useEffect } from 'react';
import type * as Y from 'yjs';
import { acknowledgedVersion, readBallots, readRules, readVersions } from '../../../shared/charter/model.ts';
import { META_ROOT } from '../../../shared/schema/documents.ts';
import {
  ACKNOWLEDGED_ROOT, ACKNOWLEDGEMENTS_ROOT, BALLOTS_ROOT, charterDocNames, personalCharterDocName, VERSIONS_ROOT,
  type CharterRules, type CharterVersion, type PersonalBallot,
} from '../../../shared/schema/charter.ts';
import { memberRequest, type Member } from '../../app/api.ts';
import { useMember } from '../../app/useMember.ts';
import { createLogger } from '../../app/log.ts';
import type { DocSession, Identity } from '../../collab/docSession.ts';
import { combineStatuses, type DocStatus } from '../../collab/status.ts';
import { useDocSession, useDocStatus } from '../../collab/useDocSession.ts';
import { useOnline } from '../../ui/useOnline.ts';
import { useYSnapshot } from '../../ui/useY.ts';

const log = createLogger('charter');

export interface Acknowledgement { memberId: string; name: string; version: number; at: number }

export interface CharterState {
  draft: DocSession | null;
  record: DocSession | null;
  personal: DocSession | null;
  status: DocStatus;
  draftStatus: DocStatus;
  rules: CharterRules;
  versions: CharterVersion[];
  myBallots: Record<number, PersonalBallot>;
  acknowledged: number | null;
  acknowledgements: Acknowledgement[];
  /** The caller's membership as the server has it (for when they joined), once online. */
  me: Member | null;
}

const readRulesOf = (meta: Y.Map<unknown>): CharterRules => readRules(meta);
const readVersionList = (map: Y.Map<unknown>): CharterVersion[] => readVersions(map.doc!);
const readMine = (map: Y.Map<unknown>): Record<number, PersonalBallot> => readBallots(map.doc!);
const readAcked = (map: Y.Map<unknown>): number | null => acknowledgedVersion(map.doc!);
const readAcks = (map: Y.Map<unknown>): Acknowledgement[] => {
  const list: Acknowledgement[] = [];
  map.forEach((value, memberId) => {
    const v = value as { name?: unknown; version?: unknown; at?: unknown } | null;
    if (typeof v?.name === 'string' && typeof v.version === 'number') list.push({ memberId, name: v.name, version: v.version, at: Number(v.at ?? 0) });
  });
  return list.sort((a, b) => a.name.localeCompare(b.name));
};

/**
 * The charter's documents. Opening the page online asks the server to create the charter if
 * the community has none yet (the template is written there, once) and to close rounds whose
 * date passed.
 */
export function useCharter(communityId: string, memberId: string, identity: Identity): CharterState {
  const names = charterDocNames(communityId);
  const online = useOnline();
  const me = useMember(communityId);
  useEffect(() => {
    if (online) memberRequest(communityId, 'POST', '/charter').catch((error: unknown) => log.warn('charter not prepared', error));
  }, [communityId, online]);
  const draft = useDocSession(names.draft, identity);
  const record = useDocSession(names.record, identity);
  const personal = useDocSession(personalCharterDocName(communityId, memberId), identity);
  const draftStatus = useDocStatus(draft);
  const recordStatus = useDocStatus(record);
  const personalStatus = useDocStatus(personal);
  return {
    draft, record, personal, draftStatus, me,
    status: combineStatuses(draftStatus, [recordStatus, personalStatus]),
    rules: useYSnapshot(draft ? draft.doc.getMap(META_ROOT) : null, readRulesOf, { quorumPercent: 50, roundDays: 7 }),
    versions: useYSnapshot(record ? record.doc.getMap(VERSIONS_ROOT) : null, readVersionList, []),
    myBallots: useYSnapshot(personal ? personal.doc.getMap(BALLOTS_ROOT) : null, readMine, {}),
    acknowledged: useYSnapshot(personal ? personal.doc.getMap(ACKNOWLEDGED_ROOT) : null, readAcked, null),
    acknowledgements: useYSnapshot(record ? record.doc.getMap(ACKNOWLEDGEMENTS_ROOT) : null, readAcks, []),
  };
}
