import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findCookie, parseXAuthority, readCookie } from './xauth.ts';

/** One Xauthority record as Xlib writes it (big-endian lengths). */
function record(family: number, address: string, number: string, name: string, data: Buffer): Buffer {
  const field = (b: Buffer): Buffer => Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
  return Buffer.concat([
    Buffer.from([family >> 8, family & 0xff]),
    field(Buffer.from(address, 'latin1')),
    field(Buffer.from(number, 'latin1')),
    field(Buffer.from(name, 'latin1')),
    field(data),
  ]);
}

const COOKIE_A = Buffer.alloc(16, 0xaa);
const COOKIE_B = Buffer.alloc(16, 0xbb);
const COOKIE_W = Buffer.alloc(16, 0xcc);

describe('Xauthority lookup', () => {
  const file = Buffer.concat([
    record(256, 'otherhost', '0', 'MIT-MAGIC-COOKIE-1', COOKIE_B),
    record(256, 'ward3', '1', 'MIT-MAGIC-COOKIE-1', COOKIE_B),
    record(256, 'ward3', '0', 'MIT-MAGIC-COOKIE-1', COOKIE_A),
    record(65535, '', '7', 'MIT-MAGIC-COOKIE-1', COOKIE_W),
  ]);

  it('parses every record', () => {
    const entries = parseXAuthority(file);
    assert.equal(entries.length, 4);
    assert.deepEqual(entries[2], { family: 256, address: 'ward3', number: '0', name: 'MIT-MAGIC-COOKIE-1', data: COOKIE_A });
  });

  it('picks the cookie of this host and display number', () => {
    assert.deepEqual(findCookie(parseXAuthority(file), 'ward3', 0), { name: 'MIT-MAGIC-COOKIE-1', data: COOKIE_A });
  });

  it('accepts a wildcard entry for the display number', () => {
    assert.deepEqual(findCookie(parseXAuthority(file), 'ward3', 7).data, COOKIE_W);
  });

  it('falls back to no cookie when nothing matches', () => {
    assert.deepEqual(findCookie(parseXAuthority(file), 'ward3', 5), { name: '', data: Buffer.alloc(0) });
  });

  it('ignores a truncated tail', () => {
    assert.equal(parseXAuthority(Buffer.concat([file, Buffer.from([1, 0, 0, 5, 0x61])])).length, 4);
  });

  it('reads a file, and treats a missing file as no cookie', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wl-xauth-'));
    try {
      const path = join(dir, 'Xauthority');
      writeFileSync(path, file);
      assert.deepEqual(readCookie(path, 'ward3', 0).data, COOKIE_A);
      assert.equal(readCookie(join(dir, 'missing'), 'ward3', 0).name, '');
      assert.equal(readCookie(undefined, 'ward3', 0).name, '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
