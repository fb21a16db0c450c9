// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

namespace t2i {

// Qt HTTP Server writes a response's head and body separately; with Nagle's algorithm on, the
// body then waits for the client's delayed ACK (up to 40 ms on Linux), a delay no real platform
// adds and one that would show up in every measured latency. So: TCP_NODELAY on every connection.
// Shared by every front.
//
// A benchmark opens thousands of connections at once (10,000 jobs submitted in one burst). Qt's
// defaults (a listen backlog of 50, at most 30 connections waiting to be taken) would drop most of
// those SYNs, and the kernel's retransmits (1 s, 3 s, 7 s, ...) would show up as seconds of
// "platform" latency that no real platform has. So: the kernel's largest backlog, and no cap.
class LowDelayTcpServer final : public QTcpServer {
public:
    LowDelayTcpServer()
    {
        setListenBacklogSize(65535); // the kernel caps it at net.core.somaxconn (4096 on Debian 12)
        setMaxPendingConnections(1 << 30);
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto* socket = new QTcpSocket(this);
        socket->setSocketDescriptor(descriptor);
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        addPendingConnection(socket);
    }
};

// The same for --tls (docs/emulator.md). QSslServer takes each connection itself (it wraps it
// in a QSslSocket and hands it on once the handshake is done), so the socket option is set when
// the client's hello has arrived, before any answer is written, instead of in incomingConnection.
class LowDelaySslServer final : public QSslServer {
public:
    explicit LowDelaySslServer(const QSslConfiguration& configuration)
    {
        setSslConfiguration(configuration);
        setListenBacklogSize(65535);
        setMaxPendingConnections(1 << 30);
        // Qt drops a connection whose handshake takes over 5 s by default; one thread does every
        // handshake, so a burst of thousands of connects would lose the last ones queued.
        setHandshakeTimeout(60000);
        connect(this, &QSslServer::startedEncryptionHandshake, this,
            [](QSslSocket* socket) { socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); });
    }
};

} // namespace t2i
