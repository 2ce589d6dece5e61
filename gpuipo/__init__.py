"""Shared code of the China GPU IPO report: data loading, computations, charts."""
