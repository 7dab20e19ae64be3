import { msg } from '@lit/localize';
import type { EndReason, Permission } from '@wardlink/protocol';

/** Localised text for why the last session ended, from the ward user's point of view. */
export function endReasonText(reason: EndReason): string {
  switch (reason) {
    case 'ended_by_host':
      return msg('you ended it.', { id: 'ward.reason.ended_by_host' });
    case 'ended_by_technician':
      return msg('the technician ended it.', { id: 'ward.reason.ended_by_technician' });
    case 'host_disconnected':
      return msg('this PC lost its connection.', { id: 'ward.reason.host_disconnected' });
    case 'technician_disconnected':
      return msg("the technician's connection was lost.", { id: 'ward.reason.technician_disconnected' });
    case 'expired':
      return msg('the session code expired.', { id: 'ward.reason.expired' });
    case 'failed':
      return msg('the connection failed.', { id: 'ward.reason.failed' });
    case 'auth_failed':
      return msg("the technician's PIN was not accepted.", { id: 'ward.reason.auth_failed' });
    case 'pin_locked':
      return msg('a wrong PIN was entered too many times.', { id: 'ward.reason.pin_locked' });
    case 'declined':
      return msg('you declined the session.', { id: 'ward.reason.declined' });
    case 'tampered':
      return msg('the connection could not be verified and was stopped for safety.', { id: 'ward.reason.tampered' });
    case 'recording_failed':
      return msg('the session could not be recorded, so it was stopped.', { id: 'ward.reason.recording_failed' });
    default: {
      const unreachable: never = reason;
      return unreachable;
    }
  }
}

/**
 * Localised text for what a permission lets the technician do, in the ward
 * user's words: a checkbox label at consent, a list item in the live banner.
 */
export function permissionText(permission: Permission): string {
  switch (permission) {
    case 'view':
      return msg('See your screen', { id: 'ward.permission.view' });
    case 'control':
      return msg('Use your mouse and keyboard', { id: 'ward.permission.control' });
    case 'file_to_host':
      return msg('Send files to this PC', { id: 'ward.permission.file_to_host' });
    case 'file_from_host':
      return msg('Take files from this PC', { id: 'ward.permission.file_from_host' });
    case 'print':
      return msg('Print from this PC', { id: 'ward.permission.print' });
    case 'clipboard_to_host':
      return msg('Paste into this PC (clipboard)', { id: 'ward.permission.clipboard_to_host' });
    case 'clipboard_from_host':
      return msg('Get what you copy on this PC (clipboard)', { id: 'ward.permission.clipboard_from_host' });
    case 'chat':
      return msg('Chat with you', { id: 'ward.permission.chat' });
    default: {
      const unreachable: never = permission;
      return unreachable;
    }
  }
}

/** Localised text saying whether the session is (or will be) recorded. */
export function recordingText(recording: boolean): string {
  return recording
    ? msg('This session will be recorded.', { id: 'ward.recording.on' })
    : msg('This session is not recorded.', { id: 'ward.recording.off' });
}
