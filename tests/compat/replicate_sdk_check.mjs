// SPDX-License-Identifier: Apache-2.0
// Drives `t2ibench-emulator --protocol replicate` with Replicate's official JavaScript SDK, unchanged,
// and exits non-zero on any mismatch between what the SDK sends or expects and what the emulator does.
//
//   node replicate_sdk_check.mjs BASE_URL [API_KEY]
//   e.g. node replicate_sdk_check.mjs http://127.0.0.1:8000/v1 compat-key
import Replicate from "replicate";
import { check, finish, pngSize } from "./checks.mjs";

const [baseUrl, auth = "compat-key"] = process.argv.slice(2);
if (!baseUrl) {
    console.error("usage: node replicate_sdk_check.mjs BASE_URL [API_KEY]");
    process.exit(2);
}

const replicate = new Replicate({ auth, baseUrl });
const input = { prompt: "a red fox in the snow", width: 256, height: 192, num_outputs: 2 };

// 1. predictions.create on the model route, then wait (polling predictions.get).
{
    const created = await replicate.predictions.create({ model: "acme/sdxl", input });
    check(created.status === "starting", "create: status starting", created.status);
    check(typeof created.urls?.get === "string", "create: urls.get", created.urls);
    const done = await replicate.wait(created, { interval: 100 });
    check(done.status === "succeeded", "wait: succeeded", done.status);
    check(typeof done.metrics?.predict_time === "number", "metrics.predict_time", done.metrics);
    check(Date.parse(done.started_at) >= Date.parse(done.created_at), "started_at after created_at",
        [done.created_at, done.started_at]);
    check(Array.isArray(done.output) && done.output.length === 2, "two outputs", done.output);
    const again = await replicate.predictions.get(created.id);
    check(again.id === created.id && again.status === "succeeded", "predictions.get", again.status);
    if (typeof done.output?.[0] === "string") {
        const download = await fetch(done.output[0]);
        const size = pngSize(Buffer.from(await download.arrayBuffer()));
        check(size?.width === 256 && size?.height === 192, "output 0 is a 256x192 PNG", size);
    }
}

// 2. replicate.run: Prefer: wait (block mode), then its output.
{
    const output = await replicate.run("acme/sdxl", { input: { ...input, num_outputs: 1 } });
    check(Array.isArray(output) && output.length === 1, "run: one output", output);
    // The SDK wraps only https: and data: URLs in FileOutput; the emulator's http: URLs stay strings.
    if (Array.isArray(output) && output[0]) {
        const bytes = typeof output[0] === "string" ? await (await fetch(output[0])).arrayBuffer()
                                                    : await (await output[0].blob()).arrayBuffer();
        const size = pngSize(Buffer.from(bytes));
        check(size?.width === 256 && size?.height === 192, "run: output is a 256x192 PNG", size);
    }
}

// 3. version route, then cancel.
{
    const created = await replicate.predictions.create({ version: "acme/sdxl:5c7d5dc6", input });
    check(created.version === "5c7d5dc6", "version route: version", created.version);
    const canceled = await replicate.predictions.cancel(created.id);
    check(canceled.status === "canceled" || canceled.status === "succeeded", "cancel: canceled", canceled.status);
}

// 4. Errors come back as the SDK's ApiError with the HTTP status.
try {
    await new Replicate({ auth: "wrong-key", baseUrl }).predictions.get("x");
    check(false, "wrong key: rejected", "accepted");
} catch (error) {
    check(error?.response?.status === 401, "wrong key: 401", error?.message);
}
try {
    await replicate.predictions.get("no-such-prediction");
    check(false, "unknown id: rejected", "accepted");
} catch (error) {
    check(error?.response?.status === 404, "unknown id: 404", error?.message);
}

finish("all Replicate SDK checks passed");
