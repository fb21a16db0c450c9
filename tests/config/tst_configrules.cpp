// SPDX-License-Identifier: Apache-2.0
// Every validation rule, one row each: a change to the spec's (valid) example, the JSON path the
// error must name and the words it must say. A second table lists changes that must be accepted.
#include "configfixture.h"

#include <QtTest>

using nlohmann::json;
using namespace t2i;

namespace {

// Applies "pointer = value" to the spec's example; value "-" removes the key.
json mutated(const QString& pointer, const QString& value)
{
    json doc = test::specDocument();
    const json::json_pointer ptr(pointer.toStdString());
    if (value == "-")
        doc.at(ptr.parent_pointer()).erase(ptr.back());
    else
        doc[ptr] = json::parse(value.toStdString());
    return doc;
}

void row(const char* name, const char* pointer, const char* value, const char* path, const char* message, int count = 1)
{
    QTest::newRow(name) << QString(pointer) << QString(value) << QString(path) << QString(message) << count;
}

void ok(const char* name, const char* pointer, const char* value)
{
    QTest::newRow(name) << QString(pointer) << QString(value);
}

} // namespace

class TestConfigRules : public QObject {
    Q_OBJECT

private slots:
    void refused_data();
    void refused();
    void accepted_data();
    void accepted();
};

