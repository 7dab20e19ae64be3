import type { RecordingList, RecordingSummary } from '@wardlink/protocol';
import { AuditorKeyStore } from '../../audit/AuditorKeyStore.ts';

/** Test data for the audit console's tests: two recordings and a page of them. */
export const REC_COMPLETE: RecordingSummary = {
  id: 'rec-0000000001',
  sessionId: 'session-0001',
  hostId: 'host-0000001',
  hostName: 'Ward 3 PC',
  technicianId: 'user-tech-01',
  technicianName: 'Sato Hanako',
  organisation: 'Help Desk',
  startedAt: Date.UTC(2025, 3, 1, 1, 0, 0),
  endedAt: Date.UTC(2025, 3, 1, 1, 12, 5),
  lastPartAt: Date.UTC(2025, 3, 1, 1, 12, 5),
  sizeBytes: 12_345_678,
  segments: 145,
  complete: true,
};

export const REC_INCOMPLETE: RecordingSummary = {
  id: 'rec-0000000002',
  sessionId: 'session-0002',
  hostId: 'host-0000002',
  hostName: '<img src=x onerror="window.__pwned = true">',
  technicianId: 'user-tech-02',
  technicianName: null,
  organisation: 'Vendor KK',
  startedAt: Date.UTC(2025, 3, 2, 5, 30, 0),
  endedAt: null,
  lastPartAt: Date.UTC(2025, 3, 2, 6, 31, 1),
  sizeBytes: 900,
  segments: 1,
  complete: false,
};

/** A page of the index as the broker answers it. */
export function page(recordings: RecordingSummary[], options: { total?: number; limit?: number; offset?: number } = {}): RecordingList {
  return {
    recordings,
    total: options.total ?? recordings.length,
    limit: options.limit ?? 50,
    offset: options.offset ?? 0,
    facets: {
      hosts: [
        { id: 'host-0000001', name: 'Ward 3 PC' },
        { id: 'host-0000002', name: 'Ward 5 PC' },
      ],
      technicians: [
        { id: 'user-tech-01', name: 'Sato Hanako' },
        { id: 'user-tech-02', name: null },
      ],
      organisations: ['Help Desk', 'Vendor KK'],
    },
  };
}

/** A key store in a database of its own; `remove()` closes and deletes it. */
export function testKeyStore(): { store: AuditorKeyStore; databaseName: string; remove(): Promise<void> } {
  const databaseName = `wardlink-auditor-test-${Math.random().toString(36).slice(2)}`;
  const store = new AuditorKeyStore({ databaseName });
  return {
    store,
    databaseName,
    async remove() {
      store.close();
      await new Promise((resolve) => {
        const request = indexedDB.deleteDatabase(databaseName);
        request.onsuccess = request.onerror = request.onblocked = resolve;
      });
    },
  };
}
