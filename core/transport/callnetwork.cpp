// SPDX-License-Identifier: Apache-2.0
#include "callnetwork.h"

#include <algorithm>

namespace t2i {

CallPhases phasesFromCurlTimes(const CurlTimes& t, bool newConnection)
{
    // libcurl's timers are points on one line from the call's start: name looked up, connected,
    // handshake done, request about to go, first byte in, done. A stage the call never reached
    // reads 0, so each phase runs from the last point reached before it.
    CallPhases p;
    std::int64_t reached = 0;
    const auto upTo = [&reached](std::int64_t point) {
        if (point <= reached)
            return 0.0;
        const double ms = double(point - reached) / 1000.0;
        reached = point;
        return ms;
    };
    // On a reused connection nothing is looked up, connected or shaken hands with: libcurl still
    // stamps those timers (a few microseconds in, as it checks the connection), and that time
    // belongs to the request going out.
    if (newConnection) {
        p.dnsMs = upTo(t.nameLookupUs);
        p.connectMs = upTo(t.connectUs);
        p.tlsMs = upTo(t.appConnectUs);
    }
    if (t.startTransferUs > 0) {
        // From the connection being ready to the answer's first byte: libcurl writing the
        // request, the request on the wire, the platform's work on it, and the answer's way back.
        // libcurl's own preparation (to PRETRANSFER) is microseconds, and counts here too.
        p.ttfbMs = upTo(t.startTransferUs);
        p.transferMs = upTo(t.totalUs);
    } else if (!newConnection || t.preTransferUs > 0) {
        p.ttfbMs = upTo(t.totalUs); // the request went out and no answer came (a timeout, a reset)
    } else if (t.connectUs > 0) {
        p.tlsMs += upTo(t.totalUs); // connected, never ready: the handshake failed or timed out
    } else if (t.nameLookupUs > 0) {
        p.connectMs += upTo(t.totalUs); // the connect failed (refused, unreachable) or timed out
    } else {
        p.dnsMs += upTo(t.totalUs); // the name never resolved
    }
    return p;
}

void readCallNetwork(CURL* easy, HttpResponse::Network& out)
{
    CurlTimes t;
    const auto read = [easy](CURLINFO info) {
        curl_off_t value = 0;
        curl_easy_getinfo(easy, info, &value);
        return std::int64_t(std::max<curl_off_t>(0, value));
    };
    t.nameLookupUs = read(CURLINFO_NAMELOOKUP_TIME_T);
    t.connectUs = read(CURLINFO_CONNECT_TIME_T);
    t.appConnectUs = read(CURLINFO_APPCONNECT_TIME_T);
    t.preTransferUs = read(CURLINFO_PRETRANSFER_TIME_T);
    t.startTransferUs = read(CURLINFO_STARTTRANSFER_TIME_T);
    t.totalUs = read(CURLINFO_TOTAL_TIME_T);
    long connects = 0;
    curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
    out.measured = true;
    out.newConnections = int(connects);
    out.phases = phasesFromCurlTimes(t, connects > 0);
    out.tlsHandshake = connects > 0 && t.appConnectUs > 0;
    char* ip = nullptr;
    if (curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip)
        out.remoteIp = ip;
}

} // namespace t2i
