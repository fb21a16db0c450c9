// SPDX-License-Identifier: Apache-2.0
#include "runpodadapter.h"
// (filled in next)
namespace t2i {
RunPodOptions RunPodOptions::fromConfig(const ProviderConfig&, const AdapterContext&) { return {}; }
RunPodAdapter::RunPodAdapter(RunPodOptions options) : m_options(std::move(options)) {}
HttpRequest RunPodAdapter::submit(JobState&) { return {}; }
Action RunPodAdapter::onResponse(JobState&, const HttpResponse&) { return Action::done(); }
std::optional<HttpRequest> RunPodAdapter::cancel(const JobState&) const { return std::nullopt; }
std::optional<HttpRequest> RunPodAdapter::healthRequest() const { return std::nullopt; }
std::optional<WorkerSample> RunPodAdapter::parseHealth(const HttpResponse&) const { return std::nullopt; }
}
