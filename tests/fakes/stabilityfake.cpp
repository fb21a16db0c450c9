// SPDX-License-Identifier: Apache-2.0
#include "stabilityfake.h"

#include "util/base64.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace t2itest {
namespace {

using nlohmann::json;

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

// A parameter of a header value (`boundary=...`, `name="..."`), unquoted; nullopt when absent.
std::optional<std::string> parameter(const std::string& header, const std::string& name)
{
    std::size_t at = 0;
    while ((at = header.find(';', at)) != std::string::npos) {
        ++at;
        while (at < header.size() && header[at] == ' ')
            ++at;
        const std::size_t eq = header.find('=', at);
        if (eq == std::string::npos)
            return std::nullopt;
        if (lower(header.substr(at, eq - at)) != name)
            continue;
        if (eq + 1 < header.size() && header[eq + 1] == '"') {
            const std::size_t close = header.find('"', eq + 2);
            if (close == std::string::npos)
                return std::nullopt;
            return header.substr(eq + 2, close - eq - 2);
        }
        const std::size_t end = header.find(';', eq + 1);
        return header.substr(eq + 1, end == std::string::npos ? std::string::npos : end - eq - 1);
    }
    return std::nullopt;
}

FakeResponse stabilityError(int status, const std::string& name, const std::vector<std::string>& errors, int id)
{
    return FakeResponse::json(
        status, { { "id", "err-" + std::to_string(id) }, { "name", name }, { "errors", errors } });
}

} // namespace

std::optional<std::vector<FormPart>> parseMultipartForm(
    const std::string& contentType, const std::string& body, std::string* error)
{
    const auto fail = [&](std::string why) -> std::optional<std::vector<FormPart>> {
        *error = std::move(why);
        return std::nullopt;
    };
    if (!lower(contentType).starts_with("multipart/form-data"))
        return fail("Content-Type must be multipart/form-data (got \"" + contentType + "\")");
    const auto boundary = parameter(contentType, "boundary");
    if (!boundary || boundary->empty() || boundary->size() > 70)
        return fail("multipart/form-data without a valid boundary parameter");
    const std::string delimiter = "--" + *boundary;
    if (!body.starts_with(delimiter + "\r\n"))
        return fail("the body does not start with the boundary delimiter");
    std::vector<FormPart> parts;
    std::size_t at = delimiter.size() + 2;
    while (true) {
        const std::size_t headersEnd = body.find("\r\n\r\n", at);
        if (headersEnd == std::string::npos)
            return fail("part " + std::to_string(parts.size()) + " has no blank line after its headers");
        FormPart part;
        bool disposition = false;
        for (std::size_t line = at; line < headersEnd;) {
            const std::size_t eol = std::min(body.find("\r\n", line), headersEnd);
            const std::string header = body.substr(line, eol - line);
            const std::size_t colon = header.find(':');
            if (colon == std::string::npos)
                return fail("part " + std::to_string(parts.size()) + " has a header line without ':'");
            const std::string name = lower(header.substr(0, colon));
            std::string value = header.substr(colon + 1);
            value.erase(0, value.find_first_not_of(' '));
            if (name == "content-disposition") {
                if (!lower(value).starts_with("form-data"))
                    return fail("part " + std::to_string(parts.size()) + " is not form-data");
                const auto fieldName = parameter(value, "name");
                if (!fieldName || fieldName->empty())
                    return fail("part " + std::to_string(parts.size()) + " has no name");
                part.name = *fieldName;
                part.filename = parameter(value, "filename").value_or("");
                disposition = true;
            } else if (name == "content-type") {
                part.contentType = value;
            }
            line = eol + 2;
        }
        if (!disposition)
            return fail("part " + std::to_string(parts.size()) + " has no Content-Disposition");
        const std::size_t next = body.find("\r\n" + delimiter, headersEnd + 4);
        if (next == std::string::npos)
            return fail("part \"" + part.name + "\" is not closed by a boundary delimiter");
        part.value = body.substr(headersEnd + 4, next - headersEnd - 4);
        parts.push_back(std::move(part));
        at = next + 2 + delimiter.size();
        if (body.compare(at, 2, "--") == 0) {
            const std::string rest = body.substr(at + 2);
            if (!rest.empty() && rest != "\r\n")
                return fail("bytes after the closing delimiter");
            return parts;
        }
        if (body.compare(at, 2, "\r\n") != 0)
            return fail("a boundary delimiter not followed by CRLF or \"--\"");
        at += 2;
    }
}

StabilityFake::StabilityFake()
    : StabilityFake(Options {})
{
}

StabilityFake::StabilityFake(Options options)
    : m_options(std::move(options))
{
}

