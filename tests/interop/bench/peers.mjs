// Peer benchmark: how fast Node.js implementations verify (and canonicalize) the credentials that
// traceport_vc_bench verifies, and how our figures compare.
//
//   node peers.mjs FIXTURE_DIR [OURS_FILE]
//
// FIXTURE_DIR is written by `traceport_vc_bench --fixtures DIR`; OURS_FILE is that bench's
// stdout. See README.md for what each peer measurement covers.
//
// Environment:
//   PEER_BENCH_SECONDS       length of one timed round in seconds (default 1; warm-up is half)
//   PEER_BENCH_ROUNDS        number of timed rounds, the best one counts (default 5)
//   TRACEPORT_BENCH_ENFORCE  "1": exit 1 when a comparison misses its goal
//
// Exit codes: 0 done, 1 a peer failed to verify (or a goal was missed under enforcement),
// 2 usage error or missing fixtures.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { importJWK, jwtVerify } from 'jose';
import jsonld from 'jsonld';
import jsigs from 'jsonld-signatures';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { createVerifyCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

const { AssertionProofPurpose } = jsigs.purposes;

const FIXTURE_FILES = {
  jwt: 'mtr-es256.jwt',
  jwk: 'es256-public.jwk',
  dataIntegrity: 'mtr-eddsa-jcs-2022.json',
  rdfc: 'mtr-eddsa-rdfc-2022.json',
  rdfcCanonical: 'mtr-eddsa-rdfc-2022-unsigned.nq',
  didDocument: 'eddsa-did.json',
  now: 'now.txt',
};

// Our benchmark lines that the comparisons read, and the throughput goals. `bare` names the
// signature check our line is paired with ("... ns/op (ratio R vs <bare>)"): a verifier cannot
// be faster than that check alone, so the run also prints where the ratio would stand if all of
// our time were the signature (the ceiling any verifier of these credentials has on this host).
const COMPARISONS = [
  {
    ours: 'vc-jwt-es256-verify',
    peer: 'jose-es256-cached',
    label: 'jose (cached keys)',
    goal: 1.3,
    bare: 'bare P-256 verify',
  },
  {
    ours: 'vc-jwt-es256-verify',
    peer: 'jose-es256-fresh',
    label: 'jose (fresh key each time)',
    goal: 10,
    bare: 'bare P-256 verify',
  },
  {
    ours: 'eddsa-jcs-2022-verify',
    peer: 'digitalbazaar-eddsa-jcs-2022-cached',
    label: '@digitalbazaar/eddsa-jcs-2022-cryptosuite (cached keys)',
    goal: 2.5,
    bare: 'bare Ed25519 verify',
  },
  {
    ours: 'eddsa-rdfc-2022-verify',
    peer: 'digitalbazaar-eddsa-rdfc-2022-cached',
    label: '@digitalbazaar/vc + eddsa-rdfc-2022-cryptosuite (cached keys and contexts)',
    goal: 8,
    bare: 'bare Ed25519 verify',
  },
  {
    ours: 'rdfc-canonize',
    peer: 'jsonld-rdf-canonize',
    label: 'jsonld.canonize RDFC-1.0 (jsonld + rdf-canonize)',
    goal: 20,
  },
];

// traceport's pinned contexts: contexts/manifest.json names each URL's npm package, version,
// file and SHA-256 (the build embeds those files).
const HERE = path.dirname(fileURLToPath(import.meta.url));
const CONTEXT_MANIFEST = path.join(HERE, '..', '..', '..', 'contexts', 'manifest.json');

class UsageError extends Error {}

// ---------------------------------------------------------------------------------------------
// Inputs

function parseArgs(argv) {
  const args = argv.slice(2);
  if (args.length < 1 || args.length > 2 || args.some((a) => a === '' || a.startsWith('-'))) {
    throw new UsageError('usage: node peers.mjs FIXTURE_DIR [OURS_FILE]');
  }
  return { fixtureDir: args[0], oursFile: args[1] };
}

function positiveNumberFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${name} must be a positive number, got "${raw}"`);
  }
  return value;
}

function loadFixtures(dir) {
  if (!existsSync(dir)) {
    throw new UsageError(
      `fixture directory ${dir} does not exist ` +
        '(write it with: traceport_vc_bench --fixtures DIR)');
  }
  const missing = Object.values(FIXTURE_FILES).filter((f) => !existsSync(path.join(dir, f)));
  if (missing.length > 0) {
    throw new UsageError(
      `fixture directory ${dir} lacks ${missing.join(', ')} ` +
        '(write it with: traceport_vc_bench --fixtures DIR)');
  }
  const read = (name) => readFileSync(path.join(dir, FIXTURE_FILES[name]), 'utf8');
  const parse = (name) => {
    try {
      return JSON.parse(read(name));
    } catch (err) {
      throw new UsageError(`fixture ${FIXTURE_FILES[name]} is not JSON: ${err.message}`);
    }
  };
  const nowText = read('now').trim();
  const now = new Date(nowText);
  if (Number.isNaN(now.getTime())) {
    throw new UsageError(`fixture ${FIXTURE_FILES.now} is not an RFC 3339 time: "${nowText}"`);
  }
  return {
    jwt: read('jwt').trim(),
    jwk: parse('jwk'),
    dataIntegrityText: read('dataIntegrity'),
    rdfcText: read('rdfc'),
    rdfcCanonical: read('rdfcCanonical'),
    didDocument: parse('didDocument'),
    now,
  };
}

// The JSON-LD contexts the RDF peers need, from the npm packages of this directory: the URLs
// of contexts/manifest.json whose package is installed here, at the version and SHA-256 the
// manifest pins, so that both sides expand with byte-identical contexts.
function loadPinnedContexts() {
  const manifest = JSON.parse(readFileSync(CONTEXT_MANIFEST, 'utf8'));
  const contexts = new Map();
  for (const c of manifest.contexts) {
    const dir = path.join(HERE, 'node_modules', c.package);
    if (!existsSync(path.join(dir, 'package.json'))) continue;
    const { version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    if (version !== c.version) {
      throw new Error(`${c.url}: the peer bench has ${c.package}@${version}, traceport embeds ` +
                      `${c.version} (contexts/manifest.json)`);
    }
    const bytes = readFileSync(path.join(dir, c.file));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== c.sha256) {
      throw new Error(`${c.url}: ${c.package}/${c.file} has SHA-256 ${sha256}, ` +
                      `contexts/manifest.json says ${c.sha256}`);
    }
    contexts.set(c.url, JSON.parse(bytes.toString('utf8')));
  }
  return contexts;
}

// Reads "bench <name>: <value> ns/op [(ratio <r> vs <reference>)]" lines of our C++ bench
// output: name -> {ns, ratio, reference} (ratio and reference only when the line has them).
function loadOurFigures(file) {
  if (!existsSync(file)) throw new UsageError(`OURS_FILE ${file} does not exist`);
  const number = '([0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)';
  const pattern = new RegExp(
    `^bench ([\\w.-]+): ${number} ns\\/op\\b(?: \\(ratio ${number} vs ([^)]*)\\))?`);
  const figures = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = pattern.exec(line);
    if (!m) continue;
    figures.set(m[1], {
      ns: Number(m[2]),
      ratio: m[3] === undefined ? undefined : Number(m[3]),
      reference: m[4],
    });
  }
  return figures;
}

// Where `c`'s ratio would stand if our whole verification cost only the bare signature check it
// is paired with: that check's throughput over the peer's. Undefined when our line does not
// name that check.
function ceilingOf(c, figures, theirs) {
  if (c.bare === undefined) return undefined;
  const f = figures.get(c.ours);
  if (f === undefined || f.ratio === undefined || !(f.ratio > 0)) return undefined;
  if (f.reference === undefined || !f.reference.startsWith(c.bare)) return undefined;
  const bareOps = 1e9 / (f.ns / f.ratio);
  return bareOps / theirs;
}

// ---------------------------------------------------------------------------------------------
// Tampering for the negative checks

// Changes one character of one string field of credentialSubject (not "id" or "type").
// Returns the field's name.
function tamperSubject(credential) {
  const subject = credential.credentialSubject;
  if (subject === null || typeof subject !== 'object') {
    throw new Error('credential has no credentialSubject object to tamper with');
  }
  const field = Object.keys(subject).find(
    (k) => k !== 'id' && k !== 'type' && typeof subject[k] === 'string' && subject[k] !== '');
  if (field === undefined) throw new Error('credentialSubject has no string field to tamper with');
  const value = subject[field];
  const last = value.at(-1);
  subject[field] = value.slice(0, -1) + (last === 'X' ? 'Y' : 'X');
  return field;
}

function tamperJwtPayload(jwt) {
  const [header, payload, signature] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const field = tamperSubject(claims);
  const tampered = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return { token: [header, tampered, signature].join('.'), field };
}

// ---------------------------------------------------------------------------------------------
// Peers. Each has verify() (resolves when the input verifies, throws otherwise) and
// verifyTampered() (resolves with the error message when the tampered input is rejected).

function josePeers(fixtures) {
  const options = { typ: 'vc+jwt', algorithms: ['ES256'], currentDate: fixtures.now };
  const tampered = tamperJwtPayload(fixtures.jwt);

  const check = ({ protectedHeader, payload }) => {
    if (protectedHeader.alg !== 'ES256' || typeof payload.credentialSubject !== 'object') {
      throw new Error('jose returned an unexpected result');
    }
  };
  const expectRejection = async (verifyToken) => {
    try {
      await verifyToken(tampered.token);
    } catch (err) {
      if (err.code !== 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') throw err;
      return `credentialSubject.${tampered.field} changed: ${err.code}`;
    }
    throw new Error(`accepted a vc+jwt whose credentialSubject.${tampered.field} was changed`);
  };

  let cachedKey;
  const verifyCached = async (token) => check(await jwtVerify(token, cachedKey, options));
  const verifyFresh = async (token) =>
    check(await jwtVerify(token, await importJWK(fixtures.jwk, 'ES256'), options));

  return [
    {
      name: 'jose-es256-cached',
      async setup() {
        cachedKey = await importJWK(fixtures.jwk, 'ES256');
      },
      verify: () => verifyCached(fixtures.jwt),
      verifyTampered: () => expectRejection(verifyCached),
    },
    {
      name: 'jose-es256-fresh',
      async setup() {},
      verify: () => verifyFresh(fixtures.jwt),
      verifyTampered: () => expectRejection(verifyFresh),
    },
  ];
}

// A document loader that serves the issuer's DID document and its verification methods from
// memory. jsonld-signatures answers the contexts it embeds before calling it; anything else is
// refused (there is no network access) and recorded, so a run shows what was asked for.
function makeDidDocumentLoader(didDocument, requestedUrls, contexts = new Map()) {
  const did = didDocument.id;
  if (typeof did !== 'string' || !did.startsWith('did:')) {
    throw new Error('eddsa-did.json has no DID "id"');
  }
  const documents = new Map([[did, didDocument]]);
  for (const vm of [didDocument.verificationMethod ?? []].flat()) {
    if (vm === null || typeof vm !== 'object' || typeof vm.id !== 'string') continue;
    const id = vm.id.startsWith('#') ? did + vm.id : vm.id;
    documents.set(id, { ...vm, id, controller: vm.controller ?? did });
  }
  return async (url) => {
    requestedUrls.add(url);
    const document = documents.get(url) ?? contexts.get(url);
    if (document === undefined) {
      throw new Error(`peer bench documentLoader: no local document for ${url}`);
    }
    return { contextUrl: null, documentUrl: url, document };
  };
}

function digitalbazaarPeer(fixtures, requestedUrls) {
  const documentLoader = makeDidDocumentLoader(fixtures.didDocument, requestedUrls);
  const suite = new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() });
  const purpose = new AssertionProofPurpose({ date: fixtures.now });
  const options = { suite, purpose, documentLoader };

  // jsigs.verify reports failures as a VerificationError whose `errors` holds the causes.
  const reason = (result) => {
    const causes = [result.error?.errors ?? result.error ?? []].flat();
    return causes.map((e) => e?.message ?? String(e)).join('; ') || 'no error given';
  };
  const tamperedText = (() => {
    const credential = JSON.parse(fixtures.dataIntegrityText);
    const field = tamperSubject(credential);
    return { text: JSON.stringify(credential), field };
  })();

  return {
    name: 'digitalbazaar-eddsa-jcs-2022-cached',
    async setup() {},
    async verify() {
      // Parsed from the text on every verification, as our verifier parses the text it receives.
      const result = await jsigs.verify(JSON.parse(fixtures.dataIntegrityText), options);
      if (result.verified !== true) {
        throw new Error(`jsonld-signatures did not verify the credential: ${reason(result)}`);
      }
    },
    async verifyTampered() {
      const result = await jsigs.verify(JSON.parse(tamperedText.text), options);
      if (result.verified !== false) {
        throw new Error(
          `accepted a credential whose credentialSubject.${tamperedText.field} was changed`);
      }
      const why = reason(result);
      if (!/invalid signature/i.test(why)) {
        throw new Error(`rejected the tampered credential, but not for its signature: ${why}`);
      }
      return `credentialSubject.${tamperedText.field} changed: ${why}`;
    },
  };
}

// Full verification of the eddsa-rdfc-2022 report with @digitalbazaar/vc: JSON.parse, the
// credential checks of verifyCredential (structure, validity period at the fixture's "now"),
// then jsonld-signatures with DataIntegrityProof + eddsa-rdfc-2022 (expansion in safe mode,
// RDFC-1.0 of the document and of the proof configuration, Ed25519) and AssertionProofPurpose.
// The DID document, its verification method and the contexts come from memory; jsonld.js keeps
// its own cache of processed contexts across verifications.
function digitalbazaarRdfcPeer(fixtures, contexts, requestedUrls) {
  const documentLoader = makeDidDocumentLoader(fixtures.didDocument, requestedUrls, contexts);
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
  const options = { suite, documentLoader, now: fixtures.now };

  const reason = (result) => {
    const causes = [result.error?.errors ?? result.error ?? [],
                    ...(result.results ?? []).map((r) => r.error ?? [])].flat();
    return causes.map((e) => e?.message ?? String(e)).join('; ') || 'no error given';
  };
  const tamperedText = (() => {
    const credential = JSON.parse(fixtures.rdfcText);
    const field = tamperSubject(credential);
    return { text: JSON.stringify(credential), field };
  })();

  return {
    name: 'digitalbazaar-eddsa-rdfc-2022-cached',
    async setup() {},
    async verify() {
      const result = await vc.verifyCredential({
        credential: JSON.parse(fixtures.rdfcText), ...options });
      if (result.verified !== true) {
        throw new Error(`@digitalbazaar/vc did not verify the credential: ${reason(result)}`);
      }
    },
    async verifyTampered() {
      const result = await vc.verifyCredential({
        credential: JSON.parse(tamperedText.text), ...options });
      if (result.verified !== false) {
        throw new Error(
          `accepted a credential whose credentialSubject.${tamperedText.field} was changed`);
      }
      const why = reason(result);
      if (!/invalid signature/i.test(why)) {
        throw new Error(`rejected the tampered credential, but not for its signature: ${why}`);
      }
      return `credentialSubject.${tamperedText.field} changed: ${why}`;
    },
  };
}

// jsonld.canonize of the unsigned report: expansion with the pinned contexts (safe mode, as
// the cryptosuites and ours run it), toRdf and RDFC-1.0 to canonical N-Quads. Its output must
// equal ours byte for byte (the fixture traceport_vc_bench wrote).
function jsonldCanonizePeer(fixtures, contexts, requestedUrls) {
  const documentLoader = async (url) => {
    requestedUrls.add(url);
    const document = contexts.get(url);
    if (document === undefined) throw new Error(`peer bench documentLoader: no context ${url}`);
    return { contextUrl: null, documentUrl: url, document };
  };
  const options = {
    algorithm: 'RDFC-1.0', format: 'application/n-quads', safe: true, documentLoader,
  };
  const unsigned = (text) => {
    const { proof, ...document } = JSON.parse(text);
    if (proof === undefined) throw new Error(`${FIXTURE_FILES.rdfc} has no proof`);
    return document;
  };
  const document = unsigned(fixtures.rdfcText);
  const tampered = (() => {
    const copy = structuredClone(document);
    const field = tamperSubject(copy);
    return { document: copy, field };
  })();

  return {
    name: 'jsonld-rdf-canonize',
    async setup() {},
    async verify() {
      const nquads = await jsonld.canonize(document, options);
      if (nquads !== fixtures.rdfcCanonical) {
        throw new Error('jsonld.canonize output differs from traceport\'s canonical N-Quads ' +
                        `(${FIXTURE_FILES.rdfcCanonical})`);
      }
    },
    // Not a verification: checks that a changed document canonizes to other N-Quads, so that
    // the equality above means something.
    async verifyTampered() {
      const nquads = await jsonld.canonize(tampered.document, options);
      if (nquads === fixtures.rdfcCanonical) {
        throw new Error(`credentialSubject.${tampered.field} changed, same N-Quads`);
      }
      return `credentialSubject.${tampered.field} changed: other N-Quads`;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Timing

// Runs fn() back to back for about `seconds`, one call at a time; returns calls per second.
async function timedRound(fn, seconds) {
  const budgetMs = seconds * 1000;
  const start = performance.now();
  let ops = 0;
  let elapsed = 0;
  do {
    await fn();
    ops += 1;
    elapsed = performance.now() - start;
  } while (elapsed < budgetMs);
  return (ops * 1000) / elapsed;
}

async function measure(peer, { seconds, rounds }) {
  await timedRound(peer.verify, seconds / 2); // warm-up
  let best = 0;
  for (let i = 0; i < rounds; i += 1) {
    best = Math.max(best, await timedRound(peer.verify, seconds));
  }
  return best;
}

// ---------------------------------------------------------------------------------------------

function formatOps(opsPerSecond) {
  return opsPerSecond.toFixed(1);
}

async function main() {
  const { fixtureDir, oursFile } = parseArgs(process.argv);
  const seconds = positiveNumberFromEnv('PEER_BENCH_SECONDS', 1);
  const rounds = Math.max(1, Math.round(positiveNumberFromEnv('PEER_BENCH_ROUNDS', 5)));
  const fixtures = loadFixtures(fixtureDir);
  const ours = oursFile === undefined ? undefined : loadOurFigures(oursFile);

  const requestedUrls = new Set();
  const rdfcUrls = new Set();
  const canonizeUrls = new Set();
  const contexts = loadPinnedContexts();
  const peers = [
    ...josePeers(fixtures),
    digitalbazaarPeer(fixtures, requestedUrls),
    digitalbazaarRdfcPeer(fixtures, contexts, rdfcUrls),
    jsonldCanonizePeer(fixtures, contexts, canonizeUrls),
  ];

  // Every peer must accept the fixture and reject a tampered copy before it is timed.
  for (const peer of peers) {
    await peer.setup();
    try {
      await peer.verify();
    } catch (err) {
      throw new Error(`peer ${peer.name}: the fixture does not verify: ${err.message}`);
    }
    let rejection;
    try {
      rejection = await peer.verifyTampered();
    } catch (err) {
      throw new Error(`peer ${peer.name}: negative check failed: ${err.message}`);
    }
    console.log(`check peer ${peer.name}: rejects a tampered copy (${rejection})`);
  }
  for (const [name, urls] of [['digitalbazaar-eddsa-jcs-2022-cached', requestedUrls],
                              ['digitalbazaar-eddsa-rdfc-2022-cached', rdfcUrls],
                              ['jsonld-rdf-canonize', canonizeUrls]]) {
    console.log(`check peer ${name}: documentLoader was asked for ` +
      `${[...urls].join(', ') || 'nothing'}`);
  }

  const peerOps = new Map();
  for (const peer of peers) {
    let opsPerSecond;
    try {
      opsPerSecond = await measure(peer, { seconds, rounds });
    } catch (err) {
      throw new Error(`peer ${peer.name}: verification failed while timing: ${err.message}`);
    }
    peerOps.set(peer.name, opsPerSecond);
    console.log(`peer ${peer.name}: ${formatOps(opsPerSecond)} ops/s ` +
      `(${(1e9 / opsPerSecond).toFixed(1)} ns/op)`);
  }

  if (ours === undefined) return 0;

  let missedGoal = false;
  for (const c of COMPARISONS) {
    const oursNs = ours.get(c.ours)?.ns;
    if (oursNs === undefined || !(oursNs > 0)) {
      console.log(`bench ${c.ours} vs ${c.label}: no "bench ${c.ours}: ... ns/op" line in ` +
        `${oursFile}  [missing]`);
      missedGoal = true;
      continue;
    }
    const oursOps = 1e9 / oursNs;
    const theirs = peerOps.get(c.peer);
    const ratio = oursOps / theirs;
    const below = ratio < c.goal;
    missedGoal ||= below;
    console.log(`bench ${c.ours} vs ${c.label}: ${formatOps(oursOps)} vs ${formatOps(theirs)} ` +
      `ops/s, ratio ${ratio.toFixed(3)} (goal >= ${c.goal})${below ? '  [below goal]' : ''}`);
    const ceiling = ceilingOf(c, ours, theirs);
    if (ceiling !== undefined) {
      console.log(`bench ${c.ours} vs ${c.label}: ceiling ${ceiling.toFixed(3)} (the ${c.bare} ` +
        `alone vs the peer)${ceiling < c.goal ? '  [goal above the ceiling]' : ''}`);
    }
  }
  return missedGoal && process.env.TRACEPORT_BENCH_ENFORCE === '1' ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err instanceof UsageError) {
      console.error(`peer bench: ${err.message}`);
      process.exitCode = 2;
    } else {
      console.error(`peer bench: FAILED: ${err.message}`);
      process.exitCode = 1;
    }
  });
