// RDF-canonicalized Data Integrity interoperability between the traceport CLI and the
// @digitalbazaar (and @transmute) JavaScript implementations:
//   - traceport signs with eddsa-rdfc-2022 and ecdsa-rdfc-2019 (P-256, P-384); @digitalbazaar/vc
//     verifies, and both sides reject a copy with one credentialSubject value changed;
//   - @digitalbazaar/vc signs with the same suites; `traceport vc verify` accepts, and rejects a
//     tampered copy;
//   - legacy Linked Data Proofs (Ed25519Signature2020, Ed25519Signature2018 and
//     JsonWebSignature2020) signed by their JavaScript suites verify under traceport;
//   - canonicalization cases (numbers, language tags, escapes, isomorphic blank nodes, @json,
//     @list, maps, named graphs, @reverse, IRIs, VCDM 1.1 with Data Integrity), both ways;
//   - safe mode: traceport refuses to sign a term no context defines and names it, and neither
//     side accepts a credential with such a term added after signing.
//
// The JavaScript side loads contexts only from the files the traceport build embeds
// (contexts/manifest.json, checked by version and SHA-256 in ld-support.mjs), so both sides
// expand with the same bytes and the credentials use no other context. Every credential the
// JavaScript side signs is first verified by the JavaScript side, so a failure under traceport
// is traceport's.
//
// Run through run.sh (sets TRACEPORT_BIN and TRACEPORT_INTEROP_TMP).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import { Ed25519Signature2018 } from '@digitalbazaar/ed25519-signature-2018';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { JsonWebKey, JsonWebSignature } from '@transmute/json-web-signature';
import jsigs from 'jsonld-signatures';

import {
  CREDENTIALS_V1, CREDENTIALS_V2, DID_V1, ED25519_2020_CONTEXT, Ed25519VerificationKey2018,
  Ed25519VerificationKey2020, JWS_2020_CONTEXT, UNDEFINED_TERMS_V2, generateLegacyEd25519,
  generateMultikey, makeDocumentLoader,
} from './ld-support.mjs';

const BIN = process.env.TRACEPORT_BIN;
if (!BIN) throw new Error('TRACEPORT_BIN must name the traceport binary (run tests/interop/run.sh)');

const { AssertionProofPurpose } = jsigs.purposes;

// `traceport vc verify` exits 3 when a credential does not verify.
const NOT_VERIFIED = 3;

const RDFC_SUITES = [
  { name: 'eddsa-rdfc-2022', keyType: 'ed25519', cryptosuite: eddsaRdfc2022 },
  { name: 'ecdsa-rdfc-2019', keyType: 'p256', cryptosuite: ecdsaRdfc2019 },
  { name: 'ecdsa-rdfc-2019', keyType: 'p384', cryptosuite: ecdsaRdfc2019 },
];

let dir;
let ownDir = false;
let counter = 0;
before(() => {
  const base = process.env.TRACEPORT_INTEROP_TMP;
  dir = mkdtempSync(path.join(base || tmpdir(), 'vcrdfc-'));
  ownDir = !base;
});
after(() => {
  if (ownDir) rmSync(dir, { recursive: true, force: true });
});

function file(name, data) {
  counter += 1;
  const p = path.join(dir, `${counter}-${name}`);
  writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
  return p;
}

