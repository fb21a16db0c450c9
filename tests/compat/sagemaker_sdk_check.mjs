// SPDX-License-Identifier: Apache-2.0
// Drives `t2i-fake --protocol sagemaker` (tests/fakes/sagemakerfake.*) with AWS's official
// JavaScript SDK, unchanged: @aws-sdk/client-sagemaker-runtime for InvokeEndpoint and
// InvokeEndpointAsync, and the SDK's own SigV4 signer (@smithy/signature-v4) for the S3 objects
// around an async invocation. The fake verifies every signature with its secret, so a pass means
// the fake speaks the protocol and that its SigV4 check agrees with AWS's signer.
//
//   node sagemaker_sdk_check.mjs BASE_URL
import {
    InvokeEndpointAsyncCommand,
    InvokeEndpointCommand,
    SageMakerRuntimeClient,
} from "@aws-sdk/client-sagemaker-runtime";
import { SignatureV4 } from "@smithy/signature-v4";
import { createHash, createHmac } from "node:crypto";
import { check, finish, pngSize } from "./checks.mjs";

const [base] = process.argv.slice(2);
if (!base) {
    console.error("usage: node sagemaker_sdk_check.mjs BASE_URL");
    process.exit(2);
}
const endpoint = base.replace(/\/+$/, "");
// The fake's keys (SageMakerFake::kAccessKeyId / kSecretAccessKey).
const credentials = { accessKeyId: "AKIDT2IFAKEEXAMPLE", secretAccessKey: "t2iFake/SageMaker+Secret/EXAMPLEKEY" };
const region = "us-east-1";

// No SDK retries: a retried error would hide what the fake answered first.
const client = new SageMakerRuntimeClient({ region, endpoint, credentials, maxAttempts: 1 });
const payload = (width, height, extra = {}) =>
    JSON.stringify({ prompt: "a red fox in the snow", width, height, num_inference_steps: 4, seed: 7, ...extra });

// 1. InvokeEndpoint, JSON in and out: {"images": [base64 PNG]}.
{
    const result = await client.send(new InvokeEndpointCommand({
        EndpointName: "sdxl", ContentType: "application/json", Accept: "application/json",
        Body: payload(256, 192, { num_images_per_prompt: 2 }),
    }));
    check(result.$metadata.httpStatusCode === 200, "invoke: 200", result.$metadata.httpStatusCode);
    check(result.ContentType === "application/json", "invoke: ContentType", result.ContentType);
    check(result.InvokedProductionVariant === "AllTraffic", "invoke: InvokedProductionVariant", result.InvokedProductionVariant);
    const body = JSON.parse(Buffer.from(result.Body).toString("utf8"));
    check(body.images?.length === 2, "invoke: two images", body.images?.length);
    const size = pngSize(Buffer.from(body.images?.[0] ?? "", "base64"));
    check(size?.width === 256 && size?.height === 192, "invoke: a 256x192 PNG", size);
}

// 2. Accept image/png: the body is the image.
{
    const result = await client.send(new InvokeEndpointCommand({
        EndpointName: "sdxl", ContentType: "application/json", Accept: "image/png", Body: payload(320, 240),
    }));
    check(result.ContentType === "image/png", "png: ContentType image/png", result.ContentType);
    const size = pngSize(Buffer.from(result.Body));
    check(size?.width === 320 && size?.height === 240, "png: a 320x240 PNG body", size);
}

