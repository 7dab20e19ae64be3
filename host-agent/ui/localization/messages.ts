import { msg } from '@lit/localize';
import type { EndReason } from '@wardlink/protocol';

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
    default: {
      const unreachable: never = reason;
      return unreachable;
    }
  }
}
