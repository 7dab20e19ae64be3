/**
 * The viewer's reusable, DOM-free parts: the session client (also used by
 * Node test clients with @roamhq/wrtc) and the pure input helpers. The
 * browser UI's entry point is `main.ts`.
 */
export { ViewerSession } from './session/ViewerSession.ts';
export { vp9First } from './session/codecs.ts';
export type {
  SessionHost,
  ViewerSessionEvents,
  ViewerSessionLike,
  ViewerSessionOptions,
  ViewerSessionState,
} from './session/ViewerSession.ts';
export { TypedEmitter } from './session/TypedEmitter.ts';
export { request, readAck, type SignalingSocket } from './api/request.ts';
export { mapToHost, containedRect, wheelNotches, pointerButton } from './input/pointer.ts';
export type { Rect, Size, HostPoint } from './input/pointer.ts';
export { classifyKeyDown, isPrintable, modifiersOf } from './input/keyboard.ts';
export type { KeyAction, KeyLike } from './input/keyboard.ts';
