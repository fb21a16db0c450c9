// SPDX-License-Identifier: Apache-2.0
// t2ibench-emulator: a serverless GPU platform on loopback that speaks RunPod's protocol (or
// OpenAI's Images API, Replicate's predictions API or fal.ai's queue API) and writes the ground truth of every job
// (docs/cli.md, docs/emulator.md).
#include "falfront.h"
#include "openaifront.h"
#include "platformdriver.h"
#include "platformprofile.h"
#include "replicatefront.h"
#include "runpodfront.h"
#include "servertls.h"
#include "signalwatcher.h"
#include "truthlog.h"
#include "util/openfiles.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSaveFile>
#include <QSocketNotifier>

#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>
#include <unistd.h>

namespace {

constexpr int kBadUsage = 2;

int usageError(const QString& message)
{
    std::fprintf(stderr, "t2ibench-emulator: %s\n", qPrintable(message));
    return kBadUsage;
}

template <typename T> std::optional<T> parseNumber(const QString& text, T min, T max)
{
    bool ok = false;
    T value {};
    if constexpr (std::is_floating_point_v<T>)
        value = text.toDouble(&ok);
    else
        value = static_cast<T>(text.toULongLong(&ok));
    if (!ok || value < min || value > max)
        return std::nullopt;
    return value;
}

// The TLS configuration of --tls, --tls-cert and --tls-key (docs/emulator.md), nullopt for
// cleartext; on a usage error *error names the flag and the file. The certificate served is
// written to --tls-ca-out before the emulator listens, so a client that has read the first line
// finds it there. The private key is never written anywhere.
std::optional<QSslConfiguration> tlsConfiguration(const QCommandLineParser& parser, QString* error)
{
    const bool givenFiles = parser.isSet("tls-cert") || parser.isSet("tls-key");
    if (!parser.isSet("tls") && !givenFiles) {
        if (parser.isSet("tls-ca-out"))
            *error = "--tls-ca-out needs --tls";
        return std::nullopt;
    }
    QSslConfiguration configuration;
    QByteArray served;
    if (givenFiles) {
        if (!parser.isSet("tls-cert") || !parser.isSet("tls-key")) {
            *error = "--tls-cert and --tls-key go together";
            return std::nullopt;
        }
        const QString certFile = parser.value("tls-cert");
        const QString keyFile = parser.value("tls-key");
        QString why;
        const auto chain = t2i::tls::readCertificates(certFile, &why);
        if (!chain) {
            *error = "--tls-cert: " + why;
            return std::nullopt;
        }
        const auto key = t2i::tls::readPrivateKey(keyFile, &why);
        if (!key) {
            *error = "--tls-key: " + why;
            return std::nullopt;
        }
        if (!t2i::tls::keyMatches(chain->front(), *key)) {
            *error = "--tls-key: " + keyFile + " is not the private key of the certificate in " + certFile;
            return std::nullopt;
        }
        configuration = t2i::tls::serverConfiguration(*chain, *key);
        for (const QSslCertificate& certificate : *chain)
            served += certificate.toPem();
    } else {
        // A generated certificate is trusted by nobody: a client can only verify it with a copy.
        if (!parser.isSet("tls-ca-out")) {
            *error = "--tls needs --tls-ca-out FILE (where the generated certificate goes, for clients to trust), "
                     "or --tls-cert and --tls-key";
            return std::nullopt;
        }
        try {
            configuration = t2i::tls::selfSignedConfiguration(&served);
        } catch (const std::exception& e) {
            *error = QString::fromStdString(e.what());
            return std::nullopt;
        }
    }
    if (parser.isSet("tls-ca-out")) {
        QSaveFile out(parser.value("tls-ca-out")); // whole or not at all: a reader never sees half
        if (!out.open(QIODevice::WriteOnly) || out.write(served) != served.size() || !out.commit()) {
            *error = "--tls-ca-out: cannot write " + parser.value("tls-ca-out") + ": " + out.errorString();
            return std::nullopt;
        }
    }
    return configuration;
}

} // namespace

