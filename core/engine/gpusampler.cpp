// SPDX-License-Identifier: Apache-2.0
#include "gpusampler.h"

#include "util/childprocess.h"

#include <cstdlib>
#include <sstream>

namespace t2i {
namespace {

std::string trimmed(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

// A number, or unknown for nvidia-smi's "[N/A]" / "[Not Supported]"; false for anything else.
bool readField(const std::string& field, std::optional<double>& out)
{
    const std::string text = trimmed(field);
    if (text.starts_with('[') && text.ends_with(']'))
        return true;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size())
        return false;
    out = value;
    return true;
}

} // namespace

std::string GpuSampler::program()
{
    if (const char* path = std::getenv("T2IBENCH_NVIDIA_SMI"); path && *path)
        return path;
    return findExecutable("nvidia-smi");
}

std::optional<GpuSample> GpuSampler::parseLine(const std::string& line, double tMs)
{
    std::vector<std::string> fields;
    std::istringstream in(line);
    for (std::string field; std::getline(in, field, ',');)
        fields.push_back(field);
    if (fields.size() != 4)
        return std::nullopt;
    GpuSample sample;
    sample.tMs = tMs;
    std::optional<double> index;
    if (!readField(fields[0], index) || !index || *index < 0 || *index != double(int(*index)))
        return std::nullopt;
    sample.gpu = int(*index);
    if (!readField(fields[1], sample.utilizationPct) || !readField(fields[2], sample.memoryUsedMiB)
        || !readField(fields[3], sample.memoryTotalMiB))
        return std::nullopt;
    return sample;
}

GpuSampler::GpuSampler(Sink sink, std::chrono::milliseconds interval)
    : m_sink(std::move(sink))
{
    const std::string smi = program();
    if (smi.empty())
        return;
    std::string error;
    ChildOptions options;
    options.stderrToStdout = true; // its complaints are read (and ignored) here, never shown
    auto process = ChildProcess::start({ smi, "--query-gpu=index,utilization.gpu,memory.used,memory.total",
                                           "--format=csv,noheader,nounits", "-lms", std::to_string(interval.count()) },
        {}, &error, options);
    if (!process)
        return;
    m_thread = std::thread([this, child = std::move(*process)]() mutable {
        while (!m_stop) {
            const auto line = child.readLine(std::chrono::milliseconds(100));
            if (!line) {
                if (child.exited())
                    break; // no driver, no GPU, or it ended: nothing more to read
                continue;
            }
            if (const auto sample = parseLine(*line, 0))
                deliver(*sample, Clock::now());
        }
        child.stop(std::chrono::milliseconds(2000));
    });
}

GpuSampler::~GpuSampler()
{
    stop();
}

void GpuSampler::setOrigin(Clock::time_point origin)
{
    // The sink is called under the lock, from here or the sampler's thread, never from both at
    // once, and held samples reach it before any later one.
    std::lock_guard lock(m_mutex);
    m_origin = origin;
    for (auto& [sample, at] : m_held) {
        sample.tMs = std::chrono::duration<double, std::milli>(at - origin).count();
        m_sink(sample);
    }
    m_held.clear();
}

void GpuSampler::deliver(const GpuSample& sample, Clock::time_point at)
{
    std::lock_guard lock(m_mutex);
    if (!m_origin) {
        m_held.emplace_back(sample, at);
        return;
    }
    GpuSample timed = sample;
    timed.tMs = std::chrono::duration<double, std::milli>(at - *m_origin).count();
    m_sink(timed);
}

void GpuSampler::stop()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}

} // namespace t2i
