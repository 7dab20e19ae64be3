/**
 * The recording player's sentences (message ids `player.*`, Japanese in localization/ja.ts):
 * integrity status, errors, events and search hits.
 */
import { msg, str } from '@lit/localize';
import type { ProblemKind } from '@wardlink/recordings';
import type { PlayerError } from '../../replay/errors.ts';
import type { EventView } from '../../replay/events.ts';
import type { HitKind } from '../../replay/search.ts';
import { formatTime } from '../../replay/timeFormat.ts';
import type { IntegrityStatus } from '../../replay/types.ts';

/** The integrity status line. */
export function statusText(status: IntegrityStatus | undefined): string {
  if (!status) return msg('No recording loaded.', { id: 'player.status.none' });
  switch (status.state) {
    case 'checking':
      return status.checked === 0
        ? msg('Checking the recording…', { id: 'player.status.opening' })
        : msg(str`Checking segment ${status.checked} of ${status.total}`, { id: 'player.status.checking' });
    case 'verified':
      return msg('Verified', { id: 'player.status.verified' });
    case 'incomplete':
      return status.lastSegment < 0
        ? msg('Incomplete (no segments)', { id: 'player.status.incompleteEmpty' })
        : msg(str`Incomplete (ends after segment ${status.lastSegment})`, { id: 'player.status.incomplete' });
    case 'tampered':
      return status.segment === undefined
        ? msg(str`Tampered: manifest (${problemText(status.kind)})`, { id: 'player.status.tamperedManifest' })
        : msg(str`Tampered: segment ${status.segment} (${problemText(status.kind)})`, { id: 'player.status.tampered' });
    case 'failed':
      return msg('Cannot be played', { id: 'player.status.failed' });
    default: {
      const unreachable: never = status;
      return unreachable;
    }
  }
}

/** The verifier's problem kinds (FORMAT.md REC21) in a word or two. */
export function problemText(kind: ProblemKind): string {
  switch (kind) {
    case 'header':
      return msg('header', { id: 'player.problem.header' });
    case 'signature':
      return msg('signature', { id: 'player.problem.signature' });
    case 'tampered':
      return msg('tampered', { id: 'player.problem.tampered' });
    case 'missing':
      return msg('missing', { id: 'player.problem.missing' });
    case 'reordered':
      return msg('reordered', { id: 'player.problem.reordered' });
    case 'duplicate':
      return msg('duplicate', { id: 'player.problem.duplicate' });
    case 'truncated':
      return msg('truncated', { id: 'player.problem.truncated' });
    case 'manifest':
      return msg('manifest', { id: 'player.problem.manifest' });
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/** The alert for a failure; `codec` is the recording's codec string. */
export function errorText(error: PlayerError, codec: string): string {
  const segment = error.segment ?? 0;
  switch (error.code) {
    case 'not_recipient':
      return msg('Your auditor key cannot open this recording: it is not one of its recipients.', { id: 'player.error.notRecipient' });
    case 'header':
      return msg('The recording header does not verify: it was altered or was not made by this PC. Nothing is played.', {
        id: 'player.error.header',
      });
    case 'fetch':
      return msg(str`Segment ${segment} could not be loaded from the server. Try again.`, { id: 'player.error.fetch' });
    case 'tampered':
      return msg(str`Segment ${segment} failed its checks when it was decrypted.`, { id: 'player.error.tampered' });
    case 'unsupported_codec':
      return msg(str`This browser cannot play the recording's video (${codec}).`, { id: 'player.error.codec' });
    case 'decode':
      return msg('The video could not be decoded. Seek to try again.', { id: 'player.error.decode' });
    case 'unreadable':
      return msg('The recording could not be opened.', { id: 'player.error.unreadable' });
    default: {
      const unreachable: never = error.code;
      return unreachable;
    }
  }
}

/** Where playback of a tampered recording stops. */
export function playableNote(endMs: number): string {
  return msg(str`Playback stops at ${formatTime(endMs)}, before the problem. Nothing after it is shown.`, { id: 'player.tamperedNote' });
}

/** One event of the timeline as a sentence. */
export function eventText(view: EventView): string {
  switch (view.kind) {
    case 'session:start':
      return msg(str`Session started by ${view.technician.name} (${view.technician.organisation}); permissions: ${list(view.permissions)}`, {
        id: 'player.event.sessionStart',
      });
    case 'consent':
      if (view.decision === 'unattended') {
        return msg(str`Unattended session; permissions: ${list(view.permissions)}`, { id: 'player.event.unattended' });
      }
      if (view.decision === 'declined') return msg('The ward user declined the session', { id: 'player.event.declined' });
      return msg(str`The ward user allowed the session; permissions: ${list(view.permissions)}`, { id: 'player.event.consent' });
    case 'permissions':
      return msg(str`Permissions changed: ${list(view.permissions)}`, { id: 'player.event.permissions' });
    case 'input:text':
      return msg(str`Typed “${view.text}”`, { id: 'player.event.text' });
    case 'input:key':
      return msg(str`Key ${view.combo}`, { id: 'player.event.key' });
    case 'input:click':
      return msg(str`Click at ${view.x}, ${view.y}`, { id: 'player.event.click' });
    case 'recording:frozen':
      return msg(str`Recording paused (${view.reason})`, { id: 'player.event.frozen' });
    case 'recording:resumed':
      return msg('Recording resumed', { id: 'player.event.resumed' });
    case 'session:end':
      return msg(str`Session ended (${view.reason})`, { id: 'player.event.sessionEnd' });
    case 'file:transfer':
      return msg(str`File transfer (${view.direction}): ${view.name}, ${view.size} bytes`, { id: 'player.event.file' });
    case 'print':
      return msg(str`Printed ${view.name}`, { id: 'player.event.print' });
    case 'clipboard':
      return msg(str`Clipboard (${view.direction}): ${view.length} characters`, { id: 'player.event.clipboard' });
    case 'chat':
      return msg(str`Chat from ${view.from}: ${view.text}`, { id: 'player.event.chat' });
    case 'window':
      return msg(str`Window: ${view.title}`, { id: 'player.event.window' });
    case 'other':
      return view.json ? `${view.type} ${view.json}` : view.type;
    default: {
      const unreachable: never = view;
      return unreachable;
    }
  }
}

/** What a search hit is in. */
export function hitKindText(kind: HitKind): string {
  switch (kind) {
    case 'typed':
      return msg('typed', { id: 'player.hit.typed' });
    case 'file':
      return msg('file', { id: 'player.hit.file' });
    case 'window':
      return msg('window', { id: 'player.hit.window' });
    case 'chat':
      return msg('chat', { id: 'player.hit.chat' });
    case 'print':
      return msg('print', { id: 'player.hit.print' });
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/** The count of search hits. */
export function hitCountText(count: number, query: string): string {
  if (!query.trim()) return '';
  return count === 0
    ? msg('No matches.', { id: 'player.search.none' })
    : msg(str`${count} matches`, { id: 'player.search.count' });
}

function list(items: string[]): string {
  return items.length ? items.join(', ') : '–';
}
