/**
 * Video codec preference. VP9 holds 30 fps on whole-screen scrolling where
 * VP8 collapses (see FIELD-NOTES), so the viewer asks for it first.
 */

type Codec = RTCRtpCapabilities['codecs'][number];

/** Codecs reordered so that VP9 comes first; the rest keep their order. */
export function vp9First(codecs: readonly Codec[]): Codec[] {
  const isVp9 = (codec: Codec): boolean => codec.mimeType.toLowerCase() === 'video/vp9';
  return [...codecs.filter(isVp9), ...codecs.filter((codec) => !isVp9(codec))];
}

/** Asks the transceiver to negotiate VP9 first, when the implementation supports codec preferences. */
export function preferVp9(transceiver: RTCRtpTransceiver, capabilities: RTCRtpCapabilities | null): void {
  if (!capabilities || typeof transceiver.setCodecPreferences !== 'function') {
    return;
  }
  try {
    transceiver.setCodecPreferences(vp9First(capabilities.codecs));
  } catch {
    // Some implementations refuse codec preferences; the default order then applies.
  }
}

/** The receiver's video codecs from `RTCRtpReceiver.getCapabilities`, when this runtime has it. */
export function defaultVideoCapabilities(): RTCRtpCapabilities | null {
  const receiver = (globalThis as { RTCRtpReceiver?: { getCapabilities?: (kind: string) => RTCRtpCapabilities | null } })
    .RTCRtpReceiver;
  return typeof receiver?.getCapabilities === 'function' ? receiver.getCapabilities('video') : null;
}
