// SPDX-License-Identifier: Apache-2.0
// Apart from fuzzseeds.cpp: serverlessfixtures.h and runpodfixtures.h both define kTinyPngBase64.
#include "fuzzseeds.h"

#include "providers/serverlessfixtures.h"

namespace t2ifuzz {

void addServerlessFixtureSeeds(const std::string& family, std::vector<Seed>& seeds, std::vector<Seed>& health)
{
    const t2i::HttpHeaders json = { { "content-type", "application/json" } };
    const t2i::HttpHeaders text = { { "content-type", "text/plain" } };
    if (family == "modal") {
        seeds.push_back({ 200, modalAppResult(), json });
        seeds.push_back({ 200, kModalSpawned, json });
        seeds.push_back({ 202, kModalPending, json });
        seeds.push_back({ 202, kModalLegacyAccepted, json });
        seeds.push_back({ 401, kModalProxy401, text });
        seeds.push_back({ 404, kModalNotFound, text });
        seeds.push_back({ 200, kModalCustomShape, json });
        seeds.push_back({ 200, "\x89PNG\r\n\x1a\n", { { "content-type", "image/png" } } });
    } else if (family == "hf_endpoint") {
        seeds.push_back({ 503, kHfLoading, json });
        seeds.push_back({ 503, kHfScaledToZero, text });
        seeds.push_back({ 503, kHfNoReplica, json });
        seeds.push_back({ 400, kHfBadPayload, json });
        seeds.push_back({ 200, hfHandlerJson(), json });
        seeds.push_back({ 200, "\x89PNG\r\n\x1a\n", { { "content-type", "image/png" } } });
        for (const std::string& body : { kHfStateRunning, kHfStateScaledToZero, kHfStateInitializing, kHfStateFailed })
            health.push_back({ 200, body, json });
    } else if (family == "baseten") {
        for (const std::string& body :
            { basetenTrussResult(), kBasetenAccepted, kBasetenQueued, kBasetenInProgress, kBasetenSucceeded,
                kBasetenFailed, kBasetenExpired, kBasetenCanceled, kBasetenWebhookFailed, basetenWebhookBody() })
            seeds.push_back({ 200, body, json });
        seeds.push_back({ 404, "{\"error\":\"not here yet\"}", json });
        health.push_back({ 200, kBasetenQueueStatus, json });
    }
}

} // namespace t2ifuzz
