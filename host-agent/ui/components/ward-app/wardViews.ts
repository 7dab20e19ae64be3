/**
 * The parts of `<wl-ward-app>` that only show state: the code and PIN while
 * waiting, the details of the live banner and the wrong-PIN alarm. They
 * render into the app's shadow root and use its styles (ward-app.styles.ts).
 */
import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { PIN_ATTEMPTS, type WardState } from '@wardlink/protocol';
import { currentLocale } from '@wardlink/viewer/ui-kit';
import { formatCode, formatPin, formatTime } from '../../format.ts';
import { permissionText, recordingText } from '../../localization/messages.ts';
import { inPicklistOrder } from '../../permissions.ts';

/** While waiting: the session code and the PIN, large, with their expiry and who may hear them. */
export function sessionCode(s: WardState) {
  const until = s.expiresAt !== undefined ? formatTime(s.expiresAt, currentLocale()) : undefined;
  if (s.pin === undefined) {
    // An agent from before the PIN: the code alone.
    return html`<div class="code-box">
      <span class="code-label" id="code-label">${msg('Session code', { id: 'ward.codeLabel' })}</span>
      <p class="code" id="code" role="group" aria-labelledby="code-label">${formatCode(s.code ?? '')}</p>
      <p class="expiry">
        ${until !== undefined
          ? msg(str`Read this code to the technician. It is valid until ${until}.`, { id: 'ward.codeExpiry' })
          : msg('Read this code to the technician.', { id: 'ward.codeRead' })}
      </p>
    </div>`;
  }
  return html`<div class="code-box">
    <span class="code-label" id="code-label">${msg('Session code', { id: 'ward.codeLabel' })}</span>
    <p class="code" id="code" role="group" aria-labelledby="code-label">${formatCode(s.code ?? '')}</p>
    <span class="code-label" id="pin-label">${msg('PIN', { id: 'ward.pinLabel' })}</span>
    <p class="code" id="pin" role="group" aria-labelledby="pin-label">${formatPin(s.pin)}</p>
    <p class="secret">
      ${msg(
        'Read the code and the PIN only to the technician you called. Nobody from IT will ask you for them otherwise.',
        { id: 'ward.pinSecret' },
      )}
    </p>
    ${until !== undefined
      ? html`<p class="expiry">
          ${msg(str`The code and the PIN are valid until ${until}.`, { id: 'ward.pinExpiry' })}
        </p>`
      : nothing}
  </div>`;
}

/**
 * The body of the live banner, under the status line that says who is
 * connected: what they may do, whether the session is recorded, and whether
 * this PC accepts sessions without asking. It has no close button on purpose.
 */
export function liveDetails(s: WardState) {
  const granted = s.permissions ? inPicklistOrder(s.permissions) : undefined;
  return html`<div class="live-details">
    ${granted
      ? html`<p class="may" id="may">${msg('The technician may:', { id: 'ward.live.may' })}</p>
          <ul class="granted" aria-labelledby="may">
            ${granted.map((p) => html`<li>${permissionText(p)}</li>`)}
          </ul>`
      : // An agent from before consent granted view and control.
        html`<p>
          ${msg(
            'The technician can see this screen and use the mouse and keyboard. You can end the session at any time.',
            { id: 'ward.liveNotice' },
          )}
        </p>`}
    ${s.recording === undefined
      ? nothing
      : html`<p class=${s.recording ? 'recording on' : 'recording'}>${recordingText(s.recording)}</p>`}
    ${s.frozen
      ? html`<p class="frozen" role="alert">
          ${msg('Paused: the recording stopped, so the technician cannot see or use this PC until it records again.', {
            id: 'ward.live.frozen',
          })}
        </p>`
      : nothing}
    ${s.unattended
      ? html`<p class="unattended">
          ${msg('This PC accepts support sessions without asking (set by your administrator).', {
            id: 'ward.live.unattended',
          })}
        </p>`
      : nothing}
    ${granted ? html`<p>${msg('You can end the session at any time.', { id: 'ward.live.endAnyTime' })}</p>` : nothing}
  </div>`;
}

/** The wrong-PIN alarm (PIN5): strong, announced at once, and not only told by colour. */
export function lockedAlarm(s: WardState) {
  return html`<div class="alarm" role="alert">
    <p class="alarm-title">
      <span class="alarm-icon" aria-hidden="true">⚠</span>
      ${msg('Security warning', { id: 'ward.locked.title' })}
    </p>
    <p>
      ${msg(
        str`Someone entered a wrong PIN ${PIN_ATTEMPTS} times. The PIN no longer works. If you did not expect a technician, tell your IT department.`,
        { id: 'ward.locked.text' },
      )}
    </p>
    ${s.lockedAt !== undefined
      ? html`<p>
          ${msg(str`This happened at ${formatTime(s.lockedAt, currentLocale())}.`, { id: 'ward.locked.at' })}
        </p>`
      : nothing}
  </div>`;
}
