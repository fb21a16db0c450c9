// SPDX-License-Identifier: Apache-2.0
// Drives `t2i-fake --protocol hf_endpoint` (a dedicated Inference Endpoint that starts scaled to
// zero) with Hugging Face's official JavaScript client, unchanged, pointed at the endpoint URL the
// way users call a dedicated endpoint (InferenceClient#endpoint), and exits non-zero on any mismatch.
//
//   node hf_endpoint_sdk_check.mjs ENDPOINT_URL [TOKEN]
import { InferenceClient } from "@huggingface/inference";
import { check, finish, pngSize } from "./checks.mjs";

const [endpointUrl, token = "hf_fake"] = process.argv.slice(2);
if (!endpointUrl) {
    console.error("usage: node hf_endpoint_sdk_check.mjs ENDPOINT_URL [TOKEN]");
    process.exit(2);
}

const args = {
    inputs: "a red fox in the snow",
    parameters: { width: 256, height: 192, num_inference_steps: 4, guidance_scale: 3.5, seed: 7 },
};
const client = new InferenceClient(token).endpoint(endpointUrl);

// 1. Scaled to zero, no X-Scale-Up-Timeout, the client's retry off: the proxy answers 503.
try {
    await client.textToImage(args, { retry_on_error: false });
    check(false, "cold endpoint: 503", "answered");
} catch (error) {
    check(error?.httpResponse?.status === 503, "cold endpoint: 503 while a replica starts", error?.message);
}

// 2. X-Scale-Up-Timeout (added by a fetch wrapper, as users do): held until ready, then the image.
{
    const holding = (url, init) => fetch(url, { ...init, headers: { ...init.headers, "X-Scale-Up-Timeout": "600" } });
    const blob = await client.textToImage(args, { fetch: holding, retry_on_error: false });
    check(blob instanceof Blob, "held request: a Blob", typeof blob);
    const size = pngSize(Buffer.from(await blob.arrayBuffer()));
    check(size?.width === 256 && size?.height === 192, "held request: a 256x192 PNG", size);
}

// 3. Warm now: the client's defaults, and a data URL output.
{
    const blob = await client.textToImage(args);
    const size = pngSize(Buffer.from(await blob.arrayBuffer()));
    check(size?.width === 256 && size?.height === 192, "warm: a 256x192 PNG", size);
    const dataUrl = await client.textToImage(args, { outputType: "dataUrl" });
    // The client labels every data URL image/jpeg, whatever the bytes are; the bytes are ours.
    const comma = typeof dataUrl === "string" ? dataUrl.indexOf(",") : -1;
    const decoded = comma > 0 ? pngSize(Buffer.from(dataUrl.slice(comma + 1), "base64")) : null;
    check(dataUrl.startsWith("data:image/") && decoded?.width === 256, "dataUrl output: the PNG as a data URL", dataUrl?.slice(0, 40));
}

// 4. Errors come back as the client's ProviderApiError with the HTTP status and the server's message.
try {
    await new InferenceClient("hf_wrong").endpoint(endpointUrl).textToImage(args);
    check(false, "wrong token: rejected", "accepted");
} catch (error) {
    check(error?.httpResponse?.status === 401, "wrong token: 401", error?.message);
    check(!JSON.stringify(error?.httpRequest ?? {}).includes("hf_wrong"), "wrong token: redacted by the client", error?.httpRequest);
}
try {
    await client.textToImage({ inputs: "x", parameters: { width: "wide" } });
    check(false, "bad parameters: rejected", "accepted");
} catch (error) {
    check(error?.httpResponse?.status === 422, "bad parameters: 422", error?.message);
    check(/must be integers/.test(error?.message ?? ""), "bad parameters: the server's message", error?.message);
}

finish("all Hugging Face inference client checks passed");
