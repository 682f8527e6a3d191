"""Helpers shared by the test tiers: real media made from a known text, and scoring."""
