/** Times of a recording as people read them. */

/** `m:ss` below an hour (`mm:ss` from ten minutes), `h:mm:ss` from an hour; `ms` is milliseconds, floored to seconds. */
export function formatTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${String(m).padStart(2, '0')}:${ss}`;
}
