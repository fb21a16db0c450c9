// SPDX-License-Identifier: Apache-2.0
// The certificate the emulator makes for --tls (providers/emulator/selfsignedcert.h), read back
// by Qt's TLS backend as a client would: the names, the dates, the key.
#include "selfsignedcert.h"

#include <QDateTime>
#include <QSslCertificate>
#include <QSslKey>
#include <QTest>

using namespace t2i;

class TestSelfSignedCert : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void namesTheLoopbackServer_data();
    void namesTheLoopbackServer();
    void validFromADayAgoForTenYears();
    void isSelfSignedEcWithSha256();
    void keyMatchesOnlyItsCertificate_data();
    void keyMatchesOnlyItsCertificate();
    void eachCallMakesAnotherCertificate();

private:
    PemCredentials m_made;
    QSslCertificate m_certificate;
};

void TestSelfSignedCert::initTestCase()
{
    m_made = makeSelfSignedCertificate();
    const QList<QSslCertificate> read = QSslCertificate::fromData(QByteArray::fromStdString(m_made.certificate));
    QCOMPARE(read.size(), 1);
    m_certificate = read.front();
    QVERIFY(!m_certificate.isNull());
    QVERIFY(m_made.privateKey.find("-----BEGIN PRIVATE KEY-----") == 0);
    QVERIFY2(m_made.certificate.find("PRIVATE") == std::string::npos, "the certificate PEM must not hold the key");
}

void TestSelfSignedCert::namesTheLoopbackServer_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("name");
    QTest::newRow("IP 127.0.0.1 in the subject alternative names") << int(QSsl::IpAddressEntry) << "127.0.0.1";
    QTest::newRow("DNS localhost in the subject alternative names") << int(QSsl::DnsEntry) << "localhost";
}

void TestSelfSignedCert::namesTheLoopbackServer()
{
    QFETCH(int, type);
    QFETCH(QString, name);
    const auto names = m_certificate.subjectAlternativeNames();
    QVERIFY2(names.values(QSsl::AlternativeNameEntryType(type)).contains(name), qPrintable(m_certificate.toText()));
}

void TestSelfSignedCert::validFromADayAgoForTenYears()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(m_certificate.effectiveDate() <= now.addSecs(-23 * 3600));
    QVERIFY(m_certificate.expiryDate() >= now.addYears(10).addDays(-1));
}

void TestSelfSignedCert::isSelfSignedEcWithSha256()
{
    QVERIFY(m_certificate.isSelfSigned());
    QCOMPARE(m_certificate.publicKey().algorithm(), QSsl::Ec);
    QCOMPARE(m_certificate.publicKey().length(), 256);
    QVERIFY2(m_certificate.toText().contains("ecdsa-with-SHA256"), qPrintable(m_certificate.toText()));
    const QSslKey key(QByteArray::fromStdString(m_made.privateKey), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    QVERIFY(!key.isNull());
}

void TestSelfSignedCert::keyMatchesOnlyItsCertificate_data()
{
    const PemCredentials other = makeSelfSignedCertificate();
    QTest::addColumn<QByteArray>("certificate");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<bool>("matches");
    const QByteArray certificate = QByteArray::fromStdString(m_made.certificate);
    QTest::newRow("its own key matches") << certificate << QByteArray::fromStdString(m_made.privateKey) << true;
    QTest::newRow("another certificate's key does not")
        << certificate << QByteArray::fromStdString(other.privateKey) << false;
    QTest::newRow("a certificate in place of the key does not") << certificate << certificate << false;
    QTest::newRow("no certificate does not") << QByteArray() << QByteArray::fromStdString(m_made.privateKey) << false;
}

void TestSelfSignedCert::keyMatchesOnlyItsCertificate()
{
    QFETCH(QByteArray, certificate);
    QFETCH(QByteArray, key);
    QFETCH(bool, matches);
    QCOMPARE(keyMatchesCertificate(certificate.toStdString(), key.toStdString()), matches);
}

void TestSelfSignedCert::eachCallMakesAnotherCertificate()
{
    const PemCredentials again = makeSelfSignedCertificate();
    QVERIFY(again.privateKey != m_made.privateKey);
    const QSslCertificate certificate(QByteArray::fromStdString(again.certificate));
    QVERIFY(certificate.serialNumber() != m_certificate.serialNumber());
}

QTEST_GUILESS_MAIN(TestSelfSignedCert)
#include "tst_selfsignedcert.moc"
