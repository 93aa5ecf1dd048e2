import { writeFileSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_WRITES_BURST } from '../../shared/limits.ts';
import { INDEX_DOCUMENTS_ROOT } from '../../shared/schema/documents.ts';
import { storedDoc } from '../helpers/storage.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { tempDir } from '../helpers/tempDir.ts';

/** Sends raw bytes on a fresh TCP connection and resolves with the status line of the answer. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk) => { answer += chunk.toString(); });
    socket.on('end', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

function builtClient(): string {
  const dir = tempDir('guildhall-client-');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Guildhall</title>');
  writeFileSync(join(dir, 'assets', 'main-abc.js'), 'console.log(1)');
  return dir;
}

describe('HTTP: the app shell, and requests that must not hurt the process', () => {
  it('[R22] a malformed path or request target gets 400 and the relay keeps serving', async () => {
    const relay = await startTestRelay({ clientDir: builtClient() });
    expect(await rawRequest(relay.port, 'GET /% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/ 400 /);
    expect(await rawRequest(relay.port, 'GET http://[x/sync/home.shared.abc HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/ 400 /);
    const upgrade = 'GET http://[x/sync/home.shared.abc HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\n\r\n';
    expect(await rawRequest(relay.port, upgrade)).toMatch(/ 400 /);
    expect(await rawRequest(relay.port, 'NONSENSE\r\n\r\n')).toMatch(/ 400 /);
    const badEscape = await fetch(`${relay.url}/api/invites/%E0%A4%A`);
    expect(badEscape.status).toBe(400);
    const health = await fetch(`${relay.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('[R23] a shared document link serves the app, also for a browser that never opened Guildhall', async () => {
    const relay = await startTestRelay({ clientDir: builtClient() });
    const link = await fetch(`${relay.url}/d/home.shared.k3v9x2mq0a1b`);
    expect(link.status).toBe(200);
    expect(await link.text()).toContain('<title>Guildhall</title>');
    expect(link.headers.get('cache-control')).toBe('no-cache');
    const asset = await fetch(`${relay.url}/assets/main-abc.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${relay.url}/assets/missing.js`)).status).toBe(404);
    // An escape attempt gets the app shell at most, never a file outside the client directory.
    const escape = await (await fetch(`${relay.url}/..%2f..%2fetc%2fpasswd`)).text();
    expect(escape).not.toContain('root:');
    expect((await fetch(`${relay.url}/..%2f..%2fetc%2fhosts.txt`)).status).toBe(404);
  });
});

describe('HTTP API limits', () => {
  it('[R13] API writes beyond the per-address burst get 429 and create nothing more', async () => {
    const relay = await startTestRelay();
    const statuses: number[] = [];
    for (let i = 0; i < API_WRITES_BURST + 5; i++) {
      const response = await fetch(`${relay.url}/api/documents`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'meeting' }),
      });
      statuses.push(response.status);
    }
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(API_WRITES_BURST);
    expect(statuses.at(-1)).toBe(429);
    const created = statuses.filter((s) => s === 201).length;
    const index = await storedDoc(relay.store, 'home.index.main');
    expect(index.getMap(INDEX_DOCUMENTS_ROOT).size).toBe(created);
  });
});
