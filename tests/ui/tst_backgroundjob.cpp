// SPDX-License-Identifier: Apache-2.0
#include "jobs/backgroundjob.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <memory>
#include <stdexcept>

using t2i::ui::BackgroundJob;

class TestBackgroundJob : public QObject {
    Q_OBJECT
private slots:
    void resultsArriveInOrderOnTheGuiThread()
    {
        BackgroundJob job;
        QList<int> got;
        bool finished = false;
        bool onGuiThread = true;
        job.start<int>(
            [](QPromise<int>& promise) {
                for (int i = 0; i < 5; ++i)
                    promise.addResult(i * i);
            },
            [&](const int& value) {
                onGuiThread = onGuiThread && QThread::currentThread() == qApp->thread();
                got.append(value);
            },
            [&] { finished = true; });
        QVERIFY(job.isBusy());
        QTRY_VERIFY(finished);
        QCOMPARE(got, (QList<int> { 0, 1, 4, 9, 16 }));
        QVERIFY(onGuiThread);
        QVERIFY(!job.isBusy());
    }

    void aNewStartDropsTheOldResults()
    {
        BackgroundJob job;
        auto release = std::make_shared<QSemaphore>();
        QList<int> got;
        int finishedCount = 0;
        // The first work blocks until released, then delivers; by then it is stale.
        job.start<int>(
            [release](QPromise<int>& promise) {
                release->acquire();
                promise.addResult(1);
            },
            [&](const int& value) { got.append(value); }, [&] { ++finishedCount; });
        const quint64 second = job.start<int>([](QPromise<int>& promise) { promise.addResult(2); },
            [&](const int& value) { got.append(value); }, [&] { ++finishedCount; });
        QTRY_COMPARE(finishedCount, 1);
        release->release();
        // Give the stale work every chance to deliver; it must not.
        QThreadPool::globalInstance()->waitForDone(5000);
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QCOMPARE(got, QList<int> { 2 });
        QCOMPARE(finishedCount, 1);
        QCOMPARE(job.generation(), second);
    }

    void cancelTellsTheWorkAndDropsItsResults()
    {
        BackgroundJob job;
        std::atomic<bool> sawCancel { false };
        auto started = std::make_shared<QSemaphore>();
        QList<int> got;
        QSignalSpy busy(&job, &BackgroundJob::busyChanged);
        job.start<int>(
            [&sawCancel, started](QPromise<int>& promise) {
                started->release();
                while (!promise.isCanceled())
                    QThread::yieldCurrentThread();
                sawCancel = true;
                promise.addResult(7);
            },
            [&](const int& value) { got.append(value); });
        started->acquire();
        job.cancel();
        QVERIFY(!job.isBusy());
        QThreadPool::globalInstance()->waitForDone(5000);
        QCoreApplication::processEvents();
        QVERIFY(sawCancel.load());
        QVERIFY(got.isEmpty());
        QCOMPARE(busy.count(), 2); // busy, then idle
    }

    void anExceptionBecomesFailedWithItsMessage()
    {
        BackgroundJob job;
        QSignalSpy failed(&job, &BackgroundJob::failed);
        bool finished = false;
        job.start<int>(
            [](QPromise<int>&) { throw std::runtime_error("cannot open library.db"); }, {}, [&] { finished = true; });
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("cannot open library.db"));
        QVERIFY(!finished);
        QVERIFY(!job.isBusy());
    }

    void progressIsForwarded()
    {
        BackgroundJob job;
        QSignalSpy progress(&job, &BackgroundJob::progressChanged);
        bool finished = false;
        job.start<int>(
            [](QPromise<int>& promise) {
                promise.setProgressRange(0, 100);
                promise.setProgressValue(50);
                promise.setProgressValue(100);
            },
            {}, [&] { finished = true; });
        QTRY_VERIFY(finished);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toInt(), 100);
    }
};

QTEST_MAIN(TestBackgroundJob)
#include "tst_backgroundjob.moc"
