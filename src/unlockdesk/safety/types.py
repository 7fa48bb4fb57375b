"""What the secret scanner returns, shared with the pipeline."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class ScanResult:
    """`redacted` is what may be stored and shown; `findings` index the *original* text."""

    redacted: str
    findings: tuple[Finding, ...] = field(default=())

    @property
    def kinds(self) -> list[str]:
        return sorted({f.kind for f in self.findings})
