"""Benchmarks for issue 7: each performance target measured beside its floor in one run.

Run ``python -m bench`` (full sizes) or ``python -m bench --quick`` (small sizes, for CI).
"""
