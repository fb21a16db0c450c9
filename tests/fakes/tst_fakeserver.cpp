// SPDX-License-Identifier: Apache-2.0
// The fake-server framework itself: routing everything to one handler, delays, the request log,
// and the harness running a small adapter through the real engine against it.
#include "adapterharness.h"
#include "fakeserver.h"

#include "util/image.h"

#include <QtTest>

#include <atomic>

using namespace t2itest;
using nlohmann::json;

namespace {

// The smallest synchronous protocol: POST /gen -> {"image": base64, "ms": N}.
class EchoAdapter final : public t2i::Adapter {
public:
    explicit EchoAdapter(std::string base)
        : m_base(std::move(base))
    {
    }
    std::string type() const override { return "echo"; }
    t2i::HttpRequest submit(t2i::JobState& job) override
    {
        return t2i::jsonRequest("POST", m_base + "/gen", "Bearer k",
            json { { "w", job.job.variant.width }, { "h", job.job.variant.height }, { "seed", job.job.seed } }.dump());
    }
    t2i::Action onResponse(t2i::JobState& job, const t2i::HttpResponse& response) override
    {
        if (response.status != 200)
            return t2i::Action::fail(
                t2i::classifyHttpStatus(response.status), "HTTP " + std::to_string(response.status));
        const json body = json::parse(response.body);
        job.execMs = body["ms"].get<double>();
        if (!job.takeImage(body["image"].get<std::string>()))
            return t2i::Action::fail(t2i::ErrorClass::InvalidImage, "no image");
        return t2i::Action::done();
    }
    std::optional<t2i::HttpRequest> cancel(const t2i::JobState&) const override { return std::nullopt; }

private:
    std::string m_base;
};

} // namespace

class TestFakeServer : public QObject {
    Q_OBJECT
private slots:
    void everyPathReachesTheHandlerAndIsLogged()
    {
        FakeServer server([](const FakeRequest& r) {
            return FakeResponse::json(
                201, { { "path", r.path }, { "q", r.queryItem("x") }, { "auth", r.header("authorization") } });
        });
        EchoAdapter probe(server.baseUrl());
        t2i::JobState job;
        job.job.variant = HarnessOptions::defaultVariant();
        const t2i::HttpRequest request = probe.submit(job);
        QCOMPARE(request.url, server.baseUrl() + "/gen");
        // A request through the harness hits the handler; the log keeps method, path and body.
        HarnessOptions options;
        options.requests = 1;
        runAdapter(probe, options);
        const auto seen = server.requests();
        QCOMPARE(seen.size(), std::size_t(1));
        QCOMPARE(seen[0].method, std::string("POST"));
        QCOMPARE(seen[0].path, std::string("/gen"));
        QCOMPARE(seen[0].header("authorization"), std::string("Bearer k"));
        QCOMPARE(json::parse(seen[0].body)["w"].get<int>(), 512);
    }

    void harnessRunsTheEngineAndTheFakeDecidesTheTimings()
    {
        std::atomic<int> n { 0 };
        FakeServer server([&n](const FakeRequest& r) {
            const json in = json::parse(r.body);
            const int i = n++;
            return FakeResponse::json(200,
                { { "image", pngBase64Of(in["w"].get<int>(), in["h"].get<int>(), std::uint32_t(i)) },
                    { "ms", 100 + i } },
                30);
        });
        EchoAdapter adapter(server.baseUrl());
        HarnessOptions options;
        options.requests = 3;
        const HarnessResult out = runAdapter(adapter, options);
        QCOMPARE(int(out.result.outcome), int(t2i::EngineOutcome::Completed));
        QCOMPARE(out.records.size(), std::size_t(3));
        QCOMPARE(out.okCount(), 3);
        for (const auto& r : out.records) {
            QVERIFY(r.execMs.has_value());
            QVERIFY(*r.execMs >= 100 && *r.execMs <= 102);
            QCOMPARE(r.width.value_or(0), 512);
            QVERIFY(r.latencyMs() >= 30); // the fake held each answer 30 ms
            QVERIFY(!r.queueMs.has_value()); // the protocol says nothing about queueing
        }
    }

    void aHeldAnswerCanBeCancelled()
    {
        FakeServer server([](const FakeRequest&) {
            return FakeResponse::json(200, { { "image", "" }, { "ms", 1 } }, 4000);
        });
        EchoAdapter adapter(server.baseUrl());
        HarnessOptions options;
        options.requests = 2;
        options.cancelWhen = [](const t2i::EngineProgress& p) { return p.inFlight > 0; };
        const HarnessResult out = runAdapter(adapter, options);
        QCOMPARE(int(out.result.outcome), int(t2i::EngineOutcome::Cancelled));
        for (const auto& r : out.records)
            QCOMPARE(int(r.errorClass), int(t2i::ErrorClass::Cancelled));
    }

    void pngsAreValidAndSized()
    {
        const auto check = t2i::checkImage(pngDataOf(64, 32, 7));
        QVERIFY(check.valid);
        QCOMPARE(check.width, 64);
        QCOMPARE(check.height, 32);
        QVERIFY(pngDataOf(8, 8, 1) != pngDataOf(8, 8, 2));
    }
};

QTEST_GUILESS_MAIN(TestFakeServer)
#include "tst_fakeserver.moc"
