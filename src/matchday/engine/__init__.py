"""The matching engine: taxonomy, text encoder, scoring, allocation, fairness.

Plain Python + numpy/scipy. This package never imports Django; the web app talks to it
only through ``matchday.matchdays.adapters``.
"""

ENGINE_VERSION = "0.4.0"

__all__ = ["ENGINE_VERSION"]
