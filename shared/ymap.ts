import type * as Y from 'yjs';

/**
 * Typed reads of a Y.Map field for readers that must survive whatever a modified client wrote:
 * a string or null, a finite number or 0.
 */
export function str(map: Y.Map<unknown>, key: string): string | null {
  const value = map.get(key);
  return typeof value === 'string' ? value : null;
}

export function num(map: Y.Map<unknown>, key: string): number {
  const value = map.get(key);
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
