"""Demo organisations, for trying qzdesk and for screenshots, tests and benchmarks."""
