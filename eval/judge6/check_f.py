#!/usr/bin/env python3
"""Checker for judge6 letter f: the checks of eval/synthetic_check.py (which began as this script)
over docs/000_synthetic_f.txt, docs/001_synthetic_f.txt and the ids f001..f060 of qa.jsonl.
Exits 1 on any problem."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from synthetic_check import check  # noqa: E402

sys.exit(check(HERE, "f", "judge6"))
