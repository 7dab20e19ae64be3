import type Router from '@koa/router';
import type Koa from 'koa';
import { ErrorCode, fail, Id, ok, parse, RecordingFileName, RecordingListQuery, type AuditorKeyList } from '@wardlink/protocol';
import { recordingFileName } from '@wardlink/recordings/node';
import type { GuardState } from '../access/httpGuard.ts';
import type { Policies } from '../recordings/Policies.ts';
import type { RecordingArchive, StoredPartName } from '../recordings/RecordingArchive.ts';
import { reply } from './reply.ts';

/** What the auditor console's routes need. */
export interface AuditorRoutesOptions {
  /** The recording index and stored parts, read side (REP1-REP5). */
  archive: RecordingArchive;
  /** Auditor keys (POL1, REP6). */
  policies: Policies;
  /** Name of the sign-in cookie: `recording.opened` is audited once per sign-in and recording. */
  sessionCookie: string;
}

/**
 * The auditor console's read routes (docs/SPEC.md REP1-REP7), mounted on the `/api` router. The
 * access guard has already let only auditors through (`recordings:list`, `recordings:read`,
 * `auditor:key_read`); every parameter and query is validated here before use.
 */
export function auditorRoutes(router: Router, options: AuditorRoutesOptions): void {
  const { archive, policies } = options;

  // REP1, REP2: the index, filtered and paged.
  router.get('/recordings', (ctx) => {
    const query = parse(RecordingListQuery, { ...ctx.query });
    if (!query.ok) return reply(ctx, query);
    ctx.set('Cache-Control', 'no-store');
    return reply(ctx, ok(archive.search(query.value)));
  });

  // REP3: one recording, the host's enrolled key and the stored parts.
  router.get('/recordings/:recordingId', (ctx) => {
    const recordingId = parse(Id, ctx.params['recordingId']);
    if (!recordingId.ok) return reply(ctx, fail(ErrorCode.BAD_MESSAGE, 'Invalid recording id.'));
    const detail = archive.detail(recordingId.value);
    if (!detail) return reply(ctx, fail(ErrorCode.NOT_FOUND, 'No such recording.'));
    ctx.set('Cache-Control', 'no-store');
    return reply(ctx, ok(detail));
  });

  // REP4, REP5: the ciphertext of one stored part; fetching a header is audited as opening the recording.
  router.get('/recordings/:recordingId/:part', async (ctx) => {
    const recordingId = parse(Id, ctx.params['recordingId']);
    if (!recordingId.ok) return reply(ctx, fail(ErrorCode.BAD_MESSAGE, 'Invalid recording id.'));
    const part = partName(ctx.params['part']);
    if (!part) return reply(ctx, fail(ErrorCode.BAD_MESSAGE, 'Unknown part: use header, manifest or segment-NNNNNN.'));
    const recording = archive.summary(recordingId.value);
    if (!recording) return reply(ctx, fail(ErrorCode.NOT_FOUND, 'No such recording.'));
    const bytes = await archive.part(recording.id, part);
    if (!bytes) return reply(ctx, fail(ErrorCode.NOT_FOUND, 'This part is not stored.'));
    const state = ctx.state as GuardState;
    if (part === 'header' && state.user) {
      archive.opened(recording, state.user.id, ctx.cookies.get(options.sessionCookie) ?? '', state.clientAddress);
    }
    ctx.status = 200;
    ctx.type = 'application/octet-stream';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', 'attachment');
    ctx.body = bytes;
    return undefined;
  });

  // REP6: the signed-in auditor's own keys and whether the admin has approved them.
  router.get('/auditor/keys', (ctx: Koa.Context) => {
    const user = (ctx.state as Partial<GuardState>).user;
    if (!user) return reply(ctx, fail(ErrorCode.UNAUTHENTICATED));
    const keys: AuditorKeyList['keys'] = policies
      .keysOf(user.id)
      .map((k) => ({ keyId: k.keyId, publicKey: k.publicKey, label: k.label, status: k.status, createdAt: k.createdAt }));
    ctx.set('Cache-Control', 'no-store');
    return reply(ctx, ok({ keys }));
  });
}

/**
 * A part's file name (`header`, `manifest`, `segment-` and 6 digits) as a part, or undefined. The
 * name must be exactly what the recording format calls that part, so a segment index beyond the
 * format's limit is refused too.
 */
function partName(text: string | undefined): StoredPartName | undefined {
  const name = parse(RecordingFileName, text);
  if (!name.ok) return undefined;
  const part: StoredPartName =
    name.value === 'header' || name.value === 'manifest' ? name.value : { segment: Number(name.value.slice('segment-'.length)) };
  try {
    return recordingFileName(part) === name.value ? part : undefined;
  } catch {
    return undefined;
  }
}
