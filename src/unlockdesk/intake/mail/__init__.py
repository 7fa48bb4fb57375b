"""The email channel, one job per module.

channel (the adapter the pipeline knows: `parse()`, `deliver()`, `ADDRESS_KIND`) · parse
(bytes -> ParsedMail) · charsets · sanitize (HTML) · quotes (reply history) · loops
(auto-replies, bounces) · ours (our own Message-IDs) · ingest (the one inbound path: SMTP,
IMAP, webhooks, files; bounces are recorded by `tickets.services.record_bounce`) · original ·
render/outbound · smtpd · imap · webhooks.
"""
