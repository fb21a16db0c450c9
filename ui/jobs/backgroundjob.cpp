// SPDX-License-Identifier: Apache-2.0
#include "jobs/backgroundjob.h"

namespace t2i::ui {

BackgroundJob::BackgroundJob(QObject* parent)
    : QObject(parent)
{
}

BackgroundJob::~BackgroundJob()
{
    // The work keeps running in the pool until it notices; its results go nowhere.
    if (m_cancelCurrent)
        m_cancelCurrent();
}

void BackgroundJob::cancel()
{
    if (m_cancelCurrent) {
        m_cancelCurrent();
        m_cancelCurrent = nullptr;
    }
    ++m_generation;
    setBusy(false);
}

void BackgroundJob::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged(busy);
}

void BackgroundJob::finish(quint64 generation, const QString& error)
{
    if (!isCurrent(generation))
        return;
    m_cancelCurrent = nullptr;
    setBusy(false);
    if (!error.isEmpty())
        emit failed(error);
}

} // namespace t2i::ui
