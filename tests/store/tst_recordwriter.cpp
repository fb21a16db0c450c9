// SPDX-License-Identifier: Apache-2.0
// The writer thread: everything pushed is written, in order, errors are kept, and a process
// killed mid-run leaves an interrupted run with what was committed.

#include "store/recordwriter.h"
#include "store/store.h"
#include "storetestutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

using namespace t2i;
using namespace t2i::test;
using namespace std::chrono_literals;

namespace {
std::string dbIn(const QTemporaryDir& dir)
{
    return dir.filePath(QStringLiteral("library.db")).toStdString();
}

// A read of exactly sizeof(T) bytes from a pipe; false on EOF (the other end died).
template <typename T> bool readAll(int fd, T& value)
{
    auto* out = reinterpret_cast<char*>(&value);
    std::size_t got = 0;
    while (got < sizeof(T)) {
        const ssize_t n = read(fd, out + got, sizeof(T) - got);
        if (n <= 0)
            return false;
        got += static_cast<std::size_t>(n);
    }
    return true;
}
} // namespace

class TestRecordWriter : public QObject {
    Q_OBJECT

private slots:
    void writesEverythingInOrder_data();
    void writesEverythingInOrder();
    void closeIsIdempotentAndLaterPushesAreDropped();
    void errorsAreKeptNotThrown_data();
    void errorsAreKeptNotThrown();
    void killedProcessLeavesInterruptedRunWithCommittedRecords();
};

void TestRecordWriter::writesEverythingInOrder_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("samples");
    QTest::newRow("one record") << 1 << 0;
    QTest::newRow("a thousand records and a few worker samples") << 1000 << 5;
    QTest::newRow("a backlog of several batches") << int(3 * RecordWriter::kMaxBatch + 17) << 50;
    QTest::newRow("nothing at all") << 0 << 0;
}

void TestRecordWriter::writesEverythingInOrder()
{
    QFETCH(int, count);
    QFETCH(int, samples);
    QTemporaryDir dir;
    Store::open(dbIn(dir))->createRun(makeRun("r1"));

    RecordWriter writer(dbIn(dir), "r1");
    // The engine's thread, as in a real run: pushes while the writer commits.
    std::thread producer([&] {
        for (int i = 0; i < count; ++i) {
            writer.push(makeFullRecord(i));
            if (samples && i % (count / samples + 1) == 0)
                writer.push(WorkerSample { double(i), 1, 1, 0, 2, 0, 0, i, 1, i, 0 });
        }
    });
    producer.join();
    writer.close();
    QCOMPARE(writer.error(), std::string());
    QCOMPARE(writer.written(), std::int64_t(count));
    QCOMPARE(writer.queued(), std::size_t(0));

    auto store = Store::open(dbIn(dir));
    const auto records = store->records("r1");
    QCOMPARE(records.size(), std::size_t(count));
    for (int i = 0; i < count; ++i)
        QCOMPARE(records[std::size_t(i)].seq, std::int64_t(i));
    if (count > 0) {
        compareRecords(records.back(), makeFullRecord(count - 1));
        if (QTest::currentTestFailed())
            return;
    }
    QCOMPARE(store->workerSamples("r1").size(), std::size_t(samples ? std::min(samples, count) : 0));
    QCOMPARE(name(store->findRun("r1")->status), name(RunStatus::Running)); // the writer never decides the status
}

void TestRecordWriter::closeIsIdempotentAndLaterPushesAreDropped()
{
    QTemporaryDir dir;
    Store::open(dbIn(dir))->createRun(makeRun("r1"));
    RecordWriter writer(dbIn(dir), "r1");
    writer.push(makeFullRecord(0));
    writer.close();
    writer.close();
    writer.push(makeFullRecord(1));
    QCOMPARE(writer.queued(), std::size_t(0));
    QCOMPARE(writer.written(), std::int64_t(1));
    QCOMPARE(Store::open(dbIn(dir))->recordCount("r1"), std::int64_t(1));
}

void TestRecordWriter::errorsAreKeptNotThrown_data()
{
    QTest::addColumn<bool>("badPath");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("records for a run that does not exist fail the foreign key") << false << "FOREIGN KEY";
    QTest::newRow("a database that cannot be opened names its file") << true << "no-such-dir";
}

void TestRecordWriter::errorsAreKeptNotThrown()
{
    QFETCH(bool, badPath);
    QFETCH(QString, messagePart);
    QTemporaryDir dir;
    const std::string path = badPath ? dir.filePath(QStringLiteral("no-such-dir/library.db")).toStdString() : dbIn(dir);
    if (!badPath)
        Store::open(path); // a library without run "ghost"
    RecordWriter writer(path, "ghost");
    for (int i = 0; i < 10; ++i)
        writer.push(makeFullRecord(i));
    writer.close();
    const QString error = QString::fromStdString(writer.error());
    QVERIFY2(error.contains(messagePart), qPrintable(error));
    QCOMPARE(writer.written(), std::int64_t(0));
}

void TestRecordWriter::killedProcessLeavesInterruptedRunWithCommittedRecords()
{
    QTemporaryDir dir;
    const std::string path = dbIn(dir);
    constexpr std::int64_t kAtLeast = 1500;
    int report[2];
    int hold[2];
    QVERIFY(pipe(report) == 0);
    QVERIFY(pipe(hold) == 0);

    // fork() without exec: the child starts the writer thread itself. That is sound here because
    // the only other thread of a test process (Qt Test's watchdog) sits in a condition wait,
    // holding no lock the child could inherit, and the child uses no Qt.
    const pid_t child = fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        // The run's process: creates its run, writes records, and is killed mid-run.
        close(report[0]);
        close(hold[1]);
        std::int64_t written = -1;
        try {
            Store::open(path)->createRun(makeRun("r1"));
            RecordWriter writer(path, "r1");
            for (int i = 0; i < 2 * kAtLeast; ++i)
                writer.push(makeFullRecord(i));
            if (writer.waitForWritten(kAtLeast, 60s))
                written = writer.written();
            if (write(report[1], &written, sizeof written) != sizeof written)
                _exit(3);
            char never = 0;
            [[maybe_unused]] const auto n = read(hold[0], &never, 1); // blocks until SIGKILL
        } catch (...) {
            if (write(report[1], &written, sizeof written) != sizeof written)
                _exit(3);
        }
        _exit(2);
    }

    close(report[1]);
    close(hold[0]);
    std::int64_t written = -1;
    const bool reported = readAll(report[0], written);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    close(report[0]);
    close(hold[1]);
    QVERIFY2(reported, "the child died before reporting");
    QVERIFY2(written >= kAtLeast, "the child's writer did not reach the count");
    QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    auto store = Store::open(path);
    QCOMPARE(store->interruptedOnOpen(), 1);
    const auto run = store->findRun("r1");
    QVERIFY(run.has_value());
    QCOMPARE(name(run->status), name(RunStatus::Interrupted));
    QVERIFY(store->recordCount("r1") >= written);
    const auto records = store->records("r1");
    for (std::size_t i = 0; i < records.size(); ++i)
        QCOMPARE(records[i].seq, std::int64_t(i)); // committed in order: no holes
}

QTEST_APPLESS_MAIN(TestRecordWriter)
#include "tst_recordwriter.moc"
