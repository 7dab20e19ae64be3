/** Small helpers for running many asynchronous jobs without flooding the broker. */

/**
 * Runs `job` for every index 0..count-1 with at most `limit` jobs at a time and returns the
 * results in index order. The first failure rejects (after the running jobs settle, so nothing is
 * left unhandled); no new job starts after it.
 */
export async function mapLimit<T>(count: number, limit: number, job: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < count) {
      const index = next++;
      try {
        results[index] = await job(index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(0, Math.min(limit, count)) }, () => worker()));
  if (failure) throw failure.error;
  return results;
}
