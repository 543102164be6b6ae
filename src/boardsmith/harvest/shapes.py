"""Answers that depend only on a value's shape, worked out once per shape.

A board lists thousands of items, and a history thousands of sightings, in a handful
of shapes (their keys and the types of their values). A check whose verdict follows
from the shape alone (is every field of the models' type? which field is wrong?) is
then asked once per shape, and the shape is read by a few calls in C.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["ShapeAnswers"]

T = TypeVar("T")
A = TypeVar("A")

#: Shapes kept at most: a bound for a long ``watch`` of odd boards.
MAX_SHAPES = 1024


class ShapeAnswers(Generic[T]):
    """``answer(value)`` kept per shape; all forgotten at once past :data:`MAX_SHAPES`."""

    def __init__(self, size: int = MAX_SHAPES) -> None:
        self._answers: dict[Hashable, T] = {}
        self._size = size

    def get(self, shape: Hashable, answer: Callable[[A], T], value: A) -> T:
        """The answer for ``shape``: ``answer(value)`` the first time it is asked."""
        try:
            return self._answers[shape]
        except KeyError:
            pass
        found = answer(value)
        if len(self._answers) >= self._size:
            self._answers.clear()
        self._answers[shape] = found
        return found
