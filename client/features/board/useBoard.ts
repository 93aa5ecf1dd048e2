import { useEffect, useMemo } from 'react';
import { readBoard, readModeration } from '../../../shared/board/model.ts';
import { boardDocNames, type BoardView } from '../../../shared/schema/board.ts';
import { memberRequest } from '../../app/api.ts';
import { createLogger } from '../../app/log.ts';
import type { DocSession, Identity } from '../../collab/docSession.ts';
import { combineStatuses, type DocStatus } from '../../collab/status.ts';
import { useDocSession, useDocStatus } from '../../collab/useDocSession.ts';
import { useOnline } from '../../ui/useOnline.ts';
import { useDocsVersion } from '../../ui/useY.ts';

const log = createLogger('board');

export interface BoardState {
  board: DocSession | null;
  moderation: DocSession | null;
  status: DocStatus;
  boardStatus: DocStatus;
  view: BoardView;
}

const EMPTY: BoardView = { lanes: [], comments: new Map() };

/**
 * The community board's documents (schema/board.ts). Opening it online asks the server to create
 * the board with its default lanes if the community has none yet (written there, once).
 */
export function useBoard(communityId: string, identity: Identity): BoardState {
  const names = boardDocNames(communityId);
  const online = useOnline();
  useEffect(() => {
    if (online) memberRequest(communityId, 'POST', '/board').catch((error: unknown) => log.warn('board not prepared', error));
  }, [communityId, online]);
  const board = useDocSession(names.board, identity);
  const moderation = useDocSession(names.moderation, identity);
  const boardStatus = useDocStatus(board);
  const moderationStatus = useDocStatus(moderation);
  const version = useDocsVersion([board?.doc ?? null, moderation?.doc ?? null]);
  const view = useMemo(
    () => (board && moderation ? readBoard(board.doc, readModeration(moderation.doc)) : EMPTY),
    // version changes whenever either document does
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [board, moderation, version],
  );
  return { board, moderation, boardStatus, status: combineStatuses(boardStatus, [moderationStatus]), view };
}