void TestConfigRules::refused_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("count");

    // The document.
    row("version 2 names version", "/version", "2", "version", "must be 1 (got 2)");
    row("missing version names version", "/version", "-", "version", "required; must be 1");
    row("name with a slash names name", "/name", "\"a/b\"", "name", "hold no '/'");
    row("empty name names name", "/name", "\"\"", "name", "must be a non-empty string");
    row("client as a string names client", "/client", "\"eu\"", "client", "object");
    row("empty client region names it", "/client", R"({"region": ""})", "client.region", "non-empty string");
    row("unknown client key is named", "/client", R"({"city": "Oslo"})", "client.city", "unknown key for client");
    row("unknown top-level key is named with a suggestion", "/nmae", "\"x\"", "nmae",
        "unknown key for the configuration; did you mean \"name\"?");
    row("unknown top-level key lists the known keys", "/extra", "1", "extra", "(known: \"version\", \"name\"");
    row("secret at the top level is refused", "/token", "\"abc\"", "token", "must not hold a secret; use api_key_env");

    // The budget and the thresholds.
    row("budget_usd 0 is refused", "/budget_usd", "0", "budget_usd", "must be a number > 0");
    row("negative budget_usd is refused", "/budget_usd", "-5", "budget_usd", "must be a number > 0");
    row("budget_usd as a string is refused", "/budget_usd", "\"10\"", "budget_usd", "the most each run may spend");
    row("misspelt budget key is named with a suggestion", "/budget_ud", "5", "budget_ud",
        "did you mean \"budget_usd\"?");
    row("thresholds as a list is refused", "/thresholds", "[1]", "thresholds", "must be an object");
    row("unknown threshold is named with a suggestion", "/thresholds", R"({"p95ms": 2000})", "thresholds.p95ms",
        "unknown key for thresholds; did you mean \"p95_ms\"?");
    row("p95_ms 0 is refused", "/thresholds", R"({"p95_ms": 0})", "thresholds.p95_ms", "latency in ms > 0");
    row("p99_ms as a string is refused", "/thresholds", R"({"p99_ms": "2s"})", "thresholds.p99_ms",
        "latency in ms > 0");
    row("error_rate above 1 is refused", "/thresholds", R"({"error_rate": 5})", "thresholds.error_rate",
        "between 0 and 1 (got 5)");
    row("negative error_rate is refused", "/thresholds", R"({"error_rate": -0.1})", "thresholds.error_rate",
        "between 0 and 1");
    row("cost_per_1000_usd 0 is refused", "/thresholds", R"({"cost_per_1000_usd": 0})", "thresholds.cost_per_1000_usd",
        "must be a number > 0");

    // Providers: common keys.
    row("missing providers names providers", "/providers", "-", "providers", "required");
    row("empty providers names providers", "/providers", "[]", "providers", "must be a non-empty list");
    row("provider not an object names its index", "/providers/1", "\"runpod\"", "providers[1]", "must be an object");
    row("unknown type names providers[0].type", "/providers/0/type", "\"dalle\"", "providers[0].type",
        "unknown type \"dalle\" (known: \"emulated\", \"runpod\", \"replicate\"");
    row("missing type names providers[0].type", "/providers/0/type", "-", "providers[0].type", "required");
    row("duplicate provider id names the second", "/providers/1/id", "\"steady\"", "providers[1].id",
        "duplicate id \"steady\" (also providers[0])");
    row("missing provider id names it", "/providers/0/id", "-", "providers[0].id", "required");
    row("provider id with a space is refused", "/providers/0/id", "\"my runpod\"", "providers[0].id",
        "must be 1-64 letters, digits");
    row("base_url without a scheme names base_url", "/providers/1/base_url", "\"api.runpod.ai\"",
        "providers[1].base_url", "must be a URL starting with http:// or https://");
    row("base_url ftp is refused", "/providers/1/base_url", "\"ftp://x\"", "providers[1].base_url", "http://");
    row("api_key_env holding a key is refused", "/providers/1/api_key_env", "\"rpa_ABC123xyz\"",
        "providers[1].api_key_env", "must be the name of an environment variable");
    row("api_key_env lower case is refused", "/providers/1/api_key_env", "\"runpod_key\"", "providers[1].api_key_env",
        "[A-Z_][A-Z0-9_]*");
    row("api_key_env with api_key_keyring is refused", "/providers/1/api_key_keyring", "\"t2ibench/runpod\"",
        "providers[1].api_key_keyring", "not both");
    row("zero provider timeout names timeout_s", "/providers/1/timeout_s", "0", "providers[1].timeout_s",
        "must be a positive number");
    row("string provider timeout is refused", "/providers/1/timeout_s", "\"30\"", "providers[1].timeout_s",
        "(got \"30\")");
    row("pricing not an object names pricing", "/providers/1/pricing", "\"cheap\"", "providers[1].pricing",
        "must be an object");
    row("negative price names pricing.per_second", "/providers/1/pricing", "{\"per_second\": -1}",
        "providers[1].pricing.per_second", "must be a price >= 0");
    row("launch not an object names launch", "/providers/1/launch", "[]", "providers[1].launch", "must be an object");
    row("launch with an empty command names launch.command", "/providers/1/launch",
        "{\"command\": [], \"ready_url\": \"http://127.0.0.1:1/\"}", "providers[1].launch.command",
        "non-empty list of strings");
    row("launch ready_url without scheme", "/providers/1/launch",
        "{\"command\": [\"srv\"], \"ready_url\": \"localhost\"}", "providers[1].launch.ready_url", "http://");
    row("launch without ready_url names it", "/providers/1/launch", "{\"command\": [\"srv\"]}",
        "providers[1].launch.ready_url", "required");
    row("launch ready_headers value not a string", "/providers/1/launch",
        "{\"command\": [\"srv\"], \"ready_url\": \"http://127.0.0.1:1/\", \"ready_headers\": {\"X-Token-Id\": 1}}",
        "providers[1].launch.ready_headers.X-Token-Id", "must be a string");
    row("launch ready_headers with a literal key is refused", "/providers/1/launch",
        "{\"command\": [\"srv\"], \"ready_url\": \"http://127.0.0.1:1/\", \"ready_headers\": {\"Authorization\": "
        "\"Bearer sk-1\"}}",
        "providers[1].launch.ready_headers.Authorization", "must not hold a secret");
    row("launch unknown key is named with a suggestion", "/providers/1/launch",
        "{\"command\": [\"srv\"], \"ready_url\": \"http://127.0.0.1:1/\", \"ready_timeout\": 5}",
        "providers[1].launch.ready_timeout", "did you mean \"ready_timeout_s\"?");
    row("runpod poll stream is refused", "/providers/1/poll", "\"stream\"", "providers[1].poll", "\"status-sync\"");
    row("runpod status_sync_wait_ms below 1000", "/providers/1/status_sync_wait_ms", "500",
        "providers[1].status_sync_wait_ms", "between 1000 and 300000");
    row("runpod input_format unknown", "/providers/1/input_format", "\"flux\"", "providers[1].input_format",
        "\"public\"");
    row("poll_interval_ms 5 on a provider", "/providers/1/poll_interval_ms", "5", "providers[1].poll_interval_ms",
        "between 10 and 60000");
    row("max_answer_mb 0 is refused", "/providers/1/max_answer_mb", "0", "providers[1].max_answer_mb",
        "must be a whole number of MiB between 1 and 65536");
    row("fractional image_backlog_mb is refused", "/providers/1/image_backlog_mb", "0.5",
        "providers[1].image_backlog_mb", "between 0 and 1048576");
    row("negative cold_threshold_ms", "/providers/1/cold_threshold_ms", "-1", "providers[1].cold_threshold_ms",
        "must be a number >= 0");
    row("misspelt endpoint_id is named with a suggestion", "/providers/1/endpiont_id", "\"x\"",
        "providers[1].endpiont_id", "unknown key for type \"runpod\"; did you mean \"endpoint_id\"?");
    row("key of another type is unknown", "/providers/0/auth_scheme", "\"bearer\"", "providers[0].auth_scheme",
        "unknown key for type \"emulated\"");
    row("emulated mode async is refused", "/providers/0/mode", "\"async\"", "providers[0].mode", "one of");
    row("runpod auth_scheme token is refused", "/providers/1/auth_scheme", "\"token\"", "providers[1].auth_scheme",
        "one of");
    row("http_version 3 is refused", "/providers/1/http_version", "\"3\"", "providers[1].http_version", "one of");
    row("ca_file not a string is refused", "/providers/1/ca_file", "true", "providers[1].ca_file",
        "must be the path of a PEM file of CA certificates");
    row("empty ca_file is refused", "/providers/1/ca_file", "\"\"", "providers[1].ca_file",
        "must be the path of a PEM file of CA certificates");
    row("missing ca_file names the file", "/providers/1/ca_file", "\"/nonexistent/t2ibench-ca.pem\"",
        "providers[1].ca_file", "cannot read \"/nonexistent/t2ibench-ca.pem\": no such file");
    row("ca_file naming a folder is refused", "/providers/1/ca_file", "\"/\"", "providers[1].ca_file",
        "cannot read \"/\": not a file");
    row("misspelt ca_file is named with a suggestion", "/providers/1/ca_fiel", "\"ca.pem\"", "providers[1].ca_fiel",
        "did you mean \"ca_file\"?");

    // Providers: each type's own keys.
    row("emulated without profile", "/providers/0/profile", "-", "providers[0].profile", "required");
    row("emulated profile empty", "/providers/0/profile", "\"\"", "providers[0].profile", "non-empty string");
    row("emulated protocol grpc", "/providers/0/protocol", "\"grpc\"", "providers[0].protocol",
        "must be one of \"runpod\", \"openai\", \"replicate\" or \"fal\" (got \"grpc\")");
    row("emulated seed 1.5", "/providers/0/seed", "1.5", "providers[0].seed", "must be an integer >= 0");
    row("emulated time_scale 0", "/providers/0/time_scale", "0", "providers[0].time_scale",
        "must be a positive number");
    row("emulated truth empty", "/providers/0/truth", "\"\"", "providers[0].truth", "file path");
    row("emulated tls as a string", "/providers/0/tls", "\"yes\"", "providers[0].tls", "must be true");
    row("runpod without endpoint_id", "/providers/1/endpoint_id", "-", "providers[1].endpoint_id",
        "required; the RunPod endpoint id");
    row("runpod mode async", "/providers/1/mode", "\"async\"", "providers[1].mode",
        "must be one of \"run\" or \"runsync\"");
    row("replicate with nothing to run", "/providers/1", R"({"id":"r","type":"replicate"})", "providers[1]",
        "give exactly one of model (owner/name), deployment (owner/name) or version");
    row("replicate with model and version", "/providers/1",
        R"({"id":"r","type":"replicate","model":"a/b","version":"abc"})", "providers[1]", "exactly one of");
    row("replicate model not owner/name", "/providers/1", R"({"id":"r","type":"replicate","model":"flux"})",
        "providers[1].model", "must be \"owner/name\"");
    row("replicate wait_s 0", "/providers/1", R"({"id":"r","type":"replicate","model":"a/b","wait_s":0})",
        "providers[1].wait_s", "between 1 and 60");
    row("fal without app", "/providers/1", R"({"id":"f","type":"fal"})", "providers[1].app", "required");
    row("fal mode async", "/providers/1", R"({"id":"f","type":"fal","app":"fal-ai/flux/dev","mode":"async"})",
        "providers[1].mode", "\"queue\" or \"sync\"");
    row("modal url without scheme", "/providers/1", R"({"id":"m","type":"modal","url":"x.modal.run"})",
        "providers[1].url", "http://");
    row("modal header not a string", "/providers/1",
        R"({"id":"m","type":"modal","url":"https://x.modal.run","headers":{"X-N":1}})", "providers[1].headers.X-N",
        "must be a string");
    row("sagemaker without region", "/providers/1",
        R"({"id":"s","type":"sagemaker","endpoint_name":"e","access_key_env":"AWS_ACCESS_KEY_ID","secret_key_env":"AWS_SECRET_ACCESS_KEY"})",
        "providers[1].region", "required");
    row("sagemaker access_key_env not a name", "/providers/1",
        R"({"id":"s","type":"sagemaker","region":"us-east-1","endpoint_name":"e","access_key_env":"AKIA/x","secret_key_env":"AWS_SECRET_ACCESS_KEY"})",
        "providers[1].access_key_env", "environment variable");
    row("sagemaker without secret_key_env", "/providers/1",
        R"({"id":"s","type":"sagemaker","region":"us-east-1","endpoint_name":"e","access_key_env":"AWS_ACCESS_KEY_ID"})",
        "providers[1].secret_key_env", "required");
    row("sagemaker async without an S3 input", "/providers/1",
        R"({"id":"s","type":"sagemaker","region":"us-east-1","endpoint_name":"e","mode":"async","access_key_env":"A","secret_key_env":"B"})",
        "providers[1]", "s3_input_prefix");
    row("sagemaker s3_input_prefix not an S3 URI", "/providers/1",
        R"({"id":"s","type":"sagemaker","region":"us-east-1","endpoint_name":"e","mode":"async","access_key_env":"A","secret_key_env":"B","s3_input_prefix":"https://bucket/in"})",
        "providers[1].s3_input_prefix", "S3 URI");
    row("sagemaker unknown placeholder", "/providers/1",
        R"({"id":"s","type":"sagemaker","region":"us-east-1","endpoint_name":"e","access_key_env":"A","secret_key_env":"B","body_template":"{\"p\": \"{{promt}}\"}"})",
        "providers[1].body_template", "unknown placeholder {{promt}}");
    row("hf_endpoint without url", "/providers/1", R"({"id":"h","type":"hf_endpoint"})", "providers[1].url",
        "required");
    row("baseten without model_id", "/providers/1", R"({"id":"b","type":"baseten"})", "providers[1].model_id",
        "required");
    row("openai response_format png", "/providers/1", R"({"id":"o","type":"openai","response_format":"png"})",
        "providers[1].response_format", "\"b64_json\" or \"url\"");
    row("openai_compatible without base_url", "/providers/1", R"({"id":"o","type":"openai_compatible"})",
        "providers[1].base_url", "required");
    row("together without model", "/providers/1", R"({"id":"t","type":"together"})", "providers[1].model", "required");
    row("stability engine sdxl", "/providers/1", R"({"id":"s","type":"stability","engine":"sdxl"})",
        "providers[1].engine", "\"core\", \"ultra\" or \"sd3\"");
    row("comfyui progress websocket", "/providers/1", R"({"id":"c","type":"comfyui","progress":"websocket"})",
        "providers[1].progress", "not available in this build");
    row("comfyui inputs slot without .inputs.", "/providers/1",
        R"({"id":"c","type":"comfyui","inputs":{"seed":"3.seed"}})", "providers[1].inputs.seed",
        "<node id>.inputs.<input name>");
    row("a1111 sampler not a string", "/providers/1", R"({"id":"a","type":"a1111","sampler":5})",
        "providers[1].sampler", "non-empty string");
    row("sdcpp mode sync", "/providers/1", R"({"id":"s","type":"sdcpp","mode":"sync"})", "providers[1].mode",
        "\"async\", \"openai\" or \"sdapi\"");
    row("http without url", "/providers/1", R"({"id":"h","type":"http"})", "providers[1].url", "required");
    row("http extract not a pointer", "/providers/1",
        R"({"id":"h","type":"http","url":"http://x/y","extract":{"image":"images.0"}})", "providers[1].extract.image",
        "must be a JSON pointer");

    // Secrets.
    row("api_key in a provider is refused", "/providers/1/api_key", "\"rpa_123\"", "providers[1].api_key",
        "must not hold a secret; use api_key_env");
    row("token in a provider is refused", "/providers/1/token", "\"abc\"", "providers[1].token",
        "must not hold a secret");
    row("secret in a provider is refused", "/providers/1/secret", "\"abc\"", "providers[1].secret",
        "must not hold a secret");
    row("bearer header is refused", "/providers/1",
        R"({"id":"h","type":"http","url":"http://x/y","headers":{"Authorization":"Bearer sk-1"}})",
        "providers[1].headers.Authorization", "must not hold a secret");
    row("sagemaker secret_key is refused with its _env key", "/providers/1",
        R"({"id":"s","type":"sagemaker","region":"us-east-1","endpoint_name":"e","access_key_env":"AWS_ACCESS_KEY_ID","secret_key_env":"AWS_SECRET_ACCESS_KEY","secret_key":"abc"})",
        "providers[1].secret_key", "use secret_key_env");

    // Variants.
    row("missing variants", "/variants", "-", "variants", "required");
    row("width 1020 names variants[0].width", "/variants/0/width", "1020", "variants[0].width",
        "must be a multiple of 8 between 64 and 4096 (got 1020)");
    row("width 32 is too small", "/variants/0/width", "32", "variants[0].width", "multiple of 8 between 64 and 4096");
    row("width 4104 is too large", "/variants/0/width", "4104", "variants[0].width",
        "multiple of 8 between 64 and 4096");
    row("width as a string", "/variants/0/width", "\"1024\"", "variants[0].width", "multiple of 8");
    row("height 1001 names variants[0].height", "/variants/0/height", "1001", "variants[0].height", "multiple of 8");
    row("steps 0", "/variants/0/steps", "0", "variants[0].steps", "between 1 and 1000");
    row("steps 1001", "/variants/0/steps", "1001", "variants[0].steps", "between 1 and 1000");
    row("negative guidance", "/variants/0/guidance", "-1", "variants[0].guidance", "must be a number >= 0");
    row("images 17", "/variants/0/images", "17", "variants[0].images", "between 1 and 16");
    row("images 0", "/variants/0/images", "0", "variants[0].images", "between 1 and 16");
    row("precision fp64", "/variants/0/precision", "\"fp64\"", "variants[0].precision",
        "\"fp32\", \"fp16\", \"bf16\", \"fp8\", \"int8\" or \"int4\"");
    row("variant without model", "/variants/0/model", "-", "variants[0].model", "required");
    row("variant without id", "/variants/0/id", "-", "variants[0].id", "required");
    row("duplicate variant id", "/variants/1", R"({"id":"sdxl-fp16","model":"m"})", "variants[1].id",
        "duplicate id \"sdxl-fp16\" (also variants[0])");
    row("unknown variant key", "/variants/0/sampler", "\"euler\"", "variants[0].sampler", "unknown key for a variant");

    // Prompts.
    row("unknown prompt set", "/prompts/set", "\"nope\"", "prompts.set",
        "unknown prompt set \"nope\" (available: \"default\", \"parti\"");
    row("prompt set as a path", "/prompts/set", "\"../x\"", "prompts.set", "unknown prompt set");
    row("set and file together", "/prompts/file", "\"my.txt\"", "prompts", "give either set or file, not both");
    row("negative prompt seed", "/prompts/seed", "-1", "prompts.seed", "must be an integer >= 0");
    row("fractional prompt seed", "/prompts/seed", "4.5", "prompts.seed", "must be an integer >= 0");
    row("seed_policy sometimes", "/prompts/seed_policy", "\"sometimes\"", "prompts.seed_policy",
        "\"fixed\", \"increment\" or \"random\"");
    row("order random", "/prompts/order", "\"random\"", "prompts.order", "\"sequential\" or \"shuffle\"");
    row("prompts not an object", "/prompts", "\"default\"", "prompts", "must be an object");
    row("unknown prompts key", "/prompts/seeds", "1", "prompts.seeds", "did you mean \"seed\"?");

    // Workload.
    row("missing workload", "/workload", "-", "workload", "required");
    row("zero workload timeout", "/workload/timeout_s", "0", "workload.timeout_s", "must be a positive number");
    row("poll_interval_ms 5", "/workload/poll_interval_ms", "5", "workload.poll_interval_ms", "between 10 and 60000");
    row("poll_interval_ms 60001", "/workload/poll_interval_ms", "60001", "workload.poll_interval_ms",
        "between 10 and 60000");
    row("negative warmup_requests", "/workload/warmup_requests", "-1", "workload.warmup_requests", "integer >= 0");
    row("zero health_interval_s", "/workload/health_interval_s", "0", "workload.health_interval_s", "positive number");
    row("empty steps", "/workload/steps", "[]", "workload.steps", "must be a non-empty list");
    row("missing steps", "/workload/steps", "-", "workload.steps", "required");
    row("misspelt workload key", "/workload/timeout", "5", "workload.timeout", "did you mean \"timeout_s\"?");

    // Steps (the example's steps: 0 cold_probe, 1 closed, 2 constant, 3 poisson, 4 ramp, 5 burst).
    row("negative rate names workload.steps[2].rate", "/workload/steps/2/rate", "-4", "workload.steps[2].rate",
        "must be a positive number (got -4)");
    row("zero poisson rate names workload.steps[3].rate", "/workload/steps/3/rate", "0", "workload.steps[3].rate",
        "must be a positive number");
    row("constant without rate", "/workload/steps/2/rate", "-", "workload.steps[2].rate", "required");
    row("step kind unknown", "/workload/steps/2/kind", "\"stepped\"", "workload.steps[2].kind",
        "must be one of \"closed\", \"constant\", \"poisson\", \"ramp\", \"burst\" or \"cold_probe\"");
    row("step without kind", "/workload/steps/2/kind", "-", "workload.steps[2].kind", "required");
    row("step not an object", "/workload/steps/2", "5", "workload.steps[2]", "must be an object");
    row("closed concurrency 0", "/workload/steps/1/concurrency", "0", "workload.steps[1].concurrency",
        "must be a positive integer or a non-empty list");
    row("closed concurrency list with 0 names the element", "/workload/steps/1/concurrency", "[1, 0, 4]",
        "workload.steps[1].concurrency[1]", "must be a positive integer (got 0)");
    row("closed concurrency empty list", "/workload/steps/1/concurrency", "[]", "workload.steps[1].concurrency",
        "must not be an empty list");
    row("closed concurrency 2.5", "/workload/steps/1/concurrency", "2.5", "workload.steps[1].concurrency",
        "positive integer");
    row("closed without concurrency", "/workload/steps/1/concurrency", "-", "workload.steps[1].concurrency",
        "required");
    row("closed with rate", "/workload/steps/1/rate", "3", "workload.steps[1].rate",
        "not a key of a \"closed\" step (its keys: \"kind\", \"concurrency\", \"duration_s\", \"requests\")");
    row("closed with duration_s and requests", "/workload/steps/1/requests", "10", "workload.steps[1]",
        "give either duration_s or requests, not both");
    row("closed without a length", "/workload/steps/1/duration_s", "-", "workload.steps[1]",
        "needs its length: duration_s (seconds) or requests (a count)");
    row("zero duration_s", "/workload/steps/1/duration_s", "0", "workload.steps[1].duration_s",
        "must be a positive number");
    row("zero requests", "/workload/steps/3/requests", "0", "workload.steps[3].requests", "must be a positive integer");
    row("fractional requests", "/workload/steps/3/requests", "2.5", "workload.steps[3].requests", "positive integer");
    row("misspelt duration_s", "/workload/steps/2", R"({"kind":"constant","rate":4,"duraton_s":10})",
        "workload.steps[2].duraton_s", "did you mean \"duration_s\"?", 2);
    row("ramp from negative", "/workload/steps/4/from", "-1", "workload.steps[4].from", "must be a number >= 0");
    row("ramp to zero", "/workload/steps/4/to", "0", "workload.steps[4].to", "must be a positive number");
    row("ramp without to", "/workload/steps/4/to", "-", "workload.steps[4].to", "required");
    row("ramp without a length", "/workload/steps/4/duration_s", "-", "workload.steps[4]", "needs its length");
    row("ramp with rate", "/workload/steps/4/rate", "4", "workload.steps[4].rate", "not a key of a \"ramp\" step");
    row("burst without requests", "/workload/steps/5/requests", "-", "workload.steps[5].requests", "required");
    row("burst requests 0", "/workload/steps/5/requests", "0", "workload.steps[5].requests", "positive integer");
    row("burst with duration_s", "/workload/steps/5/duration_s", "10", "workload.steps[5].duration_s",
        "not a key of a \"burst\" step");
    row("cold_probe negative idle_s", "/workload/steps/0/idle_s", "-1", "workload.steps[0].idle_s", ">= 0");
    row("cold_probe without idle_s", "/workload/steps/0/idle_s", "-", "workload.steps[0].idle_s", "required");
    row("cold_probe repeat 0", "/workload/steps/0/repeat", "0", "workload.steps[0].repeat", "must be an integer >= 1");
    row("cold_probe wait_for_zero_s 601", "/workload/steps/0/wait_for_zero_s", "601",
        "workload.steps[0].wait_for_zero_s", "from 0 to 600");
    row("cold_probe negative wait_for_zero_s", "/workload/steps/0/wait_for_zero_s", "-1",
        "workload.steps[0].wait_for_zero_s", "from 0 to 600");
    row("keep_warm interval 0", "/workload/keep_warm", R"({"interval_s":0})", "workload.keep_warm.interval_s",
        "positive number of seconds");
    row("keep_warm a number", "/workload/keep_warm", "5", "workload.keep_warm", "must be an object");
    row("max_in_flight 0", "/workload/max_in_flight", "0", "workload.max_in_flight", "must be an integer >= 1");
    row("max_in_flight a fraction", "/workload/max_in_flight", "2.5", "workload.max_in_flight",
        "must be an integer >= 1");
    row("a study's parameters not an object", "/studies", R"({"cold_start":3})", "studies.cold_start",
        "must be an object of the study's parameters");
    row("studies not an object", "/studies", "[]", "studies", "must be an object");
    row("keep_warm misspelt", "/workload/keep_warm", R"({"interval_s":5,"intervall":5})",
        "workload.keep_warm.intervall", "did you mean \"interval_s\"?");
    row("cold_probe with requests", "/workload/steps/0/requests", "3", "workload.steps[0].requests",
        "not a key of a \"cold_probe\" step");
}

