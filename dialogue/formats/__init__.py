"""Outside formats, read and written: the JSON documents (`jsonio`, on the house text of `jsontext`), AIF
nodesets (`aif`) and ConvoKit corpus folders (`convokit`).

This stage owns how the model maps to formats other programs read; it sits beside `render` (pictures) and
below `batch`/`cli`. `jsontext` is its ground floor, so `jsonio` can hand an AIF document to `aif` without
`aif` importing `jsonio` back.
"""
