// SPDX-License-Identifier: Apache-2.0
// What every *_sdk_check.mjs shares: a check that prints ok/FAIL and counts failures, the end
// of a script (exit 1 on any failure), and a PNG's size from its IHDR.

let failures = 0;

export function check(condition, what, value) {
    if (condition) {
        console.log(`ok   ${what}`);
        return;
    }
    failures++;
    console.error(`FAIL ${what}: ${JSON.stringify(value)?.slice(0, 400)}`);
}

// Ends the script: exit 1 naming how many checks failed, else prints the verdict.
export function finish(verdict) {
    if (failures > 0) {
        console.error(`${failures} check(s) failed`);
        process.exit(1);
    }
    console.log(verdict);
}

// Reads a PNG's IHDR width and height after checking its signature; null if it is not a PNG.
export function pngSize(bytes) {
    const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) || bytes.toString("ascii", 12, 16) !== "IHDR")
        return null;
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
