#!/usr/bin/env python3
"""Checker for judge11 letter z: the checks of eval/synthetic_check.py over docs/000_synthetic_z.txt,
docs/001_synthetic_z.txt and the ids z001..z060 of qa.jsonl.  Exits 1 on any problem."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from synthetic_check import check  # noqa: E402

sys.exit(check(HERE, "z", "judge11"))
