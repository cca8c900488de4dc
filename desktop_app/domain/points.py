"""Member tiers derived from a points balance, with thresholds a dealer can configure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# Keys are stored and printed in English; the UI translates the labels (银卡, 金卡, 白金卡).
TIERS = ("none", "silver", "gold", "platinum")
TIER_RANK = {key: i for i, key in enumerate(TIERS)}
SETTING_KEY = "tiers"


@dataclass(frozen=True, slots=True)
class TierThresholds:
    """Lowest balance of each tier; below `silver` a person has no tier ("none")."""

    silver: int = 500
    gold: int = 2000
    platinum: int = 5000

    def __post_init__(self) -> None:
        if not (0 <= self.silver < self.gold < self.platinum):
            raise ValueError("tier thresholds must rise: 0 ≤ silver < gold < platinum")

    def tier_for(self, balance: int) -> str:
        if balance >= self.platinum:
            return "platinum"
        if balance >= self.gold:
            return "gold"
        if balance >= self.silver:
            return "silver"
        return "none"

    def to_json(self) -> dict[str, int]:
        return {"silver": self.silver, "gold": self.gold, "platinum": self.platinum}

    @classmethod
    def from_json(cls, value: object) -> TierThresholds:
        """Thresholds from the settings row; the defaults for anything missing or broken."""
        if not isinstance(value, Mapping):
            return cls()
        default = cls()
        try:
            return cls(
                int(value.get("silver", default.silver)),
                int(value.get("gold", default.gold)),
                int(value.get("platinum", default.platinum)),
            )
        except (TypeError, ValueError):
            return default


DEFAULT_THRESHOLDS = TierThresholds()


def tier_for(balance: int, thresholds: TierThresholds = DEFAULT_THRESHOLDS) -> str:
    """The tier key ("none", "silver", "gold", "platinum") for a points balance."""
    return thresholds.tier_for(balance)
