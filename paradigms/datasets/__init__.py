"""Data sets the three paradigms share: the MNIST digits (IDX files, found, checked or downloaded) and the user's tables.

Core, below the paradigm packages, so that the same images can be learned from their
labels (supervised), from nothing (unsupervised) and from a reward (reinforcement), and
a user's table is read one way by all three: :mod:`.table_files` (what the file is),
:mod:`.tables` (its rows or chosen columns), :mod:`.column_names` (one column finder,
one id rule), :mod:`.table_features` (target, task and features of a labelled table).
"""
