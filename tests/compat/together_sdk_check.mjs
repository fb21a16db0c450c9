// SPDX-License-Identifier: Apache-2.0
// Drives `t2i-fake --protocol together` (tests/fakes/togetherfake.*) with Together's official
// JavaScript SDK, unchanged, and exits non-zero on any mismatch between what the SDK sends or
// expects and what the fake does.
//
//   node together_sdk_check.mjs BASE_URL [API_KEY]
//   e.g. node together_sdk_check.mjs http://127.0.0.1:8000 tg-fake-key
import Together from "together-ai";
import { check, finish, pngSize } from "./checks.mjs";

const [base, apiKey = "tg-fake-key"] = process.argv.slice(2);
if (!base) {
    console.error("usage: node together_sdk_check.mjs BASE_URL [API_KEY]");
    process.exit(2);
}
const baseURL = `${base.replace(/\/+$/, "")}/v1`;

// No SDK retries: a retried error would hide what the fake answered first.
const client = new Together({ apiKey, baseURL, maxRetries: 0, timeout: 60000 });
const model = "black-forest-labs/FLUX.1-schnell";

// 1. response_format base64: data[].b64_json, typed and indexed.
{
    const result = await client.images.generate({
        model, prompt: "a red fox in the snow", width: 256, height: 192, steps: 4, n: 2, seed: 7, response_format: "base64",
    });
    check(result.object === "list", "object is list", result.object);
    check(typeof result.id === "string" && result.id.length > 0, "id is a string", result.id);
    check(result.model === model, "model echoed", result.model);
    check(Array.isArray(result.data) && result.data.length === 2, "base64: two images", result.data?.length);
    for (const [i, image] of (result.data ?? []).entries()) {
        check(image.index === i && image.type === "b64_json", `base64: image ${i} index and type`, { index: image.index, type: image.type });
        const size = pngSize(Buffer.from(image.b64_json ?? "", "base64"));
        check(size?.width === 256 && size?.height === 192, `base64: image ${i} is a 256x192 PNG`, size);
    }
}

// 2. response_format url (Together's default): a URL the fake serves itself.
{
    const result = await client.images.generate({ model, prompt: "a lighthouse at dusk", width: 320, height: 240, response_format: "url" });
    const url = result.data?.[0]?.url;
    check(result.data?.[0]?.type === "url", "url: type url", result.data?.[0]?.type);
    check(typeof url === "string" && url.startsWith("http://127.0.0.1:"), "url: an http URL", url);
    if (typeof url === "string") {
        const download = await fetch(url);
        check(download.status === 200, "url: download answers 200", download.status);
        const size = pngSize(Buffer.from(await download.arrayBuffer()));
        check(size?.width === 320 && size?.height === 240, "url: a 320x240 PNG", size);
    }
}

// 3. Errors come back as the SDK's typed errors.
try {
    await client.images.generate({ model, prompt: "x", width: 10, height: 64 });
    check(false, "bad width: rejected", "accepted");
} catch (error) {
    check(error instanceof Together.BadRequestError, "bad width: BadRequestError", error?.constructor?.name);
    check(error.status === 400, "bad width: status 400", error.status);
}
try {
    await new Together({ apiKey: "wrong-key", baseURL, maxRetries: 0 }).images.generate({ model, prompt: "x" });
    check(false, "wrong key: rejected", "accepted");
} catch (error) {
    check(error instanceof Together.AuthenticationError, "wrong key: AuthenticationError", error?.constructor?.name);
    check(error.status === 401, "wrong key: status 401", error.status);
}

finish("all Together SDK checks passed");
