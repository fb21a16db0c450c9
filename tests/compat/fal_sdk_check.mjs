// SPDX-License-Identifier: Apache-2.0
// Drives `t2ibench-emulator --protocol fal` with fal's official JavaScript client (@fal-ai/client),
// unchanged, and exits non-zero on any mismatch between what the client sends or expects and what
// the emulator does.
//
//   node fal_sdk_check.mjs BASE_URL [FAL_KEY]
//   e.g. node fal_sdk_check.mjs http://127.0.0.1:8000 compat-key
//
// The client has no base-URL option: it always builds https://queue.fal.run/... and
// https://fal.run/... (request.js buildUrl). Its documented `requestMiddleware` hook sees every
// request before it is sent, so the check rewrites those two hosts to the emulator there:
// queue.fal.run -> BASE_URL (the queue API at the root), fal.run -> BASE_URL/sync (the sync route).
// (`proxyUrl` is no alternative: it sends everything to one URL with the real target in an
// x-fal-target-url header, for a proxy to forward.)
import { ApiError, createFalClient, ValidationError } from "@fal-ai/client";
import { check, finish, pngSize } from "./checks.mjs";

const [baseUrl, credentials = "compat-key"] = process.argv.slice(2);
if (!baseUrl) {
    console.error("usage: node fal_sdk_check.mjs BASE_URL [FAL_KEY]");
    process.exit(2);
}

function toEmulator(request) {
    const url = new URL(request.url);
    const root = url.hostname === "queue.fal.run" ? baseUrl : url.hostname === "fal.run" ? `${baseUrl}/sync` : null;
    return root ? { ...request, url: root + url.pathname + url.search } : request;
}

const client = (key) => createFalClient({ credentials: key, requestMiddleware: async (request) => toEmulator(request) });
const fal = client(credentials);
const app = "fal-ai/fast-sdxl";
const input = { prompt: "a red fox in the snow", image_size: { width: 256, height: 192 }, num_inference_steps: 4, seed: 7 };

async function checkImages(data, what, count) {
    check(Array.isArray(data?.images) && data.images.length === count, `${what}: ${count} image(s)`, data?.images);
    check(typeof data?.timings?.inference === "number", `${what}: timings.inference in seconds`, data?.timings);
    const image = data?.images?.[0];
    check(image?.width === 256 && image?.height === 192, `${what}: width and height`, image);
    if (typeof image?.url === "string") {
        const size = pngSize(Buffer.from(await (await fetch(image.url)).arrayBuffer()));
        check(size?.width === 256 && size?.height === 192, `${what}: images[0].url is a 256x192 PNG`, size);
    }
}

// 1. queue.submit, queue.status, queue.result by hand.
{
    const submitted = await fal.queue.submit(app, { input });
    check(typeof submitted.request_id === "string", "submit: request_id", submitted);
    check(submitted.status === "IN_QUEUE", "submit: status IN_QUEUE", submitted.status);
    let status = await fal.queue.status(app, { requestId: submitted.request_id });
    check(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"].includes(status.status), "status: a known status", status);
    for (let i = 0; i < 600 && status.status !== "COMPLETED"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = await fal.queue.status(app, { requestId: submitted.request_id });
    }
    check(status.status === "COMPLETED", "status: COMPLETED", status.status);
    check(typeof status.metrics?.inference_time === "number", "status: metrics.inference_time", status.metrics);
    const result = await fal.queue.result(app, { requestId: submitted.request_id });
    check(result.requestId === submitted.request_id, "result: requestId", result.requestId);
    await checkImages(result.data, "result", 1);
}

// 2. subscribe: submit and poll until done, with queue updates, two images.
{
    const updates = [];
    const result = await fal.subscribe(app, {
        input: { ...input, num_images: 2 },
        pollInterval: 100,
        onQueueUpdate: (update) => updates.push(update.status),
    });
    check(updates.at(-1) === "COMPLETED", "subscribe: queue updates end COMPLETED", updates);
    await checkImages(result.data, "subscribe", 2);
}

// 3. run: the synchronous fal.run route.
{
    const result = await fal.run(app, { input });
    await checkImages(result.data, "run (sync)", 1);
}

// 4. cancel a queued or running request.
{
    const long = await fal.queue.submit(app, { input: { ...input, image_size: { width: 1024, height: 1024 }, num_inference_steps: 1000 } });
    try {
        await fal.queue.cancel(app, { requestId: long.request_id });
        check(true, "cancel: accepted", null);
    } catch (error) {
        check(false, "cancel: accepted", error?.message);
    }
}

// 5. Errors come back as the client's ApiError / ValidationError with the HTTP status.
try {
    await client("wrong-key").queue.status(app, { requestId: "x" });
    check(false, "wrong key: rejected", "accepted");
} catch (error) {
    check(error instanceof ApiError && error.status === 401, "wrong key: ApiError 401", error?.message);
}
try {
    await fal.queue.submit(app, { input: { image_size: "square" } });
    check(false, "missing prompt: rejected", "accepted");
} catch (error) {
    check(error instanceof ValidationError && error.status === 422, "missing prompt: ValidationError 422", error?.message);
    check(error?.fieldErrors?.some?.((e) => e.loc?.includes("prompt")), "missing prompt: the field is named",
        error?.fieldErrors);
}

finish("all fal client checks passed");
