// SPDX-License-Identifier: Apache-2.0
// Smoke test of the dashboard as a user drives it: open a fixture library, select two runs,
// compare them, export the report, open one run, delete one with confirmation.
#include "app/comparepage.h"
#include "app/mainwindow.h"
#include "compare/comparisonview.h"
#include "detail/rundetailpage.h"
#include "detail/runsummarypanel.h"
#include "library/librarypage.h"
#include "library/runlibrary.h"
#include "library/runstablemodel.h"
#include "studies/studiespage.h"
#include "studies/studiestablemodel.h"
#include "studies/studyview.h"
#include "studyfixture.h"

#include <QAbstractButton>
#include <QFile>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

using namespace t2i;
using namespace t2i::ui;
using t2i::test::FixtureDatabase;
using t2i::test::FixtureRun;

namespace {

const QString kSteady = QStringLiteral("r20260101-120000-aaaa01");
const QString kFast = QStringLiteral("r20260101-120100-bbbb02");
const QString kCheap = QStringLiteral("r20260101-120200-cccc03");

// Answers the next modal message box with the button of the given role.
void answerNextMessageBox(QMessageBox::ButtonRole role)
{
    QTimer::singleShot(0, [role] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        QVERIFY(box);
        for (QAbstractButton* button : box->buttons())
            if (box->buttonRole(button) == role) {
                button->click();
                return;
            }
        QFAIL("no such button");
    });
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // settings go to a test location
        QLocale::setDefault(QLocale::c());
        QCoreApplication::setOrganizationName(QStringLiteral("t2ibench-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        QSettings().clear();
    }

    void init()
    {
        m_db = std::make_unique<FixtureDatabase>();
        for (const FixtureRun& run : FixtureDatabase::threeRuns())
            m_db->add(run);
        m_window = std::make_unique<MainWindow>();
        QSignalSpy listed(m_window->library(), &RunLibrary::listed);
        m_window->openDatabase(m_db->path());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(listed.count() > 0, 30000); // may have come while exposing
    }

    void cleanup()
    {
        m_window.reset();
        m_db.reset();
    }

    void opensOnTheLibraryWithEveryRun()
    {
        QCOMPARE(int(m_window->currentPage()), int(MainWindow::LibraryView));
        QCOMPARE(m_window->libraryPage()->table()->model()->rowCount(), 3);
        QVERIFY(m_window->windowTitle().startsWith(QLatin1String("library.db")));
    }

    // The Studies page shows the library's studies; one the CLI made meanwhile appears on a refresh, and
    // double-clicking one of its runs opens it on the Run page.
    void theStudiesPageOpensAStudysRun()
    {
        StudyInfo study = test::fixtureStudy(test::kCompletedStudy, "2026-01-01T13:00:00Z");
        m_db->store().createStudy(study);
        m_db->store().addStudyRun(study.id, { kSteady.toStdString(), "cold and warm" });
        study.status = StudyStatus::Completed;
        study.resultJson = toJson(test::fixtureStudyResult()).dump();
        m_db->store().finishStudy(study);
        StudiesPage* studies = m_window->studiesPage();
        m_window->library()->reload(); // what View > Refresh Library (F5) does
        // The first listing (from opening the library) may still come before the refresh's.
        QTRY_COMPARE_WITH_TIMEOUT(studies->model()->rowCount(), 1, 30000);
        QTest::keyClick(m_window.get(), Qt::Key_7, Qt::ControlModifier);
        QCOMPARE(int(m_window->currentPage()), int(MainWindow::StudiesView));
        QCOMPARE(studies->view()->studyId(), QString::fromLatin1(test::kCompletedStudy));
        QSignalSpy loaded(m_window->detailPage(), &RunDetailPage::loaded);
        emit studies->view()->runsTable()->cellDoubleClicked(0, 0);
        QVERIFY(loaded.wait(30000));
        QCOMPARE(int(m_window->currentPage()), int(MainWindow::RunView));
        QCOMPARE(m_window->detailPage()->runId(), kSteady);
    }

    void selectTwoCompareAndExportAReport()
    {
        LibraryPage* library = m_window->libraryPage();
        auto* compare = library->findChild<QPushButton*>(QStringLiteral("compareButton"));
        QVERIFY(compare);
        library->selectRuns({ kSteady });
        QVERIFY(!compare->isEnabled()); // one run is no comparison
        library->selectRuns({ kSteady, kFast });
        QVERIFY(compare->isEnabled());
        QCOMPARE(compare->text(), QStringLiteral("Compare 2 runs"));

        QSignalSpy ready(m_window->comparePage()->view(), &ComparisonView::ready);
        QTest::mouseClick(compare, Qt::LeftButton);
        QCOMPARE(int(m_window->currentPage()), int(MainWindow::CompareView));
        QCOMPARE(m_window->comparePage()->runIds(), (QStringList { kFast, kSteady }));
        QVERIFY(ready.count() > 0 || ready.wait(60000));

        const QString pdf = m_db->path() + QStringLiteral(".report.pdf");
        QString error;
        QVERIFY2(m_window->comparePage()->exportReportTo(pdf, &error), qPrintable(error));
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.read(5), QByteArray("%PDF-"));
    }

