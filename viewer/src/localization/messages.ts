import { msg } from '@lit/localize';
import { ErrorCode, type EndReason } from '@wardlink/protocol';

/**
 * Localised, user-facing text for an error code. The server's own message
 * is English-only and never shown; the code decides the sentence.
 */
export function errorText(code: ErrorCode): string {
  switch (code) {
    case ErrorCode.BAD_MESSAGE:
      return msg('The request was not understood.', { id: 'error.bad_message' });
    case ErrorCode.TOO_LARGE:
      return msg('The request was too large.', { id: 'error.too_large' });
    case ErrorCode.VERSION_MISMATCH:
      return msg('This console is out of date. Reload the page.', { id: 'error.version_mismatch' });
    case ErrorCode.UNAUTHENTICATED:
      return msg('You are not signed in.', { id: 'error.unauthenticated' });
    case ErrorCode.FORBIDDEN:
      return msg('You are not allowed to do this.', { id: 'error.forbidden' });
    case ErrorCode.NOT_FOUND:
      return msg('No PC is waiting with this session code.', { id: 'error.not_found' });
    case ErrorCode.EXPIRED:
      return msg('The session code has expired. Ask for a new one.', { id: 'error.expired' });
    case ErrorCode.HOST_OFFLINE:
      return msg('The PC is offline.', { id: 'error.host_offline' });
    case ErrorCode.SESSION_BUSY:
      return msg('The PC is already in a session.', { id: 'error.session_busy' });
    case ErrorCode.RATE_LIMITED:
      return msg('Too many attempts. Wait a moment and try again.', { id: 'error.rate_limited' });
    case ErrorCode.UNAVAILABLE:
      return msg('The server cannot be reached. Try again.', { id: 'error.unavailable' });
    case ErrorCode.INTERNAL:
      return msg('Something went wrong on the server. Try again.', { id: 'error.internal' });
    case ErrorCode.AUTH_FAILED:
      return msg('The PIN was not accepted, or the connection could not be verified. Check the PIN with the ward user and try again.', {
        id: 'error.auth_failed',
      });
    case ErrorCode.STORAGE_FULL:
      return msg('The server is out of storage space. Tell your administrator.', { id: 'error.storage_full' });
    case ErrorCode.CONFLICT:
      return msg('Something different is already stored under this name.', { id: 'error.conflict' });
    case ErrorCode.PIN_LOCKED:
      return msg('Too many wrong PINs for this code. Ask the ward user to press “Get help” again for a new PIN.', {
        id: 'error.pin_locked',
      });
    case ErrorCode.TOTP_REQUIRED:
      return msg('Set up two-step sign-in first.', { id: 'error.totp_required' });
    case ErrorCode.CLIENT_CERT_REQUIRED:
      return msg('This account must sign in with its client certificate. Install the certificate from your administrator and try again.', {
        id: 'error.client_cert_required',
      });
    case ErrorCode.ADDRESS_DENIED:
      return msg('Access from this network is not allowed. Ask your administrator to add it to the allow-list.', {
        id: 'error.address_denied',
      });
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

/** Localised text for why a session ended. */
export function endReasonText(reason: EndReason): string {
  switch (reason) {
    case 'ended_by_host':
      return msg('the ward user ended the session', { id: 'reason.ended_by_host' });
    case 'ended_by_technician':
      return msg('you ended the session', { id: 'reason.ended_by_technician' });
    case 'host_disconnected':
      return msg('the PC disconnected', { id: 'reason.host_disconnected' });
    case 'technician_disconnected':
      return msg('this console disconnected', { id: 'reason.technician_disconnected' });
    case 'expired':
      return msg('the session expired', { id: 'reason.expired' });
    case 'failed':
      return msg('the connection failed', { id: 'reason.failed' });
    case 'auth_failed':
      return msg('the PIN was not accepted or the connection could not be verified; check the PIN with the ward user', {
        id: 'reason.auth_failed',
      });
    case 'pin_locked':
      return msg('too many wrong PINs; ask the ward user for a new PIN', { id: 'reason.pin_locked' });
    case 'declined':
      return msg('the ward user declined the session', { id: 'reason.declined' });
    case 'tampered':
      return msg('the connection could not be verified; ask the ward user for a new PIN and try again', { id: 'reason.tampered' });
    case 'recording_failed':
      return msg('the session could not be recorded, so it was stopped', { id: 'reason.recording_failed' });
    default: {
      const unreachable: never = reason;
      return unreachable;
    }
  }
}
