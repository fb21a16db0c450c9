// SPDX-License-Identifier: Apache-2.0
// t2i-fake --protocol NAME [--port N]: serves one fake platform until stdin closes or a signal
// comes. The official npm clients are pointed at it to check that the fakes speak the real thing.
#include "fakeregistry.h"

#include <QCoreApplication>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv); // the server thread's event loop needs one
    std::string protocol;
    int port = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--protocol")
            protocol = argv[i + 1];
        else if (flag == "--port")
            port = std::stoi(argv[i + 1]);
    }
    auto platform = t2itest::makeFakePlatform(protocol);
    if (!platform) {
        std::cerr << "t2i-fake: unknown --protocol '" << protocol << "' (known:";
        for (const auto& name : t2itest::fakeProtocols())
            std::cerr << ' ' << name;
        std::cerr << ")\n";
        return 2;
    }
    t2itest::FakeServer server(
        [&platform](const t2itest::FakeRequest& r) { return platform->handle(r); }, static_cast<std::uint16_t>(port));
    std::cout << "listening on " << server.baseUrl() << std::endl;
    // The caller ends the fake by closing our stdin (or killing us).
    std::string line;
    while (std::getline(std::cin, line)) { }
    return 0;
}
