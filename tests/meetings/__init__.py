"""Tests of meetings/."""
