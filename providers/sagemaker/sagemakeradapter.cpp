// SPDX-License-Identifier: Apache-2.0
#include "sagemakeradapter.h"

#include "awserror.h"
#include "sagemakerpayload.h"
#include "util/runids.h"
#include "json/answertext.h"
#include "json/jsondoc.h"
#include "json/jsonwriter.h"

#include <algorithm>

namespace t2i {
namespace {

using nlohmann::json;

// A header's value, else the fallback; as valid UTF-8 (it goes into messages and the record).
std::string headerOr(const HttpResponse& response, std::string_view name, const std::string& fallback)
{
    const std::string value = safeText(response.header(name), 2048);
    return value.empty() ? fallback : value;
}

// Optional invocation headers, by config key (docs/protocols.md §5.2, §5.3).
const std::vector<std::pair<const char*, const char*>>& realtimeHeaderKeys()
{
    static const std::vector<std::pair<const char*, const char*>> keys = {
        { "custom_attributes", "X-Amzn-SageMaker-Custom-Attributes" },
        { "target_variant", "X-Amzn-SageMaker-Target-Variant" },
        { "target_model", "X-Amzn-SageMaker-Target-Model" },
        { "target_container_hostname", "X-Amzn-SageMaker-Target-Container-Hostname" },
        { "inference_component", "X-Amzn-SageMaker-Inference-Component" },
    };
    return keys;
}

const std::vector<std::pair<const char*, const char*>>& asyncHeaderKeys()
{
    static const std::vector<std::pair<const char*, const char*>> keys = {
        { "custom_attributes", "X-Amzn-SageMaker-Custom-Attributes" },
        { "request_ttl_s", "X-Amzn-SageMaker-RequestTTLSeconds" },
        { "invocation_timeout_s", "X-Amzn-SageMaker-InvocationTimeoutSeconds" },
    };
    return keys;
}

std::string settingText(const json& value)
{
    return value.is_string() ? value.get<std::string>() : value.dump();
}

} // namespace

std::optional<S3Location> parseS3Uri(std::string_view uri)
{
    if (!uri.starts_with("s3://"))
        return std::nullopt;
    uri.remove_prefix(5);
    const std::size_t slash = uri.find('/');
    if (slash == 0 || uri.empty())
        return std::nullopt;
    if (slash == std::string_view::npos)
        return S3Location { std::string(uri), {} };
    return S3Location { std::string(uri.substr(0, slash)), std::string(uri.substr(slash + 1)) };
}

SageMakerOptions SageMakerOptions::fromConfig(const ProviderConfig& provider, const AdapterContext& context)
{
    SageMakerOptions o;
    const json& s = provider.settings;
    o.region = s.value("region", o.region);
    o.endpointName = s.value("endpoint_name", std::string());
    o.async = s.value("mode", std::string("realtime")) == "async";
    o.runtimeBase = withoutTrailingSlashes(
        context.baseUrl.empty() ? "https://runtime.sagemaker." + o.region + ".amazonaws.com" : context.baseUrl);
    o.controlBase
        = withoutTrailingSlashes(s.value("control_endpoint", "https://api.sagemaker." + o.region + ".amazonaws.com"));
    o.s3Base = withoutTrailingSlashes(s.value("s3_endpoint", "https://s3." + o.region + ".amazonaws.com"));
    // Real S3 takes virtual-hosted names; an S3-compatible server (and the test fake) path-style.
    o.s3PathStyle = s.value("s3_path_style", s.contains("s3_endpoint"));
    // The keys themselves were read from the environment by the runner (AdapterContext::secrets).
    const auto secret = [&context](const char* key) {
        const auto it = context.secrets.find(key);
        return it == context.secrets.end() ? std::string() : it->second;
    };
    o.credentials = { secret("access_key_env"), secret("secret_key_env"), secret("session_token_env") };
    o.contentType = s.value("content_type", o.contentType);
    o.accept = s.value("accept", o.accept);
    o.bodyTemplate = s.value("body_template", json());
    o.output = sagemaker::defaultOutputSpec().withConfig(s.value("extract", json::object()));
    for (const auto& [key, header] : o.async ? asyncHeaderKeys() : realtimeHeaderKeys())
        if (s.contains(key))
            o.invokeHeaders.emplace_back(header, settingText(s[key]));
    o.s3InputPrefix = s.value("s3_input_prefix", std::string());
    o.inputLocation = s.value("input_location", std::string());
    o.describeEndpoint = s.value("describe_endpoint", false);
    o.pollIntervalMs = context.pollIntervalMs;
    return o;
}

// What the adapter keeps between answers: {"phase", "input", "output", "failure"}, the step the
// job is at and its S3 objects.
struct SageMakerAdapter::Notes {
    std::string phase;
    std::string input;
    std::string output;
    std::string failure;

