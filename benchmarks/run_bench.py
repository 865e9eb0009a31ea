"""Run the throughput benchmark without the CLI: ``python benchmarks/run_bench.py --limit 300``.

A thin wrapper over ``newsevents.evaluate.bench.main`` (the same as ``newsevents bench``); see README.md.
"""
import sys

from newsevents.evaluate.bench import main

if __name__ == "__main__":
    sys.exit(main())
