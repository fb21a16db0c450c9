-- wrk: the same request bench_engine sends (RunPod /runsync with a small image), so both
-- clients load the emulator identically.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench"
wrk.body = '{"input":{"prompt":"a benchmark","width":64,"height":64,"num_inference_steps":30,"guidance_scale":7.5,"seed":42,"num_images":1,"precision":"fp16"}}'
