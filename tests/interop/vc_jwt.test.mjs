// vc+jwt interoperability between the traceport CLI and the `jose` npm package: every vc+jwt
// traceport issues verifies under jose, vc+jwt tokens jose signs with a traceport key verify under
// `traceport vc verify`, and tampered tokens fail on both sides.
//
// Run through run.sh (sets TRACEPORT_BIN and TRACEPORT_INTEROP_TMP).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { CompactSign, compactVerify, decodeProtectedHeader, importJWK } from 'jose';

const BIN = process.env.TRACEPORT_BIN;
if (!BIN) throw new Error('TRACEPORT_BIN must name the traceport binary (run tests/interop/run.sh)');

const SUITES = [
  { type: 'p256', alg: 'ES256', suite: 'vc-jwt-es256' },
  { type: 'p384', alg: 'ES384', suite: 'vc-jwt-es384' },
  { type: 'ed25519', alg: 'EdDSA', suite: 'vc-jwt-eddsa' },
];

let dir;
let ownDir = false;
let counter = 0;
before(() => {
  const base = process.env.TRACEPORT_INTEROP_TMP;
  dir = mkdtempSync(path.join(base || tmpdir(), 'vcjwt-'));
  ownDir = !base;
});
after(() => {
  if (ownDir) rmSync(dir, { recursive: true, force: true });
});

function file(name, data) {
  counter += 1;
  const p = path.join(dir, `${counter}-${name}`);
  writeFileSync(p, data);
  return p;
}

function run(args, input) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function credential() {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiableCredential'],
    credentialSubject: { id: 'did:example:heat-41', name: 'Mill test report for heat 41' },
  };
}

// Generates a traceport key without a passphrase and returns its file, DID and JWKs.
function makeKey(type) {
  const keyFile = path.join(dir, `${type}-${++counter}.key`);
  const gen = run(['key', 'generate', '--type', type, '--out', keyFile, '--no-passphrase']);
  assert.equal(gen.code, 0, gen.stderr);
  const info = JSON.parse(run(['key', 'show', keyFile, '--json']).stdout);
  const stored = JSON.parse(readFileSync(keyFile, 'utf8'));
  const did = info.didKey;
  return { keyFile, did, kid: `${did}#${info.publicKeyMultibase}`, publicJwk: info.publicJwk,
           privateJwk: stored.privateJwk };
}

function tamper(jwt) {
  const [h, p, s] = jwt.split('.');
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  payload.credentialSubject.name = 'Mill test report for heat 42';
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}

for (const s of SUITES) {
  describe(`vc+jwt ${s.alg}`, () => {
    let key;
    before(() => { key = makeKey(s.type); });

    test('traceport issues, jose verifies', async () => {
      const r = run(['vc', 'issue', '--key', key.keyFile, '--issuer', key.did, '--suite', s.suite,
                     file('cred.json', JSON.stringify(credential()))]);
      assert.equal(r.code, 0, r.stderr);
      const jwt = r.stdout.trim();
      const header = decodeProtectedHeader(jwt);
      assert.equal(header.alg, s.alg);
      assert.equal(header.typ, 'vc+jwt');
      assert.equal(header.kid, key.kid);
      const pub = await importJWK(key.publicJwk, s.alg);
      const { payload } = await compactVerify(jwt, pub, { algorithms: [s.alg] });
      const vc = JSON.parse(new TextDecoder().decode(payload));
      assert.equal(vc.issuer, key.did);
      assert.deepEqual(vc.credentialSubject, credential().credentialSubject);
      assert.match(vc.id, /^urn:uuid:[0-9a-f-]{36}$/);
      // Tampered: jose rejects, and so does traceport.
      await assert.rejects(compactVerify(tamper(jwt), pub, { algorithms: [s.alg] }));
      const v = run(['vc', 'verify', file('t.jwt', tamper(jwt))]);
      assert.equal(v.code, 3, v.stdout + v.stderr);
    });

    test('jose signs, traceport verifies', async () => {
      const priv = await importJWK(key.privateJwk, s.alg);
      const vc = { ...credential(), id: 'urn:uuid:2f4c3a59-4a7e-4f2c-9d3e-6f1f3a2b9c10',
                   issuer: key.did, validFrom: '2026-01-01T00:00:00Z' };
      const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(vc)))
        .setProtectedHeader({ alg: s.alg, typ: 'vc+jwt', kid: key.kid })
        .sign(priv);
      const v = run(['vc', 'verify', '--json', file('j.jwt', jwt)]);
      assert.equal(v.code, 0, v.stdout + v.stderr);
      const report = JSON.parse(v.stdout);
      assert.equal(report.verified, true);
      assert.equal(report.checks.find((c) => c.name === 'proof').status, 'pass');
      const bad = run(['vc', 'verify', '--json', file('b.jwt', tamper(jwt))]);
      assert.equal(bad.code, 3);
      assert.equal(JSON.parse(bad.stdout).checks.find((c) => c.name === 'proof').status, 'fail');
    });

    test('a vc+jwt whose kid is not the issuer\'s key fails in traceport', async () => {
      const other = makeKey(s.type);
      const priv = await importJWK(other.privateJwk, s.alg);
      const vc = { ...credential(), issuer: key.did, validFrom: '2026-01-01T00:00:00Z' };
      const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(vc)))
        .setProtectedHeader({ alg: s.alg, typ: 'vc+jwt', kid: other.kid })
        .sign(priv);
      const v = run(['vc', 'verify', '--json', file('o.jwt', jwt)]);
      assert.equal(v.code, 3);
      const check = JSON.parse(v.stdout).checks.find((c) => c.name === 'key-resolution');
      assert.equal(check.status, 'fail');
      assert.match(check.reason, /not controlled by the issuer/);
    });
  });
}
