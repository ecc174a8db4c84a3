"""Sentence alignment of an Arabic translation with its English original.

``features`` turns sentences into bags of language-neutral features (dictionary
translations, numbers, months, name skeletons, learned translations); ``dp`` finds the
cheapest monotone sequence of beads over a band; ``gale_church`` is the length-only
baseline; ``score`` compares alignments with gold.
"""
