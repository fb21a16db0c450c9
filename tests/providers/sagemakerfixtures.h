// SPDX-License-Identifier: Apache-2.0
// Answers shaped like SageMaker Runtime's and S3's (docs/protocols.md §5.2-§5.5).
#pragma once

namespace sagemakerfixtures {

// ModelError (424): the container answered an error; its status and message ride along.
inline constexpr const char* kModelError
    = "{\"ErrorCode\": \"CLIENT_ERROR_FROM_MODEL\", \"LogStreamArn\": "
      "\"arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/sdxl\", \"Message\": "
      "\"Received client error (400) from primary with message \\\"height must be a multiple of 8\\\".\", "
      "\"OriginalMessage\": \"height must be a multiple of 8\", \"OriginalStatusCode\": 400}";
// The container did not answer within the 60 s real-time limit.
inline constexpr const char* kModelTimeout
    = "{\"ErrorCode\": \"INTERNAL_FAILURE_FROM_MODEL\", \"Message\": \"Your invocation timed out while waiting "
      "for a response from container primary.\"}";
inline constexpr const char* kValidation = "{\"message\": \"Endpoint sdxl of account 123456789012 not found.\"}";
inline constexpr const char* kThrottling = "{\"message\": \"Rate exceeded\"}";
inline constexpr const char* kBadSignature
    = "{\"message\": \"The request signature we calculated does not match the signature you provided. Check your "
      "AWS Secret Access Key and signing method. Consult the service documentation for details.\"}";
inline constexpr const char* kServiceUnavailable = "{\"message\": \"Service is unavailable\"}";
inline constexpr const char* kInternalFailure = "{\"message\": \"An internal error occurred\"}";
inline constexpr const char* kDependency = "{\"message\": \"An internal dependency failed\"}";

// InvokeEndpointAsync's 202.
inline constexpr const char* kAsyncAccepted = "{\"InferenceId\": \"c2a1e8b4-7d0e-4c4f-9a55-0e3f4f1b2a11\"}";
inline constexpr const char* kOutputLocation = "s3://sm-async/out/c2a1e8b4-7d0e-4c4f-9a55-0e3f4f1b2a11.out";
inline constexpr const char* kFailureLocation = "s3://sm-async/failures/c2a1e8b4-7d0e-4c4f-9a55-0e3f4f1b2a11-error.out";

inline constexpr const char* kS3AccessDenied
    = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access "
      "Denied</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>";
inline constexpr const char* kS3NoSuchBucket
    = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucket</Code><Message>The specified bucket "
      "does not exist</Message><BucketName>sm-inputs</BucketName></Error>";
inline constexpr const char* kS3SlowDown
    = "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";

// What the async failure object holds: the error the container gave.
inline constexpr const char* kFailureObject
    = "Received server error (500) from primary with message \"CUDA out of memory. Tried to allocate 2.00 GiB\".";

// DescribeEndpoint (control plane, JSON 1.1): an async endpoint scaling up from zero.
inline constexpr const char* kDescribeScalingUp
    = "{\"EndpointName\": \"sdxl\", \"EndpointStatus\": \"InService\", \"ProductionVariants\": [{\"VariantName\": "
      "\"AllTraffic\", \"CurrentInstanceCount\": 1, \"DesiredInstanceCount\": 3, \"CurrentWeight\": 1.0}]}";

} // namespace sagemakerfixtures
