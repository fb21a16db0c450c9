// SPDX-License-Identifier: Apache-2.0
// The t2ibench command line (app/t2ibench): help and version work without a display, a missing
// display is explained instead of Qt's plugin abort, and bad arguments are refused by name.
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

namespace {

struct Result {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs build/bin/t2ibench; platform "" means no display at all (nor an offscreen platform).
Result runDashboard(const QStringList& arguments, const QString& platform)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* name : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" })
        env.remove(QString::fromLatin1(name));
    if (!platform.isEmpty())
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), platform);
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(
        qEnvironmentVariable("T2IBENCH_BIN_DIR", QStringLiteral("bin")) + QStringLiteral("/t2ibench"), arguments);
    Result r;
    if (!process.waitForFinished(60000))
        return r;
    r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    r.out = process.readAllStandardOutput();
    r.err = process.readAllStandardError();
    return r;
}

} // namespace

class TestDashboardCommand : public QObject {
    Q_OBJECT
private slots:
    void helpAndVersionNeedNoDisplay_data()
    {
        QTest::addColumn<QString>("flag");
        QTest::addColumn<QString>("expected");
        QTest::newRow("--help lists the options") << "--help"
                                                  << "--compare <RUN,RUN,...>";
        QTest::newRow("--version names the tool") << "--version"
                                                  << "t2ibench ";
    }
    void helpAndVersionNeedNoDisplay()
    {
        QFETCH(QString, flag);
        QFETCH(QString, expected);
        const Result r = runDashboard({ flag }, QString());
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(expected.toUtf8()), r.out.constData());
    }

    void withoutADisplayItSaysWhatToDo()
    {
        const Result r = runDashboard({}, QString());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no display"), r.err.constData());
        QVERIFY2(r.err.contains("t2ibench-cli"), r.err.constData());
    }

    void badArgumentsAreRefusedByName_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected");
        QTest::newRow("one run cannot be compared")
            << QStringList { "--compare", "abc" } << "--compare takes 2 to 8 runs";
        QTest::newRow("nine runs cannot be compared")
            << QStringList { "--compare", "a,b,c,d,e,f,g,h,i" } << "--compare takes 2 to 8 runs";
        QTest::newRow("a size must be WIDTHxHEIGHT") << QStringList { "--size", "big" } << "--size takes WIDTHxHEIGHT";
    }
    void badArgumentsAreRefusedByName()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        const Result r = runDashboard(arguments, QStringLiteral("offscreen"));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(expected.toUtf8()), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestDashboardCommand)
#include "tst_dashboardcommand.moc"
