"""OCR typo fixing for Arabic: detection, candidates, a noisy channel and context.

``resources`` loads the word list (wordfreq), Arabic hunspell and a SymSpell index (built
once, cached on disk); ``channel`` scores how likely OCR turned one word into another,
with weights learned from real tesseract output (``scripts/learn_confusions.py``);
``fixer`` decides, per word, to leave it, flag a suggestion, or apply a correction.
"""
