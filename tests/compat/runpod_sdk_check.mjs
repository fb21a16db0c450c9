// SPDX-License-Identifier: Apache-2.0
// Drives t2ibench-emulator with RunPod's official JavaScript SDK, unchanged, and exits non-zero on
// any mismatch between what the SDK sends or expects and what the emulator does.
//
//   node runpod_sdk_check.mjs BASE_URL [API_KEY] [ENDPOINT_ID]
//   e.g. node runpod_sdk_check.mjs http://127.0.0.1:8000/v2 compat-key emulated
import runpodSdk from "runpod-sdk";
import { check, finish } from "./checks.mjs";

const [baseUrl, apiKey = "compat-key", endpointId = "emulated"] = process.argv.slice(2);
if (!baseUrl) {
    console.error("usage: node runpod_sdk_check.mjs BASE_URL [API_KEY] [ENDPOINT_ID]");
    process.exit(2);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const terminal = ["COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"];
const known = ["IN_QUEUE", "IN_PROGRESS", ...terminal];

// Decodes a data-URI PNG and reads IHDR's width and height.
function pngSize(dataUri) {
    const prefix = "data:image/png;base64,";
    if (typeof dataUri !== "string" || !dataUri.startsWith(prefix)) return null;
    const bytes = Buffer.from(dataUri.slice(prefix.length), "base64");
    const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    if (!bytes.subarray(0, 8).equals(signature) || bytes.toString("ascii", 12, 16) !== "IHDR") return null;
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function checkCompleted(result, what, width, height) {
    check(result.status === "COMPLETED", `${what}: status COMPLETED`, result);
    check(Number.isInteger(result.delayTime) && result.delayTime >= 0, `${what}: integer delayTime`, result.delayTime);
    check(Number.isInteger(result.executionTime) && result.executionTime >= 0, `${what}: integer executionTime`,
        result.executionTime);
    check(typeof result.workerId === "string" && result.workerId.length > 0, `${what}: workerId`, result.workerId);
    const output = result.output ?? {};
    const size = pngSize(output.image_url);
    check(size && size.width === width && size.height === height, `${what}: output.image_url is a ${width}x${height} PNG`,
        size);
    check(Array.isArray(output.images) && output.images.length === 1 && output.images[0] === output.image_url,
        `${what}: output.images`, output.images?.length);
}

const input = { input: { prompt: "a red fox", width: 64, height: 48, num_inference_steps: 4, seed: 7 } };
const endpoint = runpodSdk(apiKey, { baseUrl }).endpoint(endpointId);

// run + status
const run = await endpoint.run(input);
check(typeof run.id === "string" && run.id.endsWith("-u1"), "run: id like <uuid>-u1", run);
check(run.status === "IN_QUEUE", "run: status IN_QUEUE", run);
let status = await endpoint.status(run.id);
check(known.includes(status.status) && status.started === true, "status: a known status", status);
for (let i = 0; i < 600 && !status.completed; i++) {
    await sleep(100);
    status = await endpoint.status(run.id);
}
check(status.completed === true && status.succeeded === true, "status: completed and succeeded", status.status);
checkCompleted(status, "status", 64, 48);
check(status.output?.seed === 7, "status: output.seed echoes the input seed", status.output?.seed);

// runSync: /runsync?wait=..., then /status-sync polling until done
const sync = await endpoint.runSync(input, 60000);
check(typeof sync.id === "string" && sync.id.startsWith("sync-"), "runSync: id starts with sync-", sync.id);
check(sync.completed === true && sync.succeeded === true, "runSync: completed and succeeded", sync.status);
checkCompleted(sync, "runSync", 64, 48);

// runSync with a 1 s budget on a long job comes back unfinished through /status-sync.
const longInput = { input: { prompt: "slow", width: 1024, height: 1024, num_inference_steps: 1000 } };
const unfinished = await endpoint.runSync(longInput, 1000);
check(known.includes(unfinished.status) && unfinished.id?.startsWith("sync-"), "runSync (1 s): a status object",
    unfinished);
check(unfinished.completed === false, "runSync (1 s): not completed", unfinished.status);

// cancel
const toCancel = await endpoint.run(longInput);
const cancelled = await endpoint.cancel(toCancel.id);
check(cancelled.id === toCancel.id && cancelled.status === "CANCELLED", "cancel: CANCELLED", cancelled);
const afterCancel = await endpoint.status(toCancel.id);
check(afterCancel.status === "CANCELLED" && afterCancel.completed === true, "status after cancel: CANCELLED",
    afterCancel.status);
await endpoint.cancel(unfinished.id);

// health
const health = await endpoint.health();
for (const key of ["completed", "failed", "inProgress", "inQueue", "retried"])
    check(Number.isInteger(health.jobs?.[key]), `health: jobs.${key}`, health.jobs);
for (const key of ["idle", "initializing", "ready", "running", "throttled", "unhealthy"])
    check(Number.isInteger(health.workers?.[key]), `health: workers.${key}`, health.workers);
check(health.jobs.completed >= 2, "health: jobs.completed counts the finished jobs", health.jobs);

// purge-queue
const purged = await endpoint.purgeQueue();
check(Number.isInteger(purged.removed) && purged.status === "completed", "purgeQueue: {removed, status}", purged);

// a wrong key is refused with 401
try {
    const result = await runpodSdk(apiKey + "-wrong", { baseUrl }).endpoint(endpointId).health();
    check(false, "wrong key: refused", result);
} catch (error) {
    check(error?.response?.status === 401, "wrong key: HTTP 401", error?.response?.status ?? String(error));
}

finish("the RunPod JavaScript SDK works against the emulator unchanged");
