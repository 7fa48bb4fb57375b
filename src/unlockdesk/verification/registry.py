"""The registry of checks: name -> function, filled by `@register` in `verification.checks.*`.

Public API for callers outside the app (bench/verification.py, the `check` command), kept
stable: `standalone.check_image(data, ImageClaims(...), id_front=None) -> list[Result]`, and
the pure judges it uses: `checks.quality.judge`, `checks.exif.judge_exif`,
`checks.handheld.judge_note / judge_face / judge_card`, `checks.idcard.judge_front /
judge_back`, `checks.faces.judge_match`, `checks.analysis.analyse`, `idnumbers.id_number_problem /
describe_id_number`.
Changes since the first version (issue 7 review): `judge_face` takes `missing_status`;
`judge_match` takes `region`; `handheld._box` is now `handheld.lines_box`; new check
`card_face` (portrait on the card front, warn when missing); `QualityMetrics.screen_peaks` is
now the prominence of the strongest periodic peak (natural photos below ~5, threshold 12).
Issue 7 bench follow-up: `Analysis.person_faces / person_embedding` leave out the portrait on
the ID card held in a handheld photo (face_present and face_match use them);
`QualityMetrics.detail_sharpness` (variance of the Laplacian on the sharpest 64-px tiles)
judges blur instead of the whole picture's `sharpness`; `reading.CARD_LABELS / is_card_text`.
"""

import pkgutil
from collections.abc import Callable
from importlib import import_module

from unlockdesk.verification.types import CheckContext, Result

Check = Callable[[CheckContext], list[Result]]

_CHECKS: dict[str, Check] = {}


def register(name: str) -> Callable[[Check], Check]:
    """Register a check under a unique, stable name; a second function with the name is an error."""

    def decorate(check: Check) -> Check:
        existing = _CHECKS.get(name)
        if existing is not None and existing is not check:
            qualified = f"{existing.__module__}.{existing.__qualname__}"
            if qualified != f"{check.__module__}.{check.__qualname__}":
                raise ValueError(f"a check named {name!r} is already registered ({qualified})")
        _CHECKS[name] = check
        return check

    return decorate


def registered() -> dict[str, Check]:
    """Every registered check, in registration order."""
    return dict(_CHECKS)


def discover() -> None:
    """Import every module of `unlockdesk.verification.checks` (idempotent)."""
    package = import_module("unlockdesk.verification.checks")
    for module in pkgutil.iter_modules(package.__path__):
        import_module(f"{package.__name__}.{module.name}")
