-- wrk: a RunPod status poll of a job that stays IN_PROGRESS (the endpoint's path names it), the
-- request bench_engine --poll repeats for each of its jobs.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer bench"
