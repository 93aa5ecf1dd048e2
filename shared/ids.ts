const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A random lowercase id that satisfies the document-name grammar (shared/docNames.ts). */
export function randomId(length = 12): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}
