// SPDX-License-Identifier: Apache-2.0
// Stability AI's Stable Image API v2beta as docs/protocols.md §10 describes it:
// POST /v2beta/stable-image/generate/{core|ultra|sd3}, always multipart/form-data (parsed here
// for real; a malformed body is refused with 400), Accept image/* (the PNG, with finish-reason
// and seed headers) or application/json ({"image", "finish_reason", "seed"}), errors as
// {"id", "name", "errors"}.
#pragma once

#include "fakeregistry.h"

#include <deque>
#include <map>
#include <mutex>
#include <optional>

namespace t2itest {

// One part of a multipart/form-data body.
struct FormPart {
    std::string name;
    std::string filename; // empty for a plain field
    std::string contentType;
    std::string value;
};

// Parses a multipart/form-data body (RFC 7578 / RFC 2046) given its Content-Type header: the
// boundary parameter, CRLF delimiters, each part's Content-Disposition, the closing delimiter.
// nullopt with *error saying what is wrong when the body does not follow the format.
std::optional<std::vector<FormPart>> parseMultipartForm(
    const std::string& contentType, const std::string& body, std::string* error);

class StabilityFake final : public FakePlatform {
public:
    enum class Failure {
        RateLimited, // 429 (Stability sends no Retry-After documented; the fake sends none)
        ServerError, // 500 {"name": "internal_error"}
        MalformedJson, // 200 application/json cut short (with Accept: application/json)
        ContentFiltered, // 200 with finish-reason CONTENT_FILTERED (a blurred image)
        Moderated, // 403 {"name": "content_moderation"} (a flagged prompt)
        WrongSize, // an image whose width is off by 64
    };
    struct Options {
        std::string apiKey = "sk-stability-fake";
        int execMs = 40;
        // The output size of each aspect ratio. Stability's exact sizes are not documented (docs/protocols.md §10.1:
        // "~1 MP"); these are the SDXL-style sizes, multiples of 64.
        std::map<std::string, std::pair<int, int>> sizes = { { "1:1", { 1024, 1024 } }, { "16:9", { 1344, 768 } },
            { "21:9", { 1536, 640 } }, { "2:3", { 832, 1216 } }, { "3:2", { 1216, 832 } }, { "4:5", { 896, 1088 } },
            { "5:4", { 1088, 896 } }, { "9:16", { 768, 1344 } }, { "9:21", { 640, 1536 } } };
    };

    StabilityFake();
    explicit StabilityFake(Options options);
    FakeResponse handle(const FakeRequest& request) override;

    void failNext(Failure failure, int times = 1);
    int generations() const; // answered 200 with an image
    std::vector<FormPart> lastForm() const; // the fields of the last well-formed generation request

private:
    Options m_options;
    mutable std::mutex m_mutex;
    std::deque<Failure> m_failures;
    std::vector<FormPart> m_lastForm;
    int m_generations = 0;
    int m_nextId = 1;
};

} // namespace t2itest
