// SPDX-License-Identifier: Apache-2.0
// A scriptable HTTP server for adapter tests: a real Qt HTTP Server on loopback, on a thread of its
// own (so the test thread can run the libcurl engine), answering every request through one handler.
// A platform's fake is a class whose handler implements that platform's routes.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace t2itest {

struct FakeRequest {
    std::string method; // "GET", "POST", ...
    std::string path; // without the query, e.g. "/v1/images/generations"
    std::string query; // without the '?', still percent-encoded
    std::map<std::string, std::string> headers; // names lower-case
    std::string body;
    double atMs = 0; // ms since the server started

    std::string header(const std::string& lowerName) const;
    std::string queryItem(const std::string& name) const; // percent-decoded; "" when absent
};

struct FakeResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    int delayMs = 0; // the answer is held this long before it is written (slow servers, long polls)

    static FakeResponse json(int status, const nlohmann::json& body, int delayMs = 0);
    static FakeResponse bytes(int status, std::string body, std::string contentType, int delayMs = 0);
    FakeResponse& withHeader(std::string name, std::string value);
};

using FakeHandler = std::function<FakeResponse(const FakeRequest&)>;

// Serves handler on 127.0.0.1 (a free port) from construction to destruction.
class FakeServer {
public:
    explicit FakeServer(FakeHandler handler, std::uint16_t port = 0);
    ~FakeServer();
    FakeServer(const FakeServer&) = delete;
    FakeServer& operator=(const FakeServer&) = delete;

    std::string baseUrl() const; // "http://127.0.0.1:PORT"
    std::uint16_t port() const;
    std::vector<FakeRequest> requests() const; // every request seen so far, in arrival order
    double nowMs() const; // the clock FakeRequest::atMs is on

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// A valid PNG of width x height (its tEXt comment carries seed, so images differ).
std::string pngDataOf(int width, int height, std::uint32_t seed = 0);
// The same as base64 and as a data URI.
std::string pngBase64Of(int width, int height, std::uint32_t seed = 0);
std::string pngDataUriOf(int width, int height, std::uint32_t seed = 0);

} // namespace t2itest
