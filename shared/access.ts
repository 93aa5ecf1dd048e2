import type { AccessClass } from './docNames.ts';

/**
 * What a connection may do with a document. Decided once per connection from the document's
 * access class (and, from the membership issue on, the member's role).
 */
export type Access = 'none' | 'read' | 'write';

/**
 * Index documents are written only by the server (projections, API); everyone else reads them.
 * The other classes are writable until roles arrive with the membership issue.
 */
export function accessFor(accessClass: AccessClass): Access {
  switch (accessClass) {
    case 'index':
      return 'read';
    case 'shared':
    case 'control':
    case 'personal':
      return 'write';
  }
}
