"""A household as the screener (or a caseworker) describes it; None always means unknown."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge.regions import RegionTree
from knowledge.vocabulary import Category, HousingState, MentalState, SchoolStage, category_of


class Member(BaseModel):
    """One person in the household. No name or ID number is ever asked."""

    model_config = ConfigDict(extra="forbid")

    label: str | None = Field(default=None, max_length=20)  # 小明 / 老大: optional nickname
    age: int | None = Field(default=None, ge=0, le=120)
    school_stage: SchoolStage | Literal["不上学"] | None = None
    boarding: bool | None = None
    new_entrant: bool | None = None
    school: str | None = Field(default=None, max_length=40)
    disability_level: int | None = Field(default=None, ge=0, le=4)  # 0 = no disability
    needs_long_term_care: bool | None = None
    chronic_disease: bool | None = None
    major_illness: bool | None = None
    mental_illness: MentalState | bool | None = None

    @property
    def disabled(self) -> bool | None:
        return None if self.disability_level is None else self.disability_level > 0

    @property
    def mental_care(self) -> str | None:
        """inpatient / home / none, or None when unknown (False is read as none)."""
        if self.mental_illness is False:
            return "none"
        if self.mental_illness is True:
            return None  # ill, but how it is treated decides; still unknown
        return self.mental_illness


class Profile(BaseModel):
    """The household: region, category, area, income, housing, and members."""

    model_config = ConfigDict(extra="forbid")

    region_id: str = Field(pattern=r"^[a-z0-9-]+$", max_length=40)  # regions.yaml id
    area: Literal["rural", "urban"] | None = None
    categories: list[Category] | None = None  # [] = 都不是 (known: none of these)
    income_per_capita_yearly: float | None = Field(default=None, ge=0, le=10_000_000)
    housing: HousingState | None = None
    single_mother: bool | None = None
    relocated: bool | None = None
    members: list[Member] = Field(default_factory=list, max_length=30)

    @field_validator("categories", mode="before")
    @classmethod
    def _category_aliases(cls, value: object) -> object:
        if isinstance(value, list):
            return list(dict.fromkeys((category_of(v) or v) if isinstance(v, str) else v
                                      for v in value))
        return value


def parse_profile(raw: object, regions: RegionTree) -> Profile:
    """A profile as people write it (JSON, YAML: `"region": "斗门区"`, a name or an alias)
    validated into a Profile with the region's id; ValueError names an unknown region."""
    if isinstance(raw, dict) and "region" in raw and "region_id" not in raw:
        named = raw["region"]
        region = regions.resolve(named) if isinstance(named, str) else None
        if region is None:
            raise ValueError(f"region: 未知地区 {named}")
        raw = {**{k: v for k, v in raw.items() if k != "region"}, "region_id": region.id}
    return Profile.model_validate(raw)