void StabilityFake::failNext(Failure failure, int times)
{
    std::lock_guard lock(m_mutex);
    for (int i = 0; i < times; ++i)
        m_failures.push_back(failure);
}

int StabilityFake::generations() const
{
    std::lock_guard lock(m_mutex);
    return m_generations;
}

std::vector<FormPart> StabilityFake::lastForm() const
{
    std::lock_guard lock(m_mutex);
    return m_lastForm;
}

FakeResponse StabilityFake::handle(const FakeRequest& request)
{
    std::unique_lock lock(m_mutex);
    const int id = m_nextId++;
    static const std::set<std::string> engines = { "core", "ultra", "sd3" };
    const std::string prefix = "/v2beta/stable-image/generate/";
    if (!request.path.starts_with(prefix) || !engines.count(request.path.substr(prefix.size())))
        return stabilityError(404, "not_found", { "no route " + request.path }, id);
    if (request.method != "POST")
        return stabilityError(405, "method_not_allowed", { "use POST" }, id);
    if (request.header("authorization") != "Bearer " + m_options.apiKey)
        return stabilityError(401, "unauthorized", { "authorization: invalid or missing API key" }, id);
    const std::string accept = request.header("accept");
    const bool wantsJson = accept == "application/json";
    if (!wantsJson && accept != "image/*")
        return stabilityError(400, "bad_request", { "accept: must be image/* or application/json" }, id);

    std::string why;
    const auto form = parseMultipartForm(request.header("content-type"), request.body, &why);
    if (!form)
        return stabilityError(400, "bad_request", { why }, id);
    std::map<std::string, std::string> fields;
    for (const FormPart& part : *form)
        fields[part.name] = part.value;
    std::vector<std::string> errors;
    if (fields["prompt"].empty())
        errors.push_back("prompt: cannot be empty");
    const std::string ratio = fields.count("aspect_ratio") ? fields["aspect_ratio"] : "1:1";
    if (!m_options.sizes.count(ratio))
        errors.push_back("aspect_ratio: must be one of 16:9, 1:1, 21:9, 2:3, 3:2, 4:5, 5:4, 9:16, 9:21");
    std::uint32_t seed = 0;
    if (fields.count("seed")) {
        const std::string& s = fields["seed"];
        const bool digits = !s.empty() && s.size() <= 10
            && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
        if (!digits || std::stoull(s) > 4294967294ULL)
            errors.push_back("seed: must be an integer between 0 and 4294967294");
        else
            seed = std::uint32_t(std::stoull(s));
    }
    const std::string format = fields.count("output_format") ? fields["output_format"] : "png";
    if (format != "png")
        errors.push_back("output_format: this fake makes png only (got " + format + ")");
    if (!errors.empty())
        return stabilityError(400, "bad_request", errors, id);
    m_lastForm = *form;

    std::optional<Failure> failure;
    if (!m_failures.empty()) {
        failure = m_failures.front();
        m_failures.pop_front();
    }
    const int delay = m_options.execMs;
    if (failure == Failure::RateLimited)
        return stabilityError(429, "rate_limit_exceeded",
            { "You have exceeded the rate limit of 150 requests within a 10 second period" }, id);
    if (failure == Failure::ServerError) {
        FakeResponse r = stabilityError(500, "internal_error", { "An unexpected server error occurred" }, id);
        r.delayMs = delay;
        return r;
    }
    if (failure == Failure::Moderated)
        return stabilityError(
            403, "content_moderation", { "Your request was flagged by our content moderation system" }, id);
    if (failure == Failure::MalformedJson)
        return FakeResponse::bytes(200, R"({"image":"iVBORw0KGgo)", "application/json", delay);

    if (seed == 0)
        seed = 1000u + std::uint32_t(id); // 0 asks for a random seed
    auto [width, height] = m_options.sizes.at(ratio);
    if (failure == Failure::WrongSize)
        width -= 64;
    const std::string png = pngDataOf(width, height, seed);
    const std::string finish = failure == Failure::ContentFiltered ? "CONTENT_FILTERED" : "SUCCESS";
    ++m_generations;
    const std::string requestId = "req-" + std::to_string(id);
    if (wantsJson)
        return FakeResponse::json(
            200, { { "image", t2i::base64Encode(png) }, { "finish_reason", finish }, { "seed", seed } }, delay)
            .withHeader("x-request-id", requestId);
    return FakeResponse::bytes(200, png, "image/png", delay)
        .withHeader("x-request-id", requestId)
        .withHeader("finish-reason", finish)
        .withHeader("seed", std::to_string(seed));
}

} // namespace t2itest
