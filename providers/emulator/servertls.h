// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>

#include <optional>

namespace t2i::tls {

// The certificates in a PEM file (the served certificate first, then its chain), or nullopt with
// *error saying why ("cannot read FILE: ...", "FILE holds no PEM certificate").
std::optional<QList<QSslCertificate>> readCertificates(const QString& path, QString* error);
// The unencrypted PEM private key (RSA or EC) in a file, or nullopt with *error saying why.
std::optional<QSslKey> readPrivateKey(const QString& path, QString* error);
// True when key is the private key of certificate.
bool keyMatches(const QSslCertificate& certificate, const QSslKey& key);

// How every front serves TLS (docs/emulator.md): this certificate chain and key, TLS 1.2 or
// later, HTTP/1.1 by ALPN (Qt HTTP Server 6.4 speaks no HTTP/2), no client certificate asked.
QSslConfiguration serverConfiguration(const QList<QSslCertificate>& chain, const QSslKey& key);

// A server configuration with a fresh self-signed certificate (selfsignedcert.h); its
// certificate's PEM goes to *certificatePem, for clients to trust. Throws std::runtime_error.
QSslConfiguration selfSignedConfiguration(QByteArray* certificatePem);

} // namespace t2i::tls
