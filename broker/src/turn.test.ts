import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { iceConfigFor } from './turn.ts';

test('ICE1: TURN credentials follow coturn REST-API scheme and expire after the TTL', () => {
  const ice = iceConfigFor('tech-1', { urls: ['turn:127.0.0.1:3478'], secret: 's3cret', ttlSeconds: 3600 }, 'relay', 1_700_000_000_000);
  assert.equal(ice.iceTransportPolicy, 'relay');
  const server = ice.iceServers[0]!;
  assert.equal(server.username, '1700003600:tech-1');
  assert.equal(server.credential, createHmac('sha1', 's3cret').update('1700003600:tech-1').digest('base64'));
});

test('ICE1: without a relay no ICE servers are handed out', () => {
  assert.deepEqual(iceConfigFor('tech-1', undefined, 'all'), { iceServers: [], iceTransportPolicy: 'all' });
});
