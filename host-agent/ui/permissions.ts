import { Permission } from '@wardlink/protocol';

/**
 * A list of permissions in the protocol's order (view, control, files,
 * print, clipboard, chat), so the ward user always sees them in the same
 * order; duplicates are dropped.
 */
export function inPicklistOrder(permissions: readonly Permission[]): Permission[] {
  return Permission.options.filter((p) => permissions.includes(p));
}
