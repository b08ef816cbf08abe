"""Tests of linesim/."""