    static Notes read(const std::string& scratch)
    {
        const JsonDoc doc(scratch);
        return { doc.string("/phase"), doc.string("/input"), doc.string("/output"), doc.string("/failure") };
    }
    std::string write() const
    {
        JsonObjectWriter out;
        out.add("phase", phase);
        if (!input.empty())
            out.add("input", input);
        if (!output.empty())
            out.add("output", output);
        if (!failure.empty() || !output.empty())
            out.add("failure", failure);
        return out.str();
    }
};

SageMakerAdapter::SageMakerAdapter(SageMakerOptions options)
    : m_options(std::move(options))
    , m_runToken(randomToken().substr(0, 12))
{
}

std::string SageMakerAdapter::requestBody(const Job& job) const
{
    return sagemaker::renderBody(m_options.bodyTemplate, job);
}

std::string SageMakerAdapter::s3Url(const S3Location& location) const
{
    const std::string key = "/" + sigv4::uriEncode(location.key, true);
    if (m_options.s3PathStyle)
        return m_options.s3Base + "/" + location.bucket + key;
    const std::size_t scheme = m_options.s3Base.find("://");
    return m_options.s3Base.substr(0, scheme + 3) + location.bucket + "." + m_options.s3Base.substr(scheme + 3) + key;
}

std::string SageMakerAdapter::inferenceId(const Job& job) const
{
    return "t2ibench-" + m_runToken + "-" + std::to_string(job.seq);
}

HttpRequest SageMakerAdapter::signedRequest(
    std::string method, std::string url, HttpHeaders headers, std::string body, const std::string& service) const
{
    const auto signedHeaders = sigv4::signHeaders(method, url, headers, body, m_options.credentials,
        { m_options.region, service }, sigv4::amzDate(m_options.now()));
    HttpRequest request;
    request.method = std::move(method);
    request.url = std::move(url);
    request.headers = signedHeaders ? *signedHeaders : std::move(headers);
    request.body = std::move(body);
    return request;
}

std::string SageMakerAdapter::endpointUrl(const char* route) const
{
    return m_options.runtimeBase + "/endpoints/" + sigv4::uriEncode(m_options.endpointName, false) + "/" + route;
}

HttpRequest SageMakerAdapter::invokeAsync(const std::string& inputUri, const Job& job) const
{
    HttpHeaders headers
        = { { "X-Amzn-SageMaker-InputLocation", inputUri }, { "X-Amzn-SageMaker-Content-Type", m_options.contentType },
              { "X-Amzn-SageMaker-Accept", m_options.accept }, { "X-Amzn-SageMaker-Inference-Id", inferenceId(job) } };
    headers.insert(headers.end(), m_options.invokeHeaders.begin(), m_options.invokeHeaders.end());
    return signedRequest("POST", endpointUrl("async-invocations"), std::move(headers), {}, "sagemaker");
}

HttpRequest SageMakerAdapter::s3Request(const std::string& method, const std::string& uri) const
{
    const auto location = parseS3Uri(uri);
    return signedRequest(method, location ? s3Url(*location) : uri, {}, {}, "s3");
}

HttpRequest SageMakerAdapter::submit(JobState& job)
{
    std::string body = requestBody(job.job);
    if (!m_options.async) {
        job.scratch = Notes { "invoke", {}, {}, {} }.write();
        HttpHeaders headers = { { "Content-Type", m_options.contentType }, { "Accept", m_options.accept },
            { "X-Amzn-SageMaker-Inference-Id", inferenceId(job.job) } };
        headers.insert(headers.end(), m_options.invokeHeaders.begin(), m_options.invokeHeaders.end());
        return signedRequest("POST", endpointUrl("invocations"), std::move(headers), std::move(body), "sagemaker");
    }
    // InvokeEndpointAsync reads its payload from S3: put it there first, one object per job.
    if (const auto prefix = parseS3Uri(m_options.s3InputPrefix)) {
        std::string key = prefix->key;
        if (!key.empty() && !key.ends_with('/'))
            key += '/';
        key += inferenceId(job.job) + (m_options.contentType.find("json") != std::string::npos ? ".json" : ".bin");
        const S3Location input { prefix->bucket, key };
        job.scratch = Notes { "upload", input.uri(), {}, {} }.write();
        return signedRequest("PUT", s3Url(input), { { "Content-Type", m_options.contentType } }, std::move(body), "s3");
    }
    job.scratch = Notes { "invoke", m_options.inputLocation, {}, {} }.write();
    return invokeAsync(m_options.inputLocation, job.job);
}

Action SageMakerAdapter::onResponse(JobState& job, const HttpResponse& response)
{
    if (response.status == 0)
        return noAnswerFailure(response);
    Notes notes = Notes::read(job.scratch);
    const std::string& phase = notes.phase;
    if (phase == "upload") {
        if (response.status / 100 != 2)
            return s3Failure(response, "uploading the payload to " + notes.input);
        notes.phase = "invoke";
        job.scratch = notes.write();
        return Action::send(invokeAsync(notes.input, job.job), 0);
    }
    if (phase == "invoke")
        return m_options.async ? onAsyncAccepted(job, response, notes) : onInvoked(job, response);
    if (phase == "output" || phase == "failure")
        return onPoll(job, response, notes, phase == "output");
    if (phase == "fetch-output") {
        if (response.status != 200)
            return s3Failure(response, "fetching the output " + notes.output);
        return takeImages(job, response);
    }
    if (phase == "fetch-failure") {
        if (response.status != 200)
            return s3Failure(response, "fetching the failure " + notes.failure);
        // The failure object holds the error SageMaker or the container gave (docs/protocols.md §5.3).
        const sagemaker::AwsError e = sagemaker::readRuntimeError(response);
        const bool timedOut = e.error == ErrorClass::Timeout || response.body.find("timed out") != std::string::npos;
        return Action::fail(timedOut ? ErrorClass::Timeout : ErrorClass::PlatformFailure,
            "the endpoint failed the inference (" + notes.failure + "): " + errorExcerpt(response.body));
    }
    return Action::fail(ErrorClass::ClientError, "sagemaker adapter: unknown phase \"" + safeText(phase, 100) + "\"");
}

Action SageMakerAdapter::onInvoked(JobState& job, const HttpResponse& response)
{
    job.jobId = headerOr(response, "x-amzn-requestid", inferenceId(job.job));
    if (response.status / 100 != 2) {
        const sagemaker::AwsError e = sagemaker::readRuntimeError(response);
        job.providerStatus = e.type;
        return Action::fail(e.error, e.describe(response.status));
    }
    job.accepted = true;
    job.providerStatus = "Completed";
    return takeImages(job, response);
}

Action SageMakerAdapter::onAsyncAccepted(JobState& job, const HttpResponse& response, Notes& notes)
{
    if (response.status / 100 != 2) {
        const sagemaker::AwsError e = sagemaker::readRuntimeError(response);
        job.providerStatus = e.type;
        return Action::fail(e.error, e.describe(response.status));
    }
    const JsonDoc body(response.body);
    job.jobId = safeText(body.string("/InferenceId"), 1000);
    const std::string output = headerOr(response, "x-amzn-sagemaker-outputlocation", body.string("/OutputLocation"));
    const std::string failure = headerOr(response, "x-amzn-sagemaker-failurelocation", body.string("/FailureLocation"));
    if (!parseS3Uri(output))
        return Action::fail(ErrorClass::ServerError,
            "InvokeEndpointAsync answered HTTP " + std::to_string(response.status)
                + " without an s3:// X-Amzn-SageMaker-OutputLocation (got \"" + safeText(output, 300) + "\")");
    job.accepted = true;
    job.providerStatus = "InProgress";
    notes.phase = "output";
    notes.output = output;
    notes.failure = parseS3Uri(failure) ? failure : std::string();
    job.scratch = notes.write();
    ++job.polls; // the 202 is the first "not yet"
    return Action::poll(s3Request("HEAD", output), m_options.pollIntervalMs);
}

// No status API for async inference: the output object appears when the job succeeded, the
// failure object when it failed (docs/protocols.md §5.3). Output first, then (if it is not there) the failure.
Action SageMakerAdapter::onPoll(JobState& job, const HttpResponse& response, Notes& notes, bool output)
{
    const std::string outputUri = notes.output;
    const std::string failureUri = notes.failure;
    const std::string polled = output ? outputUri : failureUri;
    if (response.status == 200) {
        if (!output) {
            job.providerStatus = "Failed";
            notes.phase = "fetch-failure";
            job.scratch = notes.write();
            return Action::send(s3Request("GET", failureUri), 0);
        }
        job.providerStatus = "Completed";
        // An image object is downloaded by the engine (timed as download) through a presigned URL;
        // anything else is the container's JSON, fetched and read here.
        const auto location = parseS3Uri(outputUri);
        if (location && isImageContentType(response.header("content-type"))) {
            const auto url = sigv4::presignUrl("GET", s3Url(*location), m_options.credentials,
                { m_options.region, "s3" }, sigv4::amzDate(m_options.now()), m_options.presignExpiresS);
            job.imageUrls.push_back(url.value_or(s3Url(*location)));
            return Action::done();
        }
        notes.phase = "fetch-output";
        job.scratch = notes.write();
        return Action::send(s3Request("GET", outputUri), 0);
    }
    if (response.status != 404) {
        std::string what = "polling " + polled;
        if (response.status == 403)
            what += " (S3 answers 403, not 404, for an object that does not exist yet when the credentials may not "
                    "s3:ListBucket the bucket)";
        return s3Failure(response, what);
    }
    if (output && !failureUri.empty()) {
        notes.phase = "failure";
        job.scratch = notes.write();
        return Action::send(s3Request("HEAD", failureUri), 0);
    }
    ++job.polls;
    notes.phase = "output";
    job.scratch = notes.write();
    return Action::poll(s3Request("HEAD", outputUri), m_options.pollIntervalMs);
}

Action SageMakerAdapter::takeImages(JobState& job, const HttpResponse& response)
{
    const std::string contentType = safeText(response.header("content-type"), 200);
    if (sagemaker::isBinaryImage(response.header("content-type"), response.body)) {
        if (response.body.empty())
            return Action::fail(ErrorClass::InvalidImage, "an empty " + contentType + " body from the container");
        job.takeImageBytes(response.body);
        return Action::done();
    }
    const JsonDoc body(response.body);
    if (!body.valid() && (contentType.find("json") != std::string::npos || response.body.starts_with("{")))
        return Action::fail(ErrorClass::ServerError,
            "malformed JSON from the container (" + body.error() + "): " + errorExcerpt(response.body));
    if (!body.valid())
        return Action::fail(ErrorClass::InvalidImage,
            "the container answered neither an image nor JSON (Content-Type \"" + contentType
                + "\"): " + errorExcerpt(response.body));
    if (!readAppOutput(body, m_options.output, job))
        return Action::fail(ErrorClass::InvalidImage,
            "the container's JSON has no image at " + m_options.output.describeImagePointers()
                + " (set extract.image to a JSON pointer): " + errorExcerpt(response.body));
    return Action::done();
}

Action SageMakerAdapter::s3Failure(const HttpResponse& response, const std::string& what) const
{
    const sagemaker::AwsError e = sagemaker::readS3Error(response);
    return Action::fail(e.error, what + ": " + e.describe(response.status));
}

std::optional<HttpRequest> SageMakerAdapter::healthRequest() const
{
    if (!m_options.describeEndpoint)
        return std::nullopt;
    // The control plane's JSON-1.1 DescribeEndpoint (docs/protocols.md §5.4), the nearest thing to a worker count.
    return signedRequest("POST", m_options.controlBase + "/",
        { { "Content-Type", "application/x-amz-json-1.1" }, { "X-Amz-Target", "SageMaker.DescribeEndpoint" } },
        json { { "EndpointName", m_options.endpointName } }.dump(), "sagemaker");
}

std::optional<WorkerSample> SageMakerAdapter::parseHealth(const HttpResponse& response) const
{
    if (response.status != 200)
        return std::nullopt;
    const JsonDoc body(response.body);
    if (body.rootType() != JsonType::Object)
        return std::nullopt;
    const JsonPointer variants("/ProductionVariants");
    const JsonType variantsType = body.type(variants);
    if (variantsType != JsonType::Absent && variantsType != JsonType::Array)
        return std::nullopt;
    WorkerSample sample;
    sample.tMs = response.receivedMs;
    // Instances in service are ready; those the endpoint wants but does not have yet (an async
    // endpoint scaling up from zero, an update) are initializing.
    const std::size_t n = body.elements(variants);
    for (std::size_t i = 0; i < n; ++i) {
        const auto count = [&](const char* key, std::int64_t fallback) -> std::optional<std::int64_t> {
            const JsonValue value = body.at(variants / i / key);
            if (!value.present())
                return fallback;
            const auto number = value.integer();
            if (!number || *number < 0 || *number > 100000)
                return std::nullopt;
            return number;
        };
        if (body.type(variants / i) != JsonType::Object)
            return std::nullopt;
        const auto current = count("CurrentInstanceCount", 0);
        const auto desired = current ? count("DesiredInstanceCount", *current) : std::nullopt;
        if (!current || !desired)
            return std::nullopt;
        sample.ready += int(*current);
        sample.initializing += int(std::max<std::int64_t>(0, *desired - *current));
    }
    const std::string status = body.string("/EndpointStatus");
    if (status == "Failed" || status == "OutOfService") {
        sample.unhealthy = sample.ready;
        sample.ready = 0;
    }
    return sample;
}

} // namespace t2i
