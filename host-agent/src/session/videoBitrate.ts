/** The host's video bitrate bounds, in kbit/s. */
export interface VideoBitrate {
  /** Highest rate the sender may reach when the network allows it. */
  maxKbps: number;
  /** Rate the bandwidth estimate starts from (instead of libwebrtc's 300). */
  startKbps: number;
}

/** Codecs whose sender reads the bounds (libwebrtc's `x-google-*-bitrate` format parameters). */
const VIDEO_CODECS = /^(VP8|VP9|AV1)$/i;

/**
 * Returns the viewer's offer with bitrate bounds on each video codec, for the host's own
 * `setRemoteDescription` only (what was signed, relayed and bound in the PIN handshake is the
 * unchanged offer; fingerprints and every other line stay as they are).
 *
 * Why: without a bound libwebrtc caps a 1280x800 stream at 2.5 Mbit/s, whatever the network can
 * carry, and under a full-screen change of small text its encoder then drops to a few frames per
 * second. On a hospital LAN the estimate climbs to the bound; on a slow or relayed path it stays
 * as low as the estimate finds, as before.
 */
export function withVideoBitrate(offerSdp: string, bitrate: VideoBitrate): string {
  const eol = offerSdp.includes('\r\n') ? '\r\n' : '\n';
  const trailing = offerSdp.endsWith(eol);
  const lines = (trailing ? offerSdp.slice(0, -eol.length) : offerSdp).split(eol);
  const params = `x-google-max-bitrate=${Math.round(bitrate.maxKbps)};x-google-start-bitrate=${Math.round(bitrate.startKbps)}`;
  const out: string[] = [];
  let inVideo = false;
  let videoPayloads = new Set<string>();
  let withFmtp = new Set<string>();
  /** Adds fmtp lines for video codecs that had none, at the end of a video section. */
  const closeSection = (): void => {
    if (inVideo) for (const pt of videoPayloads) if (!withFmtp.has(pt)) out.push(`a=fmtp:${pt} ${params}`);
  };
  for (const line of lines) {
    if (line.startsWith('m=')) {
      closeSection();
      inVideo = line.startsWith('m=video ');
      videoPayloads = new Set();
      withFmtp = new Set();
    } else if (inVideo) {
      const rtpmap = /^a=rtpmap:(\d+) ([^/]+)\//.exec(line);
      if (rtpmap && VIDEO_CODECS.test(rtpmap[2]!)) videoPayloads.add(rtpmap[1]!);
      const fmtp = /^a=fmtp:(\d+) (.*)$/.exec(line);
      if (fmtp && videoPayloads.has(fmtp[1]!)) {
        withFmtp.add(fmtp[1]!);
        out.push(fmtp[2]!.includes('x-google-max-bitrate') ? line : `${line};${params}`);
        continue;
      }
    }
    out.push(line);
  }
  closeSection();
  return out.join(eol) + (trailing ? eol : '');
}
