"""A household as the screener (or a caseworker) describes it; None always means unknown.

`complete` is the one place that decides what an answer implies (a 70-year-old is not at
school, a pupil at 小学 is no new university entrant ...): the /check questionnaire, `bangfu
eligible --profile` and the caseworker household form all call it, so they reach the same
verdicts from the same facts.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge.regions import RegionTree
from knowledge.vocabulary import (
    BOARDING_STAGES,
    HIGHER_STAGES,
    NOT_IN_SCHOOL,
    Category,
    HousingState,
    MentalState,
    SchoolStage,
    category_of,
)

MAX_AGE = 120
MAX_MEMBERS = 30
# School-age bounds: 学前 starts at 3; past 35 nobody in these documents' student subsidies is
# still studying. Outside them a member's school stage is 不上学.
MIN_SCHOOL_AGE, MAX_SCHOOL_AGE = 3, 35


def _no_bool(value: object) -> object:
    """JSON `true` is not the number 1 (pydantic would read it so): refuse it as a number."""
    if isinstance(value, bool):
        raise ValueError("bool_as_number")
    return value


class Member(BaseModel):
    """One person in the household. No name or ID number is ever asked."""

    model_config = ConfigDict(extra="forbid")

    label: str | None = Field(default=None, max_length=20)  # 小明 / 老大: optional nickname
    age: int | None = Field(default=None, ge=0, le=MAX_AGE)
    school_stage: SchoolStage | Literal["不上学"] | None = None
    boarding: bool | None = None
    new_entrant: bool | None = None
    school: str | None = Field(default=None, max_length=40)
    disability_level: int | None = Field(default=None, ge=0, le=4)  # 0 = no disability
    needs_long_term_care: bool | None = None
    chronic_disease: bool | None = None
    major_illness: bool | None = None
    mental_illness: MentalState | bool | None = None

    @field_validator("age", "disability_level", mode="before")
    @classmethod
    def _numbers_not_bools(cls, value: object) -> object:
        return _no_bool(value)

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
    members: list[Member] = Field(default_factory=list, max_length=MAX_MEMBERS)

    @field_validator("income_per_capita_yearly", mode="before")
    @classmethod
    def _number_not_bool(cls, value: object) -> object:
        return _no_bool(value)

    @field_validator("categories", mode="before")
    @classmethod
    def _category_aliases(cls, value: object) -> object:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(dict.fromkeys(category_of(v) or v for v in value))
        return value  # anything else: pydantic names what is wrong


def implied(member: Member) -> dict[str, object]:
    """The unknown fields of a member that its known ones decide, with their values.

    Age outside school age means 不上学; a known school stage decides 住校 (asked only where a
    subsidy depends on it) and 新生 (only at university). Care need is not implied by a lighter
    disability: every condition on it also requires 一级/二级, so it never stays open."""
    out: dict[str, object] = {}
    stage: str | None = member.school_stage
    if stage is None and member.age is not None and not (
            MIN_SCHOOL_AGE <= member.age <= MAX_SCHOOL_AGE):
        stage = out["school_stage"] = NOT_IN_SCHOOL
    if stage is not None:
        if member.boarding is None and stage not in BOARDING_STAGES:
            out["boarding"] = False
        if member.new_entrant is None and stage not in HIGHER_STAGES:
            out["new_entrant"] = False
    return out


def complete(profile: Profile) -> Profile:
    """The profile with every answer its other answers imply filled in (see `implied`).

    Call it on any household before screening it: the /check questionnaire, `bangfu eligible`
    and the caseworker form then agree. Known answers are never changed; idempotent."""
    members = [m.model_copy(update=implied(m)) for m in profile.members]
    return profile.model_copy(update={"members": members})


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
