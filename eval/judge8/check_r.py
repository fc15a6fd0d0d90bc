#!/usr/bin/env python3
"""Checker for judge8 letter r: the checks of eval/synthetic_check.py over docs/000_synthetic_r.txt,
docs/001_synthetic_r.txt and the ids r001..r060 of qa.jsonl.  Exits 1 on any problem."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from synthetic_check import check  # noqa: E402

sys.exit(check(HERE, "r", "judge8"))
