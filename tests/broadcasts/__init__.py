"""Tests of broadcasts/."""
