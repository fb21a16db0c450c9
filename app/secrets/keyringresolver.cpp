// SPDX-License-Identifier: Apache-2.0
#include "keyringresolver.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QThread>
#include <QTimer>

#ifdef T2I_HAVE_QTKEYCHAIN
#include <qt6keychain/keychain.h>
#endif

#include <functional>
#include <future>
#include <memory>
#include <sstream>

namespace t2i {
namespace {

struct Outcome {
    std::optional<std::string> secret;
    std::string error;
};

// A QCoreApplication for a program that has none (t2ibench-cli): QtKeychain's jobs are QObjects
// that need one. It lives as long as this object; an existing application is left alone.
class ApplicationScope {
public:
    ApplicationScope()
    {
        if (!QCoreApplication::instance())
            m_app = std::make_unique<QCoreApplication>(m_argc, m_argv);
    }

private:
    int m_argc = 1; // QCoreApplication keeps a reference to argc: it must outlive m_app
    char m_name[9] = "t2ibench";
    char* m_argv[2] = { m_name, nullptr };
    std::unique_ptr<QCoreApplication> m_app;
};

#ifdef T2I_HAVE_QTKEYCHAIN
std::string seconds(std::chrono::milliseconds timeout)
{
    std::ostringstream out;
    out << double(timeout.count()) / 1000.0 << " s";
    return out.str();
}

std::string describe(const KeyringEntry& entry, QKeychain::Error code, const std::string& detail)
{
    const std::string name = "the keyring entry \"" + entry.text() + "\"";
    switch (code) {
    case QKeychain::NoBackendAvailable:
        return name
            + " cannot be read: no OS keyring is available (no secret service such as GNOME Keyring or KWallet "
              "on the D-Bus session bus, as on a headless machine: "
            + detail + "); use api_key_env instead";
    case QKeychain::EntryNotFound:
        return name + " does not exist (store it with: secret-tool store --label=t2ibench server " + entry.service
            + " user " + entry.account + " type plaintext)";
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        return name + ": access was denied (a locked keyring?): " + detail;
    default:
        // E.g. "Cannot autolaunch D-Bus without X11 $DISPLAY": no session bus, so no keyring.
        return name + " could not be read: " + detail + " (without a desktop keyring, as on a headless machine, use "
            + "api_key_env instead)";
    }
}

// Starts the read on the calling thread, whose event loop must run until done is called (once).
void startRead(const KeyringEntry& entry, std::function<void(Outcome)> done)
{
    auto* job = new QKeychain::ReadPasswordJob(QString::fromStdString(entry.service));
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text file in place of the keyring
    job->setKey(QString::fromStdString(entry.account));
    QObject::connect(job, &QKeychain::Job::finished, [entry, done = std::move(done)](QKeychain::Job* finished) {
        const auto* read = static_cast<QKeychain::ReadPasswordJob*>(finished);
        Outcome outcome;
        if (read->error() == QKeychain::NoError)
            outcome.secret = read->textData().toStdString();
        else
            outcome.error = describe(entry, read->error(), read->errorString().toStdString());
        done(std::move(outcome));
    });
    job->start();
}

Outcome readOnThisThread(const KeyringEntry& entry, std::chrono::milliseconds timeout)
{
    // Shared with the job, which may finish after we gave up waiting.
    struct State {
        std::optional<Outcome> outcome;
        QEventLoop* loop = nullptr;
    };
    auto state = std::make_shared<State>();
    QEventLoop loop;
    state->loop = &loop;
    startRead(entry, [state](Outcome outcome) {
        state->outcome = std::move(outcome);
        if (state->loop)
            state->loop->quit();
    });
    if (!state->outcome) {
        QTimer::singleShot(timeout, &loop, &QEventLoop::quit);
        loop.exec();
    }
    state->loop = nullptr;
    if (state->outcome)
        return *state->outcome;
    return { std::nullopt,
        "the keyring entry \"" + entry.text() + "\": the OS keyring did not answer within " + seconds(timeout) };
}

Outcome readOnApplicationThread(const KeyringEntry& entry, std::chrono::milliseconds timeout)
{
    auto promise = std::make_shared<std::promise<Outcome>>();
    auto future = promise->get_future();
    QMetaObject::invokeMethod(
        QCoreApplication::instance(),
        [entry, promise] { startRead(entry, [promise](Outcome outcome) { promise->set_value(std::move(outcome)); }); },
        Qt::QueuedConnection);
    if (future.wait_for(timeout) != std::future_status::ready)
        return { std::nullopt,
            "the keyring entry \"" + entry.text() + "\": the OS keyring did not answer within " + seconds(timeout) };
    return future.get();
}
#endif

} // namespace

KeyringEntry parseKeyringEntry(const std::string& value)
{
    const auto slash = value.find('/');
    if (slash == std::string::npos)
        return { "t2ibench", value };
    return { value.substr(0, slash), value.substr(slash + 1) };
}

std::optional<std::string> readKeyring(const KeyringEntry& entry, std::chrono::milliseconds timeout, std::string* error)
{
    if (entry.service.empty() || entry.account.empty()) {
        *error = "the keyring entry \"" + entry.text() + "\" must be \"service/account\" with neither part empty";
        return std::nullopt;
    }
#ifdef T2I_HAVE_QTKEYCHAIN
    const ApplicationScope application;
    const bool onApplicationThread = QThread::currentThread() == QCoreApplication::instance()->thread();
    Outcome outcome = onApplicationThread ? readOnThisThread(entry, timeout) : readOnApplicationThread(entry, timeout);
    if (!outcome.secret)
        *error = outcome.error;
    return outcome.secret;
#else
    (void)timeout;
    *error = "the keyring entry \"" + entry.text()
        + "\" cannot be read: this build of t2ibench has no OS keyring support (built without QtKeychain); use "
          "api_key_env instead";
    return std::nullopt;
#endif
}

void writeKeyringAsync(const KeyringEntry& entry, const std::string& secret, std::function<void(std::string)> done)
{
    if (entry.service.empty() || entry.account.empty()) {
        done("the keyring entry \"" + entry.text() + "\" must be \"service/account\" with neither part empty");
        return;
    }
#ifdef T2I_HAVE_QTKEYCHAIN
    auto* job = new QKeychain::WritePasswordJob(QString::fromStdString(entry.service));
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text file in place of the keyring
    job->setKey(QString::fromStdString(entry.account));
    job->setTextData(QString::fromStdString(secret));
    QObject::connect(job, &QKeychain::Job::finished, [entry, done = std::move(done)](QKeychain::Job* finished) {
        if (finished->error() == QKeychain::NoError)
            done({});
        else if (finished->error() == QKeychain::NoBackendAvailable)
            done("the keyring entry \"" + entry.text()
                + "\" could not be written: no OS keyring is available (no secret service such as GNOME Keyring "
                  "or KWallet on the D-Bus session bus: "
                + finished->errorString().toStdString() + "); name an environment variable in api_key_env instead");
        else
            // E.g. "Unknown error" with no session bus at all: said with what to do instead.
            done("the keyring entry \"" + entry.text()
                + "\" could not be written: " + finished->errorString().toStdString()
                + " (without a desktop keyring, as on a headless machine, name an environment variable in "
                  "api_key_env instead)");
    });
    job->start();
#else
    (void)secret;
    done(keyringUnavailableReason());
#endif
}

std::string keyringUnavailableReason()
{
#ifdef T2I_HAVE_QTKEYCHAIN
    return {};
#else
    return "this build of t2ibench has no OS keyring support (built without QtKeychain); name an environment "
           "variable instead";
#endif
}

SecretResolver keyringSecretResolver(std::chrono::milliseconds timeout)
{
    // One application for every read of this resolver's life, made on first use (a program with
    // its own application never needs it).
    auto application = std::make_shared<std::unique_ptr<ApplicationScope>>();
    return [timeout, application](const ProviderConfig& provider, std::string* error) -> std::optional<std::string> {
        if (!*application)
            *application = std::make_unique<ApplicationScope>();
        return readKeyring(
            parseKeyringEntry(provider.settings.value("api_key_keyring", std::string())), timeout, error);
    };
}

} // namespace t2i
