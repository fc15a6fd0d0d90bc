#!/usr/bin/env python3
"""Checker for judge12 helper ac: the checks of eval/synthetic_check.py over docs/000_synthetic_ac.txt,
docs/001_synthetic_ac.txt and the ids ac001..ac060 of qa.jsonl.  Exits 1 on any problem."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from synthetic_check import check  # noqa: E402

sys.exit(check(HERE, "ac", "judge12"))
