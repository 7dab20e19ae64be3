/** Formats a 9-digit session code for reading aloud: `123456789` -> `123 456 789`. */
export function formatCode(code: string): string {
  const digits = code.replace(/\D/g, '');
  return digits.replace(/(\d{3})(?=\d)/g, '$1 ');
}

/** Formats an 8-digit PIN for reading aloud: `12345678` -> `1234 5678`. */
export function formatPin(pin: string): string {
  const digits = pin.replace(/\D/g, '');
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/**
 * Formats a moment (milliseconds since the epoch) as a local time of day on
 * the 24-hour clock hospitals use, e.g. `14:05`.
 */
export function formatTime(epochMs: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(epochMs),
  );
}