int main(int argc, char** argv)
{
    // Qt's glib event dispatcher unregisters a socket notifier by walking a list of all of them:
    // with thousands of client connections each close costs thousands of steps (measured: it
    // made 10,000 concurrent submits 1.6 times slower). Qt's own dispatcher keeps them hashed.
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    t2i::raiseOpenFileLimit(); // a connection per client request in flight: thousands at once
    QCoreApplication::setApplicationName("t2ibench-emulator");
    QCoreApplication::setApplicationVersion(T2I_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        "The built-in emulated serverless GPU platform of t2ibench (RunPod, OpenAI, Replicate or fal protocol).");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        { "profile", "Profile name in resources/emulator/, or a path to a profile JSON file.", "name|path" },
        { "port", "TCP port on 127.0.0.1; 0 picks a free one.", "port", "0" },
        { "seed", "Seed of every random draw.", "seed", "0" },
        { "truth", "Write the ground truth (one JSON line per finished job, then the ledger) here.", "file" },
        { "time-scale", "Multiply every platform duration by this factor.", "factor", "1" },
        { "min-workers", "Always-on workers, warm from the start (overrides the profile's workers.min).", "count" },
        { "api-key-env", "Require the key held by this environment variable.", "name" },
        { "endpoint", "Serve only this endpoint id (default: any; RunPod protocol only).", "id" },
        { "protocol",
            "The API served: runpod (/v2/<endpoint>/...), openai (/v1/images/generations), replicate "
            "(/v1/predictions) or fal (/<owner>/<app>, sync at /sync/<owner>/<app>).",
            "runpod|openai|replicate|fal", "runpod" },
        { "exit-with-stdin",
            "Quit (writing the ledger) when standard input closes: t2ibench-cli holds it open, so "
            "the emulator never outlives a client that was killed." },
        { "tls",
            "Serve HTTPS only, with a self-signed certificate made at start (for loopback tests; "
            "needs --tls-ca-out) or the one given by --tls-cert and --tls-key." },
        { "tls-ca-out", "With --tls: write the certificate served (PEM, never the key) here, for clients to trust.",
            "file" },
        { "tls-cert", "Serve this PEM certificate (chain) instead of a generated one; implies --tls.", "file" },
        { "tls-key", "The PEM private key of --tls-cert (unencrypted, RSA or EC).", "file" },
    });
    if (!parser.parse(QCoreApplication::arguments()))
        return usageError(parser.errorText());
    if (parser.isSet("help"))
        parser.showHelp(0);
    if (parser.isSet("version"))
        parser.showVersion();
    if (!parser.isSet("profile"))
        return usageError("--profile is required");

    const auto port = parseNumber<unsigned>(parser.value("port"), 0, 65535);
    const auto seed = parseNumber<unsigned long long>(parser.value("seed"), 0, ~0ULL);
    const auto timeScale = parseNumber<double>(parser.value("time-scale"), 1e-6, 1e6);
    if (!port || !seed || !timeScale)
        return usageError("--port, --seed and --time-scale take numbers (port 0-65535, time scale > 0)");
    const QString protocol = parser.value("protocol");
    if (protocol != "runpod" && protocol != "openai" && protocol != "replicate" && protocol != "fal")
        return usageError("--protocol takes runpod, openai, replicate or fal (got " + protocol + ")");

    t2i::PlatformProfile profile;
    try {
        profile = t2i::PlatformProfile::load(parser.value("profile").toStdString());
    } catch (const t2i::ProfileError& error) {
        return usageError(QString::fromStdString(error.what()));
    }
    profile.timeScale *= *timeScale;
    if (parser.isSet("min-workers")) {
        const auto minWorkers = parseNumber<int>(parser.value("min-workers"), 0, 10000);
        if (!minWorkers || *minWorkers > profile.maxWorkers)
            return usageError("--min-workers takes an integer from 0 to the profile's workers.max ("
                + QString::number(profile.maxWorkers) + ")");
        profile.minWorkers = *minWorkers;
    }

    // The key: the variable named by --api-key-env, else T2IBENCH_EMULATOR_KEY; none means any key.
    const QByteArray keyVariable
        = parser.isSet("api-key-env") ? parser.value("api-key-env").toLocal8Bit() : QByteArray("T2IBENCH_EMULATOR_KEY");
    const QByteArray apiKey = qgetenv(keyVariable.constData());

    QString tlsError;
    const std::optional<QSslConfiguration> tls = tlsConfiguration(parser, &tlsError);
    if (!tlsError.isEmpty())
        return usageError(tlsError);
    const char* scheme = tls ? "https" : "http";

    t2i::PlatformDriver driver(profile, *seed);
    if (parser.isSet("truth")) {
        try {
            driver.setTruthLog(std::make_unique<t2i::TruthLog>(parser.value("truth").toStdString()));
        } catch (const std::exception& error) {
            return usageError(QString::fromStdString(error.what()));
        }
    }
    // One front per process: the platform behind it is the same either way.
    std::unique_ptr<t2i::RunPodFront> runpodFront;
    std::unique_ptr<t2i::OpenAIFront> openaiFront;
    std::unique_ptr<t2i::ReplicateFront> replicateFront;
    std::unique_ptr<t2i::FalFront> falFront;
    quint16 bound = 0;
    if (protocol == "fal") {
        falFront = std::make_unique<t2i::FalFront>(driver, t2i::FalFront::Options { apiKey });
        bound = falFront->listen(static_cast<quint16>(*port), tls);
    } else if (protocol == "replicate") {
        replicateFront = std::make_unique<t2i::ReplicateFront>(driver, t2i::ReplicateFront::Options { apiKey });
        bound = replicateFront->listen(static_cast<quint16>(*port), tls);
    } else if (protocol == "openai") {
        openaiFront = std::make_unique<t2i::OpenAIFront>(driver, t2i::OpenAIFront::Options { apiKey });
        bound = openaiFront->listen(static_cast<quint16>(*port), tls);
    } else {
        runpodFront = std::make_unique<t2i::RunPodFront>(
            driver, t2i::RunPodFront::Options { parser.value("endpoint"), apiKey });
        bound = runpodFront->listen(static_cast<quint16>(*port), tls);
    }
    if (bound == 0) {
        std::fprintf(stderr, "t2ibench-emulator: cannot listen on 127.0.0.1:%u\n", *port);
        return 1;
    }

    t2i::SignalWatcher watcher;
    QObject::connect(&watcher, &t2i::SignalWatcher::received, &app, &QCoreApplication::quit);
    std::unique_ptr<QSocketNotifier> stdinWatch;
    if (parser.isSet("exit-with-stdin")) {
        stdinWatch = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
        QObject::connect(stdinWatch.get(), &QSocketNotifier::activated, &app, [&app] {
            char buffer[256];
            if (::read(STDIN_FILENO, buffer, sizeof buffer) <= 0) // end of file: our parent is gone
                app.quit();
        });
    }

    std::printf("listening on %s://127.0.0.1:%u\n", scheme, unsigned { bound });
    std::fflush(stdout); // scripts and tests wait for this line
    std::fprintf(stderr, "t2ibench-emulator: profile %s (%s), %s at %s://127.0.0.1:%u%s\n", profile.name.c_str(),
        profile.source.c_str(),
        protocol == "openai"          ? "OpenAI Images API"
            : protocol == "replicate" ? "Replicate API"
            : protocol == "fal"       ? "fal queue API"
                                      : "RunPod API",
        scheme, unsigned { bound },
        protocol == "openai"          ? "/v1/images/generations"
            : protocol == "replicate" ? "/v1/predictions"
            : protocol == "fal"       ? "/<owner>/<app>"
                                      : "/v2/<endpoint>");

    const int status = app.exec();
    const t2i::Ledger ledger = driver.shutdown();
    std::fprintf(stderr, "t2ibench-emulator: billed %lld s over %d workers, $%.6f\n",
        static_cast<long long>(ledger.billedS), ledger.workersStarted, ledger.costUsd);
    return status;
}
