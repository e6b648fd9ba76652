/** `ipo-gateway user add|passwd|list` on a temporary users file, and serving with --directory. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connectCall } from '../support/calls.js';
import { runCli, type CliResult } from '../support/gateway.js';
import { secrets } from '../support/raw-client.js';
import { useGateway } from '../support/suite.js';

const FIRST = 'Grace-first-Pw-71c2';
const SECOND = 'Grace-second-Pw-93d4';
const HAL = 'Hal-Pw-28e6b1';
for (const p of [FIRST, SECOND, HAL]) secrets.add(p);

const dir = mkdtempSync(join(tmpdir(), 'ipo-gw-users-'));
const file = join(dir, 'users.json');

function ok(result: CliResult, what: string): void {
  assert.equal(result.code, 0, `${what}: exit ${result.code}; stderr: ${result.stderr}`);
  for (const p of [FIRST, SECOND, HAL]) {
    assert.ok(
      !result.stdout.includes(p) && !result.stderr.includes(p),
      `${what} must not print a password`,
    );
  }
}

before(async () => {
  ok(
    await runCli(
      ['user', 'add', '301', '--name', 'Grace Hill', '--profile', 'agent', '--file', file],
      { input: `${FIRST}\n` },
    ),
    'user add 301',
  );
  ok(
    await runCli(
      ['user', 'add', '302', '--name', 'Hal Ito', '--profile', 'phone', '--file', file],
      { input: `${HAL}\n` },
    ),
    'user add 302',
  );
  ok(
    await runCli(['user', 'passwd', '301', '--file', file], { input: `${SECOND}\n` }),
    'user passwd 301',
  );
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ipo-gateway user (CLI)', () => {
  test('the file holds scrypt hashes, never the passwords', async () => {
    const text = await readFile(file, 'utf8');
    for (const p of [FIRST, SECOND, HAL])
      assert.ok(!text.includes(p), 'plaintext password in the users file');
    const json = JSON.parse(text) as unknown;
    const users = (
      Array.isArray(json)
        ? json
        : (Object.values(json as object).find(Array.isArray) ?? Object.values(json as object))
    ) as Array<Record<string, unknown>>;
    const grace = users.find((u) => u.extension === '301');
    assert.ok(grace, `user 301 in ${text}`);
    assert.equal(grace.name, 'Grace Hill');
    assert.equal(grace.profile, 'agent');
    assert.equal(typeof grace.passwordHash, 'string');
    assert.match(grace.passwordHash as string, /scrypt/i);
    const hal = users.find((u) => u.extension === '302');
    assert.equal(hal?.profile, 'phone');
    assert.notEqual(hal?.passwordHash, grace.passwordHash);
  });

  test('user list shows extension, name and profile', async () => {
    const result = await runCli(['user', 'list', '--file', file]);
    ok(result, 'user list');
    for (const text of ['301', 'Grace Hill', 'agent', '302', 'Hal Ito', 'phone'])
      assert.ok(result.stdout.includes(text), `list lacks ${text}:\n${result.stdout}`);
    assert.ok(!/scrypt/i.test(result.stdout), 'list must not print hashes');
  });
});

describe('serve --directory', () => {
  const s = useGateway({ args: ['--directory', file] });

  test('the changed password works, the old one does not; demo users are gone; profiles apply', async () => {
    const old = await s.connect();
    assert.equal(
      (await old.login('301', { password: FIRST, expect: '401' })).response.params.responseString,
      'Invalid Credentials',
    );
    const demo = await s.connect();
    await demo.login('201', { expect: '401' });
    const grace = await s.login('301', { password: SECOND, service: 'agentservice' });
    const hal = await s.login('302', { password: HAL });
    const halAgent = await s.connect({ service: 'agentservice' });
    assert.notEqual(
      (await halAgent.login('302', { password: HAL, expect: null })).response.params.responseCode,
      '200',
      '302 has the phone profile',
    );
    const call = await connectCall(hal, grace, '301');
    assert.ok(call.incoming.params.FarEndDn.startsWith('Hal Ito'));
  });
});
