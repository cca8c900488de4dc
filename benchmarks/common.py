"""What every benchmark module returns: figures with the baseline measured in the same run."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value: float  # what we measured (unit below)
    baseline: float  # the reference measured in the same run, same unit
    unit: str = "ms"
    max_ratio: float | None = None  # target as a ratio to the baseline
    max_value: float | None = None  # target as an absolute value
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")

    @property
    def ok(self) -> bool:
        if self.max_ratio is not None and self.ratio > self.max_ratio:
            return False
        return not (self.max_value is not None and self.value > self.max_value)


def median(values: list[float]) -> float:
    return statistics.median(values)
