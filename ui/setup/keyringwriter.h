// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <functional>

namespace t2i::ui {

// How the setup page stores an API key in the OS keyring: the program's main hands it one
// (QtKeychain, app/secrets), tests a fake. write() calls done once with "" or why it failed;
// the secret is not kept anywhere after the call. An empty unavailableReason with a write
// function means the keyring can be tried.
struct KeyringWriter {
    std::function<void(const QString& service, const QString& account, const QString& secret,
        std::function<void(const QString& error)> done)>
        write;
    QString unavailableReason; // why the "Store in keyring..." button is disabled
};

} // namespace t2i::ui
