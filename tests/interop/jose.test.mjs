// Interoperability between the traceport CLI and the `jose` npm package (panva/jose).
//
// Each direction is checked: what traceport signs must verify under jose, and what jose signs
// with a key traceport generated must verify under `traceport jws verify`. Thumbprints, did:jwk
// and RFC 8785 canonicalization are compared against independent computations in JavaScript.
//
// Run through run.sh, which installs the locked jose version and sets:
//   TRACEPORT_BIN          path to the traceport binary (required)
//   TRACEPORT_INTEROP_TMP  scratch directory for key and JWS files (optional; a private temp
//                          directory is created and removed otherwise)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  CompactSign,
  FlattenedSign,
  GeneralSign,
  base64url,
  calculateJwkThumbprint,
  compactVerify,
  exportJWK,
  flattenedVerify,
  generalVerify,
  generateKeyPair,
  importJWK,
} from 'jose';

const BIN = process.env.TRACEPORT_BIN;
if (!BIN) {
  throw new Error('TRACEPORT_BIN must name the traceport binary (run tests/interop/run.sh)');
}

// Exit codes documented for the traceport CLI.
const EXIT_OK = 0;
const EXIT_ERROR = 1;
const EXIT_VERIFY_FAILED = 3;

const KEY_TYPES = [
  { type: 'ed25519', alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' },
  { type: 'p256', alg: 'ES256', kty: 'EC', crv: 'P-256' },
  { type: 'p384', alg: 'ES384', kty: 'EC', crv: 'P-384' },
];

// ---------------------------------------------------------------------------------------------
// Scratch space and process helpers

let scratchRoot;
let ownScratch = false;
let fileCounter = 0;

before(() => {
  if (process.env.TRACEPORT_INTEROP_TMP) {
    scratchRoot = mkdtempSync(path.join(process.env.TRACEPORT_INTEROP_TMP, 'jose-'));
  } else {
    scratchRoot = mkdtempSync(path.join(tmpdir(), 'traceport-interop-'));
    ownScratch = true;
  }
});

after(() => {
  if (ownScratch && scratchRoot) rmSync(scratchRoot, { recursive: true, force: true });
});

// Writes `data` (string or bytes) to a fresh file in the scratch directory; returns its path.
function scratchFile(name, data) {
  fileCounter += 1;
  const dir = path.join(scratchRoot, String(fileCounter));
  mkdirSync(dir);
  const file = path.join(dir, name);
  writeFileSync(file, data);
  return file;
}

// Runs traceport; never throws on a non-zero exit. stdout/stderr come back as Buffers.
function traceport(args, input) {
  const r = spawnSync(BIN, args, {
    input: input ?? Buffer.alloc(0),
    maxBuffer: 16 * 1024 * 1024,
    timeout: 30_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function describeRun(args, r) {
  return `traceport ${args.join(' ')} -> exit ${r.status}` +
    (r.signal ? ` (signal ${r.signal})` : '') +
    `\nstdout: ${r.stdout.toString('utf8')}\nstderr: ${r.stderr.toString('utf8')}`;
}

// Runs traceport and asserts its exit status.
function expectExit(expected, args, input) {
  const r = traceport(args, input);
  assert.equal(r.status, expected, describeRun(args, r));
  return r;
}

function traceportJson(args, input) {
  const r = expectExit(EXIT_OK, args, input);
  return JSON.parse(r.stdout.toString('utf8'));
}

const utf8 = (s) => new TextEncoder().encode(s);
const text = (bytes) => Buffer.from(bytes).toString('utf8');
const b64urlJson = (obj) => base64url.encode(utf8(JSON.stringify(obj)));

// A traceport-generated, unencrypted key: the file, what `key show --json` says about it, and
// the private JWK read straight out of the key file.
function generateKey(type) {
  fileCounter += 1;
  const dir = path.join(scratchRoot, String(fileCounter));
  mkdirSync(dir);
  const file = path.join(dir, `${type}.key`);
  expectExit(EXIT_OK, ['key', 'generate', '--type', type, '--out', file, '--no-passphrase']);
  const shown = traceportJson(['key', 'show', file, '--json']);
  const keyFile = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(keyFile.privateJwk, `key file ${file} has no privateJwk member`);
  return { file, shown, privateJwk: keyFile.privateJwk };
}

// ---------------------------------------------------------------------------------------------
// An independent RFC 8785 canonicalizer. JavaScript's own Number-to-string conversion is the
// ECMAScript algorithm JCS prescribes, JSON.stringify escapes strings exactly as JCS does, and
// the default Array.prototype.sort compares strings by UTF-16 code units.

function canonicalize(value) {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('non-finite numbers have no JSON form');
    return JSON.stringify(value); // -0 becomes "0", as JCS requires
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalize).join(',')}]`;
  }
  if (typeof value === 'object') {
    const names = Object.keys(value).sort();
    return `{${names.map((n) => `${JSON.stringify(n)}:${canonicalize(value[n])}`).join(',')}}`;
  }
  throw new Error(`unexpected ${typeof value}`);
}

// ---------------------------------------------------------------------------------------------
// Per key type

for (const kt of KEY_TYPES) {
  describe(`${kt.type} (${kt.alg})`, () => {
    let key; // traceport-generated key under test
    let otherKey; // a second key of the same type, for wrong-key checks
    let publicKey; // jose KeyLike imported from traceport's publicJwk
    let privateKey; // jose KeyLike imported from the key file's privateJwk

    before(async () => {
      key = generateKey(kt.type);
      otherKey = generateKey(kt.type);
      publicKey = await importJWK(key.shown.publicJwk, kt.alg);
      privateKey = await importJWK(key.privateJwk, kt.alg);
    });

    // --- key description ----------------------------------------------------------------

    test('key show --json describes the key as jose expects', () => {
      assert.equal(key.shown.alg, kt.alg);
      assert.equal(key.shown.publicJwk.kty, kt.kty);
      assert.equal(key.shown.publicJwk.crv, kt.crv);
      assert.equal(key.shown.publicJwk.d, undefined, 'publicJwk must not carry "d"');
      assert.equal(key.shown.encrypted, false);
      const pub = { ...key.privateJwk };
      delete pub.d;
      assert.deepEqual(pub, key.shown.publicJwk, 'privateJwk minus "d" equals publicJwk');
    });

    test('RFC 7638 thumbprint from jose equals traceport kid', async () => {
      assert.equal(await calculateJwkThumbprint(key.shown.publicJwk, 'sha256'), key.shown.kid);
      // The private members must not change the thumbprint.
      assert.equal(await calculateJwkThumbprint(key.privateJwk, 'sha256'), key.shown.kid);
    });

    test('did:jwk from did create jwk decodes to the public JWK with thumbprint = kid', async () => {
      const out = traceportJson(['did', 'create', 'jwk', '--key', key.file, '--json']);
      assert.match(out.did, /^did:jwk:[A-Za-z0-9_-]+$/);
      assert.equal(out.did, key.shown.didJwk);
      const jwk = JSON.parse(text(base64url.decode(out.did.slice('did:jwk:'.length))));
      assert.equal(jwk.d, undefined, 'did:jwk must not embed the private key');
      assert.deepEqual(jwk, key.shown.publicJwk);
      assert.equal(await calculateJwkThumbprint(jwk), key.shown.kid);
      assert.equal(out.didDocument.id, out.did);
      const vm = out.didDocument.verificationMethod.find((m) => m.id === `${out.did}#0`);
      assert.ok(vm, 'verification method #0 present');
      assert.deepEqual(vm.publicKeyJwk, jwk);
    });

    // --- traceport signs, jose verifies ----------------------------------------------------

    test('traceport compact JWS verifies under jose compactVerify with the requested header', async () => {
      const payload = utf8(`{"iss":"traceport","sub":"${kt.type}","n":1}`);
      const payloadFile = scratchFile('payload.json', payload);
      const args = ['jws', 'sign', '--key', key.file, '--kid', 'issuer-key-1', '--typ', 'vc+jwt',
        payloadFile];
      const jws = expectExit(EXIT_OK, args).stdout.toString('utf8').trim();
      assert.equal(jws.split('.').length, 3);
      const r = await compactVerify(jws, publicKey, { algorithms: [kt.alg] });
      assert.deepEqual(r.protectedHeader, { alg: kt.alg, kid: 'issuer-key-1', typ: 'vc+jwt' });
      assert.deepEqual(Buffer.from(r.payload), Buffer.from(payload));
    });

    test('traceport compact JWS without --kid carries the thumbprint as kid', async () => {
      const payloadFile = scratchFile('payload.txt', 'default kid');
      const jws = expectExit(EXIT_OK, ['jws', 'sign', '--key', key.file, payloadFile])
        .stdout.toString('utf8').trim();
      const r = await compactVerify(jws, publicKey);
      assert.deepEqual(r.protectedHeader, { alg: kt.alg, kid: key.shown.kid });
      assert.equal(text(r.payload), 'default kid');
    });

    test('traceport JSON general serialization verifies under jose generalVerify', async () => {
      const payload = utf8('general serialization payload \u00e9\u{1F600}');
      const payloadFile = scratchFile('payload.txt', payload);
      const out = expectExit(EXIT_OK, ['jws', 'sign', '--key', key.file, '--format', 'json',
        '--kid', 'k-general', '--typ', 'JWT', payloadFile]).stdout.toString('utf8');
      const jws = JSON.parse(out);
      assert.equal(jws.signatures.length, 1);
      const r = await generalVerify(jws, publicKey, { algorithms: [kt.alg] });
      assert.deepEqual(r.protectedHeader, { alg: kt.alg, kid: 'k-general', typ: 'JWT' });
      assert.deepEqual(Buffer.from(r.payload), Buffer.from(payload));
    });

    test('traceport JSON flattened serialization verifies under jose flattenedVerify', async () => {
      const payload = utf8('flattened serialization payload');
      const payloadFile = scratchFile('payload.txt', payload);
      const out = expectExit(EXIT_OK, ['jws', 'sign', '--key', key.file, '--format', 'flattened',
        '--kid', 'k-flat', '--typ', 'example+jws', payloadFile]).stdout.toString('utf8');
      const jws = JSON.parse(out);
      assert.equal(jws.signatures, undefined);
      const r = await flattenedVerify(jws, publicKey, { algorithms: [kt.alg] });
      assert.deepEqual(r.protectedHeader, { alg: kt.alg, kid: 'k-flat', typ: 'example+jws' });
      assert.deepEqual(Buffer.from(r.payload), Buffer.from(payload));
    });

    test('traceport detached compact JWS verifies under jose with the payload supplied', async () => {
      const payload = utf8('detached payload, sent out of band');
      const payloadFile = scratchFile('payload.txt', payload);
      const jws = expectExit(EXIT_OK, ['jws', 'sign', '--key', key.file, '--detached',
        '--kid', 'k-detached', '--typ', 'JWT', payloadFile]).stdout.toString('utf8').trim();
      const [protectedB64, payloadB64, signature] = jws.split('.');
      assert.equal(payloadB64, '', 'detached JWS has an empty payload part');
      // jose's detached form: the flattened JWS with the payload put back.
      const r = await flattenedVerify(
        { protected: protectedB64, payload: base64url.encode(payload), signature }, publicKey);
      assert.deepEqual(r.protectedHeader, { alg: kt.alg, kid: 'k-detached', typ: 'JWT' });
      assert.deepEqual(Buffer.from(r.payload), Buffer.from(payload));
      // And re-attached as a compact JWS.
      const attached = `${protectedB64}.${base64url.encode(payload)}.${signature}`;
      await compactVerify(attached, publicKey);
      // The signature does not cover some other payload.
      await assert.rejects(flattenedVerify(
        { protected: protectedB64, payload: base64url.encode(utf8('other')), signature },
        publicKey));
    });

    test('traceport signature does not verify under jose with another key', async () => {
      const other = await importJWK(otherKey.shown.publicJwk, kt.alg);
      const payloadFile = scratchFile('payload.txt', 'wrong key');
      const jws = expectExit(EXIT_OK, ['jws', 'sign', '--key', key.file, payloadFile])
        .stdout.toString('utf8').trim();
      await assert.rejects(compactVerify(jws, other), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
    });

    // --- jose signs, traceport verifies ----------------------------------------------------

    test('jose CompactSign verifies under traceport jws verify --key', async () => {
      const payload = `jose compact for ${kt.type}`;
      const jws = await new CompactSign(utf8(payload))
        .setProtectedHeader({ alg: kt.alg, kid: key.shown.kid, typ: 'JWT' })
        .sign(privateKey);
      const jwsFile = scratchFile('token.jws', jws);
      const r = expectExit(EXIT_OK, ['jws', 'verify', '--key', key.file, jwsFile]);
      // Verify prints the payload, adding a newline when it does not end in one.
      assert.equal(r.stdout.toString('utf8'), `${payload}\n`);
      // The same from standard input.
      const s = expectExit(EXIT_OK, ['jws', 'verify', '--key', key.file], Buffer.from(`${jws}\n`));
      assert.equal(s.stdout.toString('utf8'), `${payload}\n`);
    });

    test('jose CompactSign: traceport jws verify --json reports valid, alg and header', async () => {
      const payload = '{"vc":{"type":["VerifiableCredential"]}}';
      const header = { alg: kt.alg, kid: 'did:example:123#key-1', typ: 'vc+jwt' };
      const jws = await new CompactSign(utf8(payload)).setProtectedHeader(header).sign(privateKey);
      const out = traceportJson(['jws', 'verify', '--key', key.file, '--alg', kt.alg,
        '--typ', 'vc+jwt', '--json', scratchFile('token.jws', jws)]);
      assert.equal(out.valid, true);
      assert.equal(out.alg, kt.alg);
      assert.equal(out.kid, key.shown.kid);
      assert.deepEqual(out.protectedHeader, header);
      assert.equal(out.payload, payload);
      assert.equal(out.signatureIndex, 0);
    });

    // A payload that is not UTF-8 cannot go into a JSON string; --json carries it as base64url.
    test('jose CompactSign with a binary payload: traceport --json returns payloadBase64url',
      async () => {
      const payload = new Uint8Array([0x00, 0xff, 0xfe, 0x80, 0x41, 0xc3, 0x28, 0x0a]);
      const jws = await new CompactSign(payload).setProtectedHeader({ alg: kt.alg })
        .sign(privateKey);
      const out = traceportJson(['jws', 'verify', '--key', key.file, '--json',
        scratchFile('token.jws', jws)]);
      assert.equal(out.valid, true);
      assert.equal(out.payload, undefined);
      assert.equal(out.payloadBase64url, base64url.encode(payload));
    });

    test('jose GeneralSign verifies under traceport (one and two signatures)', async () => {
      const payload = 'general, signed by jose';
      const single = await new GeneralSign(utf8(payload))
        .addSignature(privateKey).setProtectedHeader({ alg: kt.alg, kid: 'g1' })
        .sign();
      const out1 = traceportJson(['jws', 'verify', '--key', key.file, '--json',
        scratchFile('general.json', JSON.stringify(single))]);
      assert.equal(out1.valid, true);
      assert.equal(out1.alg, kt.alg);
      assert.equal(out1.payload, payload);
      assert.deepEqual(out1.protectedHeader, { alg: kt.alg, kid: 'g1' });

      // Our key's signature second, behind one by another key of the same type.
      const otherPriv = await importJWK(otherKey.privateJwk, kt.alg);
      const double = await new GeneralSign(utf8(payload))
        .addSignature(otherPriv).setProtectedHeader({ alg: kt.alg, kid: 'other' })
        .addSignature(privateKey).setProtectedHeader({ alg: kt.alg, kid: 'ours' })
        .sign();
      const out2 = traceportJson(['jws', 'verify', '--key', key.file, '--json',
        scratchFile('general2.json', JSON.stringify(double))]);
      assert.equal(out2.valid, true);
      assert.equal(out2.signatureIndex, 1);
      assert.equal(out2.protectedHeader.kid, 'ours');
    });

    test('jose FlattenedSign (with an unprotected header) verifies under traceport', async () => {
      const payload = 'flattened, signed by jose';
      const jws = await new FlattenedSign(utf8(payload))
        .setProtectedHeader({ alg: kt.alg, typ: 'JWT' })
        .setUnprotectedHeader({ kid: key.shown.kid })
        .sign(privateKey);
      const out = traceportJson(['jws', 'verify', '--key', key.file, '--json',
        scratchFile('flat.json', JSON.stringify(jws))]);
      assert.equal(out.valid, true);
      assert.equal(out.alg, kt.alg);
      assert.equal(out.payload, payload);
      assert.deepEqual(out.protectedHeader, { alg: kt.alg, typ: 'JWT' });
      assert.deepEqual(out.header, { kid: key.shown.kid });
      // Plain output prints the payload.
      const r = expectExit(EXIT_OK, ['jws', 'verify', '--key', key.file,
        scratchFile('flat.json', JSON.stringify(jws))]);
      assert.equal(r.stdout.toString('utf8'), `${payload}\n`);
    });

    test('jose CompactSign with a binary payload: traceport prints the exact bytes', async () => {
      const payload = new Uint8Array([0x00, 0xff, 0xfe, 0x80, 0x41, 0xc3, 0x28, 0x0a]);
      const jws = await new CompactSign(payload).setProtectedHeader({ alg: kt.alg })
        .sign(privateKey);
      const r = expectExit(EXIT_OK, ['jws', 'verify', '--key', key.file,
        scratchFile('token.jws', jws)]);
      // The payload ends in a newline, so nothing is added.
      assert.deepEqual(r.stdout, Buffer.from(payload));
    });

    test('jose CompactSign with an empty payload verifies under traceport', async () => {
      const jws = await new CompactSign(new Uint8Array(0)).setProtectedHeader({ alg: kt.alg })
        .sign(privateKey);
      assert.match(jws, /^[^.]+\.\.[^.]+$/);
      const r = expectExit(EXIT_OK, ['jws', 'verify', '--key', key.file,
        scratchFile('empty.jws', jws)]);
      assert.equal(r.stdout.length, 0);
    });

    test('jose GeneralSign with signatures by two key types: traceport picks its key\'s entry', async () => {
      const foreign = KEY_TYPES.find((t) => t.type !== kt.type);
      const pair = await generateKeyPair(foreign.alg, { crv: foreign.crv });
      const payload = 'co-signed by two key types';
      const jws = await new GeneralSign(utf8(payload))
        .addSignature(pair.privateKey).setProtectedHeader({ alg: foreign.alg, kid: 'foreign' })
        .addSignature(privateKey).setProtectedHeader({ alg: kt.alg, kid: 'ours' })
        .sign();
      const out = traceportJson(['jws', 'verify', '--key', key.file, '--json',
        scratchFile('mixed.json', JSON.stringify(jws))]);
      assert.equal(out.valid, true);
      assert.equal(out.alg, kt.alg);
      assert.equal(out.signatureIndex, 1);
      assert.equal(out.payload, payload);
    });

    test('jose detached compact JWS verifies under traceport --payload', async () => {
      const payload = 'detached by jose';
      const full = await new CompactSign(utf8(payload)).setProtectedHeader({ alg: kt.alg })
        .sign(privateKey);
      const [h, , sig] = full.split('.');
      const detached = `${h}..${sig}`;
      const payloadFile = scratchFile('payload.txt', payload);
      const r = expectExit(EXIT_OK, ['jws', 'verify', '--key', key.file, '--payload', payloadFile,
        scratchFile('detached.jws', detached)]);
      assert.equal(r.stdout.toString('utf8'), `${payload}\n`);
      expectExit(EXIT_VERIFY_FAILED, ['jws', 'verify', '--key', key.file, '--payload',
        scratchFile('payload.txt', 'not the signed payload'), scratchFile('detached.jws', detached)]);
    });

    test('jose JWS verifies under traceport --jwk (publicJwk) and --did (did:jwk)', async () => {
      const payload = 'verified by JWK and by DID';
      const jws = await new CompactSign(utf8(payload)).setProtectedHeader({ alg: kt.alg })
        .sign(privateKey);
      const jwsFile = scratchFile('token.jws', jws);
      const jwkFile = scratchFile('public.jwk', JSON.stringify(key.shown.publicJwk));
      const r1 = expectExit(EXIT_OK, ['jws', 'verify', '--jwk', jwkFile, jwsFile]);
      assert.equal(r1.stdout.toString('utf8'), `${payload}\n`);
      const r2 = expectExit(EXIT_OK, ['jws', 'verify', '--did', `${key.shown.didJwk}#0`, jwsFile]);
      assert.equal(r2.stdout.toString('utf8'), `${payload}\n`);
    });

    test('jose-generated key: traceport verifies with the JWK jose exported', async () => {
      const pair = await generateKeyPair(kt.alg, { crv: kt.crv, extractable: true });
      const jwk = await exportJWK(pair.publicKey);
      const payload = 'key made by jose';
      const jws = await new CompactSign(utf8(payload)).setProtectedHeader({ alg: kt.alg })
        .sign(pair.privateKey);
      const jwkFile = scratchFile('jose.jwk', JSON.stringify(jwk));
      const out = traceportJson(['jws', 'verify', '--jwk', jwkFile, '--json',
        scratchFile('token.jws', jws)]);
      assert.equal(out.valid, true);
      assert.equal(out.payload, payload);
      assert.equal(out.kid, await calculateJwkThumbprint(jwk));
      const did = traceportJson(['did', 'create', 'jwk', '--jwk', jwkFile, '--json']).did;
      const decoded = JSON.parse(text(base64url.decode(did.slice('did:jwk:'.length))));
      assert.equal(await calculateJwkThumbprint(decoded), await calculateJwkThumbprint(jwk));
    });

    test('16 successive jose signatures all verify under traceport (ECDSA: random nonces, high or low S)', async () => {
      // ECDSA signatures from WebCrypto are randomized and not low-S normalized; traceport's
      // policy accepts both halves, so every one of these must verify.
      for (let i = 0; i < 16; i += 1) {
        const jws = await new CompactSign(utf8(`message ${i}`)).setProtectedHeader({ alg: kt.alg })
          .sign(privateKey);
        const r = expectExit(EXIT_OK, ['jws', 'verify', '--key', key.file],
          Buffer.from(jws));
        assert.equal(r.stdout.toString('utf8'), `message ${i}\n`);
      }
    });

    // --- rejections ------------------------------------------------------------------------

    test('jose JWS with a tampered payload: traceport exits 3', async () => {
      const jws = await new CompactSign(utf8('{"amount":100}')).setProtectedHeader({ alg: kt.alg })
        .sign(privateKey);
      const [h, , sig] = jws.split('.');
      const tampered = `${h}.${base64url.encode(utf8('{"amount":900}'))}.${sig}`;
      expectExit(EXIT_VERIFY_FAILED, ['jws', 'verify', '--key', key.file,
        scratchFile('tampered.jws', tampered)]);
      // The same tampering in the flattened JSON form.
      const flat = await new FlattenedSign(utf8('{"amount":100}'))
        .setProtectedHeader({ alg: kt.alg }).sign(privateKey);
      flat.payload = base64url.encode(utf8('{"amount":900}'));
      expectExit(EXIT_VERIFY_FAILED, ['jws', 'verify', '--key', key.file,
        scratchFile('tampered.json', JSON.stringify(flat))]);
    });

    test('jose JWS with a truncated or bit-flipped signature: traceport exits 3', async () => {
      const jws = await new CompactSign(utf8('signature damage')).setProtectedHeader({ alg: kt.alg })
        .sign(privateKey);
      const [h, p, sig] = jws.split('.');
      const sigBytes = base64url.decode(sig);
      const truncated = `${h}.${p}.${base64url.encode(sigBytes.slice(0, sigBytes.length - 1))}`;
      expectExit(EXIT_VERIFY_FAILED, ['jws', 'verify', '--key', key.file,
        scratchFile('truncated.jws', truncated)]);
      // Flip one bit: for ECDSA the lowest bit of s (so s almost surely stays in [1, n-1]),
      // for Ed25519 a bit of R (S is untouched, so S < L still holds).
      const flipped = Uint8Array.from(sigBytes);
      flipped[flipped.length - (kt.alg === 'EdDSA' ? 33 : 1)] ^= 0x01;
      expectExit(EXIT_VERIFY_FAILED, ['jws', 'verify', '--key', key.file,
        scratchFile('flipped.jws', `${h}.${p}.${base64url.encode(flipped)}`)]);
    });

    test('jose HS256 JWS keyed with the public JWK (alg confusion): traceport refuses it', async () => {
      // The classic confusion attack: an HMAC over the token keyed with public key material.
      const secret = utf8(JSON.stringify(key.shown.publicJwk));
      const jws = await new CompactSign(utf8('{"admin":true}')).setProtectedHeader({ alg: 'HS256' })
        .sign(secret);
      const args = ['jws', 'verify', '--key', key.file, scratchFile('hs256.jws', jws)];
      const r = traceport(args);
      assert.equal(r.status, EXIT_ERROR, describeRun(args, r));
      assert.equal(r.stdout.length, 0);
    });

    test('jose JWS verified with another key of the same type: traceport exits 3', async () => {
      const jws = await new CompactSign(utf8('signed by key A')).setProtectedHeader({ alg: kt.alg })
        .sign(privateKey);
      expectExit(EXIT_VERIFY_FAILED, ['jws', 'verify', '--key', otherKey.file,
        scratchFile('token.jws', jws)]);
    });

    test('jose JWS with crit ["exp"]: traceport exits 1, and 0 with --crit exp', async () => {
      const header = { alg: kt.alg, crit: ['exp'], exp: 1893456000 };
      const jws = await new CompactSign(utf8('critical'))
        .setProtectedHeader(header)
        .sign(privateKey, { crit: { exp: true } });
      const jwsFile = scratchFile('crit.jws', jws);
      const r = expectExit(EXIT_ERROR, ['jws', 'verify', '--key', key.file, jwsFile]);
      assert.match(r.stderr.toString('utf8'), /exp/);
      const ok = traceportJson(['jws', 'verify', '--key', key.file, '--crit', 'exp', '--json',
        jwsFile]);
      assert.equal(ok.valid, true);
      assert.deepEqual(ok.protectedHeader, header);
      // jose holds the same rule.
      await assert.rejects(compactVerify(jws, publicKey), /"exp" is not recognized/);
      await compactVerify(jws, publicKey, { crit: { exp: true } });
    });

    test('hand-crafted alg "none" JWS: traceport exits non-zero (and jose rejects it too)', async () => {
      const header = b64urlJson({ alg: 'none', kid: key.shown.kid });
      const payload = base64url.encode(utf8('{"admin":true}'));
      const forms = {
        'compact, empty signature': `${header}.${payload}.`,
        'compact, non-empty junk signature': `${header}.${payload}.${'A'.repeat(86)}`,
        'compact, alg "NONE"': `${b64urlJson({ alg: 'NONE' })}.${payload}.`,
        'compact, alg "None"': `${b64urlJson({ alg: 'None' })}.${payload}.`,
        'flattened JSON': JSON.stringify({ protected: header, payload, signature: '' }),
        'general JSON': JSON.stringify({ payload, signatures: [{ protected: header, signature: '' }] }),
      };
      for (const [name, jws] of Object.entries(forms)) {
        const args = ['jws', 'verify', '--key', key.file, scratchFile('none.jws', jws)];
        const r = traceport(args);
        assert.notEqual(r.status, EXIT_OK, `${name}: ${describeRun(args, r)}`);
        assert.equal(r.signal, null, `${name}: traceport crashed: ${describeRun(args, r)}`);
        assert.equal(r.stdout.length, 0, `${name}: no payload may be printed`);
      }
      await assert.rejects(compactVerify(forms['compact, empty signature'], publicKey));
    });

    test('jose JWS whose alg does not match the key type: traceport rejects it', async () => {
      // Header says another algorithm, signature made by this key.
      const wrongAlg = kt.alg === 'EdDSA' ? 'ES256' : 'EdDSA';
      const real = await new CompactSign(utf8('alg swap')).setProtectedHeader({ alg: kt.alg })
        .sign(privateKey);
      const [, p, sig] = real.split('.');
      const swapped = `${b64urlJson({ alg: wrongAlg })}.${p}.${sig}`;
      const args = ['jws', 'verify', '--key', key.file, scratchFile('swap.jws', swapped)];
      const r = traceport(args);
      assert.ok(r.status === EXIT_ERROR || r.status === EXIT_VERIFY_FAILED, describeRun(args, r));
      // And --alg restricting to another algorithm refuses a genuine JWS.
      const r2 = traceport(['jws', 'verify', '--key', key.file, '--alg', wrongAlg,
        scratchFile('real.jws', real)]);
      assert.notEqual(r2.status, EXIT_OK, describeRun(['--alg', wrongAlg], r2));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// RFC 8785 canonicalization against the JavaScript canonicalizer above

describe('jcs (RFC 8785) agrees with a JavaScript canonicalization', () => {
  const cases = {
    'number serialization': String.raw`[1e21, 1e20, 1e-7, 1e-6, -0, 0.0, -0.0, 0.30000000000000004,
      0.1, 1.5e300, 5e-324, 1.7976931348623157e308, 9007199254740993, -9007199254740992,
      123456789012345678901234567890, 0.000001234, 1E+2, 100, 4.35, 2e-3, 333333333.3333333,
      1.0000000000000002, 295147905179352830000, 1e+22, -1.25e-10]`,
    'sum 0.1 + 0.2 written as the parsed double': `{"sum": ${0.1 + 0.2}, "third": ${1 / 3}}`,
    'member order by UTF-16 code units (emoji vs U+E000)': String.raw`{
      "\ud83d\ude00": "emoji (surrogates D83D DE00)",
      "\ue000": "private use U+E000",
      "\uffff": "U+FFFF",
      "\u20ac": "euro",
      "\u00e9": "e acute",
      "a": 1, "A": 2, "aa": 3, "": "empty name", "1": "one", "10": "ten", "2": "two",
      "\r": "carriage return", "\u0080": "U+0080", "\ud800\udc00": "U+10000"
    }`,
    'RFC 8785 section 3.2.3 sorting example': String.raw`{
      "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`,
    'string escaping': String.raw`{"s": [
      "\u0000\u0001\u001f", "\b\t\n\f\r", "quote \" backslash \\ slash \/", "\u007f",
      "\u2028\u2029", "caf\u00e9 \u0065\u0301", "\ud83d\ude00 literal: 😀", "<>&'"
    ]}`,
    'nesting, literals and whitespace': `
      { "z": [ true, false, null, { "b": [], "a": {} } ],
        "y": { "nested": { "deeper": [1, [2, [3]]] } },
        "x": "" }
    `,
    'RFC 8785 appendix example': String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`,
  };

  for (const [name, input] of Object.entries(cases)) {
    test(`jcs: ${name}`, () => {
      const expected = canonicalize(JSON.parse(input));
      const file = scratchFile('input.json', input);
      const fromFile = expectExit(EXIT_OK, ['jcs', file]).stdout;
      assert.equal(fromFile.toString('utf8'), expected);
      assert.deepEqual(fromFile, Buffer.from(expected, 'utf8'), 'byte-exact UTF-8 output');
      const fromStdin = expectExit(EXIT_OK, ['jcs'], Buffer.from(input, 'utf8')).stdout;
      assert.deepEqual(fromStdin, fromFile);
    });
  }

  test('jcs: canonical output is a fixed point', () => {
    const input = cases['member order by UTF-16 code units (emoji vs U+E000)'];
    const once = expectExit(EXIT_OK, ['jcs'], Buffer.from(input, 'utf8')).stdout;
    const twice = expectExit(EXIT_OK, ['jcs'], once).stdout;
    assert.deepEqual(twice, once);
  });

  test('jcs: U+E000 sorts after the emoji (UTF-16), not before it (UTF-8/code points)', () => {
    const input = String.raw`{"\ue000":1,"\ud83d\ude00":2}`;
    const out = expectExit(EXIT_OK, ['jcs'], Buffer.from(input, 'utf8')).stdout.toString('utf8');
    assert.equal(out, '{"\u{1F600}":2,"\uE000":1}');
    assert.equal(out, canonicalize(JSON.parse(input)));
  });
});
