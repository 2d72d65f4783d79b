"""Partner Atlas benchmark: `python -m benchmarks.run` (see benchmarks/run.py and RESULTS.md)."""
