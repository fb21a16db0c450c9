// SPDX-License-Identifier: Apache-2.0
// The oom error class: a platform failure whose message says the GPU ran out of memory is told
// apart from other platform failures by one rule (platformFailureClass), which every adapter's
// Action::fail applies.
#include <QtTest>

#include "engine/adapter.h"
#include "model/requestrecord.h"

using namespace t2i;

class TestOomClass : public QObject {
    Q_OBJECT
private slots:
    void classesAPlatformFailureByItsMessage_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("expected");
        const int oom = int(ErrorClass::OutOfMemory), failure = int(ErrorClass::PlatformFailure);
        QTest::newRow("torch's message (the emulator's, RunPod's)")
            << "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB." << oom;
        QTest::newRow("the exception's name alone") << "OutOfMemoryError" << oom;
        QTest::newRow("torch.cuda's older name") << "torch.cuda.OutOfMemoryError" << oom;
        QTest::newRow("any out of memory, any case") << "RuntimeError: Out Of Memory on device 0" << oom;
        QTest::newRow("another failure stays a platform failure") << "RuntimeError: injected worker failure" << failure;
        QTest::newRow("an empty message stays a platform failure") << "" << failure;
        QTest::newRow("memory without running out of it") << "memory usage 12 GB" << failure;
    }

    void classesAPlatformFailureByItsMessage()
    {
        QFETCH(QString, message);
        QFETCH(int, expected);
        QCOMPARE(int(platformFailureClass(message.toStdString())), expected);
        QCOMPARE(int(Action::fail(ErrorClass::PlatformFailure, message.toStdString()).error), expected);
    }

    void otherClassesKeepTheirClassWhateverTheMessage()
    {
        // A 5xx or a timeout that mentions memory is still what its transport said it was.
        QCOMPARE(int(Action::fail(ErrorClass::ServerError, "CUDA out of memory").error), int(ErrorClass::ServerError));
        QCOMPARE(int(Action::fail(ErrorClass::Timeout, "out of memory").error), int(ErrorClass::Timeout));
    }

    void oomIsNamedAndReadBack()
    {
        QCOMPARE(toString(ErrorClass::OutOfMemory), std::string_view("oom"));
        QCOMPARE(int(errorClassFromString("oom").value_or(ErrorClass::None)), int(ErrorClass::OutOfMemory));
    }
};

QTEST_GUILESS_MAIN(TestOomClass)
#include "tst_oomclass.moc"
