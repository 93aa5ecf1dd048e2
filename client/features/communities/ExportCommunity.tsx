import { useState } from 'react';
import { freshToken } from '../../app/api.ts';
import { useOnline } from '../../ui/useOnline.ts';

/** Downloads the community's archive (server/documents/export.ts): every shared document, three ways. */
export function ExportCommunity({ communityId }: { communityId: string }) {
  const online = useOnline();
  const [state, setState] = useState<'idle' | 'working' | string>('idle');
  const download = async (): Promise<void> => {
    setState('working');
    try {
      const response = await fetch(`/api/communities/${communityId}/export`, { headers: { authorization: `Bearer ${await freshToken(communityId)}` } });
      if (!response.ok) throw new Error(((await response.json().catch(() => ({}))) as { error?: string }).error ?? `the server answered ${response.status}`);
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'guildhall-export.zip';
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1_000);
      setState('idle');
    } catch (e) {
      setState(`Could not export: ${(e as Error).message}`);
    }
  };
  return (
    <section className="export" aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <p className="muted">Everything the community shares — meetings, retrospectives, the charter, decisions and actions — as Markdown, JSON and raw Yjs state in one archive. Personal drafts and ballots stay private.</p>
      <button type="button" onClick={() => void download()} disabled={!online || state === 'working'}>{state === 'working' ? 'Preparing…' : 'Download the community archive'}</button>
      {state !== 'idle' && state !== 'working' && <p className="error" role="alert">{state}</p>}
    </section>
  );
}