function run(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// ---------------------------------------------------------------------------------------------
// Credentials

// VC 2.0 credentials: "minimal" has one subject string and only terms the 2.0 context defines;
// "report" exercises what RDF canonicalization has to get right: nested blank nodes, an array
// of objects, integers, a double, a boolean, a typed date, non-ASCII text and characters
// N-Quads escapes. The 2.0 context (as published, and as the npm package and traceport pin it)
// has no @vocab: the report's own terms map through the undefined-terms context.
const V2_CREDENTIALS = {
  minimal: () => ({
    '@context': [CREDENTIALS_V2],
    type: ['VerifiableCredential'],
    credentialSubject: { id: 'did:example:heat-41', name: 'Mill test report for heat 41' },
  }),
  report: () => ({
    '@context': [CREDENTIALS_V2, UNDEFINED_TERMS_V2],
    type: ['VerifiableCredential', 'MillTestReportCredential'],
    name: 'Mill test report MTR-2026-001187',
    validUntil: '2031-03-02T15:04:05Z',
    credentialSubject: {
      id: 'did:example:heat-H24-51873',
      type: 'MillTestReport',
      certificateNumber: 'MTR-2026-001187',
      shipmentDate: { '@value': '2026-03-04', '@type': 'http://www.w3.org/2001/XMLSchema#date' },
      manufacturer: {
        name: 'Acero del Norte S.A. de C.V. — Monterrey, Nuevo León',
        address: { streetAddress: 'Av. Industrial 400', addressCountry: 'MX' },
      },
      remarks: 'Line 1 "quoted"\nLine 2 \\ backslash\ttab',
      inspections: [
        { heatNumber: 'H24-51873', pieces: 12, totalWeightKg: 35472.5, passed: true },
        { heatNumber: 'H24-51874', pieces: 3, totalWeightKg: 0.25, passed: false },
      ],
    },
  }),
};

// VCDM 1.1 credential for the legacy suites. The 1.1 context has no @vocab, so the subject's
// terms come from an inline context.
function v1Credential(issuer, suiteContext) {
  return {
    '@context': [CREDENTIALS_V1, ...(suiteContext ? [suiteContext] : []), {
      heatNumber: 'https://traceport.example/vocab#heatNumber',
      name: 'https://schema.org/name',
    }],
    id: 'urn:uuid:5b0e3d7a-6a34-4d7e-8f1a-0c9b2e4d6f10',
    type: ['VerifiableCredential'],
    issuer,
    issuanceDate: '2026-01-01T00:00:00Z',
    credentialSubject: {
      id: 'did:example:heat-41', heatNumber: 'H24-51873', name: 'Mill test report for heat 41',
    },
  };
}

// A copy with one credentialSubject string changed (the first string field other than id/type).
function tamper(credential) {
  const copy = structuredClone(credential);
  const subject = copy.credentialSubject;
  const field = Object.keys(subject).find(
    (k) => k !== 'id' && k !== 'type' && typeof subject[k] === 'string');
  assert.ok(field, 'credentialSubject has no string field to tamper with');
  subject[field] = `${subject[field]} (changed)`;
  return copy;
}

// ---------------------------------------------------------------------------------------------
// traceport

// Generates a traceport key without a passphrase; returns its file and did:key.
function makeKey(type) {
  const keyFile = path.join(dir, `${type}-${++counter}.key`);
  const gen = run(['key', 'generate', '--type', type, '--out', keyFile, '--no-passphrase']);
  assert.equal(gen.code, 0, gen.stderr);
  const show = run(['key', 'show', keyFile, '--json']);
  assert.equal(show.code, 0, show.stderr);
  return { keyFile, did: JSON.parse(show.stdout).didKey };
}

function traceportIssue(key, suite, credential) {
  return run(['vc', 'issue', '--key', key.keyFile, '--issuer', key.did, '--suite', suite,
              file('unsigned.json', credential)]);
}

// `traceport vc verify --json`; returns the exit code, the report and the proof check.
function traceportVerify(credential) {
  const r = run(['vc', 'verify', '--json', file('secured.json', credential)]);
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    assert.fail(`traceport vc verify printed no JSON report (exit ${r.code}): ${r.stderr}`);
  }
  const proof = report.checks?.find((c) => c.name === 'proof');
  return { code: r.code, report, proof, output: r.stdout + r.stderr };
}

function assertTraceportAccepts(credential) {
  const v = traceportVerify(credential);
  assert.equal(v.code, 0, v.output);
  assert.equal(v.report.verified, true, v.output);
  assert.equal(v.proof?.status, 'pass', v.output);
}

function assertTraceportRejectsSignature(credential) {
  const v = traceportVerify(credential);
  assert.equal(v.code, NOT_VERIFIED, v.output);
  assert.equal(v.report.verified, false, v.output);
  assert.equal(v.proof?.status, 'fail', v.output);
}

// ---------------------------------------------------------------------------------------------
// @digitalbazaar/vc

const multikeyLoader = makeDocumentLoader();
const dataIntegrityVerifiers = () => [
  new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
  new DataIntegrityProof({ cryptosuite: ecdsaRdfc2019 }),
];

async function jsVerify(credential, { suite = dataIntegrityVerifiers(),
                                      documentLoader = multikeyLoader } = {}) {
  return vc.verifyCredential({ credential, suite, documentLoader });
}

// The causes of a failed verifyCredential, for assertion messages.
function why(result) {
  const errors = [result.error?.errors ?? result.error ?? [],
                  ...(result.results ?? []).map((r) => r.error ?? [])].flat();
  return errors.map((e) => e?.message ?? String(e)).join('; ') || 'no error given';
}

