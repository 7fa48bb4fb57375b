"""Detectors the secret scanner runs, one module per family of secret.

Every detector takes the original text and returns `Finding`s indexing it; the scanner merges
them and redacts. A detector never decides on the placeholder or the order of redaction.
"""
