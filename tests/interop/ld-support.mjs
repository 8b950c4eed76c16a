// Linked-data support for the interop tests: an offline JSON-LD document loader (the contexts the
// traceport registry pins, from their npm packages, plus did:key resolution through
// @digitalbazaar/did-method-key) and key helpers for the @digitalbazaar signers.
//
// Nothing here touches the network: a URL the loader does not know is an error that names it.
import * as didMethodKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { Ed25519VerificationKey2018 } from '@digitalbazaar/ed25519-verification-key-2018';
import { Ed25519VerificationKey2020 } from '@digitalbazaar/ed25519-verification-key-2020';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CREDENTIALS_V1 = 'https://www.w3.org/2018/credentials/v1';
export const CREDENTIALS_V2 = 'https://www.w3.org/ns/credentials/v2';
export const UNDEFINED_TERMS_V2 = 'https://www.w3.org/ns/credentials/undefined-terms/v2';
export const ED25519_2020_CONTEXT = 'https://w3id.org/security/suites/ed25519-2020/v1';
export const ED25519_2018_CONTEXT = 'https://w3id.org/security/suites/ed25519-2018/v1';
export const JWS_2020_CONTEXT = 'https://w3id.org/security/suites/jws-2020/v1';
export const DID_V1 = 'https://www.w3.org/ns/did/v1';

const here = path.dirname(fileURLToPath(import.meta.url));
export const MANIFEST = path.join(here, '..', '..', 'contexts', 'manifest.json');

// The contexts of traceport's pinned registry, by URL, parsed from the very files the traceport
// build embeds: contexts/manifest.json names each URL's npm package, version, file and SHA-256,
// and this directory's package.json installs the same package versions. A version or hash that
// differs fails here, so both sides always expand with byte-identical contexts.
export const CONTEXTS = (() => {
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  const all = new Map();
  for (const c of manifest.contexts) {
    const dir = path.join(here, 'node_modules', c.package);
    let version;
    try {
      ({ version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')));
    } catch {
      throw new Error(`${c.url}: the npm package ${c.package} (contexts/manifest.json) is not ` +
                      'installed in tests/interop: add it to tests/interop/package.json');
    }
    if (version !== c.version) {
      throw new Error(`${c.url}: tests/interop has ${c.package}@${version}, traceport embeds ` +
                      `${c.version}: install the same version in tests/interop`);
    }
    const bytes = readFileSync(path.join(dir, c.file));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== c.sha256) {
      throw new Error(`${c.url}: ${c.package}/${c.file} has SHA-256 ${sha256}, ` +
                      `contexts/manifest.json says ${c.sha256}`);
    }
    all.set(c.url, JSON.parse(bytes.toString('utf8')));
  }
  return all;
})();

// did:key drivers, one per kind of verification method: @digitalbazaar/did-method-key registers
// one deserializer per multikey header, so the legacy key types need drivers of their own.
function driverFor(kind) {
  const driver = didMethodKey.driver();
  if (kind === 'multikey') {
    driver.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from });
    driver.use({ multibaseMultikeyHeader: 'zDna', fromMultibase: EcdsaMultikey.from });
    driver.use({ multibaseMultikeyHeader: 'z82L', fromMultibase: EcdsaMultikey.from });
  } else if (kind === 'Ed25519VerificationKey2020') {
    driver.use({ multibaseMultikeyHeader: 'z6Mk',
                 fromMultibase: Ed25519VerificationKey2020.from });
  } else if (kind === 'Ed25519VerificationKey2018') {
    driver.use({
      multibaseMultikeyHeader: 'z6Mk',
      fromMultibase: ({ publicKeyMultibase }) =>
        Ed25519VerificationKey2018.fromFingerprint({ fingerprint: publicKeyMultibase }),
    });
  } else {
    throw new Error(`no did:key driver for ${kind}`);
  }
  return driver;
}

// A documentLoader serving CONTEXTS, the documents in `extra` (URL -> document) and did:key DIDs
// and DID URLs, resolved with verification methods of `didKeyType` ('multikey',
// 'Ed25519VerificationKey2020' or 'Ed25519VerificationKey2018'). Every URL asked for is added
// to `requested` when given.
export function makeDocumentLoader({ didKeyType = 'multikey', extra = new Map(),
                                     requested } = {}) {
  const driver = driverFor(didKeyType);
  return async (url) => {
    requested?.add(url);
    const local = extra.get(url) ?? CONTEXTS.get(url);
    if (local !== undefined) {
      return { contextUrl: null, documentUrl: url, document: structuredClone(local) };
    }
    if (url.startsWith('did:key:')) {
      const document = await driver.get({ url });
      return { contextUrl: null, documentUrl: url, document };
    }
    throw new Error(`interop documentLoader: no offline document for ${url}`);
  };
}

// An Ed25519 or ECDSA Multikey key pair with a did:key controller: `signer()` for
// DataIntegrityProof, `did`, `verificationMethod`.
export async function generateMultikey(type) {
  let key;
  if (type === 'ed25519') {
    key = await Ed25519Multikey.generate();
  } else if (type === 'p256' || type === 'p384') {
    key = await EcdsaMultikey.generate({ curve: type === 'p256' ? 'P-256' : 'P-384' });
  } else {
    throw new Error(`unknown key type ${type}`);
  }
  const did = `did:key:${key.publicKeyMultibase}`;
  key.controller = did;
  key.id = `${did}#${key.publicKeyMultibase}`;
  return { key, did, verificationMethod: key.id, signer: () => key.signer() };
}

// A legacy Ed25519 key pair (Ed25519VerificationKey2020 or 2018) with a did:key controller.
export async function generateLegacyEd25519(keyClass) {
  const key = await keyClass.generate();
  const fingerprint = key.fingerprint();
  const did = `did:key:${fingerprint}`;
  key.controller = did;
  key.id = `${did}#${fingerprint}`;
  return { key, did, verificationMethod: key.id };
}

export { Ed25519VerificationKey2018, Ed25519VerificationKey2020 };
