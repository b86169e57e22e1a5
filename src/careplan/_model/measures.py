"""Measurement-based care: instruments, their scores, and the built-in PHQ-9 and GAD-7.

An :class:`Instrument` is data: its score range, its LOINC code, its severity
bands and what counts as response, remission and a clinically significant
worsening. PHQ-9 and GAD-7 are built in; a clinic adds its own instruments
(a craving scale, the PCL-5) to a plan's ``instruments``.

Sources of the numbers (see ``docs/explanation/golden-thread.md``):

- PHQ-9 total score, LOINC 44261-6, 0–27; bands 0–4 minimal, 5–9 mild,
  10–14 moderate, 15–19 moderately severe, 20–27 severe (Kroenke, Spitzer
  and Williams 2001); response is a drop of 50% or more from baseline,
  remission a score below 5; a change of 5 points is the minimal clinically
  important difference (Löwe et al. 2004, Medical Care 42:1194).
- GAD-7 total score, LOINC 70274-6, 0–21; bands 0–4 minimal, 5–9 mild,
  10–14 moderate, 15–21 severe (Spitzer et al. 2006); the minimal clinically
  important difference is 4 points (Toussaint et al. 2020, Journal of
  Affective Disorders 265:395). Response (50% drop) and remission (below 5)
  follow the PHQ-9's conventions, as measurement-based care programs use them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs
import pendulum

from careplan._model.checks import (
    LARGEST,
    number,
    optional_number,
    optional_text,
    record_id,
    shape_repr,
    text,
    tuple_of,
)
from careplan._model.errors import InvalidValueError
from careplan._model.time import require_date

__all__ = ["BUILTIN_INSTRUMENTS", "GAD_7", "PHQ_9", "Band", "Instrument", "Measurement"]


def _score(field: str, value: object) -> float:
    return number(field, value, -LARGEST, LARGEST)


@attrs.frozen
class Band:
    """A severity band of an instrument: scores from ``low`` to ``high``, both included.

    Attributes:
        low: The lowest score in the band.
        high: The highest score in the band.
        label: Its name ("moderate").
    """

    low: float
    high: float
    label: str

    def __attrs_post_init__(self) -> None:
        _score("Band.low", self.low)
        _score("Band.high", self.high)
        text("Band.label", self.label, multiline=True, blank=False)
        if self.high < self.low:
            raise InvalidValueError("Band.high", self.high, "is below low", "swap the bounds")

    def contains(self, score: float) -> bool:
        """True when ``score`` is in the band."""
        return self.low <= score <= self.high


def _instrument_bands(value: Iterable[Band]) -> tuple[Band, ...]:
    return tuple_of("Instrument.bands", value, Band, "use careplan.Band(...)")


@attrs.frozen
class Instrument:
    """A rating scale whose total score is measured over time.

    Attributes:
        code: Its short code, used in measurements and targets ("PHQ-9").
        name: Its full name.
        minimum: The lowest possible score.
        maximum: The highest possible score.
        loinc: The LOINC code of its total score, if it has one; FHIR
            export codes observations and goal targets with it.
        bands: Severity bands, lowest first.
        lower_is_better: True when a falling score is improvement (PHQ-9,
            GAD-7); False for scales where higher is better.
        response_drop: The share of the baseline score an improvement must
            reach to count as response (0.5 is "50% or more"), or ``None``.
        remission_below: A score under this is remission, or ``None``.
        worsening: A change of at least this many points in the wrong
            direction is clinically significant, or ``None``.

    >>> PHQ_9.band(12), PHQ_9.remitted(4), PHQ_9.responded(baseline=18, score=9)
    ('moderate', True, True)
    >>> GAD_7.worsened(before=6, after=10)
    True
    """

    code: str
    name: str
    minimum: float
    maximum: float
    loinc: str | None = None
    bands: tuple[Band, ...] = attrs.field(default=(), converter=_instrument_bands)
    lower_is_better: bool = True
    response_drop: float | None = None
    remission_below: float | None = None
    worsening: float | None = None

    def __attrs_post_init__(self) -> None:
        record_id("Instrument.code", self.code)
        text("Instrument.name", self.name, multiline=True, blank=False)
        _score("Instrument.minimum", self.minimum)
        _score("Instrument.maximum", self.maximum)
        optional_text("Instrument.loinc", self.loinc, multiline=True, blank=False)
        optional_number("Instrument.response_drop", self.response_drop, -LARGEST, LARGEST)
        optional_number("Instrument.remission_below", self.remission_below, -LARGEST, LARGEST)
        optional_number("Instrument.worsening", self.worsening, -LARGEST, LARGEST)
        if not isinstance(self.lower_is_better, bool):
            raise InvalidValueError(
                "Instrument.lower_is_better", self.lower_is_better, "is not True or False"
            )
        if self.maximum <= self.minimum:
            raise InvalidValueError(
                "Instrument.maximum", self.maximum, "is not above the minimum", "swap them"
            )
        for band in self.bands:
            if band.low < self.minimum or band.high > self.maximum:
                raise InvalidValueError(
                    "Instrument.bands", band.label, "reaches outside the score range"
                )
        if self.response_drop is not None and not 0 < self.response_drop <= 1:
            raise InvalidValueError(
                "Instrument.response_drop",
                self.response_drop,
                "is not a share between 0 and 1",
                "0.5 means a drop of 50% or more",
            )
        if self.worsening is not None and self.worsening <= 0:
            raise InvalidValueError("Instrument.worsening", self.worsening, "is not positive")

    def __repr__(self) -> str:
        return shape_repr("Instrument", code=self.code, loinc=self.loinc)

    def in_range(self, score: float) -> bool:
        """True when ``score`` is a possible score."""
        return self.minimum <= score <= self.maximum

    def band(self, score: float) -> str | None:
        """The label of the band ``score`` falls in, or ``None``."""
        return next((b.label for b in self.bands if b.contains(score)), None)

    def improvement(self, before: float, after: float) -> float:
        """How much better ``after`` is than ``before``, in points (negative: worse)."""
        return before - after if self.lower_is_better else after - before

    def responded(self, *, baseline: float, score: float) -> bool:
        """True when ``score`` improves on ``baseline`` by the response share or more."""
        if self.response_drop is None:
            return False
        room = baseline - self.minimum if self.lower_is_better else self.maximum - baseline
        return room > 0 and self.improvement(baseline, score) >= self.response_drop * room - 1e-9

    def remitted(self, score: float) -> bool:
        """True when ``score`` is below the remission threshold."""
        return self.remission_below is not None and score < self.remission_below

    def worsened(self, *, before: float, after: float) -> bool:
        """True when ``after`` is clinically significantly worse than ``before``.

        With no ``worsening`` threshold, moving into a higher band counts.
        """
        if self.worsening is not None:
            return -self.improvement(before, after) >= self.worsening - 1e-9
        rank = {b.label: i for i, b in enumerate(self.bands)}
        was, now = self.band(before), self.band(after)
        if was is None or now is None:
            return False
        higher = rank[now] > rank[was]
        return higher if self.lower_is_better else rank[now] < rank[was]


def _cut_at(maximum: int, *cut_points: tuple[int, str]) -> tuple[Band, ...]:
    """Bands as the scales publish them: each from its cut point to the next one's, less one."""
    highs = [low - 1 for low, _ in cut_points[1:]] + [maximum]
    return tuple(
        Band(low, high, label) for (low, label), high in zip(cut_points, highs, strict=True)
    )


