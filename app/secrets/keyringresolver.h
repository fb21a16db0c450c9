// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/benchmarkrunner.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace t2i {

// An api_key_keyring value: "service/account" (split at the first '/'), or a bare account name
// under the service "t2ibench". QtKeychain stores it as the secret with attributes
// server=<service> and user=<account> (libsecret), so `secret-tool store --label=... server
// <service> user <account> type plaintext` creates one t2ibench can read.
struct KeyringEntry {
    std::string service;
    std::string account;
    std::string text() const { return service + "/" + account; }
};
KeyringEntry parseKeyringEntry(const std::string& value);

// Reads one entry through QtKeychain, waiting at most timeout (a locked keyring may ask the user
// to unlock it). nullopt with *error naming the entry, what failed and what to do instead when
// it cannot: no secret service (a headless machine), no such entry, access denied, no QtKeychain
// in this build. Creates the QCoreApplication it needs when the program has none; from a thread
// other than the application's, the read runs on the application's thread.
std::optional<std::string> readKeyring(
    const KeyringEntry& entry, std::chrono::milliseconds timeout, std::string* error);

// The dashboard's "Store in keyring...": writes the secret under entry through QtKeychain
// (WritePasswordJob, no plain-text fallback), from the application's thread, without waiting;
// done is called there once, with "" on success or why it failed. The secret is not kept.
void writeKeyringAsync(const KeyringEntry& entry, const std::string& secret, std::function<void(std::string)> done);
// Why this build cannot write to the OS keyring ("" when it can try: built with QtKeychain).
std::string keyringUnavailableReason();

// The SecretResolver the programs give BenchmarkRunner: a provider's api_key_keyring, read above.
SecretResolver keyringSecretResolver(std::chrono::milliseconds timeout = std::chrono::seconds(60));

} // namespace t2i
