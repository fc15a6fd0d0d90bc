#!/usr/bin/env python3
"""Checker for judge8 letter q: the checks of eval/synthetic_check.py over docs/000_synthetic_q.txt,
docs/001_synthetic_q.txt and the ids q001..q060 of qa.jsonl.  Exits 1 on any problem."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from synthetic_check import check  # noqa: E402

sys.exit(check(HERE, "q", "judge8"))