void TestConfigRules::refused()
{
    QFETCH(QString, pointer);
    QFETCH(QString, value);
    QFETCH(QString, path);
    QFETCH(QString, message);
    QFETCH(int, count);

    const ConfigResult result = parseConfig(mutated(pointer, value).dump(2), "rules.json", providerCatalog());
    QVERIFY2(!result.config, "a config with an error must not be returned");
    QVERIFY2(int(result.errors.size()) == count, test::describeErrors(result).constData());
    const auto it = std::find_if(
        result.errors.begin(), result.errors.end(), [&](const ConfigError& e) { return e.path == path.toStdString(); });
    QVERIFY2(it != result.errors.end(), ("no error at " + path.toUtf8() + test::describeErrors(result)).constData());
    QVERIFY2(QString::fromStdString(it->message).contains(message), it->format().c_str());
    QCOMPARE(QString::fromStdString(it->file), QString("rules.json"));
}

void TestConfigRules::accepted_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("value");

    ok("x- keys are extensions", "/x-owner", "\"team-a\"");
    ok("_comment keys are notes", "/workload/steps/1/_comment", "\"sweep\"");
    ok("description is allowed", "/description", "\"nightly\"");
    ok("a budget in USD", "/budget_usd", "2.5");
    ok("every threshold", "/thresholds",
        R"({"p95_ms": 2000, "p99_ms": 4000.5, "error_rate": 0.01, "cost_per_1000_usd": 12})");
    ok("any subset of thresholds", "/thresholds", R"({"p95_ms": 2000})");
    ok("an error rate of 0 allows no error", "/thresholds", R"({"error_rate": 0})");
    ok("closed concurrency as one number", "/workload/steps/1/concurrency", "4");
    ok("closed length as requests", "/workload/steps/1", R"({"kind":"closed","concurrency":2,"requests":20})");
    ok("ramp going down", "/workload/steps/4", R"({"kind":"ramp","from":8,"to":1,"requests":30})");
    ok("ramp from zero", "/workload/steps/4/from", "0");
    ok("burst needs no duration", "/workload/steps/5", R"({"kind":"burst","requests":1})");
    ok("cold_probe repeat defaults", "/workload/steps/0", R"({"kind":"cold_probe","idle_s":0})");
    ok("cold_probe asks for zero once", "/workload/steps/0", R"({"kind":"cold_probe","idle_s":2,"wait_for_zero_s":0})");
    ok("keep_warm pings", "/workload/keep_warm", R"({"interval_s":0.5})");
    ok("prompts may be omitted", "/prompts", "{}");
    ok("integral float width", "/variants/0/width", "512.0");
    ok("templated header is no secret", "/providers/1",
        R"({"id":"h","type":"http","url":"http://x/y","api_key_env":"H_KEY","headers":{"Authorization":"Bearer {{api_key}}"},"extract":{"image":"/images/0"}})");
    ok("api_key_keyring alone", "/providers/1/api_key_env", "-");
    ok("inline pricing", "/providers/1/pricing", R"({"per_second":0.00076,"egress_per_gb":0.01})");
    ok("emulated with every key", "/providers/0",
        R"({"id":"e","type":"emulated","profile":"steady","protocol":"openai","seed":7,"truth":"t.jsonl","time_scale":0.5})");
    ok("runpod runsync", "/providers/1/mode", "\"runsync\"");
    ok("replicate deployment", "/providers/1", R"({"id":"r","type":"replicate","deployment":"acme/sdxl","wait_s":60})");
    ok("fal queue", "/providers/1", R"({"id":"f","type":"fal","app":"fal-ai/flux/dev","mode":"queue"})");
    ok("modal spawn", "/providers/1", R"({"id":"m","type":"modal","url":"https://a.modal.run","mode":"spawn"})");
    ok("sagemaker async", "/providers/1",
        R"({"id":"s","type":"sagemaker","region":"us-east-1","endpoint_name":"e","mode":"async","access_key_env":"AWS_ACCESS_KEY_ID","secret_key_env":"AWS_SECRET_ACCESS_KEY","s3_input_prefix":"s3://in/bench/","body_template":{"prompt":"{{prompt}}"}})");
    ok("sagemaker realtime with a binary answer", "/providers/1",
        R"({"id":"s","type":"sagemaker","region":"us-east-1","endpoint_name":"e","access_key_env":"A","secret_key_env":"B","accept":"image/png","extract":{"image":"/generated_images"},"describe_endpoint":true,"custom_attributes":"x=1"})");
    ok("hf_endpoint", "/providers/1",
        R"({"id":"h","type":"hf_endpoint","url":"https://x.endpoints.huggingface.cloud","scale_up_timeout_s":600})");
    ok("baseten", "/providers/1",
        R"({"id":"b","type":"baseten","model_id":"abcd","environment":"production","mode":"async","async":{"result_url":"http://127.0.0.1:9/hook"}})");
    ok("openai", "/providers/1", R"({"id":"o","type":"openai","model":"gpt-image-1","api_key_env":"OPENAI_API_KEY"})");
    ok("openai_compatible", "/providers/1",
        R"({"id":"o","type":"openai_compatible","base_url":"http://127.0.0.1:8000/v1"})");
    ok("together", "/providers/1", R"({"id":"t","type":"together","model":"black-forest-labs/FLUX.1-schnell"})");
    ok("stability", "/providers/1", R"({"id":"s","type":"stability","engine":"sd3"})");
    ok("comfyui with launch", "/providers/1",
        R"({"id":"c","type":"comfyui","workflow":"wf.json","progress":"history","launch":{"command":["python","main.py"],"ready_url":"http://127.0.0.1:8188/","ready_timeout_s":600}})");
    ok("runpod public endpoint polled with status-sync", "/providers/1",
        R"({"id":"p","type":"runpod","endpoint_id":"black-forest-labs-flux-1-dev","mode":"runsync","poll":"status-sync","status_sync_wait_ms":20000,"input_format":"public","image_format":"png"})");
    ok("launch with ready_headers holding the key template", "/providers/1",
        R"({"id":"l","type":"a1111","base_url":"http://127.0.0.1:7860","launch":{"command":["./webui.sh"],"ready_url":"http://127.0.0.1:7860/sdapi/v1/options","ready_headers":{"Authorization":"Bearer {{api_key}}"}}})");
    ok("comfyui without workflow, mapped inputs", "/providers/1",
        R"({"id":"c","type":"comfyui","inputs":{"seed":["3.inputs.seed","10.inputs.noise_seed"],"prompt":"6.inputs.text"}})");
    ok("a1111", "/providers/1", R"({"id":"a","type":"a1111","sampler":"Euler a"})");
    ok("sdcpp", "/providers/1", R"({"id":"s","type":"sdcpp","mode":"sdapi"})");
    ok("http", "/providers/1",
        R"({"id":"h","type":"http","method":"POST","url":"http://x/gen","body":{"p":"{{prompt}}"},"extract":{"image":"/images/0","status":"/s","job_id":"/id"},"poll":{"url":"http://x/jobs/{{job_id}}","done_values":["done"]}})");
}

void TestConfigRules::accepted()
{
    QFETCH(QString, pointer);
    QFETCH(QString, value);
    const ConfigResult result = parseConfig(mutated(pointer, value).dump(2), "accepted.json", providerCatalog());
    QVERIFY2(result.config && result.errors.empty(), test::describeErrors(result).constData());
}

QTEST_APPLESS_MAIN(TestConfigRules)
#include "tst_configrules.moc"
