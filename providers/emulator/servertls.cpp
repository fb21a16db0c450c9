// SPDX-License-Identifier: Apache-2.0
#include "servertls.h"

#include "selfsignedcert.h"

#include <QFile>

#include <stdexcept>

namespace t2i::tls {

namespace {

// A PEM file holds a few kilobytes; a larger limit only guards against a wrong path (a disk image).
constexpr qint64 kMaxPemBytes = 1 << 20;

std::optional<QByteArray> readSmallFile(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = "cannot read " + path + ": " + file.errorString();
        return std::nullopt;
    }
    QByteArray data = file.read(kMaxPemBytes + 1);
    if (data.size() > kMaxPemBytes) {
        *error = path + " is larger than a PEM file would be (over 1 MiB)";
        return std::nullopt;
    }
    return data;
}

} // namespace

std::optional<QList<QSslCertificate>> readCertificates(const QString& path, QString* error)
{
    const auto pem = readSmallFile(path, error);
    if (!pem)
        return std::nullopt;
    QList<QSslCertificate> chain = QSslCertificate::fromData(*pem, QSsl::Pem);
    if (chain.isEmpty() || chain.front().isNull()) {
        *error = path + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
        return std::nullopt;
    }
    return chain;
}

std::optional<QSslKey> readPrivateKey(const QString& path, QString* error)
{
    const auto pem = readSmallFile(path, error);
    if (!pem)
        return std::nullopt;
    // Qt needs the algorithm named; a PKCS#8 "PRIVATE KEY" block does not say, so each is tried.
    for (const QSsl::KeyAlgorithm algorithm : { QSsl::Ec, QSsl::Rsa }) {
        QSslKey key(*pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    *error = path + " holds no unencrypted PEM private key (RSA or EC)";
    return std::nullopt;
}

bool keyMatches(const QSslCertificate& certificate, const QSslKey& key)
{
    return keyMatchesCertificate(certificate.toPem().toStdString(), key.toPem().toStdString());
}

QSslConfiguration serverConfiguration(const QList<QSslCertificate>& chain, const QSslKey& key)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // no platform asks its clients for certificates
    configuration.setAllowedNextProtocols({ QSslConfiguration::NextProtocolHttp1_1 });
    return configuration;
}

QSslConfiguration selfSignedConfiguration(QByteArray* certificatePem)
{
    const PemCredentials credentials = makeSelfSignedCertificate();
    *certificatePem = QByteArray::fromStdString(credentials.certificate);
    const QSslCertificate certificate(*certificatePem, QSsl::Pem);
    const QSslKey key(QByteArray::fromStdString(credentials.privateKey), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    if (certificate.isNull() || key.isNull())
        throw std::runtime_error("Qt's TLS backend cannot read the self-signed certificate it was given");
    return serverConfiguration({ certificate }, key);
}

} // namespace t2i::tls
