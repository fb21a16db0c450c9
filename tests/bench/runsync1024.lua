-- wrk: the same request bench_engine --size 1024 sends (RunPod /runsync with a 1024x1024 image,
-- so an answer of real size), so both clients load the emulator identically.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench"
wrk.body = '{"input":{"prompt":"a benchmark","width":1024,"height":1024,"num_inference_steps":30,"guidance_scale":7.5,"seed":42,"num_images":1,"precision":"fp16"}}'
