"""A report's table as CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads
Chinese), and no cell a spreadsheet would run as a formula (a queue or agent name that starts
with =, +, - or @ is quoted with a leading apostrophe, as OWASP advises)."""

import csv
import io

from unlockdesk.reports.types import Report

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def report_csv(report: Report) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(c) for c in report.columns])
    for row in report.rows:
        writer.writerow([_cell(c) for c in row])
    return out.getvalue()
