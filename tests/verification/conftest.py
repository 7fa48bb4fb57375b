"""Shared fixtures of the verification tests: the committed pictures and their analyses.

The OCR engine and the face models are loaded once per process (`imaging.ocr.default_engine`,
`imaging.faces.models`); `analysed` keeps one analysis per picture for the whole session so
each picture is read by OCR once however many tests look at it.
"""

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from unlockdesk.verification.checks.analysis import Analysis

FIXTURES = Path(__file__).parent / "fixtures"


@cache
def picture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@cache
def _analysis(name: str) -> Analysis:
    return Analysis(picture(name))


@pytest.fixture(scope="session")
def analysed() -> Callable[[str], Analysis]:
    """The analysis of a committed picture (OCR lines, faces, quality), computed once."""
    return _analysis
