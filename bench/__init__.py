"""Benchmarks for showcase (not tests: they measure, and write results to bench/).

    python -m bench images [--sizes 30,300] [--workers 2]

See bench/README.md; each subcommand lives in its own module (bench/__main__.py lists them).
"""
