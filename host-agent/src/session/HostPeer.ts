import { createRequire } from 'node:module';
import type * as Wrtc from '@roamhq/wrtc';
import type { Logger } from 'pino';
import {
  CONTROL_CHANNEL,
  ErrorCode,
  ICE_GATHERING_TIMEOUT_MS,
  MAX_CONTROL_MESSAGE_BYTES,
  ViewerMessage,
  connectedPeer,
  parseJson,
  waitForIceGathering,
  type ConnectedPeer,
  type HostMessage,
  type IceConfig,
  type Permission,
} from '@wardlink/protocol';
import type { InputInjector, ScreenCapture } from '../platform/types.ts';
import { FrameThrottle } from './FrameThrottle.ts';
import { withVideoBitrate, type VideoBitrate } from './videoBitrate.ts';

const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as typeof Wrtc;

/** Options for {@link HostPeer}. */
export interface HostPeerOptions {
  ice: IceConfig;
  capture: ScreenCapture;
  input: InputInjector;
  /** Bounds of the video bitrate; default libwebrtc's own. */
  videoBitrate?: VideoBitrate;
  log: Logger;
  /** ICE and DTLS are up; the controller checks the peer's certificate before granting anything. */
  onConnected: () => void;
  /** Granted, and the control channel (and capture, if viewing is granted) is up. */
  onLive: () => void;
  /** The technician asked to end the session over the channel. */
  onEndRequested: () => void;
  /** The connection failed or closed from the other side. */
  onFailed: (reason: string) => void;
  /** Input that was permitted and applied, for the recording's timeline. */
  onInput?: (message: InputMessage) => void;
}

/** Viewer messages that drive the host's mouse and keyboard. */
export type InputMessage = Extract<ViewerMessage, { type: `input:${string}` }>;

/** Bad messages tolerated per session before the host ends it. */
const MAX_BAD_MESSAGES = 200;

/** Frames per second of the live stream while the recorder is under pressure (SREC7). */
export const THROTTLED_FPS = 5;

/**
 * The host's side of one WebRTC session: answers the viewer's offer and, only
 * once {@link grant} is called (after the PIN handshake and the ward user's
 * consent), streams the captured screen and applies validated input from the
 * control channel (INP1-INP4, CON2 in docs/SPEC.md). Until then no pixel
 * leaves and every input message is refused.
 */
export class HostPeer {
  private readonly options: HostPeerOptions;
  private readonly pc: RTCPeerConnection;
  private readonly source = new wrtc.nonstandard.RTCVideoSource();
  private readonly track: MediaStreamTrack;
  private channel: RTCDataChannel | undefined;
  private capturing = false;
  private live = false;
  private granted: ReadonlySet<Permission> | undefined;
  private readonly outbox: HostMessage[] = [];
  private badMessages = 0;
  private frozen = false;
  private closed = false;
  /** Between the capture and the video source: limits the rate while the recorder needs the CPU. */
  private readonly throttle = new FrameThrottle((frame) => {
    if (!this.closed && !this.frozen) this.source.onFrame(frame);
  });

  constructor(options: HostPeerOptions) {
    this.options = options;
    this.pc = new wrtc.RTCPeerConnection({
      iceServers: options.ice.iceServers,
      iceTransportPolicy: options.ice.iceTransportPolicy,
    }) as unknown as RTCPeerConnection;
    this.track = this.source.createTrack() as unknown as MediaStreamTrack;
    this.pc.addEventListener('connectionstatechange', this.onConnectionState);
    this.pc.addEventListener('datachannel', this.onDataChannel);
  }

  /** Applies the viewer's offer and returns the complete answer SDP. The video sender stays empty. */
  async answer(offerSdp: string): Promise<string> {
    const bitrate = this.options.videoBitrate;
    await this.pc.setRemoteDescription({ type: 'offer', sdp: bitrate ? withVideoBitrate(offerSdp, bitrate) : offerSdp });
    const transceiver = this.pc.getTransceivers().find((t) => t.receiver.track.kind === 'video');
    if (!transceiver) throw new Error('The offer has no video section.');
    transceiver.direction = 'sendonly';
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await waitForIceGathering(this.pc, ICE_GATHERING_TIMEOUT_MS);
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error('No local description.');
    return sdp;
  }

  /** Sends a message to the viewer now, or as soon as the channel opens. */
  send(message: HostMessage): void {
    if (this.closed) return;
    if (this.channel?.readyState === 'open') this.channel.send(JSON.stringify(message));
    else this.outbox.push(message);
  }

  /** The certificate and selected candidate of the connected peer, from getStats() (PIN6). */
  async connectedPeer(): Promise<ConnectedPeer> {
    return connectedPeer(await this.pc.getStats());
  }

  /**
   * Starts the session with these permissions (CON2): the screen track and capture only with
   * `view`, input only with `control`. Tells the viewer what was granted. Call once.
   */
  async grant(permissions: readonly Permission[], recorded: boolean): Promise<void> {
    if (this.granted || this.closed) return;
    this.granted = new Set(permissions);
    this.send({ type: 'consent:granted', permissions: [...this.granted], recorded });
    if (this.granted.has('view')) {
      const transceiver = this.pc.getTransceivers().find((t) => t.receiver.track.kind === 'video');
      await transceiver?.sender.replaceTrack(this.track);
      await this.startCapture();
    } else {
      this.maybeLive();
    }
  }

