"""One module per grammar family: a Transformer that maps the family's grammar rules to events.

Events (`events.py`) are what a transcript says line by line (an utterance, a continuation, a heading, a
direction); `dialogue.parse` assembles them into the model. Each Transformer method handles one rule.
"""
