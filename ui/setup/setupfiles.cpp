// SPDX-License-Identifier: Apache-2.0
// The Setup page's files (open, save, import, export, the unsaved-changes question) and its
// "Test connection", which runs t2ibench-cli check on the saved file.
#include "setup/configfile.h"
#include "setup/providerform.h"
#include "setup/setuppage.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QListWidget>
#include <QProcess>

using nlohmann::json;

namespace t2i::ui {
namespace {

QString jsonFilter()
{
    return QObject::tr("Configurations (*.json);;All files (*)");
}

} // namespace

void SetupPage::testConnection(int index)
{
    if (index < 0 || index >= m_doc.providerCount())
        return;
    // The check reads the file, as a run does: what is tested is what would run.
    if (m_path.isEmpty() || m_doc.isDirty()) {
        m_providerForm->setTestResult(tr("Save the configuration first: the test reads the file, as a run does."));
        return;
    }
    const QString id = QString::fromStdString(m_doc.provider(index).value("id", std::string()));
    const QString cli
        = m_cliPath.isEmpty() ? QCoreApplication::applicationDirPath() + QStringLiteral("/t2ibench-cli") : m_cliPath;
    auto* process = new QProcess(this);
    m_providerForm->setTestResult(tr("Testing %1…").arg(id), true);
    const auto done = [this, process, id, index](const QString& summary, bool ok) {
        process->deleteLater();
        if (m_providerForm->index() == index)
            m_providerForm->setTestResult((ok ? QStringLiteral("✔ ") : QStringLiteral("✖ ")) + summary);
        emit connectionTested(id, ok, summary);
    };
    connect(process, &QProcess::errorOccurred, this, [process, cli, done](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            done(tr("cannot start %1: %2").arg(QDir::toNativeSeparators(cli), process->errorString()), false);
    });
    connect(process, &QProcess::finished, this, [process, done] {
        const QByteArray out = process->readAllStandardOutput();
        const json answer = json::parse(out.toStdString(), nullptr, false);
        if (answer.is_object() && answer.contains("summary"))
            done(QString::fromStdString(answer.value("summary", std::string())), answer.value("ok", false));
        else
            done(QString::fromUtf8(process->readAllStandardError()).trimmed(), false);
    });
    process->start(
        cli, { QStringLiteral("check"), m_path, QStringLiteral("--provider"), id, QStringLiteral("--json") });
}

bool SetupPage::openFile(const QString& path, QString* error)
{
    const auto text = readConfigFile(path, error);
    if (!text)
        return false;
    ConfigDocument doc;
    std::string parseError;
    if (!doc.setText(text->toStdString(), &parseError)) {
        *error = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), QString::fromStdString(parseError));
        return false;
    }
    m_doc = std::move(doc);
    m_path = QFileInfo(path).absoluteFilePath();
    reloadAll();
    return true;
}

bool SetupPage::save(QString* error)
{
    if (m_path.isEmpty()) {
        *error = tr("This configuration has no file yet: use Save As");
        return false;
    }
    return saveAs(m_path, error);
}

bool SetupPage::saveAs(const QString& path, QString* error)
{
    // A key typed in place of its variable's name (or left in a hand-written file) never reaches
    // the disk: the user moves it to the keyring or the environment first.
    if (const auto secrets = m_doc.secrets(QFileInfo(path).fileName().toStdString()); !secrets.empty()) {
        *error = tr("Not saved: %1").arg(QString::fromStdString(secrets.front().format()));
        return false;
    }
    if (!writeConfigFile(path, QByteArray::fromStdString(m_doc.text()), error))
        return false;
    m_doc.markSaved();
    m_path = QFileInfo(path).absoluteFilePath();
    updateTitle();
    validateNow(); // relative paths now resolve against the new folder
    emit documentChanged();
    emit message(tr("Saved %1").arg(QDir::toNativeSeparators(m_path)));
    return true;
}

bool SetupPage::exportTo(const QString& path, QString* error) const
{
    if (const auto secrets = m_doc.secrets(QFileInfo(path).fileName().toStdString()); !secrets.empty()) {
        *error = tr("Not exported: %1").arg(QString::fromStdString(secrets.front().format()));
        return false;
    }
    return writeConfigFile(path, QByteArray::fromStdString(m_doc.text()), error);
}

bool SetupPage::importFile(const QString& path, QStringList* renamed, QString* error)
{
    const auto text = readConfigFile(path, error);
    if (!text)
        return false;
    ConfigDocument other;
    std::string parseError;
    if (!other.setText(text->toStdString(), &parseError)) {
        *error = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), QString::fromStdString(parseError));
        return false;
    }
    for (const std::string& change : m_doc.importFrom(other.document()))
        if (renamed)
            *renamed << QString::fromStdString(change);
    reloadProviders(m_providers->currentRow() < 0 ? 0 : m_providers->currentRow());
    reloadVariants(m_variants->currentRow() < 0 ? 0 : m_variants->currentRow());
    edited();
    return true;
}

bool SetupPage::confirmDiscard()
{
    if (!m_doc.isDirty())
        return true;
    const QMessageBox::StandardButton answer = m_prompt
        ? m_prompt()
        : QMessageBox::question(this, tr("Unsaved configuration"),
            tr("The configuration has changes that are not saved. Save them?"),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Discard)
        return true;
    if (answer != QMessageBox::Save)
        return false;
    if (m_path.isEmpty())
        chooseSaveAs();
    else {
        QString error;
        if (!save(&error))
            emit errorOccurred(error);
    }
    return !m_doc.isDirty();
}

void SetupPage::chooseOpen()
{
    if (!confirmDiscard())
        return;
    const QString path
        = QFileDialog::getOpenFileName(this, tr("Open Configuration"), QFileInfo(m_path).path(), jsonFilter());
    QString error;
    if (!path.isEmpty() && !openFile(path, &error))
        emit errorOccurred(error);
}

void SetupPage::chooseSaveAs()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save Configuration As"), m_path.isEmpty() ? QStringLiteral("benchmark.json") : m_path, jsonFilter());
    QString error;
    if (!path.isEmpty() && !saveAs(path, &error))
        emit errorOccurred(error);
}

void SetupPage::chooseImport()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import Providers and Variants"), QFileInfo(m_path).path(), jsonFilter());
    if (path.isEmpty())
        return;
    QStringList renamed;
    QString error;
    if (!importFile(path, &renamed, &error))
        emit errorOccurred(error);
    else
        emit message(renamed.isEmpty()
                ? tr("Imported %1").arg(QFileInfo(path).fileName())
                : tr("Imported %1, renamed %2").arg(QFileInfo(path).fileName(), renamed.join(QStringLiteral(", "))));
}

void SetupPage::chooseExport()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export a Copy"), QString(), jsonFilter());
    QString error;
    if (!path.isEmpty() && !exportTo(path, &error))
        emit errorOccurred(error);
    else if (!path.isEmpty())
        emit message(tr("Exported a copy to %1").arg(QDir::toNativeSeparators(path)));
}

} // namespace t2i::ui