async function assertJsAccepts(credential, options) {
  const result = await jsVerify(credential, options);
  assert.equal(result.verified, true, `@digitalbazaar/vc: ${why(result)}`);
}

// Rejected, and for the reason `pattern` matches (by default: the signature).
async function assertJsRejects(credential, options, pattern = /invalid signature/i) {
  const result = await jsVerify(credential, options);
  assert.equal(result.verified, false, 'the JavaScript verifier accepted a changed credential');
  assert.match(why(result), pattern);
}

// ---------------------------------------------------------------------------------------------
// traceport signs, @digitalbazaar/vc verifies

for (const s of RDFC_SUITES) {
  describe(`${s.name} (${s.keyType}): traceport issues, @digitalbazaar/vc verifies`, () => {
    let key;
    before(() => { key = makeKey(s.keyType); });

    for (const [shape, make] of Object.entries(V2_CREDENTIALS)) {
      test(`${shape} credential`, async () => {
        const r = traceportIssue(key, s.name, make());
        assert.equal(r.code, 0, r.stderr);
        const secured = JSON.parse(r.stdout);
        assert.equal(secured.issuer, key.did);
        assert.equal(secured.proof.type, 'DataIntegrityProof');
        assert.equal(secured.proof.cryptosuite, s.name);
        assert.equal(secured.proof.proofPurpose, 'assertionMethod');
        assert.ok(secured.proof.verificationMethod.startsWith(`${key.did}#`),
                  secured.proof.verificationMethod);
        assert.deepEqual(secured.credentialSubject, make().credentialSubject);

        await assertJsAccepts(secured);
        assertTraceportAccepts(secured);

        const changed = tamper(secured);
        await assertJsRejects(changed);
        assertTraceportRejectsSignature(changed);
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// @digitalbazaar/vc signs, traceport verifies

for (const s of RDFC_SUITES) {
  describe(`${s.name} (${s.keyType}): @digitalbazaar/vc issues, traceport verifies`, () => {
    for (const [shape, make] of Object.entries(V2_CREDENTIALS)) {
      test(`${shape} credential`, async () => {
        const issuer = await generateMultikey(s.keyType);
        const credential = {
          ...make(), id: 'urn:uuid:2f4c3a59-4a7e-4f2c-9d3e-6f1f3a2b9c10', issuer: issuer.did,
          validFrom: '2026-01-01T00:00:00Z',
        };
        const secured = await vc.issue({
          credential,
          suite: new DataIntegrityProof({ signer: issuer.signer(), cryptosuite: s.cryptosuite }),
          documentLoader: multikeyLoader,
        });
        assert.equal(secured.proof.cryptosuite, s.name);
        await assertJsAccepts(secured);
        assertTraceportAccepts(secured);

        const changed = tamper(secured);
        await assertJsRejects(changed);
        assertTraceportRejectsSignature(changed);
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// What RDF canonicalization has to agree on, both ways, for eddsa-rdfc-2022 and for
// ecdsa-rdfc-2019 with P-384 (SHA-384 inside RDFC-1.0). Each case is signed by one side and
// verified by the other; a copy with another credential id must fail on both sides.

const VOCAB = 'https://traceport.example/vocab#';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const EDGE_CASES = {
  // Base direction is signed: both sides deserialize it as an i18n datatype.
  'a language-tagged string with @direction': {
    '@context': [CREDENTIALS_V2, UNDEFINED_TERMS_V2],
    credentialSubject: { note: { '@value': 'Acero', '@language': 'ar', '@direction': 'rtl' } },
  },
  'JSON numbers (xsd:integer / xsd:double forms)': {
    '@context': [CREDENTIALS_V2, UNDEFINED_TERMS_V2],
    credentialSubject: { a: 0.1, b: 1e21, c: -0, d: 123456789012345680000, e: 2.5e-7, f: -12,
                         g: 1.0, h: 9007199254740993, i: true },
  },
  'language-tagged strings': {
    '@context': [CREDENTIALS_V2],
    name: { '@value': 'Informe de ensayo', '@language': 'es-MX' },
    credentialSubject: { id: 'did:example:1', name: [{ '@value': 'steel', '@language': 'en' },
                                                     { '@value': 'acier', '@language': 'FR' }] },
  },
  'control characters, quotes, backslashes and non-BMP text': {
    '@context': [CREDENTIALS_V2, UNDEFINED_TERMS_V2],
    credentialSubject: { s: 'a\u0001b\bc\fd\te\u007ff\u2028g\r\n"\\ \u{1F600} é' },
  },
  'isomorphic blank nodes (Hash N-Degree Quads)': {
    '@context': [CREDENTIALS_V2, UNDEFINED_TERMS_V2],
    credentialSubject: { items: [{ k: 'x', v: 1 }, { k: 'x', v: 1 }, { k: 'y', sub: { k: 'x' } },
                                 { k: 'y', sub: { k: 'x' } }] },
  },
  'JSON literal (@json, rdf:JSON)': {
    '@context': [CREDENTIALS_V2, { data: { '@id': `${VOCAB}data`, '@type': '@json' } }],
    credentialSubject: { id: 'did:example:1',
                         data: { z: 1, a: [true, null, 1.5, 'é'], m: { y: 2, b: 1e21 } } },
  },
  '@list': {
    '@context': [CREDENTIALS_V2, { seq: { '@id': `${VOCAB}seq`, '@container': '@list' } }],
    credentialSubject: { id: 'did:example:1', seq: ['a', 2, { '@id': 'did:example:2' }, []] },
  },
  'typed values and a date-time with fraction and offset': {
    '@context': [CREDENTIALS_V2, { d: { '@id': `${VOCAB}d`, '@type': `${XSD}date` },
                                   n: { '@id': `${VOCAB}n`, '@type': `${XSD}decimal` } }],
    validUntil: '2031-03-02T15:04:05.123+05:30',
    credentialSubject: { id: 'did:example:1', d: '2026-03-04', n: '35472.50' },
  },
  '@id, @language and @index maps': {
    '@context': [CREDENTIALS_V2, {
      byId: { '@id': `${VOCAB}byId`, '@container': '@id' },
      byLang: { '@id': `${VOCAB}byLang`, '@container': '@language' },
      byIdx: { '@id': `${VOCAB}byIdx`, '@container': '@index' },
    }],
    credentialSubject: { id: 'did:example:1',
                         byId: { 'did:example:a': { 'https://schema.org/name': 'A' } },
                         byLang: { en: 'steel', de: 'Stahl' }, byIdx: { one: 'x', two: 'y' } },
  },
  '@graph container (named graph)': {
    '@context': [CREDENTIALS_V2, UNDEFINED_TERMS_V2,
                 { g: { '@id': `${VOCAB}g`, '@container': '@graph' } }],
    credentialSubject: { id: 'did:example:1', g: { id: 'did:example:3', p: 'q' } },
  },
  '@reverse property': {
    '@context': [CREDENTIALS_V2, { madeBy: { '@reverse': `${VOCAB}made` } }],
    credentialSubject: { id: 'did:example:1', madeBy: { '@id': 'did:example:mill' } },
  },
  'IRIs with non-ASCII, query, fragment and percent-escapes': {
    '@context': [CREDENTIALS_V2, UNDEFINED_TERMS_V2],
    credentialSubject: { id: 'https://example.com/acero/león?x=1#frag',
                         link: { id: 'urn:example:a%20b' } },
  },
  'the data-integrity v2 context repeated after the 2.0 context': {
    '@context': [CREDENTIALS_V2, 'https://w3id.org/security/data-integrity/v2',
                 UNDEFINED_TERMS_V2],
    credentialSubject: { id: 'did:example:1', x: 'y' },
  },
  // VCDM 1.1 with a Data Integrity proof (the data-integrity context defines it): traceport
  // issues VCDM 2.0 only, so this one is verified, not signed, by traceport.
  'VCDM 1.1 with the data-integrity v2 context': {
    '@context': [CREDENTIALS_V1, 'https://w3id.org/security/data-integrity/v2',
                 { x: `${VOCAB}x` }],
    issuanceDate: '2026-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:1', x: 'y' },
  },
};

function otherId(credential) {
  const copy = structuredClone(credential);
  copy.id = copy.id.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
  return copy;
}

for (const s of [RDFC_SUITES[0], RDFC_SUITES[2]]) {
  describe(`${s.name} (${s.keyType}): canonicalization cases, both ways`, () => {
    let key;
    before(() => { key = makeKey(s.keyType); });

    for (const [name, body] of Object.entries(EDGE_CASES)) {
      const v1 = body['@context'][0] === CREDENTIALS_V1;
      const unsigned = () => ({
        id: 'urn:uuid:7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a00', type: ['VerifiableCredential'],
        ...(v1 ? {} : { validFrom: '2026-01-01T00:00:00Z' }), ...structuredClone(body),
      });

      test(`${name}: @digitalbazaar/vc signs, traceport verifies`, async () => {
        const issuer = await generateMultikey(s.keyType);
        const secured = await vc.issue({
          credential: { ...unsigned(), issuer: issuer.did },
          suite: new DataIntegrityProof({ signer: issuer.signer(), cryptosuite: s.cryptosuite }),
          documentLoader: multikeyLoader,
        });
        await assertJsAccepts(secured);
        assertTraceportAccepts(secured);
        await assertJsRejects(otherId(secured));
        assertTraceportRejectsSignature(otherId(secured));
      });

      if (v1) continue;
      test(`${name}: traceport signs, @digitalbazaar/vc verifies`, async () => {
        const r = traceportIssue(key, s.name, unsigned());
        assert.equal(r.code, 0, r.stderr);
        const secured = JSON.parse(r.stdout);
        await assertJsAccepts(secured);
        assertTraceportAccepts(secured);
        await assertJsRejects(otherId(secured));
        assertTraceportRejectsSignature(otherId(secured));
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Legacy Linked Data Proofs, signed in JavaScript, verified by traceport

describe('legacy suites: JavaScript signs, traceport verifies', () => {
  for (const { suiteName, Suite, KeyClass, suiteContext, pkg } of [
    { suiteName: 'Ed25519Signature2020', Suite: Ed25519Signature2020,
      KeyClass: Ed25519VerificationKey2020, suiteContext: ED25519_2020_CONTEXT,
      pkg: '@digitalbazaar/ed25519-signature-2020' },
    // The credentials v1 context already defines Ed25519Signature2018 (adding the suite's own
    // context would redefine protected terms).
    { suiteName: 'Ed25519Signature2018', Suite: Ed25519Signature2018,
      KeyClass: Ed25519VerificationKey2018, suiteContext: undefined,
      pkg: '@digitalbazaar/ed25519-signature-2018' },
  ]) {
    test(`${suiteName} (${pkg})`, async () => {
      const issuer = await generateLegacyEd25519(KeyClass);
      const documentLoader = makeDocumentLoader({ didKeyType: KeyClass.suite });
      const secured = await vc.issue({
        credential: v1Credential(issuer.did, suiteContext),
        suite: new Suite({ key: issuer.key }),
        documentLoader,
      });
      assert.equal(secured.proof.type, suiteName);
      const options = { suite: new Suite(), documentLoader };
      await assertJsAccepts(secured, options);
      assertTraceportAccepts(secured);

      const changed = tamper(secured);
      await assertJsRejects(changed, options);
      assertTraceportRejectsSignature(changed);
    });
  }

  // JsonWebSignature2020 (@transmute/json-web-signature, which brings its own jsonld 5; the
  // "overrides" entry of package.json gives that jsonld's ky-universal the ky 0.x it needs, as
  // npm would otherwise hoist ky 1.x there). The verification method is a
  // JsonWebKey2020 under a did:key DID. The JavaScript verifier frames the method out of the DID
  // document, which the loader serves for both the DID and the method's URL.
  for (const keyType of ['ed25519', 'p256', 'p384']) {
    test(`JsonWebSignature2020 ${keyType} (@transmute/json-web-signature)`, async () => {
      const { did, verificationMethod, key } = await generateMultikey(keyType);
      const toJwk = keyType === 'ed25519' ? Ed25519Multikey.toJwk : EcdsaMultikey.toJwk;
      const publicKeyJwk = await toJwk({ keyPair: key });
      const privateKeyJwk = await toJwk({ keyPair: key, secretKey: true });
      if (keyType === 'ed25519') {
        // @digitalbazaar/ed25519-multikey puts its 64-byte secret key (seed ‖ public key) in "d";
        // RFC 8037 and @transmute want the 32-byte seed.
        privateKeyJwk.d = Buffer.from(privateKeyJwk.d, 'base64url').subarray(0, 32)
          .toString('base64url');
      }
      const method = { id: verificationMethod, type: 'JsonWebKey2020', controller: did,
                       publicKeyJwk };
      const didDocument = { '@context': [DID_V1, JWS_2020_CONTEXT], id: did,
                            verificationMethod: [method], assertionMethod: [verificationMethod] };
      const documentLoader = makeDocumentLoader({
        extra: new Map([[verificationMethod, didDocument], [did, didDocument]]),
      });
      const suite = new JsonWebSignature({
        key: await JsonWebKey.from({ ...method, privateKeyJwk }),
      });
      const document = v1Credential(did, JWS_2020_CONTEXT);
      const proof = await suite.createProof({
        document, purpose: new AssertionProofPurpose(), documentLoader, compactProof: false,
      });
      const secured = { ...document, proof };
      assert.equal(secured.proof.type, 'JsonWebSignature2020');

      const jsCheck = async (credential) => {
        // The suite canonizes the proof options with the "@context" its caller puts there.
        const { proof: signature, ...unsigned } = credential;
        return new JsonWebSignature().verifyProof({
          proof: { '@context': unsigned['@context'], ...signature }, document: unsigned, purpose: new AssertionProofPurpose(),
          documentLoader, compactProof: false,
        });
      };
      const own = await jsCheck(secured);
      assert.equal(own.verified, true, `@transmute: ${own.error?.message ?? own.error}`);
      assertTraceportAccepts(secured);

      const changed = tamper(secured);
      assert.equal((await jsCheck(changed)).verified, false,
                   '@transmute accepted a changed credential');
      assertTraceportRejectsSignature(changed);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Safe mode: a term no context defines

describe('safe mode: undefined terms', () => {
  test('traceport refuses to sign a term no context defines, and names it', async () => {
    // The 2.0 context defines "name" but not "heatNumber", and has no @vocab: without safe mode
    // the term would be dropped from what is signed.
    const credential = {
      '@context': [CREDENTIALS_V2],
      type: ['VerifiableCredential'],
      credentialSubject: { id: 'did:example:heat-41', name: 'Mill test report for heat 41',
                           heatNumber: 'H24-51873' },
    };
    // The JavaScript signer (safe mode too) refuses the same credential: the term really is
    // undefined.
    const js = await generateMultikey('ed25519');
    await assert.rejects(vc.issue({
      credential: { ...credential, issuer: js.did },
      suite: new DataIntegrityProof({ signer: js.signer(), cryptosuite: eddsaRdfc2022 }),
      documentLoader: multikeyLoader,
    }), /heatNumber|undefined|safe/i);

    for (const [suite, keyType] of [['eddsa-rdfc-2022', 'ed25519'],
                                    ['ecdsa-rdfc-2019', 'p256']]) {
      const key = makeKey(keyType);
      const r = traceportIssue(key, suite, credential);
      assert.notEqual(r.code, 0, `traceport signed a credential with an undefined term: ${r.stdout}`);
      assert.equal(r.stdout.trim(), '', 'a refused credential must not be printed');
      assert.match(r.stderr, /heatNumber/, r.stderr);
      // The same credential with the term defined is signed: the refusal is about the term.
      const defined = structuredClone(credential);
      defined['@context'].push({ heatNumber: 'https://traceport.example/vocab#heatNumber' });
      const ok = traceportIssue(key, suite, defined);
      assert.equal(ok.code, 0, ok.stderr);
      await assertJsAccepts(JSON.parse(ok.stdout));
    }
  });

  test('a term added after signing that no context defines is not ignored', async () => {
    // Without safe mode the added term would vanish in expansion, the canonical form would not
    // change, and the signature would still verify over a document that says more than was
    // signed.
    const issuer = await generateLegacyEd25519(Ed25519VerificationKey2020);
    const documentLoader = makeDocumentLoader({ didKeyType: 'Ed25519VerificationKey2020' });
    const secured = await vc.issue({
      credential: v1Credential(issuer.did, ED25519_2020_CONTEXT),
      suite: new Ed25519Signature2020({ key: issuer.key }),
      documentLoader,
    });
    const options = { suite: new Ed25519Signature2020(), documentLoader };
    await assertJsAccepts(secured, options);
    assertTraceportAccepts(secured);

    const added = structuredClone(secured);
    added.credentialSubject.grade = 'Grade 65';
    await assertJsRejects(added, options, /safe mode/i);
    const v = traceportVerify(added);
    assert.equal(v.code, NOT_VERIFIED, v.output);
    assert.equal(v.report.verified, false, v.output);
    assert.match(v.output, /grade/, v.output);
  });
});
