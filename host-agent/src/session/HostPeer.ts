import { createRequire } from 'node:module';
import type * as Wrtc from '@roamhq/wrtc';
import type { Logger } from 'pino';
import {
  CONTROL_CHANNEL,
  ErrorCode,
  ICE_GATHERING_TIMEOUT_MS,
  MAX_CONTROL_MESSAGE_BYTES,
  ViewerMessage,
  parseJson,
  waitForIceGathering,
  type HostMessage,
  type IceConfig,
} from '@wardlink/protocol';
import type { InputInjector, ScreenCapture } from '../platform/types.ts';

const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as typeof Wrtc;

/** Options for {@link HostPeer}. */
export interface HostPeerOptions {
  ice: IceConfig;
  capture: ScreenCapture;
  input: InputInjector;
  log: Logger;
  /** The peer connection and control channel are up. */
  onLive: () => void;
  /** The technician asked to end the session over the channel. */
  onEndRequested: () => void;
  /** The connection failed or closed from the other side. */
  onFailed: (reason: string) => void;
}

/** Bad messages tolerated per session before the host ends it. */
const MAX_BAD_MESSAGES = 200;

/**
 * The host's side of one WebRTC session: answers the viewer's offer, streams
 * the captured screen as a video track and applies validated input from the
 * control channel (INP1-INP4 in docs/SPEC.md).
 */
export class HostPeer {
  private readonly options: HostPeerOptions;
  private readonly pc: RTCPeerConnection;
  private readonly source = new wrtc.nonstandard.RTCVideoSource();
  private readonly track: MediaStreamTrack;
  private channel: RTCDataChannel | undefined;
  private capturing = false;
  private live = false;
  private badMessages = 0;
  private closed = false;

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

  /** Applies the viewer's offer and returns the complete answer SDP. */
  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    const transceiver = this.pc.getTransceivers().find((t) => t.receiver.track.kind === 'video');
    if (!transceiver) throw new Error('The offer has no video section.');
    await transceiver.sender.replaceTrack(this.track);
    transceiver.direction = 'sendonly';
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await waitForIceGathering(this.pc, ICE_GATHERING_TIMEOUT_MS);
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error('No local description.');
    return sdp;
  }

  /** Sends a message to the viewer, if the channel is open. */
  send(message: HostMessage): void {
    if (this.channel?.readyState === 'open') this.channel.send(JSON.stringify(message));
  }

  private readonly onConnectionState = (): void => {
    const state = this.pc.connectionState;
    this.options.log.debug({ state }, 'peer connection state');
    if (state === 'connected') void this.startCapture();
    if (state === 'failed' || state === 'closed') this.options.onFailed(`connection ${state}`);
  };

  private readonly onDataChannel = (event: RTCDataChannelEvent): void => {
    const channel = event.channel;
    if (channel.label !== CONTROL_CHANNEL || this.channel) {
      channel.close();
      return;
    }
    this.channel = channel;
    channel.addEventListener('open', () => this.maybeLive());
    channel.addEventListener('close', () => this.options.onFailed('control channel closed'));
    channel.addEventListener('message', (ev: MessageEvent) => void this.onMessage(ev.data));
    if (channel.readyState === 'open') this.maybeLive();
  };

  private async startCapture(): Promise<void> {
    if (this.capturing || this.closed) return;
    this.capturing = true;
    try {
      await this.options.capture.start(
        (frame) => {
          if (!this.closed) this.source.onFrame(frame);
        },
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
    if (this.live || this.closed || this.channel?.readyState !== 'open' || !this.capturing) return;
    if (!this.options.capture.width) return;
    this.live = true;
    this.send({ type: 'screen:info', width: this.options.capture.width, height: this.options.capture.height });
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
        if (!this.live) return;
        try {
          await this.options.input.apply(message);
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
    this.track.stop();
    void this.options.input.releaseAll().catch(() => undefined);
    this.channel?.close();
    this.pc.close();
  }
}
