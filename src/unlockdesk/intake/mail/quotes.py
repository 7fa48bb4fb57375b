"""Where a reply's quoted history starts, so the console can fold it away.

The full text is always kept; this only finds the boundary: the first attribution line
("On … wrote:", "在 … 写道：", "-----Original Message-----", an Outlook "From:/发件人:" block)
or the start of a block of "> " lines that runs to the end of the message.
"""

import re

_ATTRIBUTION = re.compile(
    r"^(?:"
    r"On\s.{4,200}\swrote:\s*$"
    r"|在\s?.{2,200}(?:写道|寫道)[:：]\s*$"
    r"|-{2,}\s*(?:Original Message|Forwarded message|原始邮件|原始郵件|回复的邮件)\s*-{2,}\s*$"
    r"|(?:From|发件人|寄件者)\s*[:：].+$"
    r")",
    re.IGNORECASE,
)
_NEXT_IS_HEADER = re.compile(r"^(?:Sent|Date|To|发送时间|日期|收件人|時間)\s*[:：]", re.IGNORECASE)


def quote_start(text: str) -> int | None:
    """Character offset where quoted history begins, or None when the text quotes nothing."""
    lines = text.splitlines(keepends=True)
    offsets = []
    position = 0
    for line in lines:
        offsets.append(position)
        position += len(line)
    for index, line in enumerate(lines):
        stripped = line.strip()
        if index == 0 or not stripped:
            continue
        if _ATTRIBUTION.match(stripped):
            is_header_block = stripped.lower().startswith(("from", "发件人", "寄件者"))
            following = lines[index + 1].strip() if index + 1 < len(lines) else ""
            if not is_header_block or _NEXT_IS_HEADER.match(following):
                return offsets[index]
        if stripped.startswith(">") and all(
            not rest.strip() or rest.lstrip().startswith(">") for rest in lines[index:]
        ):
            return offsets[index]
    # "On ... wrote:" wrapped over two lines by the sender's client
    for index in range(1, len(lines) - 1):
        joined = lines[index].strip() + " " + lines[index + 1].strip()
        if re.match(r"^On\s.{4,200}\swrote:$", joined, re.IGNORECASE):
            return offsets[index]
    return None
