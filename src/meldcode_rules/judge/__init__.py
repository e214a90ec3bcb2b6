"""Stage 5 judge: the fired rules into one protective :class:`Judgement` (``combine``; model in ``judgement``)."""
