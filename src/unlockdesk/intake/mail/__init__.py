"""The email channel, one job per module.

parse (bytes -> ParsedMail) · charsets · sanitize (HTML) · quotes (reply history) · loops
(auto-replies, bounces) · ingest (the one inbound path: SMTP, IMAP, webhooks, files) ·
bounces · render/outbound · smtpd · imap · webhooks. `unlockdesk.intake.email` is the
channel adapter the registry knows; it re-exports `parse()` and `deliver()` from here.
"""
