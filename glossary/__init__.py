"""The vocabulary of an introductory deep-learning lesson, as runnable demos.

One module per term; each has a definition, ``demo(**settings)`` returning a
result with numbers, a table and ``.plot()``, and links to related terms.
"""
