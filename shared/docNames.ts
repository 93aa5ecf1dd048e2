/**
 * Document names carry their community and access class, so the relay decides access from the
 * name alone (DESIGN §1):
 *
 *   name      = community "." accessClass "." id
 *   community = id
 *   id        = [a-z0-9] [a-z0-9_-]{0,63}
 *
 * The grammar admits no "/", "%", "." inside a part, or upper case, so one document has exactly
 * one spelling: path variants and percent-encodings cannot alias another document.
 */

export const ACCESS_CLASSES = ['shared', 'control', 'personal', 'index'] as const;
export type AccessClass = (typeof ACCESS_CLASSES)[number];

export interface DocName {
  community: string;
  accessClass: AccessClass;
  id: string;
}

const PART = '[a-z0-9][a-z0-9_-]{0,63}';
const NAME_PATTERN = new RegExp(`^(${PART})\\.(${ACCESS_CLASSES.join('|')})\\.(${PART})$`);
const PART_PATTERN = new RegExp(`^${PART}$`);

export function parseDocName(name: string): DocName | null {
  const match = NAME_PATTERN.exec(name);
  if (!match) return null;
  return { community: match[1]!, accessClass: match[2] as AccessClass, id: match[3]! };
}

export function formatDocName(parts: DocName): string {
  const name = `${parts.community}.${parts.accessClass}.${parts.id}`;
  if (!parseDocName(name)) throw new RangeError(`invalid document name parts: ${name}`);
  return name;
}

export function isValidIdPart(part: string): boolean {
  return PART_PATTERN.test(part);
}

/** Until communities exist (next issue) every document belongs to this one. */
export const DEFAULT_COMMUNITY = 'home';

export function indexDocName(community: string): string {
  return formatDocName({ community, accessClass: 'index', id: 'main' });
}
