/**
 * Waits until ICE gathering is complete (no trickle ICE: the full SDP is sent
 * once), or until `timeoutMs` passes, whichever is first. Works with the
 * browser's RTCPeerConnection and with @roamhq/wrtc's.
 */
export function waitForIceGathering(
  pc: Pick<RTCPeerConnection, 'iceGatheringState' | 'addEventListener' | 'removeEventListener'>,
  timeoutMs: number,
): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = (): void => {
      if (pc.iceGatheringState === 'complete') done();
    };
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', check);
  });
}

/** Milliseconds. How long a peer waits for ICE gathering before sending what it has. */
export const ICE_GATHERING_TIMEOUT_MS = 5000;
