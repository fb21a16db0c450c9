// SPDX-License-Identifier: Apache-2.0
// AWS error answers as SageMaker Runtime (REST-JSON, error name in x-amzn-ErrorType) and S3 (XML
// <Error><Code>) send them, read into a name, a message and an error class (docs/protocols.md §5.5).
#pragma once

#include "engine/adapter.h"

#include <string>

namespace t2i::sagemaker {

struct AwsError {
    std::string type; // "ValidationError", "ModelError", "NoSuchKey", ... ("" when none was sent)
    std::string message;
    ErrorClass error = ErrorClass::None;
    // "HTTP 424 ModelError: ..." with what the user should check, where we know it.
    std::string describe(int status) const;
};

AwsError readRuntimeError(const HttpResponse& response); // SageMaker Runtime and control plane
AwsError readS3Error(const HttpResponse& response);

} // namespace t2i::sagemaker