  /**
   * While the recording is stopped no frame is sent and every input is refused (mandatory
   * recording); the viewer is told either way.
   */
  setFrozen(frozen: boolean): void {
    if (this.frozen === frozen || this.closed) return;
    this.frozen = frozen;
    // Keys or buttons held when input stops would stay held on the PC.
    if (frozen) void this.options.input.releaseAll().catch(() => undefined);
    this.send({ type: frozen ? 'recording:frozen' : 'recording:resumed' });
  }

  /**
   * While the recorder is under pressure the live stream sends at most THROTTLED_FPS frames a
   * second (the newest screen still arrives), so that the recording keeps up (SREC7).
   */
  setThrottled(throttled: boolean): void {
    if (this.closed || this.throttle.limited === throttled) return;
    this.options.log.info({ fps: throttled ? THROTTLED_FPS : undefined }, throttled ? 'live video slowed: the recorder needs the CPU' : 'live video at full rate again');
    this.throttle.limit(throttled ? THROTTLED_FPS : undefined);
  }

  private readonly onConnectionState = (): void => {
    const state = this.pc.connectionState;
    this.options.log.debug({ state }, 'peer connection state');
    if (state === 'connected') this.options.onConnected();
    if (state === 'failed' || state === 'closed') this.options.onFailed(`connection ${state}`);
  };

  private readonly onDataChannel = (event: RTCDataChannelEvent): void => {
    const channel = event.channel;
    if (channel.label !== CONTROL_CHANNEL || this.channel) {
      channel.close();
      return;
    }
    this.channel = channel;
    channel.addEventListener('open', () => this.onChannelOpen());
    channel.addEventListener('close', () => this.options.onFailed('control channel closed'));
    channel.addEventListener('message', (ev: MessageEvent) => void this.onMessage(ev.data));
    if (channel.readyState === 'open') this.onChannelOpen();
  };

  private onChannelOpen(): void {
    for (const message of this.outbox.splice(0)) this.send(message);
    this.maybeLive();
  }

  private async startCapture(): Promise<void> {
    if (this.capturing || this.closed) return;
    this.capturing = true;
    try {
      await this.options.capture.start(
        (frame) => this.throttle.push(frame),
        (err) => {
          this.options.log.error({ err: err.message }, 'screen capture failed');
          this.options.onFailed('capture failed');
        },
      );
      this.maybeLive();
    } catch (err) {
      this.options.log.error({ err: String(err) }, 'screen capture did not start');
      this.options.onFailed('capture failed');
    }
  }

  private maybeLive(): void {
    if (this.live || this.closed || !this.granted || this.channel?.readyState !== 'open') return;
    const viewing = this.granted.has('view');
    if (viewing && (!this.capturing || !this.options.capture.width)) return;
    this.live = true;
    if (viewing) this.send({ type: 'screen:info', width: this.options.capture.width, height: this.options.capture.height });
    this.options.onLive();
  }

  private async onMessage(data: unknown): Promise<void> {
    const parsed = parseJson(ViewerMessage, data, MAX_CONTROL_MESSAGE_BYTES);
    if (!parsed.ok) {
      this.send({ type: 'error', code: parsed.error.code, message: parsed.error.message });
      if (++this.badMessages > MAX_BAD_MESSAGES) this.options.onFailed('too many bad messages');
      return;
    }
    const message = parsed.value;
    switch (message.type) {
      case 'session:end':
        this.options.onEndRequested();
        return;
      case 'input:pointer':
      case 'input:wheel':
      case 'input:key':
      case 'input:text':
        // CON2: nothing is applied before consent or without the control permission.
        if (!this.live || !this.granted?.has('control')) {
          this.send({ type: 'error', code: ErrorCode.FORBIDDEN, message: 'Control is not permitted.' });
          if (++this.badMessages > MAX_BAD_MESSAGES) this.options.onFailed('too many refused messages');
          return;
        }
        if (this.frozen) {
          this.send({ type: 'error', code: ErrorCode.FORBIDDEN, message: 'Paused while the recording is stopped.' });
          return;
        }
        try {
          await this.options.input.apply(message);
          this.options.onInput?.(message);
        } catch (err) {
          const code = (err as { code?: string }).code === 'unsupported_key' ? ErrorCode.BAD_MESSAGE : ErrorCode.INTERNAL;
          this.send({ type: 'error', code, message: code === ErrorCode.BAD_MESSAGE ? 'Unsupported key.' : 'Input failed.' });
        }
        return;
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  }

  /** Stops capture, releases held keys, closes the connection. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pc.removeEventListener('connectionstatechange', this.onConnectionState);
    this.pc.removeEventListener('datachannel', this.onDataChannel);
    this.options.capture.close();
    this.throttle.close();
    this.track.stop();
    void this.options.input.releaseAll().catch(() => undefined);
    this.channel?.close();
    this.pc.close();
  }
}
