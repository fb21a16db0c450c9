// SPDX-License-Identifier: Apache-2.0
#include "app/screenshot.h"

#include "app/comparepage.h"
#include "app/mainwindow.h"
#include "compare/comparisonview.h"
#include "detail/rundetailpage.h"
#include "library/runlibrary.h"
#include "run/livepage.h"
#include "run/liverunmodel.h"
#include "setup/launchpage.h"
#include "studies/studiespage.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QPixmap>
#include <QTimer>

#include <cstdio>

namespace t2i::ui {

ScreenshotTaker::ScreenshotTaker(MainWindow* window, QString path, Wait wait, int timeoutMs, double liveSeconds)
    : QObject(window)
    , m_window(window)
    , m_path(std::move(path))
{
    auto oneMore = [this] {
        --m_pending;
        check();
    };
    m_pending = 1;
    connect(window->library(), &RunLibrary::statsReady, this, oneMore);
    connect(window->library(), &RunLibrary::errorOccurred, this, &ScreenshotTaker::fail);
    if (wait == Wait::Comparison) {
        ++m_pending;
        connect(window->comparePage()->view(), &ComparisonView::ready, this, oneMore);
        connect(window->comparePage(), &ComparePage::errorOccurred, this, &ScreenshotTaker::fail);
    } else if (wait == Wait::RunDetail) {
        m_pending += 2;
        connect(window->detailPage(), &RunDetailPage::loaded, this, oneMore);
        connect(window->detailPage()->charts(), &ComparisonView::ready, this, oneMore);
        connect(window->detailPage(), &RunDetailPage::errorOccurred, this, &ScreenshotTaker::fail);
    } else if (wait == Wait::Studies) {
        // The list of the library's own load (the page lists again whenever the runs are).
        ++m_pending;
        connect(window->studiesPage(), &StudiesPage::listed, this, [this, oneMore] {
            if (!m_sawWhatItWaits) {
                m_sawWhatItWaits = true;
                oneMore();
            }
        });
        connect(window->studiesPage(), &StudiesPage::errorOccurred, this, &ScreenshotTaker::fail);
    } else if (wait == Wait::Launch) {
        ++m_pending; // the estimate, computed off the GUI thread
        connect(window->launchPage(), &LaunchPage::estimated, this, [this, oneMore] {
            if (!m_sawWhatItWaits) {
                m_sawWhatItWaits = true;
                oneMore();
            }
        });
    } else if (wait == Wait::Live) {
        // Once the launch's first run has liveSeconds of charts to show.
        ++m_pending;
        LiveRunModel* model = window->livePage()->model();
        connect(model, &LiveRunModel::snapshotChanged, this, [this, model, liveSeconds, oneMore] {
            const int index = model->currentIndex();
            if (m_sawWhatItWaits || index < 0 || model->snapshot(index).progress.elapsedMs < liveSeconds * 1000)
                return;
            m_sawWhatItWaits = true;
            oneMore();
        });
        connect(window->livePage(), &LivePage::errorOccurred, this, &ScreenshotTaker::fail);
    }
    // Setup and Launch show a file read when the window was made: nothing more to wait for.
    QTimer::singleShot(timeoutMs, this, [this] { fail(QStringLiteral("timed out waiting for the window to load")); });
}

void ScreenshotTaker::check()
{
    if (m_done || m_pending > 0)
        return;
    m_done = true;
    // Let the last layout and paint settle (tables resize once their statistics arrive).
    QTimer::singleShot(500, this, &ScreenshotTaker::capture);
}

void ScreenshotTaker::capture()
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    const QPixmap pixmap = m_window->grab();
    if (pixmap.isNull() || !pixmap.save(m_path, "PNG")) {
        std::fprintf(stderr, "t2ibench: could not write the screenshot %s\n", qPrintable(m_path));
        QApplication::exit(1);
        return;
    }
    std::fprintf(stderr, "t2ibench: wrote %s (%dx%d)\n", qPrintable(m_path), pixmap.width(), pixmap.height());
    QApplication::exit(0);
}

void ScreenshotTaker::fail(const QString& why)
{
    if (m_done)
        return;
    m_done = true;
    std::fprintf(stderr, "t2ibench: no screenshot: %s\n", qPrintable(why));
    QApplication::exit(1);
}

} // namespace t2i::ui
