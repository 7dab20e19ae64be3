import * as v from 'valibot';
import { EndReason, Permissions } from './common.ts';
import { ErrorCode } from './errors.ts';

/** Label of the data channel that carries input and control messages. */
export const CONTROL_CHANNEL = 'control';

/** Bytes. A control message larger than this is refused with `too_large`. */
export const MAX_CONTROL_MESSAGE_BYTES = 4096;

/** Host pixel coordinate: non-negative integer below 32768. */
const Coord = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(32767));

/** Mouse buttons: 0 left, 1 middle, 2 right (as in DOM MouseEvent.button). */
const Button = v.picklist([0, 1, 2]);

/** Modifier state sent with key events. */
const Modifiers = v.strictObject({
  shift: v.boolean(),
  ctrl: v.boolean(),
  alt: v.boolean(),
  meta: v.boolean(),
});
export type Modifiers = v.InferOutput<typeof Modifiers>;

/** Viewer -> host messages on the control channel (INP*). */
export const ViewerMessage = v.variant('type', [
  v.strictObject({
    type: v.literal('input:pointer'),
    action: v.picklist(['move', 'down', 'up']),
    x: Coord,
    y: Coord,
    button: Button,
  }),
  v.strictObject({
    type: v.literal('input:wheel'),
    x: Coord,
    y: Coord,
    /** Notches; positive is down/right. */
    dx: v.pipe(v.number(), v.integer(), v.minValue(-50), v.maxValue(50)),
    dy: v.pipe(v.number(), v.integer(), v.minValue(-50), v.maxValue(50)),
  }),
  v.strictObject({
    type: v.literal('input:key'),
    action: v.picklist(['down', 'up']),
    /** DOM `KeyboardEvent.code`, e.g. `KeyA`, `Enter`, `ControlLeft`. */
    code: v.pipe(v.string(), v.regex(/^[A-Za-z0-9]{1,32}$/)),
    modifiers: Modifiers,
  }),
  v.strictObject({
    type: v.literal('input:text'),
    /** Text to type as the user typed it (any script, including IME output). */
    text: v.pipe(v.string(), v.minLength(1), v.maxLength(256), v.regex(/^[^\p{Cc}]*$/u)),
  }),
  v.strictObject({ type: v.literal('session:end') }),
]);
export type ViewerMessage = v.InferOutput<typeof ViewerMessage>;

/** Host -> viewer messages on the control channel. */
export const HostMessage = v.variant('type', [
  v.strictObject({
    type: v.literal('screen:info'),
    width: Coord,
    height: Coord,
  }),
  v.strictObject({
    type: v.literal('error'),
    code: v.picklist(Object.values(ErrorCode)),
    message: v.pipe(v.string(), v.maxLength(256)),
  }),
  v.strictObject({ type: v.literal('session:ended'), reason: EndReason }),
  /** The ward user is being asked to accept the session (CON1). */
  v.strictObject({ type: v.literal('consent:pending') }),
  /** The session may start with these permissions (CON2); the host enforces them. */
  v.strictObject({
    type: v.literal('consent:granted'),
    permissions: Permissions,
    /** The host records the session (SREC1); older hosts leave it out. */
    recorded: v.optional(v.boolean()),
  }),
  /** The session recording stopped: the host sends no video and refuses input until it resumes. */
  v.strictObject({ type: v.literal('recording:frozen') }),
  /** The recording runs again; video and input resume. */
  v.strictObject({ type: v.literal('recording:resumed') }),
]);
export type HostMessage = v.InferOutput<typeof HostMessage>;
