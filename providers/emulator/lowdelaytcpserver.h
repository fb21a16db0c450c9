// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QTcpServer>
#include <QTcpSocket>

namespace t2i {

// Qt HTTP Server writes a response's head and body separately; with Nagle's algorithm on, the
// body then waits for the client's delayed ACK (up to 40 ms on Linux), a delay no real platform
// adds and one that would show up in every measured latency. So: TCP_NODELAY on every connection.
// Shared by every front.
class LowDelayTcpServer final : public QTcpServer {
protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto* socket = new QTcpSocket(this);
        socket->setSocketDescriptor(descriptor);
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        addPendingConnection(socket);
    }
};

} // namespace t2i