// 3. Errors come back as the SDK's modelled exceptions.
try {
    await client.send(new InvokeEndpointCommand({ EndpointName: "no-such-endpoint", ContentType: "application/json", Body: payload(64, 64) }));
    check(false, "unknown endpoint: rejected", "accepted");
} catch (error) {
    check(error.name === "ValidationError", "unknown endpoint: ValidationError", error.name);
    check(error.$metadata?.httpStatusCode === 400, "unknown endpoint: 400", error.$metadata?.httpStatusCode);
}
try {
    await client.send(new InvokeEndpointCommand({ EndpointName: "sdxl", ContentType: "application/json", Body: "{\"width\": 64}" }));
    check(false, "container error: rejected", "accepted");
} catch (error) {
    check(error.name === "ModelError", "container error: ModelError", error.name);
    check(error.$metadata?.httpStatusCode === 424, "container error: 424", error.$metadata?.httpStatusCode);
}
try {
    const wrong = new SageMakerRuntimeClient({ region, endpoint, maxAttempts: 1,
        credentials: { ...credentials, secretAccessKey: "not-the-secret" } });
    await wrong.send(new InvokeEndpointCommand({ EndpointName: "sdxl", ContentType: "application/json", Body: payload(64, 64) }));
    check(false, "wrong secret: rejected", "accepted");
} catch (error) {
    check(error.name === "InvalidSignatureException", "wrong secret: InvalidSignatureException", error.name);
    check(error.$metadata?.httpStatusCode === 403, "wrong secret: 403", error.$metadata?.httpStatusCode);
}

// 4. Async: the input is PUT to S3, signed by AWS's signer for s3; InvokeEndpointAsync answers
// 202 with the locations; the output object appears when the job is done.
class Sha256 {
    constructor(secret) { this.hash = secret ? createHmac("sha256", Buffer.from(secret)) : createHash("sha256"); }
    update(data) { this.hash.update(typeof data === "string" ? Buffer.from(data) : data); }
    async digest() { return new Uint8Array(this.hash.digest()); }
}
const s3Signer = new SignatureV4({ credentials, region, service: "s3", sha256: Sha256, uriEscapePath: false, applyChecksum: true });
const url = new URL(endpoint);
async function s3(method, path, body = undefined, contentType = undefined) {
    const headers = { host: url.host, ...(contentType ? { "content-type": contentType } : {}) };
    const signed = await s3Signer.sign({ method, protocol: url.protocol, hostname: url.hostname, port: Number(url.port),
        path, query: {}, headers, body });
    const { host, ...send } = signed.headers;
    return fetch(`${endpoint}${path}`, { method, headers: send, body });
}
{
    const put = await s3("PUT", "/sm-inputs/compat/in.json", payload(128, 96), "application/json");
    check(put.status === 200, "s3: PUT the input (signed by AWS's signer)", put.status);
    const result = await client.send(new InvokeEndpointAsyncCommand({
        EndpointName: "sdxl", InputLocation: "s3://sm-inputs/compat/in.json", ContentType: "application/json",
        Accept: "application/json", InvocationTimeoutSeconds: 60,
    }));
    check(result.$metadata.httpStatusCode === 202, "async: 202", result.$metadata.httpStatusCode);
    check(typeof result.InferenceId === "string" && result.InferenceId.length > 0, "async: InferenceId", result.InferenceId);
    check(result.OutputLocation?.startsWith("s3://sm-async/"), "async: OutputLocation header parsed", result.OutputLocation);
    check(result.FailureLocation?.startsWith("s3://sm-async/"), "async: FailureLocation header parsed", result.FailureLocation);
    const outputPath = "/" + (result.OutputLocation ?? "s3://").slice(5);
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
        status = (await s3("HEAD", outputPath)).status;
        if (status !== 200)
            await new Promise((resolve) => setTimeout(resolve, 50));
    }
    check(status === 200, "async: the output object appears (HEAD)", status);
    const output = await s3("GET", outputPath);
    const body = await output.json();
    const size = pngSize(Buffer.from(body.images?.[0] ?? "", "base64"));
    check(size?.width === 128 && size?.height === 96, "async: the output holds a 128x96 PNG", size);
    const tampered = await fetch(`${endpoint}${outputPath}`, { headers: { authorization: "AWS4-HMAC-SHA256 Credential=AKIDT2IFAKEEXAMPLE/20200101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00" } });
    check(tampered.status === 403, "s3: a forged signature is refused", tampered.status);
}

finish("all SageMaker SDK checks passed");
