"""Vaardig: an open-source skills engine for Dutch small and medium-sized firms."""

__version__ = "0.1.0"
