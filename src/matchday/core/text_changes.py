"""Profiles' and roles' texts changed: the services that save them say so here, and the
stored text vectors (``matchday.embeddings``, a layer above them) listen.

The talent and companies services may not import the layer that computes vectors, so they
call :func:`profile_texts_changed` / :func:`role_texts_changed` explicitly after a write, and
``matchday.embeddings`` registers what to do (enqueue the vector's task after the commit)
when the app is ready. With no listener registered, the calls do nothing.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["listen", "profile_texts_changed", "role_texts_changed"]

Listener = Callable[[str, int], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Call ``listener(kind, pk)`` (kind ``"profile"`` or ``"role"``) on every change."""
    if listener not in _listeners:
        _listeners.append(listener)


def profile_texts_changed(*, profile_id: int) -> None:
    for listener in _listeners:
        listener("profile", profile_id)


def role_texts_changed(*, role_id: int) -> None:
    for listener in _listeners:
        listener("role", role_id)
