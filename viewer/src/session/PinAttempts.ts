/** Failed PIN attempts the console allows per session code before it stops trying (PIN5). */
export const MAX_VIEWER_PIN_ATTEMPTS = 3;

/**
 * The PIN as 8 ASCII digits, or undefined. Spaces and dashes (as read out: `1234 5678`) are
 * dropped and full-width digits (typed with a Japanese IME) become ASCII.
 */
export function normalisePin(text: string): string | undefined {
  const digits = text
    .replace(/[\s-]/g, '')
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  return /^\d{8}$/.test(digits) ? digits : undefined;
}

/**
 * The viewer's own cap on PIN retries: after {@link MAX_VIEWER_PIN_ATTEMPTS} failed handshakes
 * under one session code, this console refuses to try that code again (the host voids the PIN
 * after as many failures anyway). A confirmed handshake clears the count.
 */
export class PinAttempts {
  private readonly failures = new Map<string, number>();

  /** Whether this code has used up its attempts in this console. */
  blocked(code: string): boolean {
    return (this.failures.get(code) ?? 0) >= MAX_VIEWER_PIN_ATTEMPTS;
  }

  /** The host's key confirmation did not verify. */
  fail(code: string): void {
    this.failures.set(code, (this.failures.get(code) ?? 0) + 1);
  }

  /** The handshake confirmed: the PIN was right. */
  succeed(code: string): void {
    this.failures.delete(code);
  }
}
