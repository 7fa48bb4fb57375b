"""Automated checks. Every module here is imported at start-up; see `verification.types`."""
