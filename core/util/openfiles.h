// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace t2i {

// Raises this process's soft limit on open files to its hard limit and returns the new soft
// limit. A run with thousands of jobs in flight holds a connection per request (HTTP/1.1), and
// the emulator one per client connection; Linux's default soft limit (1024) would refuse them.
long raiseOpenFileLimit();

} // namespace t2i
