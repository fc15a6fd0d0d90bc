#!/usr/bin/env python3
"""Checker for judge12 helper ab: the checks of eval/synthetic_check.py over docs/000_synthetic_ab.txt,
docs/001_synthetic_ab.txt and the ids ab001..ab060 of qa.jsonl.  Exits 1 on any problem."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from synthetic_check import check  # noqa: E402

sys.exit(check(HERE, "ab", "judge12"))
