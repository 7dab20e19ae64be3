/** Wire types and runtime schemas shared by broker, host agent and viewer. */
export * from './errors.ts';
export * from './validate.ts';
export * from './common.ts';
export * from './events.ts';
export * from './channel.ts';
export * from './http.ts';
export * from './ice.ts';
export * from './ip.ts';
export * from './pake/index.ts';
export * from './ward.ts';
export * from './recording.ts';
export * from './policy.ts';
export * from './auditor.ts';
