#!/usr/bin/env python3
"""Checker for judge10 letter w: the checks of eval/synthetic_check.py over docs/000_synthetic_w.txt,
docs/001_synthetic_w.txt and the ids w001..w060 of qa.jsonl.  Exits 1 on any problem."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from synthetic_check import check  # noqa: E402

sys.exit(check(HERE, "w", "judge10"))
