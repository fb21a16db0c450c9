// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QPromise>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <functional>
#include <memory>
#include <utility>

namespace t2i::ui {

// Runs one piece of work at a time off the GUI thread and hands its results back on the GUI
// thread. Starting new work supersedes the old: the old future is asked to cancel and anything
// it still delivers is dropped (each start() takes a new generation, and callbacks of an older
// generation never run). The work must capture its inputs by value and never touch widgets.
//
// The work receives a QPromise<T>: each addResult() reaches onResult in order (so a long load
// can fill a table row by row), setProgressValue(0..100) reaches progressChanged, and
// isCanceled() says a newer start() or cancel() made the work pointless.
class BackgroundJob : public QObject {
    Q_OBJECT
public:
    explicit BackgroundJob(QObject* parent = nullptr);
    ~BackgroundJob() override;

    template <typename T> using Work = std::function<void(QPromise<T>&)>;

    template <typename T>
    quint64 start(Work<T> work, std::function<void(const T&)> onResult, std::function<void()> onFinished = {});

    void cancel(); // drops whatever the current work still delivers
    bool isBusy() const { return m_busy; }
    quint64 generation() const { return m_generation; }

signals:
    void busyChanged(bool busy);
    void progressChanged(int percent);
    void failed(const QString& message); // the work threw; the message names what failed

private:
    bool isCurrent(quint64 generation) const { return generation == m_generation; }
    void setBusy(bool busy);
    void finish(quint64 generation, const QString& error);

    quint64 m_generation = 0;
    bool m_busy = false;
    std::function<void()> m_cancelCurrent;
};

template <typename T>
quint64 BackgroundJob::start(Work<T> work, std::function<void(const T&)> onResult, std::function<void()> onFinished)
{
    if (m_cancelCurrent)
        m_cancelCurrent();
    const quint64 generation = ++m_generation;
    // Written by the worker before its future finishes, read on the GUI thread after: the
    // future's finished state orders the two.
    auto error = std::make_shared<QString>();
    auto* watcher = new QFutureWatcher<T>(this);
    connect(watcher, &QFutureWatcherBase::resultReadyAt, this, [this, watcher, generation, onResult](int index) {
        if (isCurrent(generation) && onResult)
            onResult(watcher->resultAt(index));
    });
    connect(watcher, &QFutureWatcherBase::progressValueChanged, this, [this, generation](int percent) {
        if (isCurrent(generation))
            emit progressChanged(percent);
    });
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, error, onFinished] {
        watcher->deleteLater();
        if (!isCurrent(generation))
            return;
        if (error->isEmpty() && onFinished)
            onFinished();
        finish(generation, *error);
    });
    QFuture<T> future = QtConcurrent::run([work = std::move(work), error](QPromise<T>& promise) {
        try {
            work(promise);
        } catch (const std::exception& e) {
            *error = QString::fromStdString(e.what());
        } catch (...) {
            *error = QStringLiteral("unexpected error in background work");
        }
    });
    m_cancelCurrent = [future]() mutable { future.cancel(); };
    watcher->setFuture(future);
    setBusy(true);
    return generation;
}

} // namespace t2i::ui