#: The Patient Health Questionnaire-9, the depression scale (see the module's sources).
PHQ_9 = Instrument(
    "PHQ-9",
    "Patient Health Questionnaire-9",
    0,
    27,
    loinc="44261-6",
    response_drop=0.5,
    remission_below=5,
    worsening=5,
    bands=_cut_at(
        27, (0, "minimal"), (5, "mild"), (10, "moderate"), (15, "moderately severe"), (20, "severe")
    ),
)
#: The Generalized Anxiety Disorder-7 scale (see the module's sources).
GAD_7 = Instrument(
    "GAD-7",
    "Generalized Anxiety Disorder-7",
    0,
    21,
    loinc="70274-6",
    response_drop=0.5,
    remission_below=5,
    worsening=4,
    bands=_cut_at(21, (0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe")),
)

#: The built-in instruments by code; a plan's own ``instruments`` add to them.
BUILTIN_INSTRUMENTS: Mapping[str, Instrument] = MappingProxyType(
    {PHQ_9.code: PHQ_9, GAD_7.code: GAD_7}
)


def _instrument_code(value: Instrument | str) -> str:
    # An Instrument is kept as its code: the plan knows the instrument itself.
    return (
        value.code if isinstance(value, Instrument) else record_id("Measurement.instrument", value)
    )


def _to_on(value: _dt.date) -> pendulum.Date:
    return require_date("Measurement.on", value)


@attrs.frozen
class Measurement:
    """One score of an instrument, on a day.

    Attributes:
        instrument: The instrument's code ("PHQ-9"); an :class:`Instrument`
            given here is kept as its code. The plan must know it (a
            built-in, or one of the plan's ``instruments``).
        score: The total score; must be in the instrument's range.
        on: The day it was taken.

    >>> import pendulum
    >>> Measurement(PHQ_9, 14, pendulum.date(2027, 1, 4))
    Measurement(instrument='PHQ-9', on=Date(2027, 1, 4))
    """

    instrument: str = attrs.field(converter=_instrument_code)
    score: float
    on: pendulum.Date = attrs.field(converter=_to_on)

    def __attrs_post_init__(self) -> None:
        _score("Measurement.score", self.score)

    def __repr__(self) -> str:
        # The score is health information: a repr shows what was measured and when.
        return shape_repr("Measurement", instrument=self.instrument, on=self.on)
