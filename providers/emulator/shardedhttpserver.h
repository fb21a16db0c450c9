// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "lowdelaytcpserver.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QSslConfiguration>

#include <array>
#include <memory>
#include <optional>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace t2i {

// One listening port served by several QHttpServer instances with the same routes. Why: Qt
// HTTP Server 6.4 calls QObject::sender() for each event, and sender() walks every connection
// made to the server object, so with 10,000 client connections on one server each event costs
// 10,000 steps (a profile of 10,000 concurrent submits spent 41% of the emulator in sender()).
// Each shard listens on the same port (SO_REUSEPORT: the kernel spreads the connections over
// them), so sixteen shards cut that walk sixteenfold. The fronts' state (jobs, held answers,
// limits) stays in one place: every shard calls the same handlers, on the same thread.
class ShardedHttpServer {
public:
    ShardedHttpServer()
    {
        for (auto& shard : m_shards)
            shard = std::make_unique<QHttpServer>();
    }

    // Registers the same route, with a copy of the same handler, on every shard.
    template <typename... Args> void route(const Args&... args)
    {
        for (auto& shard : m_shards)
            shard->route(args...);
    }
    template <typename Handler> void setMissingHandler(const Handler& handler)
    {
        for (auto& shard : m_shards)
            shard->setMissingHandler(handler);
    }

    // Listens on 127.0.0.1:port (0: a free one); returns the port, 0 on failure. With tls, every
    // connection is served over TLS with that configuration, and none in cleartext.
    quint16 listen(quint16 port, const std::optional<QSslConfiguration>& tls = std::nullopt)
    {
        m_tls = tls.has_value();
        for (auto& shard : m_shards) {
            const int fd = listeningSocket(port);
            if (fd < 0)
                return 0;
            QTcpServer* tcp = tls ? static_cast<QTcpServer*>(new LowDelaySslServer(*tls)) : new LowDelayTcpServer;
            if (!tcp->setSocketDescriptor(fd)) {
                ::close(fd);
                delete tcp;
                return 0;
            }
            port = tcp->serverPort(); // the first one's free port is everyone's
            shard->bind(tcp); // owned by the shard from now on
        }
        return port;
    }
    // What the fronts write into the URLs they hand out: "https" once listening over TLS.
    const char* scheme() const { return m_tls ? "https" : "http"; }

private:
    static int listeningSocket(quint16 port)
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return -1;
        const int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        // The kernel caps the backlog at net.core.somaxconn (4096 on Debian 12): a burst of
        // thousands of connects must not be dropped and retried seconds later.
        if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, 65535) != 0) {
            ::close(fd);
            return -1;
        }
        return fd;
    }

    std::array<std::unique_ptr<QHttpServer>, 16> m_shards;
    bool m_tls = false;
};

} // namespace t2i
