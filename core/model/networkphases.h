// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace t2i {

// One HTTP call's time, split into the network phases libcurl times, in milliseconds. The parts
// follow one another and add up to libcurl's whole time for the call (docs/measurement.md,
// "Network phases"):
//   dns       the name lookup (0 on a reused connection, and for an IP address);
//   connect   the TCP connect (0 on a reused connection);
//   tls       the TLS handshake (0 on a reused connection, and over plain HTTP);
//   ttfb      from the connection being ready to the answer's first byte: sending the request,
//             the platform's work on this call, and one round trip;
//   transfer  from the answer's first byte to its last (time the body waited, paused, for room
//             under answer_memory_mb included).
// Over a redirect each phase is the sum over its legs, as libcurl keeps its timers.
struct CallPhases {
    double dnsMs = 0, connectMs = 0, tlsMs = 0, ttfbMs = 0, transferMs = 0;

    double totalMs() const { return dnsMs + connectMs + tlsMs + ttfbMs + transferMs; }
    // Opening a connection: the name lookup, the connect and the handshake.
    double setupMs() const { return dnsMs + connectMs + tlsMs; }
    CallPhases& operator+=(const CallPhases& other)
    {
        dnsMs += other.dnsMs;
        connectMs += other.connectMs;
        tlsMs += other.tlsMs;
        ttfbMs += other.ttfbMs;
        transferMs += other.transferMs;
        return *this;
    }
};

} // namespace t2i
