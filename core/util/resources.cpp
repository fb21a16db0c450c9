// SPDX-License-Identifier: Apache-2.0
#include "resources.h"

#include <cstdlib>
#include <filesystem>

namespace t2i {

std::string resourceDir()
{
    namespace fs = std::filesystem;
    if (const char* env = std::getenv("T2IBENCH_RESOURCES"); env && *env)
        return env;
    std::error_code ec;
    if (fs::is_directory(T2I_SOURCE_RESOURCE_DIR, ec))
        return T2I_SOURCE_RESOURCE_DIR;
    return T2I_INSTALL_RESOURCE_DIR;
}

std::optional<std::string> findResource(const std::string& relative)
{
    const std::filesystem::path path = std::filesystem::path(resourceDir()) / relative;
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec))
        return path.string();
    return std::nullopt;
}

} // namespace t2i
