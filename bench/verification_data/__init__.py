"""The labelled set of handheld photos that bench/verification.py measures the checks on."""
