// SPDX-License-Identifier: Apache-2.0
// Drives `t2ibench-emulator --protocol openai` with OpenAI's official JavaScript SDK, unchanged, and
// exits non-zero on any mismatch between what the SDK sends or expects and what the emulator does.
//
//   node openai_sdk_check.mjs BASE_URL [API_KEY]
//   e.g. node openai_sdk_check.mjs http://127.0.0.1:8000/v1 compat-key
import OpenAI from "openai";
import { check, finish, pngSize } from "./checks.mjs";

const [baseURL, apiKey = "compat-key"] = process.argv.slice(2);
if (!baseURL) {
    console.error("usage: node openai_sdk_check.mjs BASE_URL [API_KEY]");
    process.exit(2);
}

// No SDK retries: a retried error would hide what the emulator answered first.
const client = new OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: 60000 });

// 1. GPT image model: b64_json, with the response's headers.
{
    const { data: result, response } = await client.images
        .generate({ model: "gpt-image-1", prompt: "a red fox in the snow", size: "256x192", n: 2 })
        .withResponse();
    check(Array.isArray(result.data) && result.data.length === 2, "b64_json: two images", result.data?.length);
    for (const [i, image] of (result.data ?? []).entries()) {
        const size = pngSize(Buffer.from(image.b64_json ?? "", "base64"));
        check(size?.width === 256 && size?.height === 192, `b64_json: image ${i} is a 256x192 PNG`, size);
    }
    check(Number.isInteger(result.created), "created is an integer", result.created);
    check(result.usage?.total_tokens > 0, "usage.total_tokens", result.usage);
    check(/^req_/.test(response.headers.get("x-request-id") ?? ""), "x-request-id header", response.headers.get("x-request-id"));
    check(/^\d+$/.test(response.headers.get("openai-processing-ms") ?? ""), "openai-processing-ms header",
        response.headers.get("openai-processing-ms"));
}

// 2. dall-e style: response_format url, then the download.
{
    const result = await client.images.generate({
        model: "dall-e-2", prompt: "a lighthouse at dusk", size: "512x512", n: 1, response_format: "url",
    });
    const url = result.data?.[0]?.url;
    check(typeof url === "string" && url.startsWith("http://127.0.0.1:"), "url: an http URL", url);
    if (typeof url === "string") {
        const download = await fetch(url);
        check(download.status === 200, "url: download answers 200", download.status);
        check(download.headers.get("content-type") === "image/png", "url: image/png", download.headers.get("content-type"));
        const size = pngSize(Buffer.from(await download.arrayBuffer()));
        check(size?.width === 512 && size?.height === 512, "url: a 512x512 PNG", size);
    }
}

// 3. Errors come back as the SDK's typed errors.
try {
    await client.images.generate({ model: "gpt-image-1", prompt: "x", size: "12x" });
    check(false, "bad size: rejected", "accepted");
} catch (error) {
    check(error instanceof OpenAI.BadRequestError, "bad size: BadRequestError", error?.constructor?.name);
    check(error.status === 400 && error.param === "size", "bad size: status 400, param size", { status: error.status, param: error.param });
}
try {
    await new OpenAI({ apiKey: "wrong-key", baseURL, maxRetries: 0 }).images.generate({ prompt: "x", size: "64x64" });
    check(false, "wrong key: rejected", "accepted");
} catch (error) {
    check(error instanceof OpenAI.AuthenticationError, "wrong key: AuthenticationError", error?.constructor?.name);
    check(error.code === "invalid_api_key", "wrong key: code invalid_api_key", error.code);
}

finish("all OpenAI SDK checks passed");
