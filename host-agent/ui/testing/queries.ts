/**
 * Test helpers that find elements the way assistive technology meets them:
 * by role and accessible name, through shadow roots. A small stand-in for
 * Testing Library's `getByRole`, covering the roles and naming rules the
 * ward page uses. Only tests import this module.
 */

/** Selectors of the implicit roles of the elements the ward page uses. */
const IMPLICIT_ROLES: Record<string, string> = {
  button: 'button',
  checkbox: 'input[type=checkbox]',
  heading: 'h1, h2, h3, h4, h5, h6',
  list: 'ul, ol',
  listitem: 'li',
  group: 'fieldset',
  region: 'section[aria-label], section[aria-labelledby]',
};

/** A name to match: exactly (after collapsing white space), or by pattern. */
export type NameMatcher = string | RegExp;

/** Every element under `root`, shadow roots included, in document order (a host before its shadow content). */
function deepElements(root: ParentNode): Element[] {
  const out: Element[] = [];
  for (const el of root.querySelectorAll('*')) {
    out.push(el);
    if (el.shadowRoot) {
      out.push(...deepElements(el.shadowRoot));
    }
  }
  return out;
}

function collapse(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

function hasRole(el: Element, role: string): boolean {
  const explicit = el.getAttribute('role');
  if (explicit !== null) {
    return explicit.split(/\s+/).includes(role);
  }
  const implicit = IMPLICIT_ROLES[role];
  return implicit !== undefined && el.matches(implicit);
}

function hidden(el: Element): boolean {
  return el.closest('[hidden], [aria-hidden="true"]') !== null;
}

/** The text of the elements that `ids` (space separated) name, in the element's own tree. */
function textOfIds(el: Element, ids: string): string {
  const root = el.getRootNode() as Document | ShadowRoot;
  return collapse(
    ids
      .split(/\s+/)
      .map((id) => root.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

/**
 * An element's accessible name, simplified: `aria-labelledby`, then
 * `aria-label`, then an input's labels or a fieldset's legend, then the
 * element's text.
 */
export function accessibleName(el: Element): string {
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) {
    return textOfIds(el, labelledBy);
  }
  const label = el.getAttribute('aria-label');
  if (label) {
    return collapse(label);
  }
  if (el instanceof HTMLInputElement) {
    return collapse([...(el.labels ?? [])].map((l) => l.textContent).join(' '));
  }
  if (el instanceof HTMLFieldSetElement) {
    return collapse(el.querySelector('legend')?.textContent);
  }
  return collapse(el.textContent);
}

/** An element's accessible description, from `aria-describedby`. */
export function accessibleDescription(el: Element): string {
  const describedBy = el.getAttribute('aria-describedby');
  return describedBy ? textOfIds(el, describedBy) : '';
}

function matches(name: string, matcher: NameMatcher | undefined): boolean {
  return matcher === undefined || (typeof matcher === 'string' ? name === matcher : matcher.test(name));
}

/** Every visible element under `root` with `role` (and `name`, if given). */
export function allByRole<T extends HTMLElement = HTMLElement>(root: ParentNode, role: string, name?: NameMatcher): T[] {
  return deepElements(root).filter(
    (el): el is T => el instanceof HTMLElement && hasRole(el, role) && !hidden(el) && matches(accessibleName(el), name),
  );
}

/** The one element under `root` with `role` (and `name`), or null; throws if there are several. */
export function queryByRole<T extends HTMLElement = HTMLElement>(root: ParentNode, role: string, name?: NameMatcher): T | null {
  const found = allByRole<T>(root, role, name);
  if (found.length > 1) {
    throw new Error(`${found.length} elements with role ${role} named ${String(name)}`);
  }
  return found[0] ?? null;
}

/** The one element under `root` with `role` (and `name`); throws, listing what there is, if not exactly one. */
export function byRole<T extends HTMLElement = HTMLElement>(root: ParentNode, role: string, name?: NameMatcher): T {
  const found = queryByRole<T>(root, role, name);
  if (!found) {
    const present = allByRole(root, role).map((el) => JSON.stringify(accessibleName(el)));
    throw new Error(`No ${role} named ${String(name)}; there are: ${present.join(', ') || 'none'}`);
  }
  return found;
}

/** The accessible names of every element with `role` under `root`, e.g. the page's buttons. */
export function namesByRole(root: ParentNode, role: string): string[] {
  return allByRole(root, role).map(accessibleName);
}

/** The element with keyboard focus, looking inside shadow roots. */
export function deepActiveElement(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) {
    active = active.shadowRoot.activeElement;
  }
  return active;
}
