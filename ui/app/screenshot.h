// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QSize>
#include <QString>

namespace t2i::ui {

class MainWindow;

// `t2ibench --screenshot FILE`: once the library's statistics (and the comparison or the run,
// when one was asked for) are on screen, renders the window into FILE (PNG) and quits with 0; quits
// with 1 when loading fails or takes longer than the timeout. scripts/screenshots uses it to
// make docs/screenshots/*.png the same way under Xvfb or the offscreen platform.
class ScreenshotTaker : public QObject {
    Q_OBJECT
public:
    // What must be on screen besides the library. Setup and Launch: a configuration opened on
    // those pages; Live: a launch that has run for liveSeconds of its own clock; Studies: the
    // studies listed (and the newest drawn).
    enum class Wait { Library, Comparison, RunDetail, Setup, Launch, Live, Studies };
    ScreenshotTaker(MainWindow* window, QString path, Wait wait, int timeoutMs = 120000, double liveSeconds = 20);

private:
    void check();
    void capture();
    void fail(const QString& why);

    MainWindow* m_window;
    QString m_path;
    int m_pending = 0; // pages and views still loading
    bool m_done = false;
    bool m_sawWhatItWaits = false;
};

} // namespace t2i::ui
