// SPDX-License-Identifier: Apache-2.0
// t2i-fuzz: a fuzzing campaign longer than the ctest's (tests/fuzz/run-campaign runs it).
//   t2i-fuzz --seconds N [--setup NAME | --config | --all] [--seed FIRST] [--keep-going]
// Every adapter setup and the configuration loader share the time; each finding is printed with
// its seed (replay it with T2I_FUZZ_SETUP=NAME T2I_FUZZ_SEED=S tst_adapterfuzz replayOneSeed).
// Exit status: 0 without findings, 1 with, 2 on bad usage.
#include "answerfuzzer.h"
#include "configfuzzer.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

using namespace t2ifuzz;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv); // some fakes use Qt types
    double seconds = 60;
    std::uint64_t first = 1;
    std::string only;
    bool configOnly = false;
    bool adaptersOnly = false;
    bool keepGoing = false;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "t2i-fuzz: " << flag << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (flag == "--seconds")
            seconds = std::atof(value().c_str());
        else if (flag == "--seed")
            first = std::strtoull(value().c_str(), nullptr, 10);
        else if (flag == "--setup")
            only = value();
        else if (flag == "--config")
            configOnly = true;
        else if (flag == "--adapters")
            adaptersOnly = true;
        else if (flag == "--keep-going")
            keepGoing = true;
        else if (flag == "--list") {
            for (const Setup& s : setups())
                std::cout << s.name << '\n';
            return 0;
        } else {
            std::cerr << "usage: t2i-fuzz --seconds N [--setup NAME | --config | --adapters] [--seed FIRST] "
                         "[--keep-going] | --list\n";
            return 2;
        }
    }
    std::vector<const Setup*> chosen;
    if (!configOnly)
        for (const Setup& s : setups())
            if (only.empty() || s.name == only)
                chosen.push_back(&s);
    if (!only.empty() && chosen.empty()) {
        std::cerr << "t2i-fuzz: no setup named \"" << only << "\" (see --list)\n";
        return 2;
    }
    const bool withConfig = only.empty() && !adaptersOnly;
    const double share = seconds / double(chosen.size() + (withConfig ? 1 : 0));
    Stats total;
    std::size_t findings = 0;
    for (const Setup* s : chosen) {
        const CampaignResult r = runCampaign(*s, first, share, ~std::uint64_t(0), keepGoing);
        total.add(r.stats);
        findings += r.findings.size();
        std::printf(
            "%-32s %9llu jobs %10llu answers %8llu done %8llu failed %6llu polling %8llu probes %6.1f s %zu findings\n",
            s->name.c_str(), static_cast<unsigned long long>(r.stats.jobs),
            static_cast<unsigned long long>(r.stats.answers), static_cast<unsigned long long>(r.stats.done),
            static_cast<unsigned long long>(r.stats.failed), static_cast<unsigned long long>(r.stats.unfinished),
            static_cast<unsigned long long>(r.stats.probes), r.seconds, r.findings.size());
        for (const Finding& f : r.findings)
            std::printf("FINDING %s\n", f.describe().c_str());
        std::fflush(stdout);
    }
    if (withConfig) {
        const CampaignResult r = runConfigCampaign(first, share, ~std::uint64_t(0), keepGoing);
        total.add(r.stats);
        findings += r.findings.size();
        std::printf("%-32s %9llu configurations %6.1f s %zu findings\n", "config",
            static_cast<unsigned long long>(r.stats.jobs), r.seconds, r.findings.size());
        for (const Finding& f : r.findings)
            std::printf("FINDING %s\n", f.describe().c_str());
    }
    std::printf("total: %llu jobs/configurations, %llu answers, %zu findings\n",
        static_cast<unsigned long long>(total.jobs), static_cast<unsigned long long>(total.answers), findings);
    return findings == 0 ? 0 : 1;
}
