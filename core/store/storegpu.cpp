// SPDX-License-Identifier: Apache-2.0
// The gpu_samples table (schema version 2): what nvidia-smi said about the local GPUs while a
// run was active. Insert and select list the same columns in the same order.
#include "store/store.h"

#include "storeimpl.h"

namespace t2i {

void Store::insertGpuSample(const std::string& runId, const GpuSample& sample)
{
    // About one row per GPU a second: preparing each time costs nothing worth a cached statement.
    auto st = d->db.prepare("INSERT INTO gpu_samples (run_id, t_ms, gpu, utilization_pct, memory_used_mib, "
                            "memory_total_mib) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    st.bind(1, runId);
    st.bind(2, sample.tMs);
    st.bind(3, sample.gpu);
    st.bind(4, sample.utilizationPct);
    st.bind(5, sample.memoryUsedMiB);
    st.bind(6, sample.memoryTotalMiB);
    st.run();
}

std::vector<GpuSample> Store::gpuSamples(const std::string& runId) const
{
    auto st = d->db.prepare("SELECT t_ms, gpu, utilization_pct, memory_used_mib, memory_total_mib FROM gpu_samples "
                            "WHERE run_id = ?1 ORDER BY t_ms, gpu, rowid");
    st.bind(1, runId);
    std::vector<GpuSample> out;
    while (st.step()) {
        GpuSample s;
        s.tMs = st.real(0);
        s.gpu = st.int32(1);
        s.utilizationPct = st.optReal(2);
        s.memoryUsedMiB = st.optReal(3);
        s.memoryTotalMiB = st.optReal(4);
        out.push_back(s);
    }
    return out;
}

} // namespace t2i
