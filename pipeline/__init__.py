"""claimcheck: check claims in online health articles."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["load", "ClaimChecker", "__version__"]


def load(model=None, **kwargs):
    """A ready :class:`~pipeline.checker.ClaimChecker` (see :func:`pipeline.checker.load`)."""
    from pipeline.checker import load as _load

    return _load(model, **kwargs)


def __getattr__(name):
    if name == "ClaimChecker":
        from pipeline.checker import ClaimChecker

        return ClaimChecker
    raise AttributeError(name)
