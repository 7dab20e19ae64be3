// Files the office workload works on: a service log, a device list and an inventory web page,
// all generated from the seed so that every run shows the same text.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from './random.ts';

const WARDS = ['ICU-1', 'ICU-2', 'CCU', 'W3-East', 'W3-West', 'W4-East', 'W5-Surg', 'NICU', 'ER', 'OR-2'];
const DEVICES = ['infusion pump', 'bedside monitor', 'ventilator', 'syringe pump', 'ECG cart', 'label printer', 'nurse PC', 'vital-signs tablet'];
const MODELS = ['IP-4471', 'BM-220', 'VX-9', 'SP-30', 'EC-12', 'LP-8', 'NP-7000', 'VT-3'];
const SERVICES = ['pump-gateway', 'hl7-bridge', 'pacs-sync', 'label-spool', 'ehr-client', 'alarm-relay'];
const STATUSES = ['ok', 'ok', 'ok', 'ok', 'check', 'offline', 'update due'];
const MESSAGES = [
  (r: Random) => `bed ${r.int(1, 40)} heartbeat ok (latency ${r.int(8, 90)} ms)`,
  (r: Random) => `HL7 ADT^A0${r.int(1, 8)} accepted from EHR, msg id ${r.int(100000, 999999)}`,
  (r: Random) => `queue depth ${r.int(0, 40)}, oldest ${r.int(0, 900)} ms`,
  (r: Random) => `session ${r.int(1000, 9999)} closed by peer after ${r.int(2, 3600)} s`,
  (r: Random) => `retrying upload of study ${r.int(10000, 99999)} (attempt ${r.int(1, 5)}/5)`,
  (r: Random) => `certificate for ${r.pick(SERVICES)}.ward.local expires in ${r.int(3, 300)} days`,
  (r: Random) => `device ${r.pick(MODELS)}-${r.int(1000, 9999)} firmware ${r.int(1, 6)}.${r.int(0, 20)}.${r.int(0, 99)} reported`,
];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A syslog-like service log, `lines` lines long. */
export function serviceLog(seed: number, lines = 2400): string {
  const r = new Random(seed ^ 0x5e71ce);
  let ms = 8 * 3600_000;
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    ms += r.int(50, 4000);
    const t = `2026-11-24 ${pad(Math.floor(ms / 3600_000) % 24)}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
    const level = r.weighted({ INFO: 80, WARN: 12, ERROR: 6, DEBUG: 2 });
    out.push(`${t} ${level.padEnd(5)} ${r.pick(SERVICES)}[${r.int(900, 9000)}]: ${r.pick(MESSAGES)(r)}`);
  }
  return `${out.join('\n')}\n`;
}

/** One row of the device inventory. */
interface DeviceRow {
  ward: string;
  bed: number;
  device: string;
  serial: string;
  firmware: string;
  status: string;
  checked: string;
}

function deviceRows(seed: number, count: number): DeviceRow[] {
  const r = new Random(seed ^ 0xde71ce);
  const rows: DeviceRow[] = [];
  for (let i = 0; i < count; i++) {
    const kind = r.int(0, DEVICES.length - 1);
    rows.push({
      ward: r.pick(WARDS),
      bed: r.int(1, 40),
      device: DEVICES[kind]!,
      serial: `${MODELS[kind]}-${r.int(1000, 9999)}`,
      firmware: `${r.int(1, 6)}.${r.int(0, 20)}.${r.int(0, 99)}`,
      status: r.pick(STATUSES),
      checked: `2026-${pad(r.int(1, 11))}-${pad(r.int(1, 28))}`,
    });
  }
  return rows;
}

/** The device list as CSV. */
export function devicesCsv(seed: number, count = 400): string {
  const rows = deviceRows(seed, count);
  const lines = rows.map((d) => [d.ward, d.bed, d.device, d.serial, d.firmware, d.status, d.checked].join(','));
  return `ward,bed,device,serial,firmware,status,checked\n${lines.join('\n')}\n`;
}

/**
 * The inventory page: a long table with a spreadsheet-like cell cursor. Arrow keys move the
 * cursor, a printable key starts editing the cell (its text is replaced), Enter commits and moves
 * down, Escape cancels. Page Up/Down and the wheel scroll as usual. No network, no fonts to load.
 */
export function inventoryHtml(seed: number, count = 260): string {
  const rows = deviceRows(seed + 1, count);
  const body = rows
    .map(
      (d, i) =>
        `<tr><td>${i + 1}</td><td>${d.ward}</td><td>${d.bed}</td><td>${d.device}</td><td>${d.serial}</td>` +
        `<td>${d.firmware}</td><td class="s-${d.status.replace(' ', '-')}">${d.status}</td><td>${d.checked}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wl-inventory</title>
<style>
  body { margin: 0; font: 13px 'DejaVu Sans', sans-serif; color: #1d2733; background: #fff; }
  header { position: sticky; top: 0; background: #1f4e79; color: #fff; padding: 8px 12px; font-size: 15px; z-index: 2; }
  header small { color: #cfe0f0; margin-left: 12px; }
  table { border-collapse: collapse; width: 100%; }
  th { position: sticky; top: 35px; background: #e8eef5; text-align: left; padding: 4px 8px; border-bottom: 1px solid #9fb3c8; }
  td { padding: 3px 8px; border-bottom: 1px solid #e3e7ec; white-space: nowrap; }
  tr:nth-child(even) td { background: #f7f9fb; }
  td.sel { outline: 2px solid #2b7cd3; outline-offset: -2px; }
  td.edited { background: #fff4c2 !important; }
  td[contenteditable] { background: #fff !important; outline: 2px solid #d38b2b; }
  .s-offline { color: #b3261e; font-weight: bold; }
  .s-check, .s-update-due { color: #8a5a00; }
</style></head>
<body>
<header>Ward device inventory <small>${count} devices, maintenance round 2026-11-24</small></header>
<table><thead><tr><th>#</th><th>Ward</th><th>Bed</th><th>Device</th><th>Serial</th><th>Firmware</th><th>Status</th><th>Last check</th></tr></thead>
<tbody>
${body}
</tbody></table>
<script>
(() => {
  const rows = [...document.querySelectorAll('tbody tr')];
  let r = 0, c = 1, editing = null, before = '';
  const cell = () => rows[r].children[c];
  const show = () => {
    document.querySelectorAll('td.sel').forEach((td) => td.classList.remove('sel'));
    cell().classList.add('sel');
    const box = cell().getBoundingClientRect();
    if (box.top < 64 || box.bottom > innerHeight) cell().scrollIntoView({ block: 'center' });
  };
  const stop = (keep) => {
    if (!editing) return;
    if (!keep) editing.textContent = before; else if (editing.textContent !== before) editing.classList.add('edited');
    editing.removeAttribute('contenteditable');
    editing = null;
  };
  addEventListener('keydown', (e) => {
    if (editing) {
      if (e.key === 'Enter') { e.preventDefault(); stop(true); r = Math.min(rows.length - 1, r + 1); show(); }
      else if (e.key === 'Escape') { e.preventDefault(); stop(false); show(); }
      return;
    }
    const move = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
    if (move) {
      e.preventDefault();
      r = Math.max(0, Math.min(rows.length - 1, r + move[0]));
      c = Math.max(1, Math.min(7, c + move[1]));
      show();
    } else if (e.key.length === 1 && !e.ctrlKey && !e.altKey) {
      editing = cell();
      before = editing.textContent;
      editing.textContent = '';
      editing.setAttribute('contenteditable', 'true');
      editing.focus();
    }
  });
  show();
})();
</script>
</body></html>
`;
}

/**
 * The inventory page of {@link inventoryHtml}, `count` rows long, that scrolls itself down smoothly
 * and endlessly: every animation frame moves it by `pxPerSecond` times the time since the previous
 * frame (at most 100 ms of it, so a stalled page does not jump), and it starts over at the top
 * after the last row.
 */
export function scrollingInventoryHtml(seed: number, count: number, pxPerSecond: number): string {
  const script = `<script>
(() => {
  let y = 0, last;
  const step = (t) => {
    if (last !== undefined) {
      y += ${pxPerSecond} * Math.min(0.1, (t - last) / 1000);
      if (y >= document.documentElement.scrollHeight - innerHeight) y = 0;
      scrollTo(0, Math.round(y));
    }
    last = t;
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
})();
</script>
</body>`;
  return inventoryHtml(seed, count).replace('</body>', script);
}

/** Writes the three files into `dir` (a fresh temporary folder owned by the workload). */
export function writeContent(dir: string, seed: number): { log: string; csv: string; html: string } {
  const files = { log: join(dir, 'service.log'), csv: join(dir, 'devices.csv'), html: join(dir, 'inventory.html') };
  writeFileSync(files.log, serviceLog(seed));
  writeFileSync(files.csv, devicesCsv(seed));
  writeFileSync(files.html, inventoryHtml(seed));
  return files;
}
