// The text forms of Ed25519 note keys, shared by the plain (type 0x01) and cosignature (type
// 0x04) signers and verifiers. Internal to ledger/verify.
//
//   vkey         <name>+<hex key ID>+<base64(type || 32-byte public key)>
//   signer key   PRIVATE+KEY+<name>+<hex key ID>+<base64(type || 32-byte seed)>
//
// The base64 part may itself contain '+', so a vkey is split on its first two '+' and a signer
// key on its first four. The key ID must be eight lowercase hex digits equal to
// SHA-256(name || 0x0A || type || public key)[:4].
//
// Thread safety: all functions are thread-safe.
#ifndef TRACEPORT_LEDGER_VERIFY_INTERNAL_KEY_TEXT_H_
#define TRACEPORT_LEDGER_VERIFY_INTERNAL_KEY_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "crypto/ed25519.h"

namespace traceport::ledger::internal {

struct ParsedVkey {
  std::string name;
  crypto::Ed25519PublicKey public_key;
};

struct ParsedSignerKey {
  std::string name;
  crypto::Ed25519PrivateKey private_key;
};

// Parses a vkey whose type byte must be `type`. `what` starts every error message, e.g. "vkey"
// or "cosigner vkey". InvalidArgument for every defect.
Result<ParsedVkey> ParseEd25519Vkey(std::string_view vkey, uint8_t type, std::string_view what);

// The vkey text for (name, type, key); the key ID is computed.
std::string FormatEd25519Vkey(std::string_view name, uint8_t type,
                              const crypto::Ed25519PublicKey& key);

// Parses a signer key whose type byte must be `type`. Error messages never quote the key
// material, and the decoded seed is wiped before returning.
Result<ParsedSignerKey> ParseEd25519SignerKey(std::string_view skey, uint8_t type,
                                              std::string_view what);

// The signer key text for (name, type, key). Contains the seed.
std::string FormatEd25519SignerKey(std::string_view name, uint8_t type,
                                   const crypto::Ed25519PrivateKey& key);

}  // namespace traceport::ledger::internal

#endif  // TRACEPORT_LEDGER_VERIFY_INTERNAL_KEY_TEXT_H_
