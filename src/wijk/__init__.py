"""Wijkonderneming: software for resident-run community enterprises."""

__version__ = "0.1.0"
