"""The report every import returns: how many rows were read, the ONE bucket each row
landed in, and the problems (DESIGN.md's import report; docs/people-import.md says it
for users).

Buckets: created, updated, unchanged (the first row of a person, participant, answer…
by what happened to it), duplicates (a row that repeats an earlier one: it names that
row), the importer's own (an additional car of a person already in the file, a rejoin of
a participant, staff left out, …; a bucket of rows that add to an earlier row names it
too) and rejected. Every row read lands in exactly one, so the buckets add up to `rows`.

`Tally` is filled while importing (`put` a row in a bucket, `reject`, `warn`); `counts`
freezes it into `RowCounts`, which every importer's report carries and whose
`to_json()` gives the shape scripts rely on:

    {"rows", "created", "updated", "unchanged", "duplicates", <own buckets>,
     "rejected": [{row, field, value, reason, code}], "warnings": [same],
     "buckets": {every bucket: count, "rejected" included},
     "duplicate_rows": [{"row", "same_as"}], "<bucket>_rows": [{"row", "adds_to"}]}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop_app.domain.messages import current_language, text
from desktop_app.domain.problems import RowProblem

CORE = ("created", "updated", "unchanged", "duplicates")
REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Link:
    """Row `row` repeats (duplicates) or adds to (other buckets) row `of`."""

    row: int
    of: int


@dataclass(frozen=True, slots=True)
class RowCounts:
    """Rows read, the size of each bucket (in report order, rejected last), the rows a
    duplicate or addition points to, and the problems (rejections and warnings)."""

    rows: int
    buckets: Mapping[str, int]
    rejected: tuple[RowProblem, ...] = ()
    warnings: tuple[RowProblem, ...] = ()
    links: Mapping[str, tuple[Link, ...]] = field(default_factory=dict)
    linking: tuple[str, ...] = ("duplicates",)  # buckets whose rows name an earlier row

    def __getitem__(self, bucket: str) -> int:
        return self.buckets.get(bucket, 0)

    @property
    def adds_up(self) -> bool:
        """Every row read is in exactly one bucket."""
        return sum(self.buckets.values()) == self.rows

    def linked(self, bucket: str) -> tuple[tuple[int, int], ...]:
        """(row, the row it repeats or adds to) of a bucket."""
        return tuple((link.row, link.of) for link in self.links.get(bucket, ()))

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"rows": self.rows}
        out |= {b: n for b, n in self.buckets.items() if b != REJECTED}
        out[REJECTED] = [p.to_json(lang) for p in self.rejected]
        out["warnings"] = [p.to_json(lang) for p in self.warnings]
        out["buckets"] = dict(self.buckets)
        for bucket in self.linking:
            links = self.links.get(bucket, ())
            if bucket == "duplicates":
                out["duplicate_rows"] = [{"row": x.row, "same_as": x.of} for x in links]
            else:
                out[f"{bucket}_rows"] = [{"row": x.row, "adds_to": x.of} for x in links]
        return out


def bucket_order(extra: Iterable[str] = ()) -> tuple[str, ...]:
    return (*CORE, *extra, REJECTED)


class Tally:
    """Where each row read went, while importing: one bucket per row, never two."""

    def __init__(self, *extra: str, linking: tuple[str, ...] = ()) -> None:
        """`extra`: the importer's own buckets; `linking`: those of them whose rows name
        the row they add to (duplicates always name the row they repeat)."""
        self.order = bucket_order(extra)
        self.linking = ("duplicates", *linking)
        self._bucket: dict[int, str] = {}
        self._of: dict[int, int] = {}
        self._counted: Counter[str] = Counter()  # rows without a number (pack rows)
        self.rejected: list[RowProblem] = []
        self.warnings: list[RowProblem] = []

    def put(self, row: int, bucket: str, of: int | None = None) -> None:
        """Row `row` lands in `bucket` (repeating / adding to row `of`)."""
        if bucket not in self.order:
            raise ValueError(f"no bucket {bucket!r} (buckets: {', '.join(self.order)})")
        if row in self._bucket:
            raise AssertionError(f"row {row} is in {self._bucket[row]!r}; not also in {bucket!r}")
        self._bucket[row] = bucket
        if of is not None:
            self._of[row] = of

    def count(self, bucket: str, n: int = 1) -> None:
        """`n` rows without row numbers (an event pack's database rows) land in `bucket`."""
        if bucket not in self.order:
            raise ValueError(f"no bucket {bucket!r} (buckets: {', '.join(self.order)})")
        self._counted[bucket] += n

    def reject(self, problem: RowProblem) -> None:
        """The row is rejected, for this reason (one problem per rejected row)."""
        if problem.row is None:
            self.count(REJECTED)
        else:
            self.put(problem.row, REJECTED)
        self.rejected.append(problem)

    def warn(self, *problems: RowProblem) -> None:
        self.warnings.extend(problems)

    def bucket_of(self, row: int) -> str | None:
        return self._bucket.get(row)

    def linked_to(self, row: int) -> int | None:
        """The row that `row` repeats or adds to, if it does."""
        return self._of.get(row)

    def placed(self) -> int:
        return len(self._bucket) + sum(self._counted.values())

    def counts(self, rows: int) -> RowCounts:
        sizes = Counter(self._bucket.values()) + self._counted
        links: dict[str, list[Link]] = {}
        for row in sorted(self._of):
            links.setdefault(self._bucket[row], []).append(Link(row, self._of[row]))
        return RowCounts(
            rows=rows,
            buckets={b: sizes.get(b, 0) for b in self.order},
            rejected=tuple(sorted(self.rejected, key=_row_order)),
            warnings=tuple(sorted(self.warnings, key=_row_order)),
            links={b: tuple(v) for b, v in links.items()},
            linking=self.linking,
        )


def _row_order(p: RowProblem) -> int:
    return p.row if p.row is not None else 0


def dry_run_head(dry_run: bool, lang: str | None = None) -> str:
    """What a dry run's report starts with (nothing when the import was saved)."""
    return text("report_dry_run", lang) if dry_run else ""


def human_lines(counts: RowCounts, lang: str | None = None) -> list[str]:
    """The report as the CLI prints it: rows and every bucket on one line, then each
    rejected row and each warning with its reason (in `lang`)."""
    sizes = [text("bucket_rows", lang, n=counts.rows)]
    sizes += [text(f"bucket_{b}", lang, n=n) for b, n in counts.buckets.items()]
    sizes.append(text("bucket_warnings", lang, n=len(counts.warnings)))
    lines = [("，" if (lang or current_language()) == "zh" else ", ").join(sizes)]
    for p in counts.rejected:
        lines.append("  " + text("report_rejected_row", lang, row=p.row, reason=p.localized(lang)))
    for p in counts.warnings:
        code = "report_warning_file" if p.row is None else "report_warning_row"
        lines.append("  " + text(code, lang, row=p.row, reason=p.localized(lang)))
    return lines


class Counted:
    """What every import report offers from its `counts` (mixed into the reports)."""

    __slots__ = ()
    counts: RowCounts

    @property
    def rows(self) -> int:
        return self.counts.rows

    @property
    def created(self) -> int:
        return self.counts["created"]

    @property
    def updated(self) -> int:
        return self.counts["updated"]

    @property
    def unchanged(self) -> int:
        return self.counts["unchanged"]

    @property
    def duplicates(self) -> int:
        return self.counts["duplicates"]

    @property
    def rejected(self) -> tuple[RowProblem, ...]:
        return self.counts.rejected

    @property
    def warnings(self) -> tuple[RowProblem, ...]:
        return self.counts.warnings

    @property
    def duplicate_rows(self) -> tuple[tuple[int, int], ...]:
        """(row, the row it repeats) of every duplicate."""
        return self.counts.linked("duplicates")


__all__ = [
    "CORE",
    "REJECTED",
    "Counted",
    "Link",
    "RowCounts",
    "Tally",
    "bucket_order",
    "dry_run_head",
    "human_lines",
]
