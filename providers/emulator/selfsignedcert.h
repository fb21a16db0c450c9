// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace t2i {

// A certificate and its private key, both PEM.
struct PemCredentials {
    std::string certificate; // "-----BEGIN CERTIFICATE-----..."
    std::string privateKey; // PKCS#8, unencrypted: "-----BEGIN PRIVATE KEY-----..."
};

// A fresh self-signed certificate for the emulator's --tls (docs/emulator.md): an EC P-256 key
// (a TLS handshake signs with it, and ECDSA signs far faster than RSA-2048 when thousands of
// clients connect at once), SHA-256, valid from a day ago (clocks that differ a little) to ten
// years ahead, subject alternative names DNS:localhost and IP:127.0.0.1 (what clients of a
// loopback server connect to and verify). Throws std::runtime_error with OpenSSL's reason.
PemCredentials makeSelfSignedCertificate();

// True when keyPem is the private key whose public half the first certificate in
// certificatePem holds; false when they differ or either cannot be read.
bool keyMatchesCertificate(const std::string& certificatePem, const std::string& keyPem);

} // namespace t2i
