"""Evaluation: gold sets over the seed corpus, metrics, the BEIR runner and the baseline beside Casewise."""