    void nineRunsCannotBeCompared()
    {
        for (int i = 0; i < 6; ++i) {
            FixtureRun extra;
            extra.id = "r20260103-1000" + std::to_string(10 + i) + "-eeee0" + std::to_string(i);
            extra.provider = "extra" + std::to_string(i);
            m_db->add(extra);
        }
        QSignalSpy listed(m_window->library(), &RunLibrary::listed);
        m_window->library()->reload();
        QVERIFY(listed.wait(30000));
        LibraryPage* library = m_window->libraryPage();
        QStringList all;
        for (const RunRow& row : m_window->library()->model()->rows())
            all.append(row.id);
        QCOMPARE(all.size(), 9);
        library->selectRuns(all);
        auto* compare = library->findChild<QPushButton*>(QStringLiteral("compareButton"));
        QVERIFY(!compare->isEnabled());
        all.removeLast();
        library->selectRuns(all);
        QVERIFY(compare->isEnabled());
    }

    void compareOnTheCommandLineTakesPrefixes()
    {
        MainWindow window;
        window.openDatabase(m_db->path());
        window.compareRuns({ QStringLiteral("r20260101-1202"), QStringLiteral("r20260101-1200") });
        QTRY_COMPARE_WITH_TIMEOUT(int(window.currentPage()), int(MainWindow::CompareView), 30000);
        QCOMPARE(window.comparePage()->runIds(), (QStringList { kCheap, kSteady }));
    }

    void doubleClickOpensTheRunDetail()
    {
        QTableView* table = m_window->libraryPage()->table();
        QSignalSpy loaded(m_window->detailPage(), &RunDetailPage::loaded);
        const QModelIndex first = table->model()->index(0, 0); // newest: cheap
        const QRect cell = table->visualRect(first);
        // A view takes a double-click only on the index it saw pressed: press first, as a hand does.
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(int(m_window->currentPage()), int(MainWindow::RunView));
        QVERIFY(loaded.wait(30000));
        QCOMPARE(m_window->detailPage()->runId(), kCheap);
        QVERIFY2(m_window->detailPage()
                     ->summaryPanel()
                     ->valueText(QStringLiteral("p50"))
                     .startsWith(QLatin1String("3.14 s")),
            qPrintable(m_window->detailPage()->summaryPanel()->valueText(QStringLiteral("p50"))));
    }

    void deleteAsksFirst()
    {
        LibraryPage* library = m_window->libraryPage();
        library->selectRuns({ kCheap });
        answerNextMessageBox(QMessageBox::RejectRole);
        library->deleteSelected();
        QCOMPARE(m_window->library()->model()->rowCount(), 3);

        library->selectRuns({ kCheap });
        answerNextMessageBox(QMessageBox::DestructiveRole);
        library->deleteSelected();
        QCOMPARE(m_window->library()->model()->rowCount(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(!m_db->store().findRun(kCheap.toStdString()), 10000);
    }

    void closingRemembersTheLibrary()
    {
        m_window->close();
        QCOMPARE(QSettings().value(QStringLiteral("library/database")).toString(), m_db->path());
        QVERIFY(!QSettings().value(QStringLiteral("window/geometry")).toByteArray().isEmpty());
    }

private:
    std::unique_ptr<FixtureDatabase> m_db;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
