import { msg } from '@lit/localize';

/**
 * Localised text for why the last session ended, from the ward user's
 * point of view; undefined for a reason this page does not know.
 */
export function endReasonText(reason: string): string | undefined {
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
    default:
      return undefined;
  }
}
