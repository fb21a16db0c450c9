// SPDX-License-Identifier: Apache-2.0
// Amazon SageMaker's settings (docs/configuration.md, "Provider types"; docs/providers.md,
// "sagemaker"; docs/protocols.md §5).
#include "config/providerrules.h"
#include "registry/providertype.h"
#include "sagemaker/sagemakeradapter.h"

namespace t2i {

namespace {

using namespace configcheck;

// SageMaker (docs/protocols.md §5): the container's payload and where its images are, and for
// async the S3 objects the payload is read from.
void validateSageMaker(Checker& check, const json& p, const std::string& path)
{
    if (p.contains("body_template")) {
        if (!p["body_template"].is_string() && !p["body_template"].is_object())
            check.error(child(path, "body_template"), "must be a string or an object");
        else
            checkBodyPlaceholders(check, p["body_template"], child(path, "body_template"));
    }
    checkExtract(check, p, path, { "image", "exec_s", "exec_ms", "queue_ms", "worker_id" });
    for (const char* key : { "s3_input_prefix", "input_location" })
        if (const std::string* uri = stringAt(p, key);
            uri && (!uri->starts_with("s3://") || uri->size() <= 5 || (*uri)[5] == '/'))
            check.error(child(path, key), "must be an S3 URI such as \"s3://bucket/prefix/\" (got \"" + *uri + "\")");
    const bool prefix = p.contains("s3_input_prefix");
    const bool location = p.contains("input_location");
    const std::string* mode = stringAt(p, "mode");
    if (mode && *mode == "async" && prefix == location)
        check.error(path,
            prefix ? "give s3_input_prefix or input_location, not both"
                   : "mode \"async\" reads its payload from S3: give s3_input_prefix (\"s3://bucket/prefix/\", "
                     "each payload is uploaded there) or input_location (one object already there)");
}

} // namespace

ProviderType sagemakerProviderType()
{
    using K = SettingKind;
    const std::string awsKeyHint
        = "the name of the environment variable holding the AWS key, e.g. \"AWS_ACCESS_KEY_ID\"";
    const std::string mime = "must be a MIME type, e.g. ";
    const std::string seconds = "must be a whole number of seconds >= 1";
    ProviderDescriptor d;
    d.type = "sagemaker";
    d.title = "Amazon SageMaker";
    d.summary = "a SageMaker endpoint, SigV4-signed: real-time invocations, or async through S3";
    d.settings = {
        { .key = "region", .kind = K::String, .required = true, .help = "the AWS region, e.g. \"us-east-1\"" },
        { .key = "endpoint_name", .kind = K::String, .required = true, .help = "the SageMaker endpoint name" },
        { .key = "mode",
            .kind = K::Choice,
            .defaultValue = "realtime",
            .allowed = { "realtime", "async" },
            .help = "realtime: one invocation per image; async: the payload through S3, outputs polled" },
        { .key = "access_key_env", .kind = K::EnvName, .required = true, .help = awsKeyHint, .secret = true },
        { .key = "secret_key_env", .kind = K::EnvName, .required = true, .help = awsKeyHint, .secret = true },
        { .key = "session_token_env",
            .kind = K::EnvName,
            .help = "the environment variable holding an AWS session token",
            .secret = true },
        // A string or an object: more than the Object kind takes.
        { .key = "body_template",
            .kind = K::Object,
            .help = "the container's payload, with {{prompt}}, {{seed}}, ... placeholders",
            .checkedByHook = true },
        { .key = "content_type",
            .kind = K::String,
            .help = "the payload's MIME type",
            .message = mime + "\"application/json\"" },
        { .key = "accept", .kind = K::String, .help = "the MIME type asked for", .message = mime + "\"image/png\"" },
        { .key = "extract",
            .kind = K::Object,
            .help = "JSON pointers to image, exec_s, exec_ms, queue_ms, worker_id in a JSON answer" },
        { .key = "s3_input_prefix",
            .kind = K::String,
            .help = "async: where each payload is uploaded, \"s3://bucket/prefix/\"" },
        { .key = "input_location", .kind = K::String, .help = "async: one payload object already in S3" },
        { .key = "s3_endpoint", .kind = K::Url, .help = "the S3 endpoint (AWS's regional one if empty)" },
        { .key = "s3_path_style", .kind = K::Boolean, .help = "path-style S3 URLs (bucket in the path)" },
        { .key = "control_endpoint", .kind = K::Url, .help = "the SageMaker control-plane endpoint" },
        { .key = "describe_endpoint",
            .kind = K::Boolean,
            .help = "read DescribeEndpoint's instance counts as worker samples" },
        { .key = "custom_attributes", .kind = K::String, .help = "X-Amzn-SageMaker-Custom-Attributes" },
        { .key = "target_variant", .kind = K::String, .help = "the production variant invoked" },
        { .key = "target_model", .kind = K::String, .help = "the model of a multi-model endpoint" },
        { .key = "target_container_hostname",
            .kind = K::String,
            .help = "the container of a multi-container endpoint" },
        { .key = "inference_component", .kind = K::String, .help = "the inference component invoked" },
        { .key = "request_ttl_s",
            .kind = K::Integer,
            .min = 1,
            .help = "async: how long a request may wait in the queue",
            .message = seconds },
        { .key = "invocation_timeout_s",
            .kind = K::Integer,
            .min = 1,
            .help = "async: how long one invocation may run",
            .message = seconds },
    };
    d.validate = validateSageMaker;
    d.billingUnit = "hour";
    return { std::move(d),
        [](const ProviderConfig& provider, const AdapterContext& context) -> std::unique_ptr<Adapter> {
            return std::make_unique<SageMakerAdapter>(SageMakerOptions::fromConfig(provider, context));
        } };
}

} // namespace t2i
