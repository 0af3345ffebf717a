"""Run the benchmark table: python -m benchmarks [--repeat N] [--only a,b] [--json FILE]."""

from benchmarks.table import main

main()
