import { describe, expect, it } from 'vitest';
import {
  ACCESS_CLASSES, DEFAULT_COMMUNITY, formatDocName, indexDocName, isValidIdPart, parseDocName, type DocName,
} from '../../shared/docNames.ts';

/**
 * Document names carry community and access class, and the relay decides access from the name
 * alone (DESIGN §1), so one document must have exactly one spelling.
 */

const LONGEST_PART = `a${'b'.repeat(63)}`; // 64 characters, the grammar's maximum

describe('document names: accepted spellings (DESIGN §1)', () => {
  it.each([
    ['home.shared.notes', { community: 'home', accessClass: 'shared', id: 'notes' }],
    ['home.control.retro-1', { community: 'home', accessClass: 'control', id: 'retro-1' }],
    ['guild_7.personal.m-42_draft', { community: 'guild_7', accessClass: 'personal', id: 'm-42_draft' }],
    ['home.index.main', { community: 'home', accessClass: 'index', id: 'main' }],
    ['0.shared.9', { community: '0', accessClass: 'shared', id: '9' }],
    [`${LONGEST_PART}.shared.${LONGEST_PART}`, { community: LONGEST_PART, accessClass: 'shared', id: LONGEST_PART }],
  ] as const)('parses %s', (name, parts) => {
    expect(parseDocName(name)).toEqual(parts);
  });

  it.each(ACCESS_CLASSES)('accepts the access class %s', (accessClass) => {
    expect(parseDocName(`home.${accessClass}.doc`)?.accessClass).toBe(accessClass);
  });
});

describe('[R8] document names: path tricks and look-alikes are rejected (DESIGN §1 "exactly one spelling")', () => {
  it.each([
    ['empty name', ''],
    ['two parts', 'home.shared'],
    ['four parts (extra dot)', 'home.shared.notes.v2'],
    ['trailing dot', 'home.shared.notes.'],
    ['leading dot', '.home.shared.notes'],
    ['empty community', '.shared.notes'],
    ['empty id', 'home.shared.'],
    ['double dot', 'home..shared.notes'],
    ['parent-directory segment', '../home.shared.notes'],
    ['parent-directory segment inside the id', 'home.shared.a/../b'],
    ['dot-dot as the id', 'home.shared...'],
    ['slash in the id', 'home.shared.a/b'],
    ['slash-prefixed name', '/home.shared.notes'],
    ['path traversal in the id', 'home.shared.../../etc/passwd'],
    ['backslash', 'home.shared.a\\b'],
    ['percent-encoded dot', 'home%2eshared.notes'],
    ['percent-encoded dot in the id', 'home.shared.%2e%2e'],
    ['percent-encoded slash', 'home.shared.a%2fb'],
    ['upper-case community', 'Home.shared.notes'],
    ['upper-case access class', 'home.SHARED.notes'],
    ['upper-case id', 'home.shared.Notes'],
    ['unknown access class', 'home.public.notes'],
    ['access class prefix only', 'home.share.notes'],
    ['access class with a suffix', 'home.shareds.notes'],
    ['part starting with a hyphen', 'home.shared.-notes'],
    ['part starting with an underscore', '_home.shared.notes'],
    ['community longer than 64 characters', `${LONGEST_PART}x.shared.notes`],
    ['id longer than 64 characters', `home.shared.${LONGEST_PART}x`],
    ['space', 'home.shared.my notes'],
    ['leading space', ' home.shared.notes'],
    ['trailing newline', 'home.shared.notes\n'],
    ['leading newline', '\nhome.shared.notes'],
    ['NUL inside the id', 'home.shared.notes\u0000'],
    ['NUL between parts', 'home\u0000.shared.notes'],
    ['query string', 'home.shared.notes?x=1'],
    ['fragment', 'home.shared.notes#x'],
    ['Cyrillic а in the community', 'h\u043eme.shared.notes'],
    ['Cyrillic е in the access class', 'home.shar\u0435d.notes'],
    ['fullwidth full stop as separator', 'home\uff0eshared\uff0enotes'],
    ['one-dot leader as separator', 'home\u2024shared\u2024notes'],
    ['fullwidth digit', 'home.shared.\uff11'],
    ['Kelvin sign that case-folds to k', 'home.shared.\u212a'],
    ['dotless ı', 'home.shared.\u0131d'],
    ['combining accent', 'home.shared.e\u0301'],
    ['zero-width space', 'home.shared.no\u200btes'],
    ['non-breaking hyphen', 'home.shared.a\u2011b'],
  ])('rejects %s', (_label, name) => {
    expect(parseDocName(name)).toBeNull();
  });

  it('rejects the same checks part by part in isValidIdPart', () => {
    for (const part of ['', '.', '..', 'a.b', 'a/b', '%2e', 'A', '-a', '_a', `${LONGEST_PART}x`, 'a\u0000', '\u043e']) {
      expect(isValidIdPart(part), JSON.stringify(part)).toBe(false);
    }
    for (const part of ['a', '0', 'a-b_c', LONGEST_PART]) expect(isValidIdPart(part), part).toBe(true);
  });
});

describe('document names: formatDocName and parseDocName round-trip', () => {
  const samples: DocName[] = [
    { community: 'home', accessClass: 'shared', id: 'notes' },
    { community: 'guild-2', accessClass: 'control', id: 'retro_2026-11' },
    { community: '0', accessClass: 'personal', id: 'm1' },
    { community: LONGEST_PART, accessClass: 'index', id: LONGEST_PART },
  ];

  it.each(samples)('format then parse gives back $community / $accessClass / $id', (parts) => {
    const name = formatDocName(parts);
    expect(name).toBe(`${parts.community}.${parts.accessClass}.${parts.id}`);
    expect(parseDocName(name)).toEqual(parts);
  });

  it.each(['home.shared.notes', 'a.index.main', 'x_1.personal.y-2'])('parse then format gives back %s', (name) => {
    const parts = parseDocName(name);
    expect(parts).not.toBeNull();
    expect(formatDocName(parts!)).toBe(name);
  });

  it.each([
    { community: 'Home', accessClass: 'shared', id: 'notes' },
    { community: 'home', accessClass: 'shared', id: '' },
    { community: 'home.shared', accessClass: 'shared', id: 'notes' },
    { community: 'home', accessClass: 'shared', id: '../notes' },
    { community: 'home', accessClass: 'public', id: 'notes' },
  ])('refuses to format invalid parts %o', (parts) => {
    expect(() => formatDocName(parts as DocName)).toThrow(RangeError);
  });

  it('names the default community index home.index.main', () => {
    expect(indexDocName(DEFAULT_COMMUNITY)).toBe('home.index.main');
    expect(() => indexDocName('Bad/Community')).toThrow(RangeError);
  });
});
